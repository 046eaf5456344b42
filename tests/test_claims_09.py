"""Chapter 9's key claims, read from its printed outputs (see chapters.OUTPUTS)."""

import math

import pytest

from chapters import printed, printed_value

STEM = "09_optimizers"


def _loss(label):
    return float(printed_value(STEM, label).split()[0])


def test_keras_sgd_reproduces_the_hand_update():
    keras_w = printed_value(STEM, "Keras SGD w:")
    hand_w = printed_value(STEM, "by hand   w:")
    assert keras_w == hand_w
    assert printed_value(STEM, "step 1:").startswith("w = 0.6000")


def test_one_weight_descent_converges_and_diverges_above_lr_one():
    assert float(printed_value(STEM, "w after 30 steps (lr 0.1):")) == pytest.approx(
        3, abs=0.01
    )
    assert float(printed_value(STEM, "lr 1.1 : loss after 20 steps =")) > 9


def test_adam_beats_plain_sgd_with_the_same_budget():
    sgd = _loss("SGD final training loss:")
    adam = _loss("Adam final training loss:")
    momentum = _loss("SGD + momentum final training loss:")
    assert adam < sgd and momentum < sgd  # the 0.1 margin: the chapter's assert
    assert printed_value(STEM, "Adam ends lower than plain SGD:") == "True"


def test_adam_steps_every_coordinate_by_the_learning_rate():
    step = printed_value(STEM, "Adam's first step:").strip("[]").split()
    assert [abs(float(s)) for s in step] == pytest.approx([0.1, 0.1], abs=1e-3)


def test_too_large_learning_rate_diverges():
    before = float(printed_value(STEM, "loss before training:").split()[0])
    first = float(printed_value(STEM, "too large, first-epoch loss:"))
    assert math.isnan(first) or first > before
    assert printed_value(STEM, "too large diverged").endswith("True")
    assert "default learning rate: 0.001" in printed(STEM)


def test_the_defaults_the_prose_quotes_are_keras_defaults():
    # section 5: "each optimizer's Keras default (0.01 for SGD, 0.001 for Adam)";
    # section 7: Adam's epsilon, 1e-7, added to the divisor
    assert printed_value(STEM, "SGD's default learning rate:") == "0.01"
    assert float(printed_value(STEM, "default epsilon:")) == pytest.approx(1e-7)
