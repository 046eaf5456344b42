"""Checks of chapter 8's exercises (tools/derive/practice.py): the practice copies
run them on the learner's answers."""

import numpy as np


def tanh_depth(t):
    norms = t.chapter("norms")
    g = t.array(t.answer("g_tanh"), "g_tanh", (11,))
    ratio = t.number(t.answer("ratio_tanh"), "ratio_tanh")
    sigmoid = norms["sigmoid"][0] / norms["sigmoid"][-1]
    t.prop("ratio", np.isclose(ratio, g[0] / g[-1], rtol=1e-3))
    t.prop("far", ratio > 100 * sigmoid)
    t.mistake("inverted", np.isclose(ratio, g[-1] / g[0], rtol=1e-3))


def dead_lr(t):
    after = t.answer("after_big_lr")
    if not isinstance(after, dict) or set(after) != {"relu", "leaky_relu"}:
        t.prop("keys", False)
        return
    t.prop("keys", True)
    shares = {k: np.asarray(v, dtype=float) for k, v in after.items()}
    if any(v.size != 1 for v in shares.values()):
        t.mistake("per_layer")
        return
    relu, leaky = (float(shares[k]) for k in ("relu", "leaky_relu"))
    t.prop("fractions", 0 <= relu <= 1 and 0 <= leaky <= 1)
    t.prop("more", relu > leaky)


def float_depth(t):
    shares = t.answer("shares")
    if not isinstance(shares, dict) or set(shares) != {"sigmoid", "relu"}:
        t.prop("keys", False)
        return
    sig = t.number(shares["sigmoid"], "shares['sigmoid']")
    relu = t.number(shares["relu"], "shares['relu']")
    t.prop("keys", True)
    t.prop("fractions", 0 <= sig <= 1 and 0 <= relu <= 1)
    t.prop("sigmoid", sig < 0.1)
    t.prop("relu", relu > 0.1)
    t.mistake("float64", sig > 0.9)


CHECKS = {
    "ex-tanh-depth": tanh_depth,
    "ex-dead-lr": dead_lr,
    "ex-float-depth": float_depth,
}

# --- words and tests: tools/derive/learner.py copies only what is above this line ---

TEXT = {
    "ex-tanh-depth": {
        "needs": 'Define `g_tanh` (the 11 kernel gradient norms of `deep_net("tanh")`) '
        "and `ratio_tanh` (first / last).",
        "ratio": "`ratio_tanh` is `g_tanh`'s first norm over its last",
        "far": "it is more than 100 times the sigmoid network's ratio",
        "hint": '`kernel_grad_norms(deep_net("tanh"))` gives the norms, input side '
        "first; reseed with `keras.utils.set_random_seed(SEED)` before building.",
        "hint2": "Divide the first norm by the last, as section 3 does for `norms`.",
        "inverted": "You divided the last norm by the first: the chapter's ratio is "
        "first / last.",
    },
    "ex-dead-lr": {
        "needs": 'Define `after_big_lr`: a dict from "relu" and "leaky_relu" to '
        "`never_positive` of each network after 2 epochs of `Adam(0.1)`.",
        "keys": '`after_big_lr` has the keys "relu" and "leaky_relu"',
        "fractions": "its values are fractions of units",
        "more": "ReLU loses more units than leaky ReLU",
        "hint": "For each activation: reseed, `deep_net(act, depth=3)`, compile with "
        "`keras.optimizers.Adam(0.1)`, fit 2 epochs on `x_train[:6000]`, then "
        "`never_positive(model, x_probe)`.",
        "hint2": "Use the chapter's `leaky` for leaky ReLU, and the loss "
        "`sparse_categorical_crossentropy`.",
        "per_layer": "Your values are lists: call `never_positive(model, x_probe)` "
        "without `per_layer=True` to get one fraction per network.",
    },
    "ex-float-depth": {
        "needs": 'Define `shares`: a dict from "sigmoid" and "relu" to the share of '
        "first-layer weights one SGD step changes.",
        "keys": '`shares` has the keys "sigmoid" and "relu"',
        "fractions": "its values are fractions",
        "sigmoid": "one step changes under 10% of the sigmoid network's weights",
        "relu": "it changes more than 10% of the ReLU network's",
        "hint": "Take the first-layer kernel `w` and its gradient `g` on the batch; a "
        "weight changes when `w - lr * g != w`.",
        "hint2": "Compute in float32, as the model stores its weights: `w - "
        "np.float32(0.01) * g`, not a float64 product.",
        "float64": "Almost every sigmoid weight changed: the step was computed in "
        "float64. Use `np.float32(lr)`, so that the rounding is float32's.",
    },
}

# What tests/test_practice.py runs: the chapter cells the checks need (by id), a
# small stand-in for the chapter's data, and one common mistake per exercise.
FIXTURE = [
    "fake_datasets(800, 100)",
    "0dfd9858",  # the data
    "6df8c4fa",  # deep_net
    "772c8123",  # x_batch, kernel_grad_norms, loss_fn
    "edf0b98a",  # norms
    "818e7a91",  # never_positive
    "leaky = lambda z: keras.activations.leaky_relu(z, negative_slope=0.1)\n"
    "x_probe = x_train[:300]\n",
]
MISTAKES = {
    "ex-tanh-depth": (
        "inverted",
        "g_tanh = kernel_grad_norms(deep_net('tanh'))\n"
        "ratio_tanh = g_tanh[-1] / g_tanh[0]\n",
    ),
    "ex-dead-lr": (
        "per_layer",
        "after_big_lr = {}\n"
        "for name, act in [('relu', 'relu'), ('leaky_relu', leaky)]:\n"
        "    model = deep_net(act, depth=3)\n"
        "    after_big_lr[name] = never_positive(model, x_probe, per_layer=True)\n",
    ),
    "ex-float-depth": (
        "float64",
        "def changed(act):\n"
        "    keras.utils.set_random_seed(SEED)\n"
        "    model = deep_net(act)\n"
        "    kernel = model.layers[1].kernel\n"
        "    with tf.GradientTape() as tape:\n"
        "        loss = loss_fn(y_batch, model(x_batch, training=True))\n"
        "    w = kernel.numpy().astype('float64')\n"
        "    g = tape.gradient(loss, kernel).numpy()\n"
        "    return (w - 0.01 * g != w).mean()\n"
        "shares = {'sigmoid': changed('sigmoid'), 'relu': changed('relu')}\n",
    ),
}
