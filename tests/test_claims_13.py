"""Chapter 13's key claims, read from its printed outputs (see bookpaths.OUTPUTS)."""

import re

import pytest

from bookpaths import printed, printed_value

STEM = "13_mnist"
# The accuracy band for each dataset is the chapter's own BANDS and assert.


def data_used():
    """'full' or 'sample', from the line the chapter printed after loading."""
    return printed_value(STEM, "data used:").split()[0]


def test_the_data_line_matches_the_shapes():
    shapes = printed_value(STEM, "x_train:")
    if data_used() == "full":
        assert "(60000, 28, 28)" in shapes
    else:
        assert data_used() == "sample"
        assert "(8000, 28, 28)" in shapes
        assert "8,000 train + 2,000 test" in printed(STEM)


def test_argmax_accuracy_matches_evaluate():
    by_hand, _, evaluate = printed_value(STEM, "accuracy by hand:").split()
    assert float(by_hand) == pytest.approx(float(evaluate), abs=1e-3)


def test_parameter_count_of_the_course_model():
    assert printed_value(STEM, "total parameters:") == "101,770"


def test_confusion_matrix_diagonal_matches_accuracy():
    correct, total = re.match(
        r"(\d+) of (\d+)", printed_value(STEM, "correct (diagonal sum):")
    ).groups()
    acc = float(printed_value(STEM, "accuracy by hand:").split()[0])
    assert int(correct) / int(total) == pytest.approx(acc, abs=1e-4)
    wrong = int(printed_value(STEM, "misclassified test images:"))
    assert int(correct) + wrong == int(total)
