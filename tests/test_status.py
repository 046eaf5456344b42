"""The status page shows measured numbers for every chapter, within the budgets."""

import json

import benchmark
import pytest

from bookpaths import CHAPTERS, ROOT


def data():
    return json.loads(benchmark.DATA.read_text())


def test_status_page_is_generated_from_the_benchmark_data():
    assert benchmark.STATUS.read_text() == benchmark.render_status(data())
    assert "book/status" in (ROOT / "_toc.yml").read_text()


def test_every_chapter_was_measured():
    measured = {row["chapter"] for row in data()["chapters"]}
    assert {c.stem for c in CHAPTERS} <= measured


def test_recorded_run_meets_the_budgets():
    record = data()
    for row in record["chapters"]:
        assert 0 < row["seconds"] <= benchmark.CHAPTER_BUDGET, row
        assert row["peak_memory_mb"] > 100, row  # a real kernel with TensorFlow
    assert 0 < record["total_seconds"] <= benchmark.BOOK_BUDGET
    total = sum(row["seconds"] for row in record["chapters"])
    assert record["total_seconds"] == pytest.approx(total, abs=0.1)
    assert record["build_seconds"] <= benchmark.BUILD_BUDGET
    assert record["machine"]["cores"] >= 1 and record["machine"]["gpu"] == "none"
