"""Measure how far each printed number of each chapter moves when float sums are
reordered, and write the tolerances the verification allows (book/tolerances.json).

``python tools/execute/spread.py`` (all chapters) or ``... book/09_optimizers.ipynb``
executes each chapter afresh under every VARIANT below, each a change that another
CPU or set-up makes to the order of float sums, and compares each printed number with
the chapter's saved output (the run tools/execute/execute.py made here, with the
setup cell's defaults: two threads, oneDNN off, oneDNN's kernels held to AVX2):

* a number that never moved stays exact (shapes, counts, hand-computed math, data
  statistics: anything that does not depend on the order of a sum);
* a number that moved gets the tolerance ``MARGIN`` times its largest move, and at
  least one unit of its last printed place;
* a number that moved by more than ``WILD`` of its own size, or a cell whose text
  (not its numbers) changed, is reported: print it more coarsely, or assert a property
  of it, instead of comparing digits. That chapter gets no tolerances (so its
  verification fails on another CPU) and the command fails.

``--reuse`` derives the tolerances from the executed copies of the last run (in
``.offline-data/spread/``) without executing again. tools/execute/tolerance.py reads
and checks the file; a tolerance whose cell code or output text changed is stale and
fails the tests until this command runs again.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tools.book import ROOT

OUT = ROOT / ".offline-data" / "spread"
# Each variant changes what another machine changes: the number of threads that share
# a sum (TensorFlow's and OpenBLAS's), oneDNN's graph rewrites, the vector width of
# oneDNN's matrix kernels (AVX-512 on a CPU that has it, SSE4.1 as on an old one),
# NumPy's SIMD dispatch and OpenBLAS's kernel: paired in six runs, then all at once
# (tools/execute/perturbed.py's "another machine") in a seventh.


def variants() -> dict[str, dict[str, str]]:
    """The variants, as the environment variables that make them on this machine."""
    from tools.execute.perturbed import (
        kernel_env,
        numpy_dispatch_targets,
        openblas_core,
    )

    core = openblas_core().lower()
    return {
        "threads-1": {"BOOK_THREADS": "1"},
        "threads-3-numpy-baseline": {
            "BOOK_THREADS": "3",
            "NPY_DISABLE_CPU_FEATURES": " ".join(numpy_dispatch_targets()),
        },
        "threads-4-openblas-other": {
            "BOOK_THREADS": "4",
            "OPENBLAS_CORETYPE": "Haswell" if core == "sandybridge" else "Sandybridge",
        },
        "onednn-on": {"TF_ENABLE_ONEDNN_OPTS": "1"},
        "onednn-avx512": {"ONEDNN_MAX_CPU_ISA": "AVX512_CORE"},
        "onednn-sse41": {"ONEDNN_MAX_CPU_ISA": "SSE41"},
        # Several changes at once move a chaotic training further than any one of them
        # (chapter 14's test accuracy: 0.877 here, against 0.880 to 0.884 above).
        "all-at-once": kernel_env(),
    }


def run_variant(name: str, env: dict[str, str], notebooks: list[Path]) -> int:
    """Execute NOTEBOOKS under variant NAME (ENV) into OUT/NAME; its exit status."""
    folder = OUT / name
    folder.mkdir(parents=True, exist_ok=True)
    log = (folder / "run.log").open("w")
    command = [sys.executable, str(ROOT / "tools" / "execute" / "execute.py")]
    command += ["--out", str(folder), *map(str, notebooks)]
    env = {**os.environ, **env}
    return subprocess.run(command, env=env, stdout=log, stderr=log).returncode


def run(notebooks: list[Path], jobs: int = 2) -> list[str]:
    """Run every variant, JOBS at a time; the names of those that failed."""
    kinds = variants()
    with ThreadPoolExecutor(jobs) as pool:
        runs = {
            n: pool.submit(run_variant, n, env, notebooks) for n, env in kinds.items()
        }
    codes = {name: future.result() for name, future in runs.items()}
    return [name for name, code in codes.items() if code]


def main(argv: list[str] | None = None) -> int:
    from tools.book import toc_notebooks
    from tools.execute import tolerance

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--reuse", action="store_true", help="derive, do not execute")
    parser.add_argument("--jobs", type=int, default=2, help="variants run at once")
    args = parser.parse_args(argv)
    notebooks = [nb.resolve() for nb in args.notebooks or toc_notebooks()]
    if not args.reuse:
        failed = run(notebooks, args.jobs)
        if failed:
            print(f"variants failed: {failed} (logs in {OUT}/NAME/run.log)")
            return 1
    runs = {name: OUT / name for name in variants()}
    return tolerance.write_from_runs(notebooks, runs)


if __name__ == "__main__":
    sys.exit(main())
