"""Checks of chapter 9's exercises (tools/derive/practice.py): the practice copies
run them on the learner's answers."""

import numpy as np


def opt_threshold(t):
    f = t.answer("final_w")
    cases = [(0.1, 2.0, 3), (0.3, 1.0, 4), (0.05, 5.0, 10)]  # a = 2 and 1: unseen
    got = [t.number(t.call(f, lr, a=a, steps=n), "final_w(...)") for lr, a, n in cases]
    want = [(1 - 2 * a * lr) ** n for lr, a, n in cases]
    t.prop("descent", np.allclose(got, want))
    below = abs(t.number(t.call(f, 0.45, a=2.0, steps=30), "final_w(...)"))
    above = abs(t.number(t.call(f, 0.55, a=2.0, steps=30), "final_w(...)"))
    t.prop("threshold", below < 1 < above)
    t.mistake("no_two", np.allclose(got, [(1 - a * lr) ** n for lr, a, n in cases]))


def tuned_sgd(t):
    final = t.chapter("final")
    tuned = t.number(t.answer("tuned"), "tuned")
    t.prop("lower", tuned < final["SGD"])
    t.mistake("same_lr", abs(tuned - final["SGD"]) < 1e-4)


def rmsprop(t):
    path = t.array(t.answer("rms_path"), "rms_path", (51, 2))
    step = t.array(t.answer("first_step"), "first_step", (2,))
    t.prop("start", np.allclose(path[0], [-4.0, 1.0]))
    t.prop("step", np.allclose(step, path[1] - path[0]))
    t.prop("equal", np.isclose(abs(step[0]), abs(step[1]), rtol=0.01))
    t.prop("large", np.all(np.abs(step) > 0.1))
    t.mistake("adam", np.allclose(np.abs(step), 0.1, atol=0.005))


CHECKS = {
    "ex-opt-threshold": opt_threshold,
    "ex-opt-tuned-sgd": tuned_sgd,
    "ex-opt-rmsprop": rmsprop,
}

# --- words and tests: tools/derive/learner.py copies only what is above this line ---

TEXT = {
    "ex-opt-threshold": {
        "needs": "Define `final_w(lr, a=5.0, steps=30)`: w after `steps` steps of "
        "gradient descent on a * w² from w = 1.",
        "descent": "`final_w` follows gradient descent (checked for other a and steps)",
        "threshold": "for a = 2 it shrinks just below lr = 1/a and grows just above",
        "hint": "Each step is `w = w - lr * gradient`, and the gradient of a * w² is "
        "2 * a * w.",
        "hint2": "Start from `w = 1.0`, loop `steps` times, return `w`; the factor "
        "per step is 1 - 2 a lr, so the threshold is lr = 1/a.",
        "no_two": "Your steps use the gradient a * w: the derivative of a * w² is "
        "2 * a * w.",
    },
    "ex-opt-tuned-sgd": {
        "needs": "Define `tuned`: the final training loss of `train_with` with "
        "`keras.optimizers.SGD(learning_rate=0.1)`.",
        "lower": "`tuned` is below plain SGD's at 0.01",
        "hint": '`train_with(optimizer)` returns a History; its `history["loss"]` '
        "lists the loss of each epoch.",
        "hint2": "Take the last epoch's loss, `[-1]`, as `final` does for the other "
        "runs.",
        "same_lr": "`tuned` equals plain SGD's loss at 0.01: pass "
        "`learning_rate=0.1` to the new optimizer.",
    },
    "ex-opt-rmsprop": {
        "needs": "Define `rms_path` (the 51 points of `optimize_2d` with "
        "`RMSprop(learning_rate=0.1)`) and `first_step` (its first step).",
        "start": "`rms_path` starts at (-4, 1)",
        "step": "`first_step` is the difference of its first two points",
        "equal": "both coordinates move by the same amount",
        "large": "each moves by more than 0.1",
        "hint": "`optimize_2d(optimizer)` returns the path; the first step is "
        "`rms_path[1] - rms_path[0]`.",
        "hint2": "Give `optimize_2d` a new optimizer, "
        "`keras.optimizers.RMSprop(learning_rate=0.1)`: an optimizer object keeps "
        "its state between calls.",
        "adam": "Your first step is 0.1 in both coordinates: that is Adam's first "
        "step. RMSprop does not correct its average for starting at zero.",
    },
}

# What tests/test_practice.py runs: the chapter cells the checks need (by id), a
# small stand-in for the chapter's data, and one common mistake per exercise.
FIXTURE = [
    "8df19197",  # valley, optimize_2d
    "fake_datasets(600, 100)",
    "d0a848be",  # the data, make_model
    "07b69b56",  # train_with
    "final = {'SGD': train_with(keras.optimizers.SGD(learning_rate=0.01))"
    ".history['loss'][-1], 'Adam': 0.5}\n",
]
MISTAKES = {
    "ex-opt-threshold": (
        "no_two",
        "def final_w(lr, a=5.0, steps=30):\n"
        "    w = 1.0\n"
        "    for _ in range(steps):\n"
        "        w = w - lr * a * w\n"
        "    return w\n",
    ),
    "ex-opt-tuned-sgd": (
        "same_lr",
        "tuned = train_with(keras.optimizers.SGD(learning_rate=0.01))"
        ".history['loss'][-1]\n",
    ),
    "ex-opt-rmsprop": (
        "adam",
        "rms_path = optimize_2d(keras.optimizers.Adam(learning_rate=0.1))\n"
        "first_step = rms_path[1] - rms_path[0]\n",
    ),
}
