"""Chapter 5's key claims, read from its printed outputs (see chapters.OUTPUTS)."""

import math

import pytest

from chapters import printed_value

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


def test_tensorflow_softmax_output_carries_its_logits():
    # Keras 3 on TensorFlow: a softmax tensor (and a softmax layer's output inside
    # evaluate) is scored from its logits; only plain arrays are clipped.
    exact, clipped = 30 + math.log(2), -math.log(1e-7)
    assert number("loss from the softmax tensor:") == pytest.approx(exact, abs=1e-3)
    assert number("evaluate, softmax model:") == pytest.approx(exact, abs=1e-3)
    assert number("loss from a probability array:") == pytest.approx(clipped, abs=1e-3)
    assert number("predict, then the loss:") == pytest.approx(clipped, abs=1e-3)


def test_fashion_images_are_brighter_than_digits():
    line = printed_value(
        STEM, "mean pixel value:"
    )  # "MNIST 0.131, Fashion-MNIST 0.287"
    digits, fashion = (float(part.split()[-1]) for part in line.split(","))
    assert fashion > digits


def test_mean_cross_entropy_is_the_negative_log_likelihood():
    probs = [
        float(p)
        for p in printed_value(STEM, "probability of each true class:")
        .strip("[]")
        .split()
    ]
    likelihood = number("likelihood of the four labels:")
    assert likelihood == pytest.approx(math.prod(probs), abs=1e-4)
    nll, _, mean_ce = printed_value(STEM, "-log(likelihood) / 4:").partition(
        "mean cross-entropy:"
    )
    assert float(nll) == float(mean_ce) == number("Keras cross-entropy:")
    assert float(nll) == pytest.approx(-math.log(likelihood) / 4, abs=1e-3)
    assert printed_value(STEM, "likelihood identity, difference below 1e-12:") == "True"
    # the product of many probabilities underflows; the mean of the logs does not
    assert number("product of the 10,000 probabilities:") == 0.0
    assert number("mean of their -log p:") == pytest.approx(math.log(2), abs=1e-4)


def gradient_rows():
    from chapters import printed

    lines = printed(STEM).splitlines()
    start = next(
        i for i, line in enumerate(lines) if line.split()[:2] == ["logit", "z"]
    )
    rows = [[float(x) for x in line.split()] for line in lines[start + 1 : start + 5]]
    return rows  # logit z, p(label), dCE/dz, dMSE/dz


def test_squared_error_gradient_vanishes_on_confident_mistakes():
    rows = gradient_rows()
    assert [r[0] for r in rows] == [0.0, -2.0, -5.0, -10.0]
    ce = [abs(r[2]) for r in rows]
    mse = [abs(r[3]) for r in rows]
    assert ce == sorted(ce) and ce[-1] == pytest.approx(1.0, abs=1e-3)  # grows to 1
    assert mse == sorted(mse, reverse=True)  # shrinks as the mistake gets confident
    assert mse[-1] < 1e-3 * ce[-1]
    assert (
        printed_value(
            STEM, "both gradients match the formulas (difference below 1e-6):"
        )
        == "True"
    )


def test_cross_entropy_corrects_a_confident_mistake_and_squared_error_does_not():
    line = printed_value(
        STEM, "after 20 steps: p(label) with CE"
    )  # "0.8998, with MSE ..."
    ce, mse = line.split(", with MSE")
    assert float(ce) > 0.5
    assert float(mse) < 1e-4
