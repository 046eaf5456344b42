"""Check every chapter under nbval, time it, and check the book's run-time budgets.

``python tools/benchmark/benchmark.py`` runs nbval over each chapter of ``_toc.yml``, one at a
time, each in a fresh, offline kernel, compared exactly on the kind of machine that made
its outputs and within measured tolerances on any other (conftest.py, tools/verify/):
the one execution of each chapter that ``tools/test.sh`` makes,
so the check that its saved outputs are what its code prints and its timing come
from the same run. It prints a table: seconds (from starting the kernel until the
last cell has finished), peak memory of the kernel, and the last accuracy the
chapter printed; a chapter that fails nbval is reported with its failing cells and
tracebacks, after every chapter has run. It also times a site build from the
committed outputs. ``--repeat 2`` runs the book twice and counts each chapter's
faster run (as ``timeit`` does: the slower run also measures whatever else the
machine was doing).

Budgets are in reference units, not seconds, so that they mean the same on any
machine (the whole book took 397 s on a 2-core Intel Xeon and 272 s on the 2-core
AMD EPYC of ``book/status.md``). Each run first times a reference workload on the
same machine, in a fresh kernel set up like the chapters' (offline data, seeds, op
determinism, two TensorFlow threads): a standard Keras training, chapter 14's
784-256-10 MLP (Flatten, Dense(256, relu), Dense(10); Adam, batch 64,
``steps_per_execution=32``) over the 60,000 Fashion-MNIST training images, two
fresh models of 6 epochs each, every epoch timed. One unit is 3 epochs at the
median pace of those epochs, leaving out each training's first (it also traces the
graph); with ``--repeat``, the median of all runs' epochs. About 2.5 s on the status
page's machine when nothing else runs; a median of many short epochs moves far less
with the machine's load than the best of a few whole trainings did. Each chapter may take
at most ``CHAPTER_BUDGET`` units, the whole book ``BOOK_BUDGET`` units, the site
build ``BUILD_BUDGET`` units. Seconds are still reported; the exit status is 1 when
a budget in units is exceeded, so CI fails.

Claims about run time are checked here too, not in the notebooks: chapters print
their timings in cells whose output the tests ignore, and ``TIMING_CLAIMS`` checks
each claim, with a tolerance, on what the chapter printed in this run (chapter 10:
larger batches are not slower per epoch; chapter 14: its training time in units).
A failed claim also makes the exit status 1.

``--write`` saves the numbers to ``book/_data/benchmark.json`` and regenerates
``book/status.md``, the page that shows readers what to expect.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository

from tools.book import ROOT, toc_notebooks  # noqa: E402
from tools.notebooks.execute import offline_env  # noqa: E402

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
DATA = ROOT / "book" / "_data" / "benchmark.json"
STATUS = ROOT / "book" / "status.md"
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
# The setup cell's settings that change speed or results (tools/generate/setup_cell.py):
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
class TimingClaim:
    chapter: str
    claim: str  # what the chapter says, in a few words
    # (stdout the chapter printed in this run, reference seconds) ->
    # (holds, what was measured, in a sentence)
    check: Callable[[str, float], tuple[bool, str]]


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


def larger_batches_not_slower(text: str, reference: float) -> tuple[bool, str]:
    sec = epoch_seconds(text)
    smallest = min(sec)
    base = sec[smallest]
    slow = {
        b: s for b, s in sec.items() if b != smallest and s > BATCH_TOLERANCE * base
    }
    measured = ", ".join(f"batch {b}: {s:.2f} s" for b, s in sec.items())
    if slow:
        worst = max(slow, key=slow.get)
        return False, (
            f"batch {worst} took {slow[worst]:.2f} s per epoch, more than "
            f"{BATCH_TOLERANCE}x batch {smallest}'s {base:.2f} s ({measured})"
        )
    return True, f"seconds per epoch: {measured}"


# Chapter 14 trains the reference's model the same way for 8 epochs, tracing
# included: about 8/3 = 2.7 units plus the tracing. Its notebook asserted < 300 s.
TRAINING_CEILING = 5  # units


def fashion_training_time(text: str, reference: float) -> tuple[bool, str]:
    seconds = float(printed_value(text, "training seconds:"))
    ratio = seconds / reference
    measured = f"training seconds: {seconds:.1f} = {ratio:.2f} units"
    if ratio > TRAINING_CEILING:
        return False, f"{measured}, over the ceiling of {TRAINING_CEILING} units"
    return True, measured


TIMING_CLAIMS = [
    TimingClaim(
        "10_batch_epoch_step",
        f"larger batches are not slower per epoch than batch 16 (within "
        f"{BATCH_TOLERANCE}x)",
        larger_batches_not_slower,
    ),
    TimingClaim(
        "14_fashion_mnist",
        f"8 epochs with steps_per_execution=32 train in at most {TRAINING_CEILING} "
        "units",
        fashion_training_time,
    ),
]


def check_claims(printed: dict[str, str], reference: float) -> list[dict]:
    """Each timing claim of a chapter that was run, checked on what it printed."""
    results = []
    for claim in TIMING_CLAIMS:
        if claim.chapter not in printed:
            continue
        try:
            holds, measured = claim.check(printed[claim.chapter], reference)
        except (ClaimError, ValueError) as error:
            holds, measured = False, f"cannot read the claim's output: {error}"
        results.append(
            {
                "chapter": claim.chapter,
                "claim": claim.claim,
                "measured": measured,
                "holds": holds,
            }
        )
    return results


# --- measuring ---------------------------------------------------------------------


def run_book(notebooks: list[Path]) -> tuple[dict[Path, dict], str]:
    """nbval over NOTEBOOKS, one at a time, each in a fresh offline kernel (conftest.py;
    exact or within tolerances, tools/verify/nbval_tolerant.py): the one execution of each
    chapter in this environment, which checks its saved outputs and is timed here.
    Returns a row for each chapter that passed, and pytest's report (printed as it
    comes; it shows the failing cells, tracebacks included)."""
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
        run = runs.get(str(path))
        if returncode not in (0, 1) or not run or run["failed"]:
            continue
        streams = run["printed"]
        rows[path] = {
            "chapter": path.stem,
            # From starting the kernel to the last cell's reply: what a reader waits
            # for (shutting the kernel down afterwards is not part of the chapter).
            "seconds": round(run["end"] - run["start"], 1),
            "peak_memory_mb": run["peak_memory_mb"],
            "accuracy": key_accuracy("".join(s["text"] for s in streams)),
            # for the timing claims; not saved
            "printed": "".join(s["text"] for s in streams if s["name"] == "stdout"),
        }
    return rows, "".join(report)


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
    from tools.site import build_site

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
            f"`python tools/benchmark/benchmark.py {' '.join(args)}` failed "
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


def translation_table(translation: dict | None, lang: str) -> str:
    """The Korean edition's counts per page (tools/generate/i18n.py passes them)."""
    if not translation:
        return ""
    rows = "\n".join(
        f"| {page} | {c['translated']} | {c['stale']} | {c['missing']} |"
        for page, c in translation.items()
    )
    totals = {
        k: sum(c[k] for c in translation.values())
        for k in ("translated", "stale", "missing")
    }
    total = f"| **{'합계' if lang == 'ko' else 'all pages'}** | **{totals['translated']}** | **{totals['stale']}** | **{totals['missing']}** |"
    if lang == "ko":
        return f"""
## 한국어판 번역 현황

한국어판은 영어판 노트북과 번역 카탈로그(`locales/ko/LC_MESSAGES/*.po`)에서
`tools/generate/i18n.py`가 만듭니다. 코드와 출력은 영어판과 바이트 단위로 같습니다. 항목은 마크다운
셀(`.md` 페이지는 문단)과 퀴즈 문자열 하나하나입니다. 영어 원문이 바뀐 항목은 *갱신 필요*로
세고, 그 셀은 번역이 갱신될 때까지 표시와 함께 영어로 보여 줍니다.

| 페이지 | 번역됨 | 갱신 필요 | 번역 없음 |
|---|---|---|---|
{rows}
{total}
"""
    return f"""
## Korean edition (한국어판)

The Korean edition is generated by `tools/generate/i18n.py` from these notebooks and the
translation catalogs (`locales/ko/LC_MESSAGES/*.po`); its code and outputs are
byte for byte the English ones. An entry is a markdown cell (a paragraph of a `.md`
page) or one quiz string. *Stale* entries are those whose English changed since they
were translated: the Korean page shows them in English, marked, until they are
updated.

| page | translated | stale | missing |
|---|---|---|---|
{rows}
{total}
"""


# The words of the status page that differ by language (tools/generate/i18n.py renders both).
STATUS_WORDS = {
    "en": {
        "runs": (
            "\nThe book was run {n} times and each chapter counts its\n"
            "fastest run, as Python's `timeit` does: a slower run also measures\n"
            "whatever else the machine was doing. The unit is the median over\n"
            "the epochs of all runs.\n"
        ),
        "no_gpu": "no GPU",
        "yes": "yes",
        "no": "**no**",
        "over": (
            "\nThe whole book is over its {budget}-unit budget: the "
            "chapters that train several models are the ones to make faster.\n"
        ),
        "budgets": [
            "each chapter",
            "whole book",
            "site build (from committed outputs)",
        ],
    },
    "ko": {
        "runs": (
            "\n책 전체를 {n}번 실행했고, 장마다 가장 빠른 실행을 셉니다. 파이썬의\n"
            "`timeit`과 같은 방식입니다. 느린 실행에는 그 순간 컴퓨터가 하던 다른 일도 함께\n"
            "재어지기 때문입니다. 1단위는 모든 실행의 에포크 시간의 중앙값으로 계산합니다.\n"
        ),
        "no_gpu": "GPU 없음",
        "yes": "예",
        "no": "**아니요**",
        "over": (
            "\n책 전체가 예산 {budget}단위를 넘었습니다. 모델을 여러 개 학습하는\n"
            "장부터 빠르게 만들어야 합니다.\n"
        ),
        "budgets": ["장 하나", "책 전체", "사이트 빌드 (저장된 출력에서)"],
    },
}


def render_status(data: dict, lang: str = "en", translation: dict | None = None) -> str:
    """The status page, in English or Korean, with the Korean edition's counts."""
    words = STATUS_WORDS[lang]
    m = data["machine"]
    ref = data["reference"]
    budgets = data["budgets"]
    runs = repeat = ""
    if data.get("runs", 1) > 1:
        repeat = f" --repeat {data['runs']}"
        runs = words["runs"].format(n=data["runs"])
    gpu = words["no_gpu"] if m["gpu"] == "none" else f"GPU: {m['gpu']}"
    all_runs = ", ".join(f"{t:.2f}" for t in ref["runs"])
    budget_rows = "\n".join(
        f"| {what} | {budgets[key]} | {budgets[key] * ref['seconds']:.0f} |"
        for key, what in zip(["chapter", "book", "build"], words["budgets"])
    )
    rows = "\n".join(
        f"| {r['chapter']} | {r['seconds']:.1f} | {r['units']:.2f} | "
        f"{r['peak_memory_mb']} | "
        + (f"{r['accuracy']:.3f}" if r["accuracy"] is not None else "")
        + " |"
        for r in data["chapters"]
    )
    claims = "\n".join(
        f"| {c['chapter']} | {c['claim']} | {c['measured']} | "
        f"{words['yes'] if c['holds'] else words['no']} |"
        for c in data["timing_claims"]
    )
    over = ""
    if data["total_units"] > budgets["book"]:
        over = words["over"].format(budget=budgets["book"])
    if lang == "ko":
        parts = dict(runs=runs, gpu=gpu, all_runs=all_runs, claims=claims, over=over)
        return render_status_ko(data, budget_rows, rows, repeat, translation, parts)
    return f"""# Status: run times and results

How long each chapter takes to run top to bottom in a fresh kernel (from starting
the kernel until its last cell has finished), how much memory its kernel used at
most, and the last accuracy it printed. The whole book is the chapters run one after
another. Generated by `python tools/benchmark/benchmark.py --write{repeat}` from a real
run; CI runs the same benchmark and fails when a chapter, the whole book or the site
build is over budget.
{runs}
**Machine:** {m["cores"]} CPU cores ({m["cpu"]}), {m["memory_gib"]} GiB of memory,
{gpu}; Python {m["python"]}, TensorFlow {m["tensorflow"]}, Keras {m["keras"]};
measured on {m["date"]}. Colab's free CPU machines are of a similar size.

## Reference workload and budgets

Seconds depend on the machine, so the budgets are in *units*: one unit is the time
of three epochs of a fixed training that the same run times on the same machine, in
a fresh kernel set up like the chapters' (offline data, seeds, op determinism, two
TensorFlow threads):

- model: {ref["model"]}
- data: {ref["data"]}
- training: {ref["training"]}
- one unit: {ref["unit"]}: **{ref["seconds"]:.2f} s** here
  (epochs timed: {all_runs} s)

A chapter's units are its seconds divided by that time. To estimate its run time on
your machine, multiply its units by the unit's seconds there
(`python tools/benchmark/benchmark.py` prints it first); that is roughly right when the
machine has two cores or more, since TensorFlow uses two threads in both.

| budget | units | seconds here |
|---|---|---|
{budget_rows}

## Chapters

| chapter | seconds | units | peak memory (MB) | accuracy |
|---|---|---|---|---|
{rows}
| **whole book** | **{data["total_seconds"]:.1f}** | **{data["total_units"]:.2f}** | | |
{over}
The site build from the committed outputs took {data["build_seconds"]:.1f} s
({data["build_units"]:.2f} units).
Accuracies are the last one each chapter printed. Trained numbers repeat to the last
digit on the kind of machine that made the book's outputs (each chapter records its CPU
model); on another CPU each moves at most by the tolerance measured for it
(`book/tolerances.json`), and across TensorFlow versions within the band its chapter
checks. The MNIST figures come from the offline 10,000-digit sample (see each
chapter's data line); with the full data in Colab they are higher.

## Timing claims

What chapters say about run time, checked on the timings they printed in this run
(the book's tests ignore those outputs, since they change from run to run):

| chapter | claim | measured | holds |
|---|---|---|---|
{claims}
{translation_table(translation, "en")}"""


def render_status_ko(data, budget_rows, rows, repeat, translation, parts) -> str:
    """The Korean page's text around the parts render_status computed."""
    m, ref = data["machine"], data["reference"]
    runs, gpu, all_runs = parts["runs"], parts["gpu"], parts["all_runs"]
    claims, over = parts["claims"], parts["over"]
    return f"""# 현황: 실행 시간과 결과

각 장을 새 커널에서 처음부터 끝까지 실행하는 데 걸리는 시간(커널을 시작할 때부터 마지막
셀이 끝날 때까지), 그 커널이 쓴 최대 메모리, 그 장이 마지막으로 출력한 정확도입니다.
책 전체는 장들을 차례로 실행한 합입니다. 실제 실행에서 `python tools/benchmark/benchmark.py
--write{repeat}`가 이 페이지를 만듭니다. CI도 같은 벤치마크를 실행하고, 장 하나나 책 전체나
사이트 빌드가 예산을 넘으면 실패합니다.
{runs}
**컴퓨터:** CPU 코어 {m["cores"]}개({m["cpu"]}), 메모리 {m["memory_gib"]}GiB,
{gpu}. Python {m["python"]}, TensorFlow {m["tensorflow"]}, Keras {m["keras"]}.
측정일 {m["date"]}. Colab의 무료 CPU 컴퓨터도 크기가 비슷합니다.

## 기준 작업과 예산

초 단위 시간은 컴퓨터마다 다르므로 예산은 *단위*로 정합니다. 1단위는 같은 실행이 같은
컴퓨터에서 재는 고정된 학습의 에포크 3번 시간입니다. 이 학습은 각 장과 똑같이 설정한 새
커널에서 돌아갑니다(오프라인 데이터, 시드, 연산 결정성, TensorFlow 스레드 2개).

- 모델: {ref["model"]}
- 데이터: {ref["data"]}
- 학습: {ref["training"]}
- 1단위: 에포크 {UNIT_EPOCHS}번의 시간. 각 학습의 첫 에포크(그래프 추적 시간이 섞입니다)를
  뺀 모든 에포크 시간의 중앙값으로 계산합니다: 이 컴퓨터에서 **{ref["seconds"]:.2f}초**
  (잰 에포크: {all_runs}초)

어떤 장의 단위 수는 그 장의 초를 이 기준 시간으로 나눈 값입니다. 여러분의 컴퓨터에서
걸릴 시간을 어림하려면 단위 수에 그 컴퓨터의 기준 시간을 곱하십시오(`python
tools/benchmark/benchmark.py`가 맨 먼저 출력합니다). 두 곳 모두 TensorFlow가 스레드 2개를 쓰므로,
코어가 2개 이상인 컴퓨터라면 대략 맞습니다.

| 예산 | 단위 | 이 컴퓨터에서 초 |
|---|---|---|
{budget_rows}

## 장별 결과

| 장 | 초 | 단위 | 최대 메모리 (MB) | 정확도 |
|---|---|---|---|---|
{rows}
| **책 전체** | **{data["total_seconds"]:.1f}** | **{data["total_units"]:.2f}** | | |
{over}
저장된 출력에서 사이트를 빌드하는 데 {data["build_seconds"]:.1f}초({data["build_units"]:.2f}단위)가
걸렸습니다. 정확도는 각 장이 마지막으로 출력한 값입니다. 훈련으로 얻은 숫자는 책의 출력을
만든 것과 같은 종류의 컴퓨터(각 장이 CPU 모델을 기록해 둡니다)에서는 마지막 자리까지 똑같이
나옵니다. 다른 CPU에서는 숫자마다 측정해 둔 허용 오차(`book/tolerances.json`) 안에서만
달라지고, TensorFlow 버전이 다르면 각 장이 확인하는 범위 안에 들어옵니다. MNIST 수치는
오프라인용 10,000개 숫자 표본에서 나온 값입니다(각 장의 데이터 줄 참고). Colab에서 전체
데이터로 실행하면 더 높게 나옵니다.

## 실행 시간에 관한 주장

각 장이 실행 시간에 대해 말하는 내용을 이번 실행에서 그 장이 출력한 시간으로 확인합니다
(이 출력은 실행할 때마다 바뀌므로 책의 테스트는 무시합니다).

| 장 | 주장 | 측정값 | 성립 |
|---|---|---|---|
{claims}
{translation_table(translation, "ko")}"""


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
    parser.add_argument("--reference", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.reference:
        print(json.dumps(run_reference()))
        return 0

    notebooks = [p.resolve() for p in args.notebooks] or toc_notebooks()
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
        print(
            "every chapter under nbval, one at a time (tools/verify: exact or tolerant)"
        )
        rows, _ = run_book(notebooks)  # its report (failures, tracebacks) is shown
        failed = [nb for nb in notebooks if nb not in rows]
        if failed:  # every chapter ran: each failure is in the report above
            names = ", ".join(nb.stem for nb in failed)
            print(f"{len(failed)} chapter(s) failed nbval: {names}")
            return 1
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
    claims = check_claims({r["chapter"]: r.pop("printed") for r in rows}, reference)
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
    label = "these chapters" if args.notebooks else "whole book"
    print(f"{label:<34} {total:6.1f} s {data['total_units']:6.2f} units")
    print(f"{'site build':<34} {build:6.1f} s {data['build_units']:6.2f} units")
    for claim in claims:
        verdict = "holds" if claim["holds"] else "FAILS"
        print(f"claim {verdict}: {claim['chapter']}: {claim['claim']}")
        print(f"    {claim['measured']}")

    failures = budget_failures(data, whole_book=not args.notebooks)
    if args.write:
        data = {"machine": machine(), **data}
        DATA.parent.mkdir(exist_ok=True)
        DATA.write_text(json.dumps(data, indent=2) + "\n")
        from tools.generate import (
            i18n,
        )  # both editions' status pages, with the translation counts

        _, counts = i18n.build_files()
        for path in i18n.write(i18n.status_files(counts, data)):
            print(f"wrote {path.relative_to(ROOT)}")
        print(f"wrote {DATA.relative_to(ROOT)}")
    for failure in failures:
        print(f"BUDGET EXCEEDED: {failure}")
    for claim in claims:
        if not claim["holds"]:
            print(f"TIMING CLAIM FAILED: {claim['chapter']}: {claim['measured']}")
    return 1 if failures or any(not c["holds"] for c in claims) else 0


if __name__ == "__main__":
    sys.exit(main())
