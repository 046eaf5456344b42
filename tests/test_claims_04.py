"""Chapter 4's key claims, read from its printed outputs (see chapters.OUTPUTS)."""

import pytest

from chapters import printed, printed_value

STEM = "04_output_layers"


def threshold_table():
    """Rows (threshold, TP, FP, FN, TN, precision, recall) of section 6's table."""
    lines = printed(STEM).splitlines()
    start = lines.index("threshold     TP     FP     FN     TN  precision  recall")
    rows = []
    for line in lines[start + 1 :]:
        parts = line.split()
        if len(parts) != 7:
            break
        rows.append([float(x) for x in parts])
    return rows


def test_softmax_outputs_sum_to_one():
    sums = printed_value(STEM, "softmax row sums:").strip("[]").split()
    assert len(sums) == 3
    assert [float(s) for s in sums] == pytest.approx([1.0] * 3)
    assert float(printed_value(STEM, "smallest output:")) >= 0


def test_sigmoid_crosses_one_half_at_zero():
    assert float(printed_value(STEM, "sigmoid(0):")) == pytest.approx(0.5)


def test_threshold_trade_off_in_the_printed_table():
    rows = threshold_table()
    assert [r[0] for r in rows] == pytest.approx([0.1 * k for k in range(1, 10)])
    for row in rows:
        assert sum(row[1:5]) == 10_000
    precision = [r[5] for r in rows]
    recall = [r[6] for r in rows]
    assert all(a > b for a, b in zip(recall, recall[1:])), "recall must fall"
    assert all(a < b for a, b in zip(precision, precision[1:])), "precision rises"


def test_model_beats_the_do_nothing_baseline():
    acc = float(printed_value(STEM, "test accuracy at threshold 0.5:"))
    baseline = float(printed_value(STEM, "accuracy of always saying 'not a shirt':"))
    assert baseline == pytest.approx(0.9)
    assert acc > baseline  # its band is the chapter's own assert


def test_sigmoid_head_has_half_the_parameters_of_a_two_unit_softmax():
    assert printed_value(STEM, "Dense(1, activation='sigmoid'):") == "129 parameters"
    assert printed_value(STEM, "Dense(2, activation='softmax'):") == "258 parameters"


def test_sandal_sneaker_task_is_balanced_and_surer_than_the_shirt_task():
    assert printed_value(STEM, "test images per class (sandal, sneaker):") == (
        "[1000 1000]"
    )
    sneakers = float(
        printed_value(STEM, "real sneakers with a probability from 0.1 to 0.9:")
    )
    shirts = float(
        printed_value(STEM, "real shirts with a probability from 0.1 to 0.9:")
    )
    assert sneakers < 0.5 < shirts
    # the share between the thresholds is recall(0.1) - recall(0.9), for both tasks
    recall = {
        t: float(printed_value(STEM, f"threshold {t}:").split("recall")[1])
        for t in ["0.1", "0.9"]
    }
    assert sneakers == pytest.approx(recall["0.1"] - recall["0.9"], abs=1.5e-3)
    rows = {round(r[0], 1): r[6] for r in threshold_table()}
    assert shirts == pytest.approx(rows[0.1] - rows[0.9], abs=1.5e-3)
