"""Time the verification run against the book's run-time budgets, and record it.

``python tools/measure/benchmark.py --from FILE`` reads the timings that the
verification run (``tools/execute/verify.py --record FILE``: every chapter under
nbval, one at a time, in a fresh offline kernel) recorded, so the check that the saved
outputs are what the code prints and the timing come from the same run: that is what
``tools/test.sh`` does. Without ``--from`` it runs the verification itself (with
``--repeat 2``, twice, each chapter counting its faster run, as ``timeit`` does: the
slower run also measures whatever else the machine was doing). It prints a table:
seconds (from starting the kernel until the last cell has finished), peak memory of
the kernel, and the last accuracy the chapter printed. It also times a site build
from the committed outputs.

Budgets are in reference units, not seconds, so that they mean the same on any
machine. Each run first times a reference workload on the same machine, in a fresh
kernel set up like the chapters' (offline data, seeds, op determinism, two TensorFlow
threads): a standard Keras training, chapter 14's 784-256-10 MLP (Flatten,
Dense(256, relu), Dense(10); Adam, batch 64, ``steps_per_execution=32``) over the
60,000 Fashion-MNIST training images, two fresh models of 6 epochs each, every epoch
timed. One unit is 3 epochs at the median pace of those epochs, leaving out each
training's first (it also traces the graph); with ``--repeat``, the median of all
runs' epochs. A median of many short epochs moves far less with the machine's load
than the best of a few whole trainings did. Each chapter may take at most
``CHAPTER_BUDGET`` units, the whole book ``BOOK_BUDGET`` units, the site build
``BUILD_BUDGET`` units. Seconds are still reported; the exit status is 1 when a budget
in units is exceeded, so CI fails.

Claims about run time are checked here too, not in the notebooks: chapters print
their timings in cells whose output the tests ignore, and ``TIMING_CLAIMS`` checks
each claim, with a tolerance, on what the chapter printed in this run (chapter 10:
larger batches are not slower per epoch; chapter 14: its training time in units).
A failed claim also makes the exit status 1.

``--write`` saves the numbers to ``book/_data/benchmark.json`` and renders both
editions' status pages from them (``tools/publish/status.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tools.book import ROOT, toc_notebooks
from tools.execute import verify
from tools.execute.execute import offline_env
from tools.publish import status

# Budgets in reference units (multiples of the reference unit on the same machine).
# They replace 60 s / 300 s / 30 s on the status page's machine (the 2-core AMD EPYC
# that recorded the book in 271.6 s). Measured there on 2026-12-02 with nothing else
# running, the unit was 2.44 and 2.62 s (2.97 to 3.20 s while other work shared the
# cores, which slows the chapters too): 60/2.62 = 22.9, 300/2.62 = 114.5 and
# 30/2.62 = 11.5, rounded down, are no looser there than the seconds were, even at
# the slower quiet unit.
CHAPTER_BUDGET = 22
BOOK_BUDGET = 114
BUILD_BUDGET = 11  # both editions: the English site and the Korean one  # both editions: the English site and the Korean one
DATA = status.DATA  # what the status pages are rendered from
ACCURACY = re.compile(r"accuracy[^\n:=]*[:=]\s*(0\.\d+|1\.0+)\b", re.IGNORECASE)
TEST_ACCURACY = re.compile(
    r"test accuracy[^\n:=]*[:=]\s*(0\.\d+|1\.0+)\b", re.IGNORECASE
)

# The reference workload: a standard Keras training, timed in the same run and on
# the same machine as the chapters.
# One unit is UNIT_EPOCHS epochs at the median pace of the epochs timed: each run
# trains REFERENCE_REPEATS fresh models for REFERENCE_EPOCHS epochs and times every
# epoch but the first (which also traces the graph). A median of many one-second
# epochs moves far less with the machine's load (2.44 to 3.20 s on 2026-12-02) than
# the best of a few whole trainings did (4.46 to 8.80 s). What the status page says:
UNIT_EPOCHS, REFERENCE_EPOCHS, REFERENCE_REPEATS = 3, 6, 2
REFERENCE = {
    "model": "Flatten, Dense(256, relu), Dense(10) (chapter 14; 203,530 parameters)",
    "data": "the full Fashion-MNIST training set, 60,000 images of 28x28 pixels",
    "training": f"Adam, batch 64, steps_per_execution=32; {REFERENCE_REPEATS} "
    f"trainings of {REFERENCE_EPOCHS} epochs",
    "unit": f"{UNIT_EPOCHS} epochs at the median pace of every epoch but each "
    "training's first (which also traces the graph)",
    "repeats": REFERENCE_REPEATS,
}
# The setup cell's settings that change speed or results (tools/author/setup_cell.py):
# environment before TensorFlow loads, two threads for TensorFlow and NumPy's BLAS,
# seeds, op determinism. The data comes through the Keras loader, so offline it is
# read from the mirror.
REFERENCE_SETUP = """\
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
import json
import time

import keras
import tensorflow as tf
import threadpoolctl

threadpoolctl.threadpool_limits(2)
tf.config.threading.set_intra_op_parallelism_threads(2)
tf.config.threading.set_inter_op_parallelism_threads(2)
SEED = 42
keras.utils.set_random_seed(SEED)
tf.config.experimental.enable_op_determinism()
(x_train, y_train), _ = keras.datasets.fashion_mnist.load_data()
x_train = x_train.astype("float32") / 255
"""
REFERENCE_TRAINING = f"""\
def train():
    keras.utils.set_random_seed(SEED)
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dense(10),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        steps_per_execution=32,
    )
    ends = [time.perf_counter()]
    timer = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: ends.append(time.perf_counter())
    )
    model.fit(
        x_train,
        y_train,
        epochs={REFERENCE_EPOCHS},
        batch_size=64,
        verbose=0,
        callbacks=[timer],
    )
    seconds = [b - a for a, b in zip(ends, ends[1:])]
    return seconds[1:]  # the first epoch also traces the graph


print(json.dumps([s for _ in range({REFERENCE_REPEATS}) for s in train()]))
"""
REFERENCE_SHA256 = hashlib.sha256(
    (REFERENCE_SETUP + REFERENCE_TRAINING).encode()
).hexdigest()


def key_accuracy(text: str) -> float | None:
    """The last test accuracy a chapter printed, else the last accuracy of any kind."""
    found = TEST_ACCURACY.findall(text) or ACCURACY.findall(text)
    return float(found[-1]) if found else None


def units(seconds: float, reference: float) -> float:
    return round(seconds / reference, 2)


# --- timing claims: what chapters say about run time, checked on this run ---------


class ClaimError(Exception):
    """The printed text does not have the shape a timing claim reads."""


@dataclass(frozen=True)
class Message:
    """A sentence of the status page and the numbers it shows: TEXT is a gettext
    message with %(name)s fields (locales/ko/LC_MESSAGES/status.po translates it;
    tools/publish/status.py fills in VALUES)."""

    text: str
    values: dict

    def __str__(self) -> str:
        return self.text % self.values

    def record(self) -> dict:
        return {"text": self.text, "values": self.values}


@dataclass(frozen=True)
class TimingClaim:
    chapter: str
    claim: Message  # what the chapter says, in a few words
    # (stdout the chapter printed in this run, reference seconds) ->
    # (holds, what was measured, in a sentence)
    check: Callable[[str, float], tuple[bool, Message]]


def printed_value(text: str, label: str) -> str:
    """The rest of the first printed line that starts with `label`."""
    for line in text.splitlines():
        if line.startswith(label):
            return line[len(label) :].strip()
    raise ClaimError(f"no printed line starts with {label!r}")


EPOCH_TABLE = re.compile(r"^batch\s+steps/epoch\s+seconds/epoch\s+ms/step\s*$")
EPOCH_ROW = re.compile(r"^\s*(\d+)\s+(\d+)\s+(\d+\.\d+)\s+(\d+\.\d+)\s*$")
BATCH_TOLERANCE = 1.5  # a larger batch's epoch may take up to 1.5x batch 16's,
# as the chapter's printed line says; measured: 0.1 to 0.45x.


def epoch_seconds(text: str) -> dict[int, float]:
    """Chapter 10's table: batch size -> seconds per epoch."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if EPOCH_TABLE.match(line):
            rows = {}
            for row in lines[i + 1 :]:
                m = EPOCH_ROW.match(row)
                if not m:
                    break
                rows[int(m[1])] = float(m[3])
            if len(rows) < 2:
                raise ClaimError("the seconds/epoch table has fewer than 2 rows")
            return rows
    raise ClaimError(
        "no table headed 'batch  steps/epoch  seconds/epoch  ms/step' was printed"
    )


def larger_batches_not_slower(text: str, reference: float) -> tuple[bool, Message]:
    sec = epoch_seconds(text)
    smallest = min(sec)
    base = sec[smallest]
    slow = {
        b: s for b, s in sec.items() if b != smallest and s > BATCH_TOLERANCE * base
    }
    # batch size -> seconds per epoch, in a form every language reads
    table = ", ".join(f"{b}: {s:.2f} s" for b, s in sec.items())
    if slow:
        worst = max(slow, key=slow.get)
        return False, Message(
            "batch %(worst)s took %(seconds)s s per epoch, more than %(tolerance)sx "
            "batch %(smallest)s's %(base)s s (batch size: seconds per epoch: "
            "%(table)s)",
            {
                "worst": worst,
                "seconds": f"{slow[worst]:.2f}",
                "tolerance": BATCH_TOLERANCE,
                "smallest": smallest,
                "base": f"{base:.2f}",
                "table": table,
            },
        )
    return True, Message(
        "seconds per epoch, by batch size: %(table)s", {"table": table}
    )


# Chapter 14 trains the reference's model the same way for 8 epochs, tracing
# included: about 8/3 = 2.7 units plus the tracing. Its notebook asserted < 300 s.
TRAINING_CEILING = 5  # units


def fashion_training_time(text: str, reference: float) -> tuple[bool, Message]:
    seconds = float(printed_value(text, "training seconds:"))
    ratio = seconds / reference
    values = {"seconds": f"{seconds:.1f}", "units": f"{ratio:.2f}"}
    if ratio > TRAINING_CEILING:
        return False, Message(
            "training seconds: %(seconds)s = %(units)s units, over the ceiling of "
            "%(ceiling)s units",
            {**values, "ceiling": TRAINING_CEILING},
        )
    return True, Message("training seconds: %(seconds)s = %(units)s units", values)


TIMING_CLAIMS = [
    TimingClaim(
        "10_batch_epoch_step",
        Message(
            "larger batches are not slower per epoch than batch 16 (within "
            "%(tolerance)sx)",
            {"tolerance": BATCH_TOLERANCE},
        ),
        larger_batches_not_slower,
    ),
    TimingClaim(
        "14_fashion_mnist",
        Message(
            "8 epochs with steps_per_execution=32 train in at most %(ceiling)s units",
            {"ceiling": TRAINING_CEILING},
        ),
        fashion_training_time,
    ),
]


def text(recorded: dict) -> str:
    """A recorded Message, in English."""
    return recorded["text"] % recorded["values"]


def check_claims(printed: dict[str, str], reference: float) -> list[dict]:
    """Each timing claim of a chapter that was run, checked on what it printed."""
    results = []
    for claim in TIMING_CLAIMS:
        if claim.chapter not in printed:
            continue
        try:
            holds, measured = claim.check(printed[claim.chapter], reference)
        except (ClaimError, ValueError) as error:
            holds = False
            measured = Message(
                "cannot read the claim's output: %(error)s", {"error": str(error)}
            )
        results.append(
            {
                "chapter": claim.chapter,
                "claim": claim.claim.record(),
                "measured": measured.record(),
                "holds": holds,
            }
        )
    return results


# --- measuring ---------------------------------------------------------------------


def recorded_rows(path: Path, notebooks: list[Path]) -> dict[Path, dict]:
    """The rows of the chapters that passed in a recorded verification run."""
    if not path.exists():
        raise SystemExit(
            f"{path}: no recorded run; run `python tools/execute/verify.py --record "
            f"{path}` first"
        )
    record = json.loads(path.read_text(encoding="utf-8"))
    by_chapter = {row["chapter"]: row for row in record["rows"]}
    return {nb: by_chapter[nb.stem] for nb in notebooks if nb.stem in by_chapter}


def run_reference() -> list[float]:
    """Time the reference training in a fresh kernel; its own process (see main)."""
    import nbformat
    from nbclient import NotebookClient

    os.environ.update(offline_env())
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(REFERENCE_SETUP),
            nbformat.v4.new_code_cell(REFERENCE_TRAINING),
        ]
    )
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {}}
    ).execute()
    printed = [
        out.text
        for out in notebook.cells[-1].outputs
        if out.output_type == "stream" and out.name == "stdout"
    ]
    return [round(s, 3) for s in json.loads("".join(printed).strip())]


def unit_seconds(epoch_times: list[float]) -> float:
    """One unit: UNIT_EPOCHS epochs at the median pace of the epochs timed."""
    return round(UNIT_EPOCHS * statistics.median(epoch_times), 2)


def time_build() -> float:
    """Seconds to build the site, both editions, from the committed outputs."""
    from tools.publish import build_site

    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        built = build_site.build(Path(out), strict=False)
        seconds = round(time.perf_counter() - start, 1)
    if not built.ok:
        raise SystemExit(
            "The site build failed:\n" + "\n".join(built.logs.values())[-4000:]
        )
    return seconds


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

    gpus = tf.config.list_physical_devices("GPU")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_gib),
        "gpu": ", ".join(d.name for d in gpus) or "none",
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "date": dt.date.today().isoformat(),
    }


class RunFailed(Exception):
    """A chapter (or the reference) failed; the message ends with its traceback."""


def in_own_process(*args: str) -> str:
    """The last line this script prints when run with ARGS in a new process."""
    result = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RunFailed(
            f"`python tools/measure/benchmark.py {' '.join(args)}` failed "
            f"(exit {result.returncode}):\n{result.stderr.strip()[-6000:]}"
        )
    return result.stdout.strip().splitlines()[-1]


# --- budgets and the status page -----------------------------------------------


def budget_failures(data: dict, whole_book: bool) -> list[str]:
    """Which budgets, in reference units, the measured run exceeds."""
    ref = data["reference"]["seconds"]
    failures = []
    for row in data["chapters"]:
        if row["units"] > CHAPTER_BUDGET:
            failures.append(
                f"{row['chapter']}: {row['seconds']} s = {row['units']} units, over "
                f"{CHAPTER_BUDGET} units ({CHAPTER_BUDGET * ref:.1f} s here)"
            )
    if whole_book and data["total_units"] > BOOK_BUDGET:
        failures.append(
            f"whole book: {data['total_seconds']} s = {data['total_units']} units, "
            f"over {BOOK_BUDGET} units ({BOOK_BUDGET * ref:.1f} s here)"
        )
    if data["build_units"] > BUILD_BUDGET:
        failures.append(
            f"site build: {data['build_seconds']} s = {data['build_units']} units, "
            f"over {BUILD_BUDGET} units ({BUILD_BUDGET * ref:.1f} s here)"
        )
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--write", action="store_true", help="save JSON + status page")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run the book this many times; each chapter counts its fastest run",
    )
    parser.add_argument(
        "--from",
        dest="recorded",
        type=Path,
        help="time the verification run recorded in this file "
        "(tools/execute/verify.py --record) instead of running it",
    )
    parser.add_argument("--reference", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.reference:
        print(json.dumps(run_reference()))
        return 0
    if args.recorded and (args.repeat != 1 or args.notebooks):
        parser.error("--from times the recorded run: no --repeat, no notebooks")

    notebooks = [p.resolve() for p in args.notebooks] or toc_notebooks()
    if args.recorded and args.recorded.exists():  # the chapters that run verified
        recorded = json.loads(args.recorded.read_text(encoding="utf-8"))
        notebooks = [Path(p) for p in recorded["notebooks"]]
    best: dict[Path, dict] = {}
    reference_runs: list[float] = []
    for rep in range(1, args.repeat + 1):
        if args.repeat > 1:
            print(f"-- run {rep} of {args.repeat}", flush=True)
        times = json.loads(in_own_process("--reference"))
        reference_runs += times
        print(
            f"{'reference unit':<34} {unit_seconds(times):6.2f} s  ({UNIT_EPOCHS} x "
            "the median of epochs " + ", ".join(f"{t:.2f}" for t in times) + " s)",
            flush=True,
        )
        if args.recorded:
            rows = recorded_rows(args.recorded, notebooks)
        else:  # the verification run's report (failures, tracebacks) is shown
            rows, _ = verify.run(notebooks)
        failed = [nb for nb in notebooks if nb not in rows]
        if failed:  # every chapter ran: each failure is in the report above
            names = ", ".join(nb.stem for nb in failed)
            print(f"{len(failed)} chapter(s) failed nbval, so not timed: {names}")
            return 1
        for row in rows.values():
            row["accuracy"] = key_accuracy(row["printed"])
        for nb, row in rows.items():
            acc = "" if row["accuracy"] is None else f"{row['accuracy']:.3f}"
            print(
                f"{row['chapter']:<34} {row['seconds']:6.1f} s "
                f"{row['peak_memory_mb'] or 0:6d} MB  {acc}",
                flush=True,
            )
            # Like timeit: the fastest run is the chapter's own cost; slower runs
            # measure other processes on the machine too. Memory: the largest.
            peak = max(
                row["peak_memory_mb"] or 0, best.get(nb, row)["peak_memory_mb"] or 0
            )
            if nb not in best or row["seconds"] < best[nb]["seconds"]:
                best[nb] = row
            best[nb]["peak_memory_mb"] = peak
    reference = unit_seconds(reference_runs)
    rows = [best[nb] for nb in notebooks]
    # The timing claims read what the kept (fastest) run of each chapter printed.
    claims = check_claims({r["chapter"]: r["stdout"] for r in rows}, reference)
    rows = [
        {
            "chapter": r["chapter"],
            "seconds": r["seconds"],
            "units": units(r["seconds"], reference),
            "peak_memory_mb": r["peak_memory_mb"],
            "accuracy": r["accuracy"],
        }
        for r in rows
    ]
    if args.repeat > 1:
        print(f"-- fastest of {args.repeat} runs per chapter")
        for row in rows:
            print(f"{row['chapter']:<34} {row['seconds']:6.1f} s")
    total = round(sum(r["seconds"] for r in rows), 1)
    build = time_build()
    data = {
        "reference": {
            **REFERENCE,
            "seconds": reference,
            "runs": reference_runs,
            "code_sha256": REFERENCE_SHA256,
        },
        "budgets": {
            "chapter": CHAPTER_BUDGET,
            "book": BOOK_BUDGET,
            "build": BUILD_BUDGET,
        },
        "chapters": rows,
        "total_seconds": total,
        "total_units": units(total, reference),
        "build_seconds": build,
        "build_units": units(build, reference),
        "timing_claims": claims,
        "runs": args.repeat,
    }
    print(f"{'reference training':<34} {reference:6.2f} s = 1 unit")
    for row in rows:
        print(f"{row['chapter']:<34} {row['seconds']:6.1f} s {row['units']:6.2f} units")
    label = "whole book" if set(notebooks) == set(toc_notebooks()) else "these chapters"
    print(f"{label:<34} {total:6.1f} s {data['total_units']:6.2f} units")
    print(f"{'site build':<34} {build:6.1f} s {data['build_units']:6.2f} units")
    for claim in claims:
        verdict = "holds" if claim["holds"] else "FAILS"
        print(f"claim {verdict}: {claim['chapter']}: {text(claim['claim'])}")
        print(f"    {text(claim['measured'])}")

    whole_book = set(notebooks) == set(toc_notebooks())
    failures = budget_failures(data, whole_book=whole_book)
    if args.write:
        data = {"machine": machine(), **data}
        DATA.parent.mkdir(exist_ok=True)
        DATA.write_text(json.dumps(data, indent=2) + "\n")
        print(f"wrote {DATA.relative_to(ROOT)}")
        for path in status.write(status.pages(data)):  # both editions
            print(f"wrote {path.relative_to(ROOT)}")
        missing = status.untranslated(data)
        if missing:
            print(
                f"{len(missing)} new message(s) on the status page need Korean: run "
                "`python tools/publish/status.py update` and translate them"
            )
    for failure in failures:
        print(f"BUDGET EXCEEDED: {failure}")
    for claim in claims:
        if not claim["holds"]:
            print(f"TIMING CLAIM FAILED: {claim['chapter']}: {text(claim['measured'])}")
    return 1 if failures or any(not c["holds"] for c in claims) else 0


if __name__ == "__main__":
    sys.exit(main())
