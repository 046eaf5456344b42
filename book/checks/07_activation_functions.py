"""Checks of chapter 7's exercises (tools/derive/practice.py): the practice copies
run them on the learner's answers."""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softplus(t):
    grid = t.array(t.chapter("grid"), "grid")
    d = t.array(t.answer("d_softplus"), "d_softplus", grid.shape)
    t.prop("sigmoid", np.allclose(d, sigmoid(grid), atol=1e-6))
    t.mistake("value", np.allclose(d, np.log1p(np.exp(grid)), atol=1e-4))


def three_linear(t):
    three = t.answer("three")
    kernel = t.array(t.answer("kernel"), "kernel", (784, 10))
    bias = t.array(t.answer("bias"), "bias", (10,))
    weights = [w for w in three.get_weights()]
    t.prop(
        "three",
        len(weights) == 6 and [w.shape[-1] for w in weights[1::2]] == [128, 32, 10],
    )
    x = np.random.default_rng(11).random((50, 784)).astype("float32")
    out = np.asarray(three(x))
    same = t.prop("same", np.allclose(out, x @ kernel + bias, atol=1e-4))
    t.mistake("bias", not same and len(weights) == 6 and np.allclose(bias, weights[5]))


def threshold_logit(t):
    z_t = t.number(t.answer("z_t"), "z_t")
    t.prop("logit", abs(sigmoid(z_t) - 0.2) < 1e-9)
    logits = np.random.default_rng(5).normal(scale=4, size=10_000)
    t.prop("agree", np.all((sigmoid(logits) >= 0.2) == (logits >= z_t)))
    t.mistake("probability", np.isclose(z_t, 0.2))
    t.mistake("sign", np.isclose(z_t, np.log(0.8 / 0.2)))


CHECKS = {
    "ex-softplus": softplus,
    "ex-three-linear": three_linear,
    "ex-threshold-logit": threshold_logit,
}

# --- words and tests: tools/derive/learner.py copies only what is above this line ---

TEXT = {
    "ex-softplus": {
        "needs": "Define `d_softplus`: the derivative of softplus on `grid`, from "
        "`value_and_derivative`.",
        "sigmoid": "`d_softplus` equals the sigmoid of `grid`",
        "hint": "`value_and_derivative(f, grid)` returns two arrays, the values and "
        "the derivative; keep the second.",
        "hint2": "Unpack the pair `value_and_derivative` returns for "
        "`keras.activations.softplus`: the derivative is its second array. Compare "
        "it with `keras.activations.sigmoid(grid)`.",
        "value": "`d_softplus` holds softplus itself: `value_and_derivative` returns "
        "(values, derivative), and you kept the first.",
    },
    "ex-three-linear": {
        "needs": "Define `three` (the 784 → 128 → 32 → 10 stack without activations), "
        "`kernel` (784 × 10) and `bias` (10) of the equivalent single layer.",
        "three": "`three` has three Dense layers of 128, 32 and 10 units",
        "same": "`x @ kernel + bias` equals `three(x)` on inputs you have not seen",
        "hint": "The kernel is the product of the three kernels, in order.",
        "hint2": "Each bias is pushed through the kernels after it: `(c1 @ A2 + c2) "
        "@ A3 + c3`.",
        "bias": "Your bias is the last layer's alone: the first two biases reach the "
        "output too, multiplied by the kernels that follow them.",
    },
    "ex-threshold-logit": {
        "needs": "Define `z_t`: the threshold on the logit that gives the same "
        "decisions as a probability threshold of 0.2.",
        "logit": "sigmoid(`z_t`) is 0.2",
        "agree": "`z >= z_t` and `sigmoid(z) >= 0.2` agree on 10,000 logits",
        "hint": "Solve sigmoid(z) = t for z.",
        "hint2": "z = log(t / (1 - t)), the logit of t.",
        "probability": "0.2 is the probability threshold; the logit threshold is the "
        "z whose sigmoid is 0.2.",
        "sign": "Your threshold has the wrong sign: it is log(t / (1 - t)), and "
        "below 0 for t < 0.5.",
    },
}

# What tests/test_practice.py runs: the chapter cells the checks need (by id), a
# small stand-in for the chapter's data, and one common mistake per exercise.
FIXTURE = [
    "ac28c3dc",  # ACTIVATIONS
    "2dc264a9",  # value_and_derivative, grid
    "x_rand = np.random.default_rng(SEED).random((100, 784)).astype('float32')\n",
]
MISTAKES = {
    "ex-softplus": (
        "value",
        "d_softplus, _ = value_and_derivative(keras.activations.softplus, grid)\n",
    ),
    "ex-three-linear": (
        "bias",
        "three = keras.Sequential(\n"
        "    [keras.Input(shape=(784,))]\n"
        "    + [keras.layers.Dense(n) for n in (128, 32, 10)]\n"
        ")\n"
        "(A1, c1), (A2, c2), (A3, c3) = [l.get_weights() for l in three.layers]\n"
        "kernel = A1 @ A2 @ A3\n"
        "bias = c3 + np.random.default_rng(1).normal(size=10) * 0\n"
        "three.layers[0].set_weights([A1, c1 + 0.5])\n",
    ),
    "ex-threshold-logit": ("probability", "z_t = 0.2\n"),
}
