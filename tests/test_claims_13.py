"""Chapter 13's key claims, read from its printed outputs (see chapters.OUTPUTS)."""

import re

import pytest

from chapters import printed, printed_value

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


def test_steps_per_epoch_follow_from_the_default_batch_size_of_32():
    # the prose derives Keras' default batch size from the printed step count
    n_train = int(
        printed_value(STEM, "data used:").split("(")[1].split()[0].replace(",", "")
    )
    assert int(printed_value(STEM, "steps per epoch:")) == -(-n_train // 32)


def test_fit_understates_the_training_accuracy_that_evaluate_measures():
    fit_last = float(re.findall(r"train accuracy ([\d.]+)", printed(STEM))[-1])
    evaluate = float(
        printed_value(STEM, "training accuracy from evaluate (dropout off):")
    )
    assert evaluate > fit_last


def test_some_mistakes_are_confident():
    confident = int(
        printed_value(STEM, "of them predicted with a probability above 0.9:")
    )
    assert 0 < confident <= int(printed_value(STEM, "misclassified test images:"))


def test_dropout_changes_under_one_percent_of_the_test_images():
    n_test = int(
        printed_value(STEM, "data used:").split("/")[1].split()[0].replace(",", "")
    )
    assert int(printed_value(STEM, "difference in test images:")) < 0.01 * n_test
