"""Chapter 7's key claims, read from its printed outputs (see chapters.OUTPUTS)."""

import pytest

from chapters import printed, printed_value

STEM = "07_activation_functions"


def test_step_function_gives_no_gradient_but_sigmoid_does():
    lines = printed(STEM).splitlines()
    step = next(line for line in lines if line.startswith("step     loss"))
    sigmoid = next(line for line in lines if line.startswith("sigmoid  loss"))
    assert "dL/dw +0.0000" in step and "dL/db +0.0000" in step
    assert "dL/dw +0.0000" not in sigmoid and "dL/dw -0.0000" not in sigmoid


def test_tape_derivatives_match_the_closed_forms():
    for name in ["sigmoid", "tanh", "relu", "leaky_relu"]:
        label = f"{name:<10} largest |tape - formula| below 1e-6:"
        assert printed_value(STEM, label) == "True"


def test_sigmoid_derivative_is_at_most_a_quarter_and_a_quarter_at_zero():
    assert (
        float(printed_value(STEM, "largest sigmoid derivative on [-10, 10]:")) <= 0.25
    )
    at_zero = float(printed_value(STEM, "sigmoid derivative at z = 0:"))
    assert at_zero == pytest.approx(0.25, abs=1e-6)


def test_threshold_half_on_probability_is_threshold_zero_on_logit():
    assert printed_value(STEM, "decision p >= 0.5:") == printed_value(
        STEM, "decision z >= 0:"
    )


def test_linear_layers_collapse_and_relu_prevents_it():
    assert printed_value(STEM, "one Dense kernel shape:") == "(784, 10)"
    label = "largest difference, 2 linear layers vs 1, below 1e-4:"
    assert printed_value(STEM, label) == "True"
    relu_gap = "largest difference, ReLU network vs the collapsed layer:"
    assert float(printed_value(STEM, relu_gap)) > 0.1


def accuracy_2d(name):
    return float(printed_value(STEM, name).split("training accuracy")[1])


def test_two_rings_have_classes_of_equal_size():
    # so 0.5 is the level of guessing the prose compares the linear models with
    line = printed_value(STEM, "points: (400, 2)")
    assert line.endswith("share of the inner ring (class 1): 0.5")


def test_only_the_hidden_layer_with_relu_separates_the_rings():
    # The bands are the chapter's own asserts; these are the comparisons the prose
    # draws: a hidden layer without activation buys nothing over no hidden layer,
    # and the ReLU hidden layer is far better than both.
    linear = accuracy_2d("no hidden layer")
    no_activation = accuracy_2d("hidden, no activation")
    relu = accuracy_2d("hidden + ReLU")
    assert abs(no_activation - linear) <= 0.05
    assert relu >= max(linear, no_activation) + 0.3
    assert "accuracies inside their bands" in printed(STEM)
