"""Chapter 15's key claims, read from its printed outputs (see chapters.OUTPUTS)."""

import re

import pytest

from chapters import chapter_path, printed, printed_value

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


def exercise_row(name, epochs):
    """(train, test, gap) printed by exercise 3 for one model after `epochs`."""
    m = re.search(
        rf"^{name}\s+{epochs} epochs: train ([\d.]+)  test ([\d.]+)  gap (-?[\d.]+)$",
        printed(STEM),
        re.M,
    )
    assert m, (name, epochs)
    return tuple(float(x) for x in m.groups())


def test_longer_training_widens_the_gap_and_dropout_keeps_it_smaller():
    for name in ["with dropout", "without dropout"]:
        assert exercise_row(name, 5)[2] < exercise_row(name, 15)[2], name
    assert exercise_row("with dropout", 15)[2] < exercise_row("without dropout", 15)[2]


def test_the_exercise_continues_the_section_3_models():
    # its 5-epoch test accuracies are section 3's Fashion-MNIST column
    assert exercise_row("with dropout", 5)[1] == accuracies("MNIST practice")[1]
    assert exercise_row("without dropout", 5)[1] == accuracies("Fashion practice")[1]


def test_fewer_images_and_a_larger_batch_score_lower_than_chapters_13_and_14():
    for other in ["13_mnist", "14_fashion_mnist"]:
        if not chapter_path(other).exists():  # a fresh run of some chapters only
            pytest.skip(f"no outputs of {other}")
    ch13 = float(
        re.search(r"test accuracy \(\w+ data\): ([\d.]+)", printed("13_mnist"))[1]
    )
    ch14 = float(
        printed_value("14_fashion_mnist", "test accuracy (full Fashion-MNIST):")
    )
    assert accuracies("MNIST practice")[0] < ch13
    assert accuracies("Fashion practice")[1] < ch14


def pairs(label):
    """The pairs of classes in one printed list, closest (or farthest) first."""
    return [p.rsplit(" ", 1)[0] for p in printed_value(STEM, label).split(", ")]


def test_the_closest_class_means_are_the_upper_body_garments_and_4_9():
    upper = {"Pullover", "Coat", "Shirt", "T-shirt/top"}
    for pair in pairs("Fashion-MNIST closest means:"):
        assert set(re.split(r"-(?=[A-Z0-9])", pair)) <= upper, pair
    assert {"4-9", "7-9"} <= set(pairs("MNIST closest means:")[:2])
    assert pairs("Fashion-MNIST farthest means:") == ["Trouser-Ankle boot"]
