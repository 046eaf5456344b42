"""Checks of chapter 6's exercises (tools/derive/practice.py): the practice copies
run them on the learner's answers."""

import keras
import numpy as np


def fix_onehot(t):
    onehot = np.asarray(t.chapter("y_test_onehot"))[:1000]
    labels = t.answer("back_to_int")
    if np.ndim(labels) == 0:
        t.prop("labels", False)
        t.mistake("no_axis")
        return
    labels = t.array(labels, "back_to_int", (len(onehot),))
    fixed = t.number(t.answer("fixed"), "fixed")
    t.prop("labels", np.array_equal(labels, onehot.argmax(axis=1)))
    t.prop("same", abs(fixed - t.number(t.chapter("cce"), "cce")) < 1e-6)


def binary_logits(t):
    z = np.array([2.0, -1.0, 0.5, -3.0])[:, None]  # the exercise's scores
    labels = np.array([1.0, 0.0, 0.0, 1.0])[:, None]
    right = t.number(t.answer("right"), "right")
    also = t.number(t.answer("also_right"), "also_right")
    wrong = t.number(t.answer("wrong"), "wrong")
    loss = keras.losses.BinaryCrossentropy(from_logits=True)
    truth = float(loss(labels, z))
    t.prop("right", abs(right - truth) < 1e-5)
    t.prop("also", abs(also - right) < 1e-5)
    t.prop("wrong", abs(wrong - right) > 0.5)
    t.mistake("swapped", abs(right - truth) > 1e-5 and abs(wrong - truth) < 1e-5)


def loss_mae(t):
    model = t.answer("mae_model")
    score = t.number(t.answer("mae_trained"), "mae_trained")
    f_test, t_test = t.chapter("f_test"), np.asarray(t.chapter("t_test"))
    t_train = np.asarray(t.chapter("t_train"))
    loss = getattr(model, "loss", None)
    name = loss if isinstance(loss, str) else type(loss).__name__
    mae = name in ("mae", "mean_absolute_error", "MeanAbsoluteError")
    t.prop("loss", mae)
    t.mistake("mse", not mae)
    t.prop("fresh", model is not t.chapter("regressor"))
    pred = np.asarray(model.predict(f_test, verbose=0)).reshape(-1)
    t.prop("score", abs(np.mean(np.abs(pred - t_test)) - score) < 0.5)
    t.prop("beats", score < np.mean(np.abs(t_test - t_train.mean())))


CHECKS = {
    "ex-loss-fix-onehot": fix_onehot,
    "ex-loss-binary-logits": binary_logits,
    "ex-loss-mae": loss_mae,
}

# --- words and tests: tools/derive/learner.py copies only what is above this line ---

TEXT = {
    "ex-loss-fix-onehot": {
        "needs": "Define `back_to_int` (the integer labels of `y_test_onehot[:1000]`) "
        "and `fixed` (the sparse loss on `probs` with them).",
        "labels": "`back_to_int` holds one integer label per row",
        "same": "`fixed` equals the categorical loss `cce` of section 2",
        "hint": "The label of a one-hot row is the position of its 1: `np.argmax` "
        "along the class axis.",
        "hint2": "`np.argmax(y_test_onehot[:1000], axis=1)`, then "
        "`keras.losses.SparseCategoricalCrossentropy()(back_to_int, probs)`.",
        "no_axis": "`back_to_int` is a single number: without `axis=1`, `np.argmax` "
        "looks at the whole flattened array.",
    },
    "ex-loss-binary-logits": {
        "needs": "Define `right` (from_logits=True on z), `also_right` (the default "
        "loss on sigmoid(z)) and `wrong` (from_logits=False on z).",
        "right": "`right` is the binary cross-entropy of the scores",
        "also": "`also_right` equals `right`",
        "wrong": "`wrong` is far from `right`",
        "hint": "`keras.losses.BinaryCrossentropy(from_logits=True)(labels, z)`; for "
        "the other two, the default loss on `keras.activations.sigmoid(z)` and on `z`.",
        "hint2": "Give z and the labels as columns, shape (4, 1), as the exercise's "
        "arrays are.",
        "swapped": "`wrong` holds the right value: `from_logits=True` belongs with "
        "the raw scores z; the default (`from_logits=False`) expects probabilities.",
    },
    "ex-loss-mae": {
        "needs": "Define `mae_model` (a fresh copy of `regressor` trained with "
        '`loss="mae"`) and `mae_trained` (its test MAE).',
        "loss": "`mae_model` is compiled with the MAE loss",
        "fresh": "`mae_model` is a new model, not `regressor` trained further",
        "score": "`mae_trained` is the test MAE of `mae_model`",
        "beats": "it beats always predicting the training mean",
        "hint": "`keras.models.clone_model(regressor)` gives the same layers with new "
        'weights; compile it with `loss="mae"` and `metrics=["mae"]`.',
        "hint2": "Train it as section 6 trains `regressor` (Adam(0.02), 25 epochs, "
        'batch 32), then evaluate it on `f_test` and `t_test`: with `metrics=["mae"]` '
        "the second number `evaluate` returns is the MAE.",
        "mse": '`mae_model` is not compiled with `loss="mae"`: the exercise trains '
        "on the metric it reports.",
    },
}

# What tests/test_practice.py runs: the chapter cells the checks need (by id), a
# small stand-in for the chapter's data, and one common mistake per exercise.
FIXTURE = [
    "rng = np.random.default_rng(6)\n"
    "y_test = rng.integers(0, 10, 1000)\n"
    "y_test_onehot = keras.utils.to_categorical(y_test, 10)\n"
    "probs = rng.dirichlet(np.ones(10), 1000)\n"
    "cce = float(keras.losses.CategoricalCrossentropy()(y_test_onehot, probs))\n",
    "07374743",  # the diabetes data
    "19144fdb",  # regressor
]
MISTAKES = {
    "ex-loss-fix-onehot": (
        "no_axis",
        "back_to_int = np.argmax(y_test_onehot[:1000])\n"
        "fixed = float(keras.losses.SparseCategoricalCrossentropy()(y_test[:1000], "
        "probs))\n",
    ),
    "ex-loss-binary-logits": (
        "swapped",
        "z = np.array([[2.0], [-1.0], [0.5], [-3.0]])\n"
        "labels = np.array([[1.0], [0.0], [0.0], [1.0]])\n"
        "right = float(keras.losses.BinaryCrossentropy()(labels, z))\n"
        "also_right = right\n"
        "wrong = float(keras.losses.BinaryCrossentropy(from_logits=True)(labels, z))\n",
    ),
    "ex-loss-mae": (
        "mse",
        "mae_model = keras.models.clone_model(regressor)\n"
        "mae_model.compile(optimizer=keras.optimizers.Adam(0.02), loss='mse',\n"
        "    metrics=['mae'])\n"
        "mae_model.fit(f_train, t_train, epochs=25, batch_size=32, verbose=0)\n"
        "_, mae_trained = mae_model.evaluate(f_test, t_test, verbose=0)\n",
    ),
}
