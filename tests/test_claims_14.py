"""Chapter 14's key claims, read from its printed outputs (see chapters.OUTPUTS)."""

import math
import re

import pytest

from chapters import printed, printed_value

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


def test_eight_epochs_are_7504_steps_of_64():
    # the prose: 938 steps per epoch (937 of 64 images and one of 32), 7,504 in all
    epochs = len(re.findall(r"^epoch \d+: loss", printed(STEM), re.M))
    steps = int(printed_value(STEM, "steps per epoch:"))
    assert steps == math.ceil(60_000 / 64) == 938
    assert epochs * steps == 7_504


def test_one_image_needs_a_batch_axis():
    image, model_input = printed_value(STEM, "one image:").split("model input:")
    assert (image.strip(), model_input.strip()) == ("(28, 28)", "(None, 28, 28)")
    error = printed_value(STEM, "ValueError:")
    assert error  # predict(x_test[0]) raised a ValueError, whose first line follows
    assert "incompatible shape (28, 28)" in printed_value(STEM, "...Expected shape")


def test_a_batch_of_one_predicts_the_first_image():
    for label in [
        "x_test[:1]:",
        "np.expand_dims(x_test[0], 0):",
        "x_test[0][None, ...]:",
    ]:
        assert printed_value(STEM, label) == "(1, 28, 28)", label
    assert printed_value(STEM, "predict output shape:") == "(1, 10)"
    one = printed_value(STEM, "predicted class:").split("   true:")[0]
    first = printed_value(STEM, "first image: predicted").split(", true")[0]
    assert one == first
    assert (
        printed_value(STEM, "same logits as row 0 of predict(x_test) within 1e-4:")
        == "True"
    )
