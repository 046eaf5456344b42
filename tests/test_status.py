"""The status page shows a measured run of every chapter, within the budgets.

Budgets are in reference units: multiples of the reference training's time,
measured in the same run on the same machine (see tools/benchmark/benchmark.py).
"""

import json

import pytest

from chapters import CHAPTERS, ROOT, printed
from tools.benchmark import benchmark


def data():
    return json.loads(benchmark.DATA.read_text())


def test_status_page_is_generated_from_the_benchmark_data():
    """Both editions' status pages: the benchmark's last run and the Korean edition's
    translation counts (tools/generate/i18n.py writes them)."""
    from tools.generate import i18n

    _, counts = i18n.build_files()
    for path, text in i18n.status_files(counts).items():
        assert path.read_text(encoding="utf-8") == text, path
    english = benchmark.STATUS.read_text(encoding="utf-8")
    assert english.startswith(benchmark.render_status(data()))
    assert "| 12_dropout |" in english.split("## Korean edition")[1]
    assert "book/status" in (ROOT / "_toc.yml").read_text()


def test_every_chapter_was_measured():
    measured = {row["chapter"] for row in data()["chapters"]}
    assert {c.stem for c in CHAPTERS} <= measured


def test_the_reference_workload_is_the_one_the_benchmark_runs():
    ref = data()["reference"]
    for key, value in benchmark.REFERENCE.items():
        assert ref[key] == value, (key, "changed since the recorded run")
    assert ref["code_sha256"] == benchmark.REFERENCE_SHA256, "code changed since"
    epochs = (benchmark.REFERENCE_EPOCHS - 1) * ref["repeats"] * data()["runs"]
    assert len(ref["runs"]) == epochs
    assert ref["seconds"] == benchmark.unit_seconds(ref["runs"]) > 0


def test_units_are_seconds_over_the_reference_time():
    record = data()
    ref = record["reference"]["seconds"]
    for row in record["chapters"]:
        assert row["units"] == pytest.approx(row["seconds"] / ref, abs=0.006), row
        assert row["peak_memory_mb"] > 100, row  # a real kernel with TensorFlow
    total = sum(row["seconds"] for row in record["chapters"])
    assert record["total_seconds"] == pytest.approx(total, abs=0.1)
    assert record["total_units"] == pytest.approx(total / ref, abs=0.01)
    assert record["build_units"] == pytest.approx(
        record["build_seconds"] / ref, abs=0.006
    )


def test_recorded_run_meets_the_budgets():
    record = data()
    assert record["budgets"] == {
        "chapter": benchmark.CHAPTER_BUDGET,
        "book": benchmark.BOOK_BUDGET,
        "build": benchmark.BUILD_BUDGET,
    }, "the status page must state the budgets CI enforces"
    ref = record["reference"]["seconds"]
    for row in record["chapters"]:
        assert row["seconds"] / ref <= benchmark.CHAPTER_BUDGET, row
    assert record["total_seconds"] / ref <= benchmark.BOOK_BUDGET
    assert record["build_seconds"] / ref <= benchmark.BUILD_BUDGET


def test_recorded_run_checked_every_timing_claim_and_all_held():
    recorded = {(c["chapter"], c["claim"]): c for c in data()["timing_claims"]}
    assert set(recorded) == {(c.chapter, c.claim) for c in benchmark.TIMING_CLAIMS}
    for claim in recorded.values():
        assert claim["holds"], claim


@pytest.mark.parametrize(
    "claim", benchmark.TIMING_CLAIMS, ids=lambda c: c.chapter.split("_")[0]
)
def test_timing_claims_read_what_the_chapter_prints(claim):
    # The saved outputs have the lines the benchmark reads in a fresh run; their
    # timings come from another run, so only the parsing is checked here.
    claim.check(printed(claim.chapter), 5.0)


CH10 = """\
batch  steps/epoch  seconds/epoch  ms/step
   16          512           {}     1.14
   64          128           0.25     1.98
 1024            8           {}     8.76
batch  steps/epoch  test accuracy after 3 epochs
   16          512  0.814
"""


def test_the_batch_claim_fails_when_a_larger_batch_is_slower():
    check = benchmark.larger_batches_not_slower
    assert check(CH10.format("0.58", "0.07"), 5.0)[0]
    assert check(CH10.format("0.58", "0.86"), 5.0)[0]  # within 1.5x
    holds, message = check(CH10.format("0.58", "0.88"), 5.0)
    assert not holds and "batch 1024" in message and "batch 16" in message


def test_the_training_time_claim_scales_with_the_reference():
    check = benchmark.fashion_training_time
    ceiling = benchmark.TRAINING_CEILING
    assert check("training seconds: 14.4\n", 5.0)[0]
    assert not check(f"training seconds: {5.0 * ceiling + 0.1:.1f}\n", 5.0)[0]
    assert check(f"training seconds: {5.0 * ceiling + 0.1:.1f}\n", 6.0)[0]


def test_a_claim_whose_output_is_missing_fails_with_a_message():
    claims = benchmark.check_claims({"10_batch_epoch_step": "no table\n"}, 5.0)
    assert [c["holds"] for c in claims] == [False]
    assert "seconds/epoch" in claims[0]["measured"]


def test_a_failing_chapter_shows_its_traceback_and_the_rest_runs(tmp_path):
    """The benchmark runs the chapters under nbval; when one fails, its traceback
    reaches the report, and the chapters after it still run and are timed."""
    import nbformat

    def notebook(name, source, printed=""):
        path = tmp_path / f"{name}.ipynb"
        cell = nbformat.v4.new_code_cell(source, execution_count=1)
        if printed:  # its saved output, which nbval compares
            cell.outputs = [nbformat.v4.new_output("stream", text=printed)]
        nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
        return path

    bad = notebook("bad", "1 / 0  # a planted fault")
    good = notebook("good", "print('test accuracy: 0.5')", "test accuracy: 0.5\n")
    rows, report = benchmark.run_book([bad, good])
    assert list(rows) == [good] and rows[good]["accuracy"] == 0.5
    assert rows[good]["seconds"] > 0 and rows[good]["peak_memory_mb"] > 0
    assert "ZeroDivisionError" in report and "a planted fault" in report
