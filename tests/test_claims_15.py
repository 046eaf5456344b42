"""Chapter 15's key claims, read from its printed outputs (see bookpaths.OUTPUTS)."""

import re

import pytest

from bookpaths import printed, printed_value

STEM = "15_mnist_vs_fashion"


def accuracies(model):
    """(MNIST, Fashion-MNIST) test accuracy of one row of the comparison table."""
    mnist, fashion = printed_value(STEM, f"{model} model:").split()
    return float(mnist), float(fashion)


def test_same_architecture_scores_lower_on_fashion_than_on_mnist():
    for model in ["MNIST practice", "Fashion practice"]:
        mnist, fashion = accuracies(model)
        assert fashion < mnist - 0.03, model


def test_data_matters_more_than_the_model():
    data_gap = float(printed_value(STEM, "average gap between data sets:"))
    model_gap = float(printed_value(STEM, "average gap between models:"))
    assert data_gap > 5 * model_gap


def test_the_two_models_differ_only_in_dropout_and_output():
    text = printed(STEM)
    assert re.search(r"layer 3\s+Dropout\(0\.2\)\s+-", text)
    assert re.search(r"layer 4\s+Dense\(10, softmax\)\s+Dense\(10, linear\)", text)
    assert re.search(r"from_logits\s+False\s+True", text)
    assert re.search(r"parameters\s+101,770\s+101,770", text)


def test_softmax_output_is_cosmetic_for_the_predicted_class():
    assert printed_value(STEM, "same predicted class:") == "2000 of 2000"
    assert float(printed_value(STEM, "max |softmax(logits) - probabilities|:")) < 1e-5
    a = float(printed_value(STEM, "loss from logits (from_logits=True):"))
    b = float(printed_value(STEM, "loss from probabilities:"))
    assert a == pytest.approx(b, abs=1e-4)


def test_nearest_class_mean_is_worse_on_fashion():
    ncm = dict(
        re.findall(
            r"^(MNIST|Fashion-MNIST): nearest-class-mean accuracy ([\d.]+)",
            printed(STEM),
            re.M,
        )
    )
    assert float(ncm["Fashion-MNIST"]) < float(ncm["MNIST"]) - 0.05
    closest = re.findall(r"closest pair of class means: ([\d.]+)", printed(STEM))
    average = re.findall(
        r"average distance between class means: ([\d.]+)", printed(STEM)
    )
    # MNIST first, then Fashion: closer hardest pair, yet a larger average distance
    assert float(closest[1]) < float(closest[0])
    assert float(average[1]) > float(average[0])
    assert "Pullover->Coat" in printed_value(
        STEM, "Fashion-MNIST nearest-mean confusions:"
    )
