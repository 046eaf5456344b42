"""Replay every chapter under strict nbval as if on another machine.

The committed outputs were produced on one machine; CI and learners run on others.
No printed digit may depend on the CPU, so this step changes four things a
different machine changes, and every saved output must still match:

* ``cpus``: one CPU instead of all (``taskset``) and TensorFlow's default thread
  pools sized differently (``TF_NUM_INTRAOP_THREADS``/``TF_NUM_INTEROP_THREADS``).
  The chapters' setup cell pins two threads, so their results must not move.
* ``numpy-simd``: NumPy's SIMD dispatch limited to the baseline
  (``NPY_DISABLE_CPU_FEATURES`` = every dispatch target this CPU has), as on a CPU
  without AVX2 or AVX-512.
* ``openblas``: another OpenBLAS kernel (``OPENBLAS_CORETYPE``) than the one
  OpenBLAS picks for this CPU.
* ``onednn-isa``: TensorFlow's matrix products (oneDNN kernels) held to SSE4.1
  (``ONEDNN_MAX_CPU_ISA``), as on a CPU with other vector instructions. The setup
  cell holds them to AVX2 whatever the environment says, so chapters must not move.

First the canary, ``tests/canary/rounding_noise.ipynb``: executed here, it must
pass strict nbval unperturbed, and under each perturbation exactly the canary cells
that print that kind of noise must fail (CANARY_FAILS). So the book's perturbed
run cannot pass because the perturbations did nothing. Then every chapter of
``_toc.yml`` runs under all four perturbations at once.

Usage: ``python tools/perturbed.py [--canary-only] [pytest arguments]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from execute import ROOT, execute, offline_env  # noqa: E402

CANARY = ROOT / "tests" / "canary" / "rounding_noise.ipynb"
# For each perturbation, the canary's code cells (0 = its imports) whose printed
# noise it must change, as groups: at least one cell of each group must fail, and no
# cell outside the groups. Fewer CPUs change OpenBLAS's threads (cell 2) and
# TensorFlow's (the training, cell 3, or the matrix product, cell 4: which of the two
# shows it depends on the CPU); oneDNN's instruction set changes both of those.
CANARY_FAILS = {
    "none": [],
    "numpy-simd": [{1}],
    "openblas": [{2}],
    "cpus": [{2}, {3, 4}],
    "onednn-isa": [{3, 4}],
}


def canary_verdict(got: list[int], groups: list[set[int]]) -> bool:
    """Whether the failing cells GOT are what the perturbation's GROUPS expect."""
    allowed = set().union(*groups)
    return set(got) <= allowed and all(set(got) & group for group in groups)


def numpy_dispatch_targets() -> list[str]:
    """NumPy's SIMD dispatch targets that this CPU supports (what can be disabled)."""
    code = (
        "from numpy._core._multiarray_umath import __cpu_dispatch__ as d, "
        "__cpu_features__ as f; print(' '.join(t for t in d if f.get(t)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return out.stdout.split()


def openblas_core() -> str:
    """The kernel family OpenBLAS chose for this CPU."""
    code = (
        "import numpy, threadpoolctl; "
        "print(next(i.get('architecture', '') for i in threadpoolctl.threadpool_info()"
        " if i['internal_api'] == 'openblas'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def perturbations() -> dict[str, tuple[list[str], dict[str, str]]]:
    """Each perturbation as (command prefix, environment variables)."""
    cpus = sorted(os.sched_getaffinity(0))
    # With several CPUs: one CPU and one thread. With one CPU: more threads.
    threads = "1" if len(cpus) > 1 else "3"
    prefix = ["taskset", "-c", str(cpus[0])] if len(cpus) > 1 else []
    targets = numpy_dispatch_targets()
    if not targets:
        raise SystemExit(
            "This CPU has none of NumPy's SIMD dispatch targets (no AVX2), so the "
            "numpy-simd perturbation cannot change anything here: run this on an "
            "x86-64 CPU with AVX2 (any CI runner of the last ten years)."
        )
    core = "Haswell" if openblas_core().lower() == "sandybridge" else "Sandybridge"
    return {
        "cpus": (
            prefix,
            {"TF_NUM_INTRAOP_THREADS": threads, "TF_NUM_INTEROP_THREADS": threads},
        ),
        "numpy-simd": ([], {"NPY_DISABLE_CPU_FEATURES": " ".join(targets)}),
        "openblas": ([], {"OPENBLAS_CORETYPE": core}),
        "onednn-isa": ([], {"ONEDNN_MAX_CPU_ISA": "SSE41"}),
    }


def nbval(paths, prefix, env, extra=(), junit=None) -> subprocess.CompletedProcess:
    """pytest --nbval under a perturbation; with junit, quiet (the caller reports)."""
    command = [*prefix, sys.executable, "-m", "pytest", *map(str, paths), *extra]
    if junit:
        command += ["-q", "--nbval-current-env", f"--junitxml={junit}"]
    return subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, **offline_env(), **env},
        text=True,
        capture_output=bool(junit),
    )


def failed_cells(junit: Path) -> list[int]:
    """Indices (0-based, code cells only) of the cells nbval reported as failing."""
    failed = []
    for case in ET.parse(junit).iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append(int(case.get("name").rsplit(" ", 1)[1]))
    return sorted(failed)


def check_canary(kinds) -> list[str]:
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        canary = Path(tmp) / CANARY.name
        shutil.copy(CANARY, canary)
        # Its outputs come from this machine, now: the canary tests the perturbations,
        # not the machine that committed it.
        execute(canary, out=Path(tmp))
        runs = {"none": ([], {}), **kinds}
        for name, (prefix, env) in runs.items():
            junit = Path(tmp) / f"{name}.xml"
            # Outside the repository: its own minimal pytest configuration.
            isolated = ["-c", os.devnull, "--rootdir", tmp, "-p", "no:cacheprovider"]
            result = nbval([canary], prefix, env, [*isolated, "--nbval"], junit)
            got = failed_cells(junit)
            want = CANARY_FAILS[name]
            ok = canary_verdict(got, want)
            verdict = "as expected" if ok else f"WRONG (expected {want})"
            print(f"canary under {name}: failing cells {got}, {verdict}", flush=True)
            if not ok:
                print(result.stdout[-4000:])
                problems.append(f"canary under {name}: cells {got} failed, not {want}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--canary-only", action="store_true")
    args, pytest_args = parser.parse_known_args(argv)
    kinds = perturbations()
    for name, (prefix, env) in kinds.items():
        print(f"perturbation {name}: {' '.join(prefix)} {env}")
    problems = check_canary(kinds)
    if problems:
        print("The perturbations do not change float results as they must:")
        print("\n".join(problems))
        return 1
    if args.canary_only:
        return 0
    prefix = [p for _, (pre, _) in kinds.items() for p in pre]
    env = {k: v for _, (_, e) in kinds.items() for k, v in e.items()}
    print("every chapter, strict nbval, all perturbations at once", flush=True)
    return nbval([ROOT / "book"], prefix, env, pytest_args).returncode


if __name__ == "__main__":
    sys.exit(main())
