"""The verification run: every chapter under nbval, one at a time, each in a fresh
offline kernel, compared with its saved outputs.

``python tools/execute/verify.py`` runs nbval over each chapter of ``_toc.yml`` (or
the notebooks named) in turn, with the repository's pytest configuration: the root
``conftest.py`` gives each kernel the offline environment and the nbval plugin of
``tools/execute/nbval_tolerant.py`` compares exactly on the kind of machine that made
the outputs and within the measured tolerances (``book/tolerances.json``) on any other.
It is the one execution of each chapter that ``tools/test.sh`` makes: a chapter that
fails is reported with its failing cells and tracebacks, after every chapter has run,
and the exit status is 1.

Each chapter's run is also recorded (``--record FILE``, JSON): seconds from starting
its kernel to its last cell's reply, the kernel's peak memory and what it printed, so
that ``tools/measure/benchmark.py --from FILE`` times this same run against the
budgets instead of executing the book a second time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.book import ROOT, toc_notebooks


def run(notebooks: list[Path]) -> tuple[dict[Path, dict], str]:
    """nbval over NOTEBOOKS, one at a time, each in a fresh offline kernel. Returns a
    row for each chapter that passed (seconds, peak_memory_mb, printed: every stream,
    stdout: its standard output) and pytest's report, printed as it comes (it shows
    the failing cells, tracebacks included)."""
    with tempfile.TemporaryDirectory() as tmp:
        record = Path(tmp) / "runs.json"
        # The repository's pytest configuration and conftest.py, also for a notebook
        # outside it (the tests plant some): -c, --rootdir and -p conftest.
        config = ["-c", str(ROOT / "pytest.ini"), "--rootdir", str(ROOT)]
        command = [sys.executable, "-m", "pytest", *config, "-p", "conftest"]
        with subprocess.Popen(
            [*command, "-n", "0", "-q", *map(str, notebooks)],
            cwd=ROOT,
            env={**os.environ, "BOOK_TIMINGS": str(record)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        ) as pytest:
            report = []
            for line in pytest.stdout:  # shown as it comes: the run takes minutes
                print(line, end="", flush=True)
                report.append(line)
        returncode = pytest.returncode
        runs = json.loads(record.read_text()) if record.exists() else {}
    rows = {}
    for path in notebooks:
        recorded = runs.get(str(path))
        if returncode not in (0, 1) or not recorded or recorded["failed"]:
            continue
        streams = recorded["printed"]
        rows[path] = {
            "chapter": path.stem,
            # From starting the kernel to the last cell's reply: what a reader waits
            # for (shutting the kernel down afterwards is not part of the chapter).
            "seconds": round(recorded["end"] - recorded["start"], 1),
            "peak_memory_mb": recorded["peak_memory_mb"],
            "printed": "".join(s["text"] for s in streams),
            "stdout": "".join(s["text"] for s in streams if s["name"] == "stdout"),
        }
    return rows, "".join(report)


def shard(text: str) -> tuple[int, int]:
    """'K/N' -> (K, N), with 1 <= K <= N."""
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not K/N, e.g. 2/3") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"{text!r}: K must be 1 to N")
    return k, n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument(
        "--record", type=Path, help="write each chapter's run (JSON) to this file"
    )
    parser.add_argument(
        "--shard",
        type=shard,
        help="K/N: only every N-th chapter from the K-th on (CI's parallel jobs)",
    )
    args = parser.parse_args(argv)
    notebooks = [p.resolve() for p in args.notebooks] or toc_notebooks()
    if args.shard:
        k, n = args.shard
        notebooks = notebooks[k - 1 :: n]
    for path in notebooks:
        if not path.exists():
            parser.error(f"no such notebook: {path}")
    print("every chapter under nbval, one at a time (exact or within tolerances)")
    rows, _ = run(notebooks)
    for row in rows.values():
        print(
            f"{row['chapter']:<34} {row['seconds']:6.1f} s "
            f"{row['peak_memory_mb'] or 0:6d} MB",
            flush=True,
        )
    if args.record:
        args.record.parent.mkdir(parents=True, exist_ok=True)
        record = {"notebooks": [str(p) for p in notebooks], "rows": list(rows.values())}
        args.record.write_text(json.dumps(record, indent=1), encoding="utf-8")
    failed = [nb for nb in notebooks if nb not in rows]
    if failed:  # every chapter ran: each failure is in the report above
        names = ", ".join(nb.stem for nb in failed)
        print(f"{len(failed)} chapter(s) failed nbval: {names}")
        return 1
    print(f"all {len(rows)} chapter(s) passed nbval")
    return 0


if __name__ == "__main__":
    sys.exit(main())
