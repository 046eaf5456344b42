"""Checks of chapter 16's exercises (tools/derive/practice.py): the practice copies
run them on the learner's answers."""

import numpy as np


def gradcheck(t):
    forward_backward, init = t.chapter("forward_backward"), t.chapter("init")
    x_train, y_train, batch = (
        t.chapter("x_train"),
        t.chapter("y_train"),
        t.chapter("BATCH"),
    )
    numeric = t.number(t.answer("numeric"), "numeric")
    params = [np.asarray(w, "float64") for w in init]
    xb = np.asarray(x_train[:batch], "float64").reshape(batch, -1)
    grad = forward_backward(params, xb, y_train[:batch])[1][3][3]
    t.prop("match", abs(numeric - grad) < 1e-7)
    t.mistake("no_two", abs(numeric - 2 * grad) < 1e-7 and abs(grad) > 1e-6)


def optimizer(t):
    acc_tf, tolerance = t.chapter("acc_tf"), t.chapter("TOLERANCE")
    acc = t.number(t.answer("acc_opt"), "acc_opt")
    t.prop("range", 0 <= acc <= 1)
    t.prop("same", abs(acc - acc_tf) <= tolerance)
    t.mistake("no_update", abs(acc - 0.1) < 0.03 and acc_tf - acc > tolerance)


def adam(t):
    acc = t.number(t.answer("acc_adam"), "acc_adam")
    model = t.ns.get("model")
    name = type(getattr(model, "optimizer", None)).__name__
    t.prop("range", 0 <= acc <= 1)
    t.prop("adam", name == "Adam")
    t.mistake("sgd", name == "SGD")
    if name == "Adam":
        t.prop("rate", abs(float(model.optimizer.learning_rate) - 0.001) < 1e-9)


CHECKS = {
    "ex-fw-gradcheck": gradcheck,
    "ex-fw-optimizer": optimizer,
    "ex-fw-adam": adam,
}

# --- words and tests: tools/derive/learner.py copies only what is above this line ---

TEXT = {
    "ex-fw-gradcheck": {
        "needs": "Define `numeric`: your finite-difference estimate of dL/d`b2[3]`.",
        "match": "`numeric` equals the backward pass's gradient within 1e-7",
        "hint": "Copy the float64 weights twice, add `eps` to `b2[3]` in one copy "
        "and subtract it in the other, and compute the loss with both.",
        "hint2": "`b2` is the fourth array (index 3); divide the difference of the two "
        "losses by `2 * eps`, the distance between the two points.",
        "no_two": "Your estimate is twice the gradient: the two points are `2 * eps` "
        "apart, so divide by `2 * eps`.",
    },
    "ex-fw-optimizer": {
        "needs": "Define `acc_opt`: the test accuracy of your "
        "`train_tf_optimizer(init)`.",
        "range": "`acc_opt` is an accuracy",
        "same": "it equals the hand-written update's `acc_tf` within `TOLERANCE`",
        "hint": "Create `keras.optimizers.SGD(learning_rate=LR)` once, before the "
        "loops, and replace the update loop by one `apply_gradients` call.",
        "hint2": "`apply_gradients` takes (gradient, variable) pairs: `zip(grads, "
        "params)`.",
        "no_update": "The accuracy is near chance: the weights never changed. Call "
        "`apply_gradients` for every batch.",
    },
    "ex-fw-adam": {
        "needs": "Define `model` (the section 4 model compiled with `optimizer="
        '"adam"`) and `acc_adam` (its test accuracy after training).',
        "range": "`acc_adam` is an accuracy",
        "adam": "`model` is trained with Adam",
        "rate": "at its default learning rate, 0.001",
        "hint": "Build the model as section 4 does, `set_weights(init)`, and compile "
        'it with `optimizer="adam"`.',
        "hint2": "Train with the same batches (`batch_size=BATCH`, `shuffle=False`), "
        "then take the second number `evaluate` returns.",
        "sgd": '`model` still uses SGD: pass `optimizer="adam"` to `compile`.',
    },
}

# What tests/test_practice.py runs: the chapter cells the checks need (by id), a
# small stand-in for the chapter's data, and one common mistake per exercise.
FIXTURE = [
    "fake_datasets(600, 200)",
    "5a1dc6bd",  # data, EPOCHS, BATCH, LR, init
    "a79fc917",  # forward_backward
    "88b55fb3",  # train_tf, acc_tf
    "efc75186",  # train_keras, acc_keras
    "TOLERANCE = 0.01\n",
]
# Solutions whose asserts check a band of the real data's results, which the stand-in
# above cannot reach: the tests run them without those asserts.
BANDS = {"ex-fw-adam"}
MISTAKES = {
    "ex-fw-gradcheck": (
        "no_two",
        "params64 = [w.astype('float64') for w in init]\n"
        "xb64 = x_train[:BATCH].reshape(BATCH, -1).astype('float64')\n"
        "yb64 = y_train[:BATCH]\n"
        "eps = 1e-5\n"
        "plus, minus = [w.copy() for w in params64], [w.copy() for w in params64]\n"
        "plus[3][3] += eps\n"
        "minus[3][3] -= eps\n"
        "numeric = (forward_backward(plus, xb64, yb64)[0]\n"
        "    - forward_backward(minus, xb64, yb64)[0]) / eps\n",
    ),
    "ex-fw-optimizer": ("no_update", "acc_opt = 0.1\n"),
    "ex-fw-adam": (
        "sgd",
        "model = keras.Sequential([keras.Input(shape=(28, 28)),\n"
        "    keras.layers.Flatten(), keras.layers.Dense(64, activation='relu'),\n"
        "    keras.layers.Dense(10)])\n"
        "model.set_weights(init)\n"
        "loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n"
        "model.compile(optimizer='sgd', loss=loss, metrics=['accuracy'])\n"
        "model.fit(x_train, y_train, epochs=1, batch_size=BATCH, verbose=0)\n"
        "acc_adam = model.evaluate(x_test, y_test, verbose=0)[1]\n",
    ),
}
