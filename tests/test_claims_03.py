"""Chapter 3's key claims, read from its printed outputs (see chapters.OUTPUTS)."""

import pytest

from chapters import printed, printed_value

STEM = "03_softmax_argmax"


def test_argmax_and_class_count_of_the_class_example():
    assert printed_value(STEM, "number of classes:") == "4"
    assert printed_value(STEM, "predicted class (argmax):") == "2"


def test_probabilities_sum_to_one():
    assert float(printed_value(STEM, "sum of the probabilities:")) == pytest.approx(1)
    sums = printed_value(STEM, "row sums:").strip("[]").split()
    assert [float(s) for s in sums] == pytest.approx([1.0] * len(sums))


def test_softmax_by_hand_matches_keras():
    assert printed_value(STEM, "max difference below 1e-6:") == "True"


def test_naive_softmax_overflows_and_stable_one_does_not():
    assert "nan" in printed_value(STEM, "naive softmax:")
    assert "nan" not in printed_value(STEM, "stable softmax:")
    assert printed_value(STEM, "log_softmax:").split()[-1].startswith("-800")


def test_logits_and_probabilities_agree_on_every_row():
    assert printed_value(STEM, "rows with the same argmax:") == "10000 of 10000"
    assert "test accuracy after 2 epochs" in printed(STEM)


def test_exponent_limits_of_float64_and_float32():
    assert printed_value(STEM, "largest exponent a float64 can hold:") == "709.8"
    assert printed_value(STEM, "largest exponent a float32 can hold:") == "88.7"


def test_keras_softmax_keeps_numpy_float64():
    assert printed_value(STEM, "Keras result dtype:") == "float64"
