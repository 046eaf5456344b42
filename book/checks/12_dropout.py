"""Checks of chapter 12's exercises (tools/derive/practice.py): the practice copies
run them on the learner's answers."""

import numpy as np


def dropout_numpy(t):
    f = t.answer("dropout_numpy")
    x = np.full((300, 40), 3.0)  # not the exercise's ones: rate 0.3, a 2-D input
    out = t.array(t.call(f, x, 0.3, np.random.default_rng(7)), "dropout_numpy", x.shape)
    dropped = np.mean(out == 0)
    kept = out[out != 0]
    t.prop("rate", abs(dropped - 0.3) < 0.03)
    t.prop("scaled", kept.size > 0 and np.allclose(kept, 3.0 / 0.7))
    t.prop("mean", abs(out.mean() - 3.0) < 0.15)
    t.mistake("no_scaling", kept.size > 0 and np.allclose(kept, 3.0))
    t.mistake("times_keep", kept.size > 0 and np.allclose(kept, 3.0 * 0.7))
    t.mistake("inverted", abs(dropped - 0.7) < 0.03)


def dropout_after_softmax(t):
    after = t.array(t.answer("after"), "after", (5, 10))
    zeroed = after == 0
    sums = after.sum(axis=1)
    t.prop("zeroed", zeroed.any() and not zeroed.all())
    probs = np.asarray(t.ns.get("probs", []), dtype=float)  # the learner's, if shown
    if probs.shape == after.shape:
        t.prop("scaled", np.allclose(after[~zeroed], probs[~zeroed] / 0.8, atol=1e-6))
    else:  # kept probabilities times 1.25: at most 1.25 in all per row
        t.prop("scaled", np.all(after >= 0) and np.all(sums <= 1.25 + 1e-6))
    t.prop("sums", not np.allclose(sums, 1.0))
    t.mistake("no_training", np.allclose(sums, 1.0) and not zeroed.any())


CHECKS = {
    "ex-dropout-numpy": dropout_numpy,
    "ex-dropout-after-softmax": dropout_after_softmax,
}

# --- words and tests: tools/derive/learner.py copies only what is above this line ---

TEXT = {
    "ex-dropout-numpy": {
        "needs": "Define `dropout_numpy(x, rate, rng)`: it returns an array of x's "
        "shape.",
        "rate": "it zeroes about `rate` of the values (checked with rate 0.3 on a "
        "300 × 40 array of 3s)",
        "scaled": "it divides the values it keeps by `1 - rate`",
        "mean": "the mean of its output stays near the mean of its input",
        "hint": "Keep a value where `rng.random(x.shape) >= rate`, set the others to "
        "0, and divide the kept ones by `1 - rate`.",
        "hint2": "`np.where(mask, x / (1 - rate), 0.0)` does both steps in one line; "
        "use `rate` itself, not the number 0.2.",
        "no_scaling": "The kept values are unchanged. Without dividing by `1 - rate` "
        "the layer's output is smaller in training than at inference (section 3).",
        "times_keep": "The kept values are multiplied by `1 - rate`. Dropout divides "
        "by it, so that the expected value stays the same.",
        "inverted": "About `1 - rate` of the values are zero: your mask drops the "
        "values it should keep. Keep where `rng.random(x.shape) >= rate`.",
    },
    "ex-dropout-after-softmax": {
        "needs": "Define `after`: the softmax of five random rows of 10 logits after "
        "`Dropout(0.2, seed=SEED)` with `training=True`.",
        "zeroed": "`after` has some zeroed probabilities, not all",
        "scaled": "the kept probabilities are multiplied by 1.25",
        "sums": "the rows of `after` no longer sum to 1",
        "hint": "Call the layer on `probs`: `keras.layers.Dropout(0.2, "
        "seed=SEED)(probs, training=True)`, then convert it with "
        "`keras.ops.convert_to_numpy`.",
        "hint2": "Apply the dropout to the probabilities, not to the logits, and "
        "compare `after.sum(axis=1)` with 1.",
        "no_training": "No value of `after` is zero and its rows still sum to 1: a "
        "Dropout layer called without `training=True` does nothing (that is its "
        "inference mode).",
    },
}

# What tests/test_practice.py runs: the names the exercises need besides the setup
# cell's, and a common mistake per exercise, from the chapter's misconceptions.
FIXTURE = []
MISTAKES = {
    "ex-dropout-numpy": (
        "no_scaling",
        "def dropout_numpy(x, rate, rng):\n"
        "    return np.where(rng.random(x.shape) >= rate, x, 0.0)\n",
    ),
    "ex-dropout-after-softmax": (
        "no_training",
        "logits = np.random.default_rng(SEED).normal(size=(5, 10)).astype('float32')\n"
        "probs = keras.ops.softmax(logits)\n"
        "after = keras.ops.convert_to_numpy(keras.layers.Dropout(0.2)(probs))\n",
    ),
}
