"""Checks of chapter 14's exercises (tools/derive/practice.py): the practice copies
run them on the learner's answers."""

import numpy as np


def softmax_output(t):
    a = t.number(t.answer("acc_logits"), "acc_logits")
    b = t.number(t.answer("acc_softmax"), "acc_softmax")
    t.prop("range", 0 <= a <= 1 and 0 <= b <= 1)
    t.prop("agree", abs(a - b) < 0.01)
    t.mistake("mismatch", abs(a - b) > 0.05)


def top2(t):
    probs = t.array(t.chapter("probs"), "probs")
    y_test = np.asarray(t.chapter("y_test"))
    mine = t.number(t.answer("top2_acc"), "top2_acc")
    order = np.argsort(probs, axis=1, kind="stable")
    want = np.mean((order[:, -2:] == y_test[:, None]).any(axis=1))
    t.prop("top2", abs(mine - want) < 1e-9)
    t.prop("above", mine >= np.mean(order[:, -1] == y_test))
    low = np.mean((order[:, :2] == y_test[:, None]).any(axis=1))
    t.mistake("lowest", abs(mine - low) < 1e-9 and low != want)


def partner(t):
    off = np.asarray(t.chapter("off"))
    cm = np.asarray(t.chapter("cm"))
    mine = t.array(t.answer("partner"), "partner", (10,)).astype(int)
    t.prop("partner", np.array_equal(mine, off.argmax(axis=1)))
    t.prop("other", np.all(mine != np.arange(10)))
    t.mistake("diagonal", np.array_equal(mine, cm.argmax(axis=1)))


CHECKS = {
    "ex-fashion-softmax-output": softmax_output,
    "ex-fashion-top2": top2,
    "ex-fashion-partner": partner,
}

# --- words and tests: tools/derive/learner.py copies only what is above this line ---

TEXT = {
    "ex-fashion-softmax-output": {
        "needs": "Define `acc_logits` and `acc_softmax`: the test accuracies of the "
        "two models, from your `build`.",
        "range": "both are accuracies between 0 and 1",
        "agree": "they agree within 0.01",
        "hint": "`build(last_activation)` builds, compiles, trains and evaluates one "
        "model; `from_logits` must be True exactly when the last layer has no "
        "activation.",
        "hint2": "Reseed inside `build`, so both models start from the same "
        "weights, and set `from_logits` by whether `last_activation` is None.",
        "mismatch": "The two accuracies are far apart: one model's loss does not "
        "match its output. A softmax output needs `from_logits=False`; plain logits "
        "need `from_logits=True`.",
    },
    "ex-fashion-top2": {
        "needs": "Define `top2_acc`: the share of test images whose true class is "
        "one of the two most probable.",
        "top2": "`top2_acc` is the top-2 accuracy of `probs`",
        "above": "it is at least the plain accuracy",
        "hint": '`np.argsort(probs, axis=1, kind="stable")` orders each row\'s '
        "classes from least to most probable.",
        "hint2": "Keep the last two columns, compare them with `y_test[:, None]`, "
        "and take the mean of `.any(axis=1)`.",
        "lowest": "You kept the first two columns of the sort: those are the two "
        "least probable classes. The top 2 are the last two.",
    },
    "ex-fashion-partner": {
        "needs": "Define `partner`: for each class, the class it is most often "
        "mistaken for.",
        "partner": "`partner` is each row's largest off-diagonal count in `cm`",
        "other": "no class is its own partner",
        "hint": "`off` is `cm` with its diagonal set to 0: take the argmax of each "
        "row.",
        "hint2": "`off.argmax(axis=1)`: rows are true classes, so a row's largest "
        "entry is the class it is mistaken for.",
        "diagonal": "Every class is its own partner: the diagonal counts the correct "
        "predictions. Use `off`, where the diagonal is 0.",
    },
}

# What tests/test_practice.py runs: the chapter cells the checks need (by id), a
# small stand-in for the chapter's data, and one common mistake per exercise.
FIXTURE = [
    "fake_datasets(600, 400)",
    "(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()\n"
    "class_names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',\n"
    "    'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']\n"
    "# predictions that mix up what the chapter's model mixes up\n"
    "rng = np.random.default_rng(14)\n"
    "mixed_with = np.array([6, 3, 4, 0, 2, 7, 0, 9, 0, 7])\n"
    "wrong_ones = rng.random(len(y_test)) < 0.2\n"
    "y_pred = np.where(wrong_ones, mixed_with[y_test], y_test)\n"
    "runner_up = np.where(wrong_ones, y_test, mixed_with[y_test])\n"
    "probs = np.full((len(y_test), 10), 0.1 / 8)\n"
    "probs[np.arange(len(y_test)), y_pred] = 0.6\n"
    "probs[np.arange(len(y_test)), runner_up] = 0.3\n"
    "cm = tf.math.confusion_matrix(y_test, y_pred, num_classes=10).numpy()\n"
    "off = cm.copy()\n"
    "np.fill_diagonal(off, 0)\n",
]
MISTAKES = {
    "ex-fashion-softmax-output": ("mismatch", "acc_logits, acc_softmax = 0.85, 0.62\n"),
    "ex-fashion-top2": (
        "lowest",
        "top2 = np.argsort(probs, axis=1, kind='stable')[:, :2]\n"
        "top2_acc = np.mean((top2 == y_test[:, None]).any(axis=1))\n",
    ),
    "ex-fashion-partner": ("diagonal", "partner = cm.argmax(axis=1)\n"),
}
