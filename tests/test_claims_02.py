"""Chapter 2's key claims, read from its printed outputs (see chapters.OUTPUTS)."""

from chapters import printed, printed_value

STEM = "02_dense_layer"


def test_kernel_and_bias_shapes():
    assert printed_value(STEM, "kernel shape:") == "(784, 128)"
    assert printed_value(STEM, "bias shape:") == "(128,)"
    assert printed_value(STEM, "bias values at the start:") == "[0.]"


def test_hand_computed_dense_output_matches_keras():
    assert printed_value(STEM, "output shape:") == "(5, 128)"
    assert printed_value(STEM, "max difference, hand vs Keras, below 1e-5:") == "True"
    loop = printed_value(STEM, "unit 7, image 0, by the loop:")
    assert loop == printed_value(STEM, "unit 7, image 0, by Keras:")


def test_parameter_counts_by_hand_equal_keras():
    assert printed_value(STEM, "parameters by hand: 784*128 + 128 =") == "100480"
    assert printed_value(STEM, "parameters, Keras count_params():") == "100480"
    for layer, count in [("flatten", "0"), ("hidden", "100,480"), ("output", "1,290")]:
        hand, keras_count = printed_value(STEM, f"{layer:<8} by hand:").split("Keras:")
        assert hand.strip() == keras_count.strip() == count
    assert printed_value(STEM, "total by hand:") == "101,770"
    assert printed_value(STEM, "total, model.count_params():") == "101,770"
    assert printed_value(STEM, "check, 784-128-10:") == "101,770"
    hand, keras_count = printed_value(STEM, "by hand:").split("Keras:")
    assert hand.strip() == keras_count.strip() == "235,146"


def test_more_units_give_diminishing_accuracy_gains():
    first = float(printed_value(STEM, "gain from 8 to 32 units:"))
    second = float(printed_value(STEM, "gain from 32 to 128 units:"))
    assert second < first


def test_whole_network_by_hand_matches_predict():
    assert printed_value(STEM, "max difference below 1e-5:") == "True"


def test_section_4_classifier_has_one_hidden_layer():
    # an MLP (at least one hidden layer), not deep (more than one) by the usual rule
    assert printed_value(STEM, "hidden layers (Dense layers before the output):") == "1"


def test_unit_3_died_during_training_rather_than_never_switching_on():
    """Section 6: unit 3 was on for most images at the start and for none after
    training (a dead ReLU); unit 0, rarely on at the start, changed the most."""
    block = printed(STEM, cells=("740e0fc2",)).splitlines()

    def row(label):
        line = next(line for line in block if line.startswith(label))
        return [float(v) for v in line[len(label) :].split()]

    start, trained = row("output above 0, start"), row("output above 0, trained")
    moved = row("median |change| of weights")
    assert len(start) == len(trained) == len(moved) == 12
    assert start[3] > 0.5 and trained[3] < 0.001  # "0.752 ... none of them"
    assert sorted(start).index(start[3]) >= 6  # "more than most units"
    assert start[0] < 0.05  # "only 0.005 of the images"
    assert sorted(moved).index(moved[0]) >= 9  # "among the most of these 12"
    assert moved[3] < moved[0] / 2  # "moved little"
