"""Run a chapter's nbval check as if on another machine, and prove that bites.

The committed outputs were produced on one machine; CI and learners run on others.
With ``BOOK_PERTURB=1`` every kernel nbval starts for a chapter (conftest.py) runs with
four things changed that a different machine changes; compared within the measured
tolerances (``BOOK_VERIFY=tolerant``, tools/execute/) every saved output must still
match (tests/test_verify.py shows it for chapter 2):

* ``threads``: one thread where this machine has several (OpenBLAS, OpenMP and
  TensorFlow's default thread pools, and the chapters' ``BOOK_THREADS``; three on a
  one-CPU machine), as on a machine with another number of CPUs. Sums split over
  threads round differently.
* ``numpy-simd``: NumPy's SIMD dispatch limited to the baseline
  (``NPY_DISABLE_CPU_FEATURES`` = every dispatch target this CPU has), as on a CPU
  without AVX2 or AVX-512.
* ``openblas``: another OpenBLAS kernel (``OPENBLAS_CORETYPE``) than the one
  OpenBLAS picks for this CPU.
* ``onednn-isa``: TensorFlow's matrix products (oneDNN kernels) held to SSE4.1
  (``ONEDNN_MAX_CPU_ISA``), as on a CPU with other vector instructions (the setup
  cell's AVX2 is only a default).

The spread run (tools/execute/spread.py) measures the tolerances under changes of the
same kinds, one group at a time; these four at once are a machine it did not see.

The canary, ``tests/canary/rounding_noise.ipynb``, proves the perturbations are real:
executed here, it passes strict nbval unperturbed, and under each perturbation exactly
the canary cells that print that kind of noise fail (CANARY_FAILS), so a chapter cannot
pass because the perturbations did nothing. ``tests/test_perturbed.py`` runs it with the
suite; ``python tools/execute/perturbed.py`` runs it alone and prints each verdict.
"""

from __future__ import annotations

import functools
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from tools.book import ROOT
from tools.execute.execute import execute, offline_env

CANARY = ROOT / "tests" / "canary" / "rounding_noise.ipynb"
# For each perturbation, the canary's code cells (0 = its imports) whose printed
# noise it must change, as groups: at least one cell of each group must fail, and no
# cell outside the groups. Other thread counts change OpenBLAS's sums (cell 2) and
# TensorFlow's (the training, cell 3, or the matrix product, cell 4: which of the two
# shows it depends on the CPU); oneDNN's instruction set changes both of those.
CANARY_FAILS = {
    "none": [],
    "numpy-simd": [{1}],
    "openblas": [{2}],
    "threads": [{2}, {3, 4}],
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
    """The kernel family OpenBLAS chose for this CPU ("" without OpenBLAS: NumPy on
    macOS may use Apple's Accelerate)."""
    code = (
        "import numpy, threadpoolctl; "
        "print(next((i.get('architecture', '') for i in threadpoolctl.threadpool_info()"
        " if i['internal_api'] == 'openblas'), ''))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def perturbations() -> dict[str, dict[str, str]]:
    """Each perturbation that applies on this machine, as the environment variables
    that make it. On Linux x86-64 with AVX2 (CI) all four apply, and
    tests/test_perturbed.py fails if one is missing there."""
    if hasattr(os, "sched_getaffinity"):  # Linux: the CPUs this process may use
        cpus = len(os.sched_getaffinity(0))
    else:
        cpus = os.cpu_count() or 1
    # With several CPUs: one thread, as on a one-CPU machine. With one CPU: three.
    threads = "1" if cpus > 1 else "3"
    kinds = {
        "threads": {
            "BOOK_THREADS": threads,  # the chapters' setup cell reads it
            "OPENBLAS_NUM_THREADS": threads,
            "OMP_NUM_THREADS": threads,
            "TF_NUM_INTRAOP_THREADS": threads,
            "TF_NUM_INTEROP_THREADS": threads,
        },
    }
    targets = numpy_dispatch_targets()  # none on a CPU without AVX2 or NEON
    if targets:
        kinds["numpy-simd"] = {"NPY_DISABLE_CPU_FEATURES": " ".join(targets)}
    core = openblas_core().lower()
    if core:
        other = "Haswell" if core == "sandybridge" else "Sandybridge"
        kinds["openblas"] = {"OPENBLAS_CORETYPE": other}
    if platform.machine().lower() in {"x86_64", "amd64"}:
        kinds["onednn-isa"] = {"ONEDNN_MAX_CPU_ISA": "SSE41"}
    return kinds


@functools.cache
def kernel_env() -> dict[str, str]:
    """Every perturbation that applies here, at once: the environment of every
    chapter's nbval kernel (conftest.py)."""
    return {k: v for env in perturbations().values() for k, v in env.items()}


def nbval(notebook: Path, env: dict[str, str], junit: Path) -> str:
    """Strict nbval over NOTEBOOK under exactly the perturbation ENV (no other
    perturbation variable from this process leaks in); returns pytest's output."""
    # Outside the repository: its own minimal pytest configuration.
    isolated = ["-c", os.devnull, "--rootdir", str(notebook.parent)]
    command = [sys.executable, "-m", "pytest", str(notebook), *isolated]
    command += ["-p", "no:cacheprovider", "--nbval", "--nbval-current-env", "-q"]
    base = {k: v for k, v in os.environ.items() if k not in kernel_env()}
    result = subprocess.run(
        [*command, f"--junitxml={junit}"],
        cwd=ROOT,
        env={**base, **offline_env(), **env},
        text=True,
        capture_output=True,
    )
    return result.stdout


def failed_cells(junit: Path) -> list[int]:
    """Indices (0-based, code cells only) of the cells nbval reported as failing."""
    failed = []
    for case in ET.parse(junit).iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append(int(case.get("name").rsplit(" ", 1)[1]))
    return sorted(failed)


def check_canary(kinds: dict[str, dict[str, str]] | None = None) -> list[str]:
    """Run the canary unperturbed and under each of KINDS (default: all that apply);
    return what went other than CANARY_FAILS expects."""
    kinds = perturbations() if kinds is None else kinds
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        canary = Path(tmp) / CANARY.name
        shutil.copy(CANARY, canary)
        # Its outputs come from this machine, now: the canary tests the perturbations,
        # not the machine that committed it.
        execute(canary, out=Path(tmp))
        for name, env in {"none": {}, **kinds}.items():
            junit = Path(tmp) / f"{name}.xml"
            output = nbval(canary, env, junit)
            got = failed_cells(junit)
            want = CANARY_FAILS[name]
            ok = canary_verdict(got, want)
            verdict = "as expected" if ok else f"WRONG (expected {want})"
            print(f"canary under {name}: failing cells {got}, {verdict}", flush=True)
            if not ok:
                print(output[-4000:])
                problems.append(f"canary under {name}: cells {got} failed, not {want}")
    return problems


def main() -> int:
    for name, env in perturbations().items():
        print(f"perturbation {name}: {env}")
    problems = check_canary()
    if problems:
        print("The perturbations do not change float results as they must:")
        print("\n".join(problems))
        return 1
    print("Every perturbation changes what its canary cells print.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
