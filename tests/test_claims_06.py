"""Chapter 6's key claims, read from its printed outputs (see chapters.OUTPUTS)."""

import pytest

from chapters import printed_value

STEM = "06_choosing_loss"


def number(label):
    return float(printed_value(STEM, label))


def test_categorical_equals_sparse_on_the_same_data():
    assert printed_value(STEM, "difference below 1e-6:") == "True"
    cce = number("categorical_crossentropy (one-hot labels):")
    scce = number("sparse_categorical_crossentropy (integer labels):")
    assert cce == pytest.approx(scce, abs=1e-6)


def test_binary_is_the_two_class_case():
    assert number("binary_crossentropy:") == pytest.approx(
        number("sparse categorical on [1 - p, p]:"), abs=1e-6
    )


def test_from_logits_on_logits_equals_softmax_then_loss():
    assert printed_value(STEM, "from_logits difference below 1e-6:") == "True"
    right = number("from_logits=True on logits:")
    assert right == pytest.approx(number("softmax + from_logits=False:"), abs=1e-6)
    assert abs(number("from_logits=False on logits (bug):") - right) > 0.5


def test_mismatched_labels_raise_a_shape_error():
    wrong_cat = printed_value(STEM, "categorical + integer labels:")
    wrong_sparse = printed_value(STEM, "sparse + one-hot labels:")
    assert wrong_cat.startswith("ValueError") and "target" in wrong_cat
    assert wrong_sparse.startswith("ValueError") and "target" in wrong_sparse
    assert printed_value(STEM, "sparse + integer labels:") == "no error"


def test_regression_beats_guessing_the_mean():
    baseline = number("MAE of always predicting the training mean:")
    mae = float(printed_value(STEM, "test MSE:").split()[-1])
    assert mae < baseline  # its band is the chapter's own assert
