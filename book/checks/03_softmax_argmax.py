"""Checks of chapter 3's exercises (tools/derive/practice.py): the practice copies
run them on the learner's answers."""

import numpy as np


def reference(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_temperature(t):
    f = t.answer("softmax_t")
    z = np.array([[0.5, -2.0, 3.0, 1.0], [4.0, 4.5, -1.0, 0.0]])  # not the exercise's
    results = {}
    for temp in (0.5, 1.0, 3.0):
        results[temp] = t.array(t.call(f, z, temp), "softmax_t(z, t)", z.shape)
    t.prop("sums", all(np.allclose(p.sum(axis=1), 1) for p in results.values()))
    t.prop("value", all(np.allclose(p, reference(z / k)) for k, p in results.items()))
    t.prop("argmax", all((p.argmax(1) == z.argmax(1)).all() for p in results.values()))
    flat = t.array(t.call(f, z, 1000.0), "softmax_t(z, 1000)", z.shape)
    t.prop("uniform", np.allclose(flat, 0.25, atol=0.01))
    with np.errstate(all="ignore"):
        big = np.asarray(t.call(f, np.array([[1000.0, 999.0, 0.0]]), 1.0), float)
    t.prop("stable", big.shape == (1, 3) and np.all(np.isfinite(big)))
    t.mistake("times_t", np.allclose(results[3.0], reference(z * 3.0)))
    total = results[3.0].sum()
    t.mistake("axis", np.isclose(total, 1) and not np.allclose(results[3.0].sum(1), 1))


def softmax_sigmoid(t):
    z = t.array(t.answer("z"), "z")
    two_class = t.array(t.answer("two_class"), "two_class", z.shape)
    t.prop("grid", z.min() <= -5 and z.max() >= 5 and z.size >= 11)
    t.prop("sigmoid", np.allclose(two_class, 1 / (1 + np.exp(-z)), atol=1e-6))
    t.mistake("column", np.allclose(two_class, 1 / (1 + np.exp(z)), atol=1e-6))


CHECKS = {
    "ex-softmax-temperature": softmax_temperature,
    "ex-softmax-sigmoid": softmax_sigmoid,
}

# --- words and tests: tools/derive/learner.py copies only what is above this line ---

TEXT = {
    "ex-softmax-temperature": {
        "needs": "Define `softmax_t(z, t)`: it returns the softmax of `z / t` along "
        "the last axis.",
        "sums": "every row it returns sums to 1 (checked on logits you have not seen)",
        "value": "it equals the softmax of `z / t` for t = 0.5, 1 and 3",
        "argmax": "the largest logit keeps the largest probability at every t",
        "uniform": "a very large t gives almost equal probabilities",
        "stable": "it does not overflow on logits like 1000 (section 5)",
        "hint": "Divide the logits by `t` first, then apply the stable `softmax` of "
        "section 5.",
        "hint2": "`softmax(np.asarray(z) / t)` is the whole function; `softmax` "
        "subtracts the row maximum before `np.exp`, so large logits do not overflow.",
        "times_t": "You multiplied by `t`: the temperature divides the logits, so a "
        "large t flattens the distribution.",
        "axis": "Your probabilities sum to 1 over the whole array, not per row: "
        "normalise along the last axis (`axis=-1, keepdims=True`).",
    },
    "ex-softmax-sigmoid": {
        "needs": "Define `z` (the grid from -5 to 5) and `two_class`: the first "
        "probability of the softmax over `[z, 0]` for every value of `z`.",
        "grid": "`z` runs from -5 to 5 in at least 11 steps",
        "sigmoid": "`two_class` equals 1 / (1 + e^-z)",
        "hint": "Stack each z with a 0: `np.stack([z, np.zeros_like(z)], axis=-1)`, "
        "apply `softmax`, and keep column 0.",
        "hint2": "Column 0 is the probability of the logit `z`; column 1, of the "
        "fixed 0.",
        "column": "Your values are 1 / (1 + e^z): you kept column 1, the "
        "probability of the fixed logit 0. Keep column 0.",
    },
}

# What tests/test_practice.py runs: the chapter cells the checks need (by id), a
# small stand-in for the chapter's data, and one common mistake per exercise.
FIXTURE = [
    "big = np.array([1000.0, 999.0, 990.0])",
    "88303b25",  # softmax (stable)
]
MISTAKES = {
    "ex-softmax-temperature": (
        "times_t",
        "def softmax_t(z, t):\n    return softmax(np.asarray(z) * t)\n",
    ),
    "ex-softmax-sigmoid": (
        "column",
        "z = np.linspace(-5, 5, 11)\n"
        "two_class = softmax(np.stack([z, np.zeros_like(z)], axis=-1))[:, 1]\n",
    ),
}
