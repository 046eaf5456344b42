"""Checks of chapter 2's exercises (tools/derive/practice.py): the practice copies
run them on the learner's answers."""

import keras
import numpy as np


def dense_count(t):
    mine = t.number(t.answer("my_count"), "my_count")
    model = keras.Sequential(  # the exercise's network, counted by Keras
        [keras.Input(shape=(784,))] + [keras.layers.Dense(n) for n in (256, 128, 10)]
    )
    t.prop("whole", mine == int(mine))
    t.prop("count", mine == model.count_params())
    weights_only = sum(w.size for w in model.get_weights() if w.ndim == 2)
    t.mistake("no_bias", mine == weights_only)
    t.mistake("first_only", mine == model.layers[0].count_params())


def dense_forward(t):
    net = t.chapter("results")[32][0]
    x = t.chapter("x_test")[:100]
    probs = t.array(t.answer("probs_by_hand"), "probs_by_hand", (100, 10))
    keras_probs = net.predict(x, verbose=0)
    t.prop("sums", np.allclose(probs.sum(axis=1), 1, atol=1e-4))
    t.prop("same", np.allclose(probs, keras_probs, atol=1e-5))
    twice = np.exp(keras_probs) / np.exp(keras_probs).sum(axis=1, keepdims=True)
    t.mistake("twice", np.allclose(probs, twice, atol=1e-5))
    t.mistake("logits", not np.allclose(probs.sum(axis=1), 1, atol=1e-4))


def dense_nobias(t):
    layer = t.answer("no_bias")
    if not isinstance(layer, keras.layers.Dense):
        t.prop("dense", False)
        return
    out = t.array(t.call(layer, np.zeros((3, 784), "float32")), "no_bias(zeros)")
    shapes = [w.shape for w in layer.get_weights()]
    t.prop("dense", True)
    t.prop("count", layer.count_params() == 784 * 16 and shapes == [(784, 16)])
    t.prop("zero", out.shape == (3, 16) and np.all(out == 0))
    t.mistake("has_bias", len(shapes) == 2)


CHECKS = {
    "ex-dense-count": dense_count,
    "ex-dense-forward": dense_forward,
    "ex-dense-nobias": dense_nobias,
}

# --- words and tests: tools/derive/learner.py copies only what is above this line ---

TEXT = {
    "ex-dense-count": {
        "needs": "Set `my_count` to your count (a whole number).",
        "whole": "`my_count` is a whole number",
        "count": "`my_count` is the number of parameters Keras counts for 784 → 256 "
        "→ 128 → 10",
        "hint": "Each Dense layer has (inputs + 1) × units parameters; add the three "
        "layers.",
        "hint2": "The three layers see 784, 256 and 128 inputs and have 256, 128 and "
        "10 units; the + 1 is each unit's bias.",
        "no_bias": "You counted only the kernels: every unit also has one bias.",
        "first_only": "That is the first layer only: add the second and the output "
        "layer.",
    },
    "ex-dense-forward": {
        "needs": "Define `probs_by_hand`: your NumPy predictions for the first 100 "
        "test images, shape (100, 10).",
        "sums": "every row of `probs_by_hand` sums to 1",
        "same": "`probs_by_hand` equals the model's `predict`",
        "hint": "Flatten the images to (100, 784), then `@ W1 + b1`, ReLU "
        "(`np.maximum(..., 0)`), `@ W2 + b2`, softmax along axis 1.",
        "hint2": "Softmax once, on the logits: `e = np.exp(logits - "
        "logits.max(axis=1, keepdims=True))`, then divide by the row sums.",
        "twice": "Your rows are the softmax of probabilities: softmax was applied "
        "twice. The network's last layer already ends in softmax; apply it once, to "
        "the logits.",
        "logits": "The rows do not sum to 1: these are logits. Finish with softmax.",
    },
    "ex-dense-nobias": {
        "needs": "Define `no_bias`: a `keras.layers.Dense(16, use_bias=False)` "
        "called on a black image of 784 pixels.",
        "dense": "`no_bias` is a Dense layer",
        "count": "it has 784 × 16 weights and no bias",
        "zero": "it outputs zeros for all-black images",
        "hint": "Create the layer with `use_bias=False` and call it on "
        '`np.zeros((1, 784), dtype="float32")`.',
        "hint2": "A layer has weights only after it is built: calling it once on an "
        "input of 784 numbers builds it.",
        "has_bias": "Your layer has a bias: pass `use_bias=False` when you create it.",
    },
}

# What tests/test_practice.py runs: the chapter cells the checks need (by id), a
# small stand-in for the chapter's data, and one common mistake per exercise.
FIXTURE = [
    "12fe0afe",  # dense_params
    "x_test = np.random.default_rng(2).random((100, 28, 28))\n"
    "net = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(),\n"
    "    keras.layers.Dense(32, activation='relu'),\n"
    "    keras.layers.Dense(10, activation='softmax')])\n"
    "results = {32: (net, 0.8)}\n",
]
MISTAKES = {
    "ex-dense-count": ("no_bias", "my_count = 784 * 256 + 256 * 128 + 128 * 10\n"),
    "ex-dense-forward": (
        "twice",
        "W1, b1, W2, b2 = results[32][0].get_weights()\n"
        "X100 = x_test[:100].reshape(100, 784).astype('float32')\n"
        "logits = np.maximum(X100 @ W1 + b1, 0) @ W2 + b2\n"
        "p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)\n"
        "probs_by_hand = np.exp(p) / np.exp(p).sum(axis=1, keepdims=True)\n",
    ),
    "ex-dense-nobias": (
        "has_bias",
        "no_bias = keras.layers.Dense(16)\n"
        "out = no_bias(np.zeros((1, 784), dtype='float32'))\n",
    ),
}
