"""Chapter 14's key claims, read from its printed outputs (see bookpaths.OUTPUTS)."""

import pytest

from bookpaths import printed, printed_value

STEM = "14_fashion_mnist"


def test_full_fashion_mnist_was_used():
    assert "(60000, 28, 28)" in printed_value(STEM, "x_train:")


def test_predict_returns_logits_that_do_not_sum_to_one():
    assert printed_value(STEM, "last layer activation:") == "linear"
    assert abs(float(printed_value(STEM, "sum of the logits row:")) - 1) > 0.5
    assert float(printed_value(STEM, "smallest logit in the test set:")) < 0


def test_softmax_of_the_logits_sums_to_one_and_keeps_argmax():
    assert float(printed_value(STEM, "sum after softmax:")) == pytest.approx(
        1, abs=1e-3
    )
    assert printed_value(STEM, "every row sums to 1 within 1e-5:") == "True"
    assert printed_value(STEM, "same argmax from logits and probabilities:") == (
        "10000 of 10000"
    )
    assert (
        printed_value(STEM, "max difference from softmax by hand below 1e-5:") == "True"
    )


def test_shirt_is_the_weakest_class_and_upper_body_garments_are_confused():
    table = printed(STEM).split("class        accuracy\n")[1].splitlines()
    assert table[0].startswith("Shirt")
    mistakes = printed(STEM).split("most frequent mistakes")[1].splitlines()[1:4]
    upper = {"T-shirt/top", "Pullover", "Coat", "Shirt"}
    for line in mistakes:
        pair = line.split(":")[0].strip().split(" -> ")
        assert set(pair) <= upper, line


def test_softmax_layer_and_from_logits_train_the_same():
    text = printed_value(STEM, "logits + from_logits=True:")
    logits_acc, softmax_acc = float(text.split()[0]), float(text.split()[-1])
    assert logits_acc == pytest.approx(softmax_acc, abs=0.01)
