"""Chapter 16's key claims, read from its printed outputs (see chapters.OUTPUTS)."""

import re

import pytest

from chapters import printed, printed_value

STEM = "16_framework_vs_scratch"
TOLERANCE = 0.01  # the chapter states this tolerance on test accuracy
NAMES = [
    "NumPy from scratch",
    "TensorFlow GradientTape",
    "Keras compile/fit",
    "PyTorch loop",
]


def accuracy(name):
    return float(printed_value(STEM, f"test accuracy, {name}:"))


def lines(name):
    return int(printed_value(STEM, f"lines of code ({name}):"))


def test_the_committed_outputs_include_the_pytorch_run():
    assert "PyTorch is not installed" not in printed(STEM)
    assert printed_value(STEM, "PyTorch").startswith("2.")


def test_four_implementations_agree_on_test_accuracy():
    accs = [accuracy(name) for name in NAMES]
    assert max(accs) - min(accs) <= TOLERANCE
    gap = printed_value(STEM, "largest accuracy gap (4 implementations):")
    assert float(gap) <= TOLERANCE


def test_keras_is_the_shortest():
    counts = {name: lines(name) for name in NAMES}
    assert min(counts, key=counts.get) == "Keras compile/fit"
    assert counts["NumPy from scratch"] > counts["TensorFlow GradientTape"]


def test_hand_written_gradients_match_gradient_tape():
    assert printed_value(STEM, "largest gradient difference below 1e-6:") == "True"
    line = printed_value(STEM, "loss, NumPy:")
    numpy_loss, tf_loss = map(float, re.findall(r"\d+\.\d+", line))
    assert numpy_loss == pytest.approx(tf_loss, abs=1e-4)


def test_same_parameter_count_in_both_libraries():
    assert printed_value(STEM, "parameters:") == "50890"
    assert printed_value(STEM, "parameters, PyTorch:") == "50890"
