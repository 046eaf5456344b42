"""Time every chapter in a fresh kernel and check the book's run-time budgets.

``python tools/benchmark.py`` executes each chapter of ``_toc.yml`` top to bottom in
a fresh, offline kernel (like the tests; the notebooks are not modified), one at a
time, and prints a table: seconds (from starting the kernel until the last cell has
finished), peak memory of the kernel, and the last accuracy the chapter printed.
It also times a site build from the committed outputs. ``--repeat 2`` runs the book
twice and counts each chapter's faster run (as ``timeit`` does: the slower run also
measures whatever else the machine was doing); CI uses it.

Budgets (a 2-core CPU machine without GPU): each chapter at most 60 s, the whole
book at most 300 s, the site build at most 30 s. The exit status is 1 when one is
exceeded, so CI reports it.

``--write`` saves the numbers to ``book/_data/benchmark.json`` and regenerates
``book/status.md``, the page that shows readers what to expect.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from execute import ROOT, offline_env  # noqa: E402
from sync_cells import toc_notebooks  # noqa: E402

CHAPTER_BUDGET = 60.0
BOOK_BUDGET = 300.0
BUILD_BUDGET = 30.0
DATA = ROOT / "book" / "_data" / "benchmark.json"
STATUS = ROOT / "book" / "status.md"
ACCURACY = re.compile(r"accuracy[^\n:=]*[:=]\s*(0\.\d+|1\.0+)\b", re.IGNORECASE)
TEST_ACCURACY = re.compile(
    r"test accuracy[^\n:=]*[:=]\s*(0\.\d+|1\.0+)\b", re.IGNORECASE
)


def key_accuracy(text: str) -> float | None:
    """The last test accuracy a chapter printed, else the last accuracy of any kind."""
    found = TEST_ACCURACY.findall(text) or ACCURACY.findall(text)
    return float(found[-1]) if found else None


def run_one(path: Path) -> dict:
    """Execute one notebook in a fresh kernel; runs in its own process (see main)."""
    import nbformat
    from nbclient import NotebookClient

    os.environ.update(offline_env())
    notebook = nbformat.read(path, as_version=4)
    finished = []  # when each cell finished

    def cell_done(**_):
        finished.append(time.perf_counter())

    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_executed=cell_done,
    )
    start = time.perf_counter()
    client.execute()
    # From starting the kernel to the last cell's reply: what a reader waits for.
    # Shutting the kernel down afterwards (about 1 s once TensorFlow is loaded) is
    # not part of running the chapter, so it is not counted.
    seconds = finished[-1] - start
    text = "".join(
        out.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for out in cell.outputs
    )
    # ru_maxrss of the children: the kernel this process started (KiB on Linux).
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "chapter": path.stem,
        "seconds": round(seconds, 1),
        "peak_memory_mb": round(peak_kib / 1024),
        "accuracy": key_accuracy(text),
    }


def time_build() -> float:
    jb = Path(sys.executable).parent / "jupyter-book"
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [str(jb), "build", "--path-output", out, str(ROOT)],
            check=True,
            capture_output=True,
        )
        return round(time.perf_counter() - start, 1)


def machine() -> dict:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import keras
    import tensorflow as tf

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_gib),
        "gpu": "none",
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "date": dt.date.today().isoformat(),
    }


def render_status(data: dict) -> str:
    m = data["machine"]
    runs = repeat = ""
    if data.get("runs", 1) > 1:
        repeat = f" --repeat {data['runs']}"
        runs = (
            f"\nThe book was run {data['runs']} times and each chapter counts its\n"
            "fastest run, as Python's `timeit` does: a slower run also measures\n"
            "whatever else the machine was doing.\n"
        )
    rows = "\n".join(
        f"| {r['chapter']} | {r['seconds']:.1f} | {r['peak_memory_mb']} | "
        + (f"{r['accuracy']:.3f}" if r["accuracy"] is not None else "")
        + " |"
        for r in data["chapters"]
    )
    over = ""
    if data["total_seconds"] > BOOK_BUDGET:
        over = (
            f"\nThe whole book is over its {BOOK_BUDGET:.0f} s budget: the chapters "
            "that train several models are the ones to make faster.\n"
        )
    return f"""# Status: run times and results

How long each chapter takes to run top to bottom in a fresh kernel (from starting
the kernel until its last cell has finished), how much memory its kernel used at
most, and the last accuracy it printed. The whole book is the chapters run one after
another. Generated by `python tools/benchmark.py --write{repeat}` from a real
run; CI runs the same benchmark and fails when a chapter, the whole book or the site
build is over budget.
{runs}
**Machine:** {m["cores"]} CPU cores ({m["cpu"]}), {m["memory_gib"]} GiB of memory,
no GPU; Python {m["python"]}, TensorFlow {m["tensorflow"]}, Keras {m["keras"]};
measured on {m["date"]}. Colab's free CPU machines are of a similar size.

**Budgets:** each chapter at most {CHAPTER_BUDGET:.0f} s, the whole book at most
{BOOK_BUDGET:.0f} s, the site build from committed outputs at most
{BUILD_BUDGET:.0f} s.

| chapter | seconds | peak memory (MB) | accuracy |
|---|---|---|---|
{rows}
| **whole book** | **{data["total_seconds"]:.1f}** | | |
{over}
The site build from the committed outputs took {data["build_seconds"]:.1f} s.
Accuracies are the last one each chapter printed; chapters that train check them
against a tolerance band, since they vary slightly across TensorFlow versions and
processors. The MNIST figures come from the offline 10,000-digit sample (see each
chapter's data line); with the full data in Colab they are higher.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--write", action="store_true", help="save JSON + status page")
    parser.add_argument(
        "--book-budget",
        choices=["enforce", "report"],
        default="enforce",
        help="report: print an over-budget book total without failing",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run the book this many times; each chapter counts its fastest run",
    )
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one.resolve())))
        return 0

    notebooks = [p.resolve() for p in args.notebooks] or toc_notebooks()
    best: dict[Path, dict] = {}
    for rep in range(1, args.repeat + 1):
        if args.repeat > 1:
            print(f"-- run {rep} of {args.repeat}", flush=True)
        for nb in notebooks:
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(nb)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            row = json.loads(out.strip().splitlines()[-1])
            acc = "" if row["accuracy"] is None else f"{row['accuracy']:.3f}"
            print(
                f"{row['chapter']:<34} {row['seconds']:6.1f} s "
                f"{row['peak_memory_mb']:6d} MB  {acc}",
                flush=True,
            )
            if nb in best and best[nb]["accuracy"] != row["accuracy"]:
                print(f"note: {row['chapter']} printed a different accuracy")
            # Like timeit: the fastest run is the chapter's own cost; slower runs
            # measure other processes on the machine too. Memory: the largest.
            peak = max(row["peak_memory_mb"], best.get(nb, row)["peak_memory_mb"])
            if nb not in best or row["seconds"] < best[nb]["seconds"]:
                best[nb] = row
            best[nb]["peak_memory_mb"] = peak
    rows = [best[nb] for nb in notebooks]
    if args.repeat > 1:
        print(f"-- fastest of {args.repeat} runs per chapter")
        for row in rows:
            print(f"{row['chapter']:<34} {row['seconds']:6.1f} s")
    total = round(sum(r["seconds"] for r in rows), 1)
    build = time_build()
    print(f"{'whole book':<34} {total:6.1f} s")
    print(f"{'site build':<34} {build:6.1f} s")

    over = [r["chapter"] for r in rows if r["seconds"] > CHAPTER_BUDGET]
    failures = [f"{c} over {CHAPTER_BUDGET:.0f} s" for c in over]
    if not args.notebooks and total > BOOK_BUDGET:
        message = f"whole book {total} s over {BOOK_BUDGET:.0f} s"
        if args.book_budget == "enforce":
            failures.append(message)
        else:
            print(f"OVER BUDGET (reported, not failing): {message}")
    if build > BUILD_BUDGET:
        failures.append(f"site build {build} s over {BUILD_BUDGET:.0f} s")

    if args.write:
        data = {
            "machine": machine(),
            "chapters": rows,
            "total_seconds": total,
            "build_seconds": build,
            "runs": args.repeat,
        }
        DATA.parent.mkdir(exist_ok=True)
        DATA.write_text(json.dumps(data, indent=2) + "\n")
        STATUS.write_text(render_status(data))
        print(f"wrote {DATA.relative_to(ROOT)} and {STATUS.relative_to(ROOT)}")
    for failure in failures:
        print(f"BUDGET EXCEEDED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
