"""Chapter 5's key claims, read from its printed outputs (see bookpaths.OUTPUTS)."""

import math

import pytest

from bookpaths import printed_value

STEM = "05_cross_entropy"


def number(label):
    return float(printed_value(STEM, label))


def test_log_of_a_probability_is_never_positive():
    assert number("largest log p:") <= 0


def test_hand_cross_entropy_matches_keras_and_is_non_negative():
    assert printed_value(STEM, "difference below 1e-6:") == "True"
    assert number("hand cross-entropy:") >= 0
    assert number("hand cross-entropy:") == pytest.approx(
        number("Keras cross-entropy:"), abs=1e-4
    )
    assert number("smallest per-example loss:") >= 0


def test_loss_ignores_how_the_wrong_probability_is_spread():
    a = printed_value(STEM, "A: cross-entropy").split()[0]
    b = printed_value(STEM, "B: cross-entropy").split()[0]
    c = printed_value(STEM, "C: cross-entropy").split()[0]
    assert a == b and float(c) > 4 * float(a)


def test_untrained_model_starts_near_ln_10():
    assert number("-log(1/10):") == pytest.approx(2.3026, abs=1e-4)
    # How near (0.15, 0.25) and the trained-loss band are the chapter's own asserts.
    for data in ["MNIST", "Fashion-MNIST"]:
        assert number(f"initial loss, {data} (mean of 5):") > number(
            "loss after 2 epochs:"
        )


def test_probability_zero_gives_a_finite_clipped_loss():
    assert printed_value(STEM, "NumPy loss at p = 0:") == "inf"
    keras_zero = number("Keras loss at p = 0:")
    assert math.isfinite(keras_zero)
    assert keras_zero == pytest.approx(-math.log(1e-7), abs=1e-3)
    assert number("loss from logits:") == pytest.approx(30 + math.log(2), abs=1e-3)
