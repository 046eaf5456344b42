"""Chapter 8's key claims, read from its printed outputs (see chapters.OUTPUTS)."""

import re

import pytest

from chapters import printed, printed_value

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


def _numbers(text):
    return [
        float(x.strip(",[]"))
        for x in text.replace(",", " ").split()
        if x[0] in "-0123456789["
    ]


def test_sigmoid_gradient_grows_about_3_6_per_layer_and_400000_overall():
    line = printed_value(STEM, "sigmoid: growth per layer towards the output:")
    smallest, largest, mean = (
        float(line.split(word)[1].split(",")[0])
        for word in ("smallest", "largest", "mean")
    )
    assert smallest <= mean <= largest
    ratio = float(printed_value(STEM, "sigmoid: first/last kernel gradient norm:"))
    assert 3e5 <= 1 / ratio <= 5e5  # "about 400,000 times smaller"
    assert (mean - 0.05) ** 10 <= 1 / ratio <= (mean + 0.05) ** 10  # ten factors
    relu = float(printed_value(STEM, "relu: first/last kernel gradient norm:"))
    assert 5 <= relu <= 7  # "about 6 times larger"


def _moved(label):
    line = printed_value(STEM, label)  # "first 2.4e-02, last 6.2e-02"
    return float(line.split("first")[1].split(",")[0]), float(line.split("last")[1])


def test_adam_moves_the_sigmoid_first_layer_but_the_forward_signal_collapses():
    first, last = _moved("sigmoid  kernel moved (share of its norm):")
    assert first < last  # "2.4 % of its norm, against 6.2 % for the output kernel"
    sigmoid = _numbers(printed_value(STEM, "sigmoid  spread:"))
    relu = _numbers(printed_value(STEM, "relu     spread:"))
    assert len(sigmoid) == len(relu) == 10
    assert all(a > b for a, b in zip(sigmoid, sigmoid[1:]))  # shrinks layer by layer
    assert sigmoid[0] == pytest.approx(0.09, abs=0.005) and sigmoid[-1] < 1e-6
    assert all(0.5 <= s <= 5 for s in relu)  # "of order 1 at every layer"


def test_plain_sgd_leaves_the_first_layer_and_adams_epsilon_is_above_its_gradients():
    rms = float(
        printed_value(
            STEM, "sigmoid first kernel, gradient per weight (root mean square):"
        )
    )
    assert rms < float(printed_value(STEM, "Adam's epsilon:"))
    label = "sigmoid, SGD: first kernel moved less than 1e-6 of its norm:"
    assert printed_value(STEM, label) == "True"
    sgd_last = float(
        printed_value(STEM, "sigmoid, SGD: output kernel moved").split()[0]
    )
    adam_last = _moved("sigmoid  kernel moved (share of its norm):")[1]
    assert 0.5 <= sgd_last / adam_last <= 2  # "about as much as under Adam"


def test_too_large_weights_explode_and_he_keeps_the_gradients_level():
    big = float(printed_value(STEM, "relu normal(0.5)    bias gradient first/last:"))
    he = float(printed_value(STEM, "relu he_normal      bias gradient first/last:"))
    glorot = float(printed_value(STEM, "relu glorot_uniform bias gradient first/last:"))
    assert big >= 1000  # "thousands of times the last one's"
    assert 1 / 3 <= he <= 3 and glorot < he
    growth = printed_value(STEM, "normal(0.5): bias gradient growth per layer")
    assert float(growth.split(":")[1]) == pytest.approx(big ** (1 / 10), abs=0.06)
    line = printed_value(STEM, "relu normal(0.5)    loss")  # "7.54e+04, kernel ..."
    loss, smallest_kernel_gradient = _numbers(line)[0], _numbers(line)[1]
    assert loss >= 1e4 and smallest_kernel_gradient >= 1e4  # "tens of thousands"


def test_clipnorm_keeps_the_direction_and_cuts_the_length_to_one():
    step = printed_value(
        STEM, "gradient [300, 400], norm 500; the step with clipnorm=1.0:"
    )
    assert _numbers(step) == pytest.approx([-0.6, -0.8])
    assert float(printed_value(STEM, "length of the step:")) == pytest.approx(1.0)


def test_never_positive_units_per_layer_add_up_to_the_printed_fraction():
    for name in ("relu      ", "leaky_relu"):
        counts = _numbers(printed_value(STEM, f"{name} never positive before training"))
        assert counts == [27, 64, 64]  # the prose: "27 of the 64 first-layer units"
        before = printed_value(STEM, f"{name} never positive: before")
        assert float(before.split(",")[0]) == pytest.approx(sum(counts) / 192, abs=5e-4)


def test_one_sgd_step_changes_few_sigmoid_weights_and_most_relu_weights():
    label = "share of first-layer weights one SGD step changes:"
    sigmoid = float(printed_value(STEM, f"sigmoid: {label}"))
    relu = float(printed_value(STEM, f"relu: {label}"))
    assert sigmoid <= 0.05 and relu >= 0.9  # "about 2 %", "almost everywhere"
    line = printed_value(STEM, "sigmoid: median |w|, changed")
    changed, unchanged = _numbers(line.replace("unchanged", ""))
    assert changed < unchanged / 10  # "mostly weights close to 0"


def _symmetry(label):
    """(units unlike unit 0, largest |weight|, validation accuracy) of one init."""
    line = printed_value(STEM, f"{label:<15} hidden units unlike unit 0:")
    unlike = int(line.split()[0])
    largest = float(line.split("largest |weight|")[1].split(",")[0])
    return unlike, largest, float(line.split("validation accuracy")[1])


def test_equal_starting_weights_stay_equal_and_random_ones_break_the_symmetry():
    zeros, constant, glorot = (
        _symmetry(label) for label in ("zeros", "constant(0.01)", "glorot_uniform")
    )
    assert zeros[1] == 0.0  # "nothing in the hidden layer moved at all"
    assert zeros[2] <= 0.15  # "that of a constant guess"
    assert constant[0] == 0 and constant[1] > 0.01  # learned, all the same thing
    assert glorot[0] == 31 and glorot[2] > constant[2] > zeros[2]


def _variance_rows(label):
    """(n Var(w)/2, forward, backward factors; Var(z) and Var(dL/dz) per layer)."""
    text = printed(STEM)
    head = text.split(f"{label:<15} n Var(w)/2 =")[1].splitlines()
    predicted = float(head[0].split(";")[0])
    forward = float(head[0].split("forward")[1].split(",")[0])
    backward = float(head[0].split("backward")[1])
    var_z, var_grad = (_numbers(line.split(":")[1]) for line in head[1:3])
    return predicted, forward, backward, var_z, var_grad


def test_the_variance_factor_per_relu_layer_is_n_var_w_over_two():
    tiny, glorot, he = (
        _variance_rows(label)
        for label in ("normal(0.01)", "glorot_uniform", "he_normal")
    )
    assert 0.45 <= glorot[1] <= 0.55 and 0.45 <= glorot[2] <= 0.55  # "halve"
    assert 0.9 <= he[1] <= 1.1 and 0.9 <= he[2] <= 1.1  # "close to 1"
    assert all(0.1 <= v <= 10 for v in he[3] + he[4])  # "of order 1"
    assert tiny[3][-1] < 1e-15 and tiny[4][0] < 1e-15  # both signals collapse
    for rows in (tiny, glorot, he):
        assert len(rows[3]) == len(rows[4]) == 10  # "layer by layer", all ten


def _floats(text):
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d*)?", text)]


def _block_after(label, rows=3):
    """The `rows` printed lines after the line `label` (a printed matrix)."""
    lines = printed(STEM).splitlines()
    start = lines.index(label) + 1
    return lines[start : start + rows]


def test_backpropagation_by_hand_matches_the_tape_to_the_printed_digit():
    by_hand = _block_after("dL/dW1 by hand:")
    by_tape = _block_after("dL/dW1 from tf.GradientTape:")
    assert by_hand == by_tape  # "every printed digit ... match"
    assert printed_value(STEM, "loss by hand:") == printed_value(
        STEM, "loss from Keras:"
    )
    label = "all four gradients (W1, b1, W2, b2) agree within 1e-5:"
    assert printed_value(STEM, label) == "True"
    d_z1 = _floats(printed_value(STEM, "dL/dz1 ="))
    rows = [_floats(row) for row in by_hand]
    assert rows[1] == pytest.approx([-v for v in d_z1], abs=1e-4)  # x_2 = -1
    assert rows[2] == pytest.approx([2 * v for v in d_z1], abs=2e-4)  # x_3 = 2
    assert rows[0] == pytest.approx([0.5 * v for v in d_z1], abs=1e-4)  # x_1 = 0.5
