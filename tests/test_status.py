"""The status page of each edition shows the last recorded run of every chapter,
within the budgets, in the edition's language (tools/publish/status.py renders it
from book/_data/benchmark.json; tools/measure/benchmark.py records the run).

Budgets are in reference units: multiples of the reference training's time,
measured in the same run on the same machine (see tools/measure/benchmark.py).
"""

import json

import polib
import pytest

from chapters import CHAPTERS, ROOT, printed
from tools.author import termbase
from tools.book import toc_files
from tools.measure import benchmark
from tools.publish import status


def data():
    return json.loads(status.DATA.read_text())


def test_both_status_pages_are_rendered_from_the_recorded_run():
    """Both editions' pages: the recorded run and the Korean edition's translation
    counts. Run `python tools/publish/status.py` when this fails."""
    for path, text in status.pages().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path} is out of date (the translation counts or the recorded run "
            "changed): run `.venv/bin/python tools/publish/status.py`"
        )
    english = (ROOT / status.PAGE).read_text(encoding="utf-8")
    assert "| 12_dropout |" in english.split("## Korean edition")[1]
    assert "book/status" in toc_files(), "the status page is not in _toc.yml"


def test_every_sentence_of_the_korean_status_page_is_translated():
    assert status.untranslated(data()) == [], (
        "run `python tools/publish/status.py update` and translate the new messages "
        "in locales/ko/LC_MESSAGES/status.po"
    )


def test_an_untranslated_message_fails_the_check(tmp_path, monkeypatch, capsys):
    """A planted fault: one message's Korean removed from a copy of the catalog."""
    po = polib.pofile(str(status.CATALOG))
    entry = po.find("Timing claims")
    korean = entry.msgstr
    entry.msgstr = ""
    planted = tmp_path / "status.po"
    po.save(str(planted))
    monkeypatch.setattr(status, "CATALOG", planted)
    assert status.untranslated(data()) == ["Timing claims"]
    page = status.render(data(), "ko", None)
    assert "## Timing claims" in page and korean not in page
    assert status.main(["--check"]) == 1
    assert "no Korean for: 'Timing claims'" in capsys.readouterr().err


def test_the_status_catalog_follows_the_term_base():
    terms = termbase.load()
    problems = [
        (entry.msgid, term.en, form)
        for entry in polib.pofile(str(status.CATALOG))
        for term, form, _ in termbase.term_problems(entry.msgid, entry.msgstr, terms)
    ]
    assert problems == []


def test_every_chapter_was_measured():
    measured = {row["chapter"] for row in data()["chapters"]}
    assert {c.stem for c in CHAPTERS} <= measured


def test_the_recorded_reference_workload_is_the_one_the_benchmark_runs():
    """The recorded run is stale once the reference training's code changes."""
    ref = data()["reference"]
    for key, value in benchmark.REFERENCE.items():
        assert ref[key] == value, (key, "changed since the recorded run")
    assert ref["code_sha256"] == benchmark.REFERENCE_SHA256, "code changed since"


def test_the_recorded_run_states_the_budgets_ci_enforces():
    assert data()["budgets"] == {
        "chapter": benchmark.CHAPTER_BUDGET,
        "book": benchmark.BOOK_BUDGET,
        "build": benchmark.BUILD_BUDGET,
    }, "budgets changed since the recorded run: record it again"


def test_recorded_run_checked_every_timing_claim_and_all_held():
    recorded = {(c["chapter"], c["claim"]["text"]): c for c in data()["timing_claims"]}
    assert set(recorded) == {(c.chapter, c.claim.text) for c in benchmark.TIMING_CLAIMS}
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
    assert not holds and "batch 1024" in str(message) and "batch 16" in str(message)


def test_the_training_time_claim_scales_with_the_reference():
    check = benchmark.fashion_training_time
    ceiling = benchmark.TRAINING_CEILING
    assert check("training seconds: 14.4\n", 5.0)[0]
    assert not check(f"training seconds: {5.0 * ceiling + 0.1:.1f}\n", 5.0)[0]
    assert check(f"training seconds: {5.0 * ceiling + 0.1:.1f}\n", 6.0)[0]


def test_a_claim_whose_output_is_missing_fails_with_a_message():
    claims = benchmark.check_claims({"10_batch_epoch_step": "no table\n"}, 5.0)
    assert [c["holds"] for c in claims] == [False]
    assert "seconds/epoch" in benchmark.text(claims[0]["measured"])
