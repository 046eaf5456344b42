"""Chapter 8's key claims, read from its printed outputs (see bookpaths.OUTPUTS)."""

import pytest

from bookpaths import printed, printed_value

STEM = "08_vanishing_gradients"


def test_sigmoid_derivative_is_at_most_a_quarter_and_a_quarter_at_zero():
    largest = float(printed_value(STEM, "largest sigmoid derivative on a dense grid:"))
    assert largest <= 0.25
    at_zero = float(printed_value(STEM, "sigmoid derivative at z = 0:"))
    assert at_zero == pytest.approx(0.25, abs=1e-6)


def test_quarter_to_the_tenth_is_about_one_in_a_million():
    assert float(printed_value(STEM, "depth 10: 0.25^n =")) == pytest.approx(
        0.25**10, rel=1e-2
    )


def test_sigmoid_gradient_vanishes_towards_the_input_and_relu_does_not():
    sigmoid = float(printed_value(STEM, "sigmoid: first/last kernel gradient norm:"))
    relu = float(printed_value(STEM, "relu: first/last kernel gradient norm:"))
    assert sigmoid <= 1e-2  # first layer at least 100x smaller than the last
    assert relu > 1e-2


def test_relu_trains_and_sigmoid_stays_near_chance():
    sigmoid = float(printed_value(STEM, "sigmoid  final validation accuracy:"))
    relu = float(printed_value(STEM, "relu     final validation accuracy:"))
    assert relu > sigmoid  # the bands themselves are the chapter's own asserts
    assert "inside the bands" in printed(STEM)


def test_more_dead_relus_than_never_positive_leaky_units():
    dead = float(printed_value(STEM, "dead ReLU fraction after training:"))
    leaky = float(
        printed_value(STEM, "never-positive Leaky ReLU fraction after training:")
    )
    assert dead > leaky
