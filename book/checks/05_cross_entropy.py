"""Checks of chapter 5's exercises (tools/derive/practice.py): the practice copies
run them on the learner's answers."""

import keras
import numpy as np


def ce_binary(t):
    y, p = t.chapter("y_bin"), t.chapter("p_bin")
    mine = t.number(t.answer("bce_hand"), "bce_hand")
    by_keras = float(keras.losses.BinaryCrossentropy()(y[:, None], p[:, None]))
    t.prop("positive", mine > 0)
    t.prop("keras", abs(mine - by_keras) < 1e-5)
    t.mistake("sum", abs(mine - len(y) * by_keras) < 1e-4)
    t.mistake("one_term", abs(mine - np.mean(-y * np.log(p))) < 1e-6)


def ce_unscaled(t):
    raw = t.number(t.answer("raw_loss"), "raw_loss")
    scaled = t.number(t.answer("scaled_loss"), "scaled_loss")
    t.prop("start", abs(scaled - np.log(10)) < 0.7)
    t.prop("raw", raw > scaled + 5)
    t.mistake("trained", scaled < np.log(10) - 0.7)
    t.mistake("same_input", abs(raw - scaled) < 0.01)


def ce_uniform(t):
    uniform = t.array(t.answer("uniform"), "uniform")
    value = t.number(t.answer("value"), "value")
    n = uniform.shape[-1]
    t.prop("uniform", uniform.ndim == 2 and np.allclose(uniform, 1 / n))
    t.prop("ln", abs(value - np.log(n)) < 1e-5)
    t.mistake("log10", abs(value - np.log10(n)) < 1e-5)


CHECKS = {
    "ex-ce-binary": ce_binary,
    "ex-ce-unscaled": ce_unscaled,
    "ex-ce-uniform": ce_uniform,
}

# --- words and tests: tools/derive/learner.py copies only what is above this line ---

TEXT = {
    "ex-ce-binary": {
        "needs": "Define `bce_hand`: your binary cross-entropy of `y_bin` and `p_bin`, "
        "one number.",
        "positive": "`bce_hand` is positive",
        "keras": "`bce_hand` equals `keras.losses.BinaryCrossentropy`",
        "hint": "Per example, -[y log p + (1 - y) log(1 - p)]; then average over the "
        "four examples.",
        "hint2": "`np.mean(-(y_bin * np.log(p_bin) + (1 - y_bin) * np.log(1 - "
        "p_bin)))`.",
        "sum": "Your value is four times Keras': Keras averages the per-example "
        "losses (`np.mean`), it does not add them.",
        "one_term": "Only the y = 1 examples count in your value: the (1 - y) log(1 - "
        "p) term gives the y = 0 examples their loss.",
    },
    "ex-ce-unscaled": {
        "needs": "Define `raw_loss` and `scaled_loss`: a fresh copy's initial loss on "
        "pixels 0-255 and on pixels 0-1.",
        "start": "`scaled_loss` is near ln 10 ≈ 2.30: an untrained model",
        "raw": "`raw_loss` is far above it",
        "hint": "`keras.models.clone_model(model)` copies the layers with new random "
        "weights; compile it with the loss and `evaluate` it twice.",
        "hint2": "`x_test` is already divided by 255: `x_test * 255.0` gives back the "
        "raw pixels.",
        "trained": "`scaled_loss` is below 1.6: that is a trained model. Evaluate a "
        "fresh copy (`keras.models.clone_model(model)`), not `model`.",
        "same_input": "The two losses are equal: the model saw the same pixels twice. "
        "Multiply `x_test` by 255 for the raw pixels.",
    },
    "ex-ce-uniform": {
        "needs": "Define `uniform` (rows of N equal probabilities) and `value` (the "
        "sparse categorical cross-entropy of it), for the last N you tried.",
        "uniform": "`uniform` holds rows of equal probabilities",
        "ln": "`value` equals ln N",
        "hint": "`np.full((5, n), 1 / n)` is 5 uniform rows; any labels will do, e.g. "
        "`np.zeros(5, dtype=int)`.",
        "hint2": "`loss_fn(labels, uniform)` with `loss_fn = "
        "keras.losses.SparseCategoricalCrossentropy()`; `np.log` is the natural log.",
        "log10": "Your value is log10 N: cross-entropy uses the natural log, `np.log`.",
    },
}

# What tests/test_practice.py runs: the chapter cells the checks need (by id), a
# small stand-in for the chapter's data, and one common mistake per exercise.
FIXTURE = [
    "rng = np.random.default_rng(4)\n"
    "x_digits, y_digits = rng.random((200, 28, 28)), rng.integers(0, 10, 200)\n"
    "x_test, y_test = rng.random((200, 28, 28)) * 0.5, rng.integers(0, 10, 200)\n",
    "d248fa9b",  # fresh_model, loss_fn
    "model = models[0]\n"
    "y_bin = np.array([1.0, 0.0, 1.0, 0.0])\n"
    "p_bin = np.array([0.9, 0.2, 0.4, 0.6])\n",
]
MISTAKES = {
    "ex-ce-binary": (
        "sum",
        "q = 1 - p_bin\n"
        "bce_hand = np.sum(-(y_bin * np.log(p_bin) + (1 - y_bin) * np.log(q)))\n",
    ),
    "ex-ce-unscaled": (
        "same_input",
        "fresh = keras.models.clone_model(model)\n"
        "fresh.compile(loss='sparse_categorical_crossentropy')\n"
        "raw_loss = fresh.evaluate(x_test, y_test, verbose=0)\n"
        "scaled_loss = fresh.evaluate(x_test, y_test, verbose=0)\n",
    ),
    "ex-ce-uniform": (
        "log10",
        "uniform = np.full((5, 10), 0.1)\n"
        "value = float(loss_fn(np.zeros(5, dtype=int), uniform)) / np.log(10)\n",
    ),
}
