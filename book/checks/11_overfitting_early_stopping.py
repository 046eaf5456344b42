"""Checks of chapter 11's exercises (tools/derive/practice.py): the practice copies
run them on the learner's answers."""

import math

import numpy as np


def no_restore(t):
    hist = t.answer("hist_last")
    loss_now = t.number(t.answer("loss_now"), "loss_now")
    losses = np.asarray(getattr(hist, "history", {}).get("val_loss", []), float)
    t.prop("history", losses.size > 0)
    if not losses.size:
        return
    t.prop("stopped", losses.size < 100 and np.argmin(losses) == losses.size - 6)
    t.prop("last", abs(loss_now - losses[-1]) < 1e-3)
    t.mistake(
        "restored", abs(loss_now - losses.min()) < 1e-3 < losses[-1] - losses.min()
    )


def more_data(t):
    n = len(t.chapter("x_train")[:4000])
    hist = t.answer("hist_more")
    gap = t.number(t.answer("gap_more"), "gap_more")
    h = getattr(hist, "history", {})
    params = getattr(hist, "params", {})
    t.prop("epochs", len(h.get("accuracy", [])) == 15)
    t.prop("images", params.get("steps") == math.ceil(n / 128))
    if h.get("accuracy") and h.get("val_accuracy"):
        train, val = h["accuracy"][-1], h["val_accuracy"][-1]
        t.prop("gap", abs(gap - (train - val)) < 1e-6)
        t.mistake("reversed", abs(gap - (val - train)) < 1e-6 and train != val)


CHECKS = {
    "ex-es-no-restore": no_restore,
    "ex-more-data": more_data,
}

# --- words and tests: tools/derive/learner.py copies only what is above this line ---

TEXT = {
    "ex-es-no-restore": {
        "needs": "Define `hist_last` (the History of the run with "
        '`EarlyStopping(monitor="val_loss", patience=5)`) and `loss_now` (the '
        "validation loss of the model after it).",
        "history": "`hist_last` is the History `fit` returns",
        "stopped": "training stopped 5 epochs after the best validation loss",
        "last": "`loss_now` is the last epoch's validation loss",
        "hint": "Same `build_model([256, 256])`, same `fit` as section 5, with "
        '`keras.callbacks.EarlyStopping(monitor="val_loss", patience=5)` only.',
        "hint2": "Then `evaluate` the model on `x_val`, `y_val`: the first number is "
        "the loss.",
        "restored": "`loss_now` is the best epoch's loss: the best weights were "
        "restored. Leave out `restore_best_weights`.",
    },
    "ex-more-data": {
        "needs": "Define `hist_more` (the History of 15 epochs on the first 4,000 "
        "images) and `gap_more` (its final train - validation accuracy gap).",
        "epochs": "`hist_more` has 15 epochs",
        "images": "each epoch took the steps of 4,000 images at batch 128",
        "gap": "`gap_more` is the final training accuracy minus the validation one",
        "hint": "`build_model([256, 256]).fit(x_train[:4000], y_train[:4000], "
        "epochs=15, batch_size=128, validation_data=val_data)`.",
        "hint2": "Read `accuracy` and `val_accuracy` from `hist_more.history`, last "
        "epoch, training minus validation.",
        "reversed": "Your gap is validation minus training: the chapter's gap is "
        "training minus validation, positive when the model overfits.",
    },
}

# What tests/test_practice.py runs: the chapter cells the checks need (by id), a
# small stand-in for the chapter's data, and one common mistake per exercise.
FIXTURE = [
    "fake_datasets(1400, 50)",
    "ffa76f8b",  # x_small, x_val, val_data
    "x_small, y_small = x_small[:300], y_small[:300]",
    "f39d60ae",  # build_model, and the 40-epoch run
    "h = history.history\n",
]
MISTAKES = {
    "ex-es-no-restore": (
        "restored",
        "model_last = build_model([256, 256])\n"
        "stopper = keras.callbacks.EarlyStopping(monitor='val_loss', patience=5,\n"
        "    restore_best_weights=True)\n"
        "hist_last = model_last.fit(x_small, y_small, epochs=100, batch_size=128,\n"
        "    validation_data=val_data, callbacks=[stopper], verbose=0)\n"
        "loss_now, _ = model_last.evaluate(x_val, y_val, verbose=0)\n",
    ),
    "ex-more-data": (
        "reversed",
        "hist_more = build_model([256, 256]).fit(x_train[:4000], y_train[:4000],\n"
        "    epochs=15, batch_size=128, validation_data=val_data, verbose=0)\n"
        "m = hist_more.history\n"
        "gap_more = m['val_accuracy'][-1] - m['accuracy'][-1]\n",
    ),
}
