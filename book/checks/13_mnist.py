"""Checks of chapter 13's exercises (tools/derive/practice.py): the practice copies
run them on the learner's answers."""

import keras
import numpy as np


def no_dropout(t):
    x_test, y_test = t.chapter("x_test"), t.chapter("y_test")
    model = t.answer("no_dropout")
    acc = t.number(t.answer("acc_no_dropout"), "acc_no_dropout")
    layers = getattr(model, "layers", [])
    dropout = [x for x in layers if isinstance(x, keras.layers.Dropout)]
    units = [x.units for x in layers if isinstance(x, keras.layers.Dense)]
    t.prop("no_dropout", not dropout)
    t.mistake("kept", bool(dropout))
    t.prop("same", units == [128, 10])
    t.prop("trained", int(getattr(model.optimizer, "iterations", 0)) > 0)
    measured = model.evaluate(x_test, y_test, verbose=0)[1]
    t.prop("accuracy", abs(acc - measured) < 0.002)


def confident_mistakes(t):
    probs = t.array(t.chapter("probs"), "probs")
    y_pred, y_test = np.asarray(t.chapter("y_pred")), np.asarray(t.chapter("y_test"))
    worst = t.array(t.answer("worst"), "worst", (3,)).astype(int)
    t.prop("wrong", np.all(y_pred[worst] != y_test[worst]))
    wrong = np.flatnonzero(y_pred != y_test)
    confidence = np.max(probs[wrong], axis=1)  # the predicted class's probability
    top = np.sort(confidence)[::-1][:3]
    mine = np.max(probs[worst], axis=1)
    t.prop("confident", np.allclose(np.sort(mine)[::-1], top))
    t.mistake("least", np.allclose(np.sort(mine), np.sort(confidence)[:3]))


def per_digit(t):
    cm = np.asarray(t.chapter("cm"), float)
    answer = t.answer("per_digit")
    with np.errstate(all="ignore"):  # a digit never predicted: 0 / 0
        by_columns = np.diag(cm) / cm.sum(axis=0)
        if np.shape(answer) == (10,) and np.allclose(
            np.asarray(answer, float), by_columns, equal_nan=True
        ):
            t.prop("rows", False)
            t.mistake("columns")
            return
    mine = t.array(answer, "per_digit", (10,))
    t.prop("rows", np.allclose(mine, np.diag(cm) / cm.sum(axis=1)))


CHECKS = {
    "ex-mnist-no-dropout": no_dropout,
    "ex-mnist-confident-mistakes": confident_mistakes,
    "ex-mnist-per-digit": per_digit,
}

# --- words and tests: tools/derive/learner.py copies only what is above this line ---

TEXT = {
    "ex-mnist-no-dropout": {
        "needs": "Define `no_dropout` (the model without the Dropout layer, trained) "
        "and `acc_no_dropout` (its test accuracy).",
        "no_dropout": "`no_dropout` has no Dropout layer",
        "same": "its other layers are the chapter's: Dense(128) and Dense(10)",
        "trained": "it has been trained",
        "accuracy": "`acc_no_dropout` is its accuracy on the test images",
        "hint": "Copy the chapter's model without `keras.layers.Dropout(0.2)`, "
        "reseed with `keras.utils.set_random_seed(SEED)`, compile and fit as before.",
        "hint2": "`evaluate` returns [loss, accuracy]: take the second, on `x_test`, "
        "`y_test`.",
        "kept": "`no_dropout` still has a Dropout layer: leave it out of the list of "
        "layers.",
    },
    "ex-mnist-confident-mistakes": {
        "needs": "Define `worst`: the indices of the three misclassified test images "
        "with the highest predicted probability.",
        "wrong": "every image in `worst` is misclassified",
        "confident": "they are the three mistakes with the highest probability",
        "hint": "`wrong` holds the indices of the mistakes; the probability of a "
        "prediction is `probs[wrong, y_pred[wrong]]`.",
        "hint2": 'Sort that confidence (`np.argsort(..., kind="stable")`), reverse '
        "it, keep three, and map the positions back through `wrong`.",
        "least": "These are the three least confident mistakes: reverse the sort "
        "(`[::-1]`) to start from the highest probability.",
    },
    "ex-mnist-per-digit": {
        "needs": "Define `per_digit`: the accuracy of each of the 10 digits, from "
        "`cm`.",
        "rows": "`per_digit` is each digit's share of its images predicted correctly",
        "hint": "The diagonal of `cm` counts the correct predictions of each digit.",
        "hint2": "Each row of `cm` holds every image of one true digit: divide the "
        "diagonal by the row sums, `cm.sum(axis=1)`.",
        "columns": "You divided by the column sums: a column holds the images "
        "predicted as a digit (that is precision). Divide by the row sums.",
    },
}

# What tests/test_practice.py runs: the chapter cells the checks need (by id), a
# small stand-in for the chapter's data, and one common mistake per exercise.
FIXTURE = [
    "fake_datasets(600, 300)",
    "ca177bf0",
    "db2a9499",
    "392944e9",  # the model with Dropout
    "408dcb5e",  # trained
    "test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)\n",
    "d773b5e1",  # probs, y_pred
    "59b4151e",  # cm
    "wrong = np.flatnonzero(y_pred != y_test)\n",
]
MISTAKES = {
    "ex-mnist-no-dropout": (
        "kept",
        "no_dropout = keras.models.clone_model(model)\n"
        "no_dropout.compile(optimizer='adam', loss='sparse_categorical_crossentropy',\n"
        "    metrics=['accuracy'])\n"
        "no_dropout.fit(x_train, y_train, epochs=1, verbose=0)\n"
        "acc_no_dropout = no_dropout.evaluate(x_test, y_test, verbose=0)[1]\n",
    ),
    "ex-mnist-confident-mistakes": (
        "least",
        "confidence = probs[wrong, y_pred[wrong]]\n"
        "worst = wrong[np.argsort(confidence, kind='stable')[:3]]\n",
    ),
    "ex-mnist-per-digit": ("columns", "per_digit = np.diag(cm) / cm.sum(axis=0)\n"),
}
