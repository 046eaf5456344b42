"""Checks of chapter 1's exercises (tools/derive/practice.py): the practice copies
run them on the learner's answers."""

import numpy as np


def flatten_color(t):
    images = t.array(t.chapter("images"), "images")
    flat = t.array(t.answer("flat"), "flat")
    t.mistake("channels", flat.shape == (5, 32 * 32))
    t.mistake("batch", flat.size == images.size and flat.ndim == 1)
    t.prop("rows", flat.ndim == 2 and flat.shape[0] == len(images))
    t.prop("length", flat.ndim == 2 and flat.shape[1] == images[0].size)
    same = flat.shape == (len(images), images[0].size)
    t.prop("values", same and np.allclose(flat, images.reshape(len(images), -1)))


def flatten_order(t):
    image = t.array(t.chapter("x_train")[0], "x_train[0]")
    by_rows = t.array(t.answer("by_rows"), "by_rows", (image.size,))
    by_cols = t.array(t.answer("by_cols"), "by_cols", (image.size,))
    t.prop("rows", np.array_equal(by_rows, image.reshape(-1)))
    t.prop("cols", np.array_equal(by_cols, image.T.reshape(-1)))
    t.mistake("same_order", np.array_equal(by_cols, by_rows))


def flatten_permuted_weights(t):
    out_a = t.array(t.answer("out_a"), "out_a", (100, 16))
    out_b = t.array(t.answer("out_b"), "out_b", (100, 16))
    t.prop("moving", np.abs(out_a).max() > 0)
    same = np.allclose(out_a, out_b, atol=1e-5)
    t.prop("same", same)
    t.mistake("rows", not same)


CHECKS = {
    "ex-flatten-color": flatten_color,
    "ex-flatten-order": flatten_order,
    "ex-flatten-permuted-weights": flatten_permuted_weights,
}

# --- words and tests: tools/derive/learner.py copies only what is above this line ---

TEXT = {
    "ex-flatten-color": {
        "needs": "Define `flat`: `Flatten` applied to `images` (an array or a tensor).",
        "rows": "`flat` has one row per image",
        "length": "each row holds every number of its image",
        "values": "the rows are the images' numbers in order",
        "hint": "Call the layer on the batch: `keras.layers.Flatten()(images)`.",
        "hint2": "`Flatten` keeps the first axis (the batch) and multiplies all the "
        "others: 32 × 32 × 3 numbers per image.",
        "channels": "Each row has 32 × 32 numbers: the 3 colour channels are an axis "
        "too, and `Flatten` keeps them.",
        "batch": "Everything became one long vector: `Flatten` keeps the batch axis, "
        "so the result has one row per image.",
    },
    "ex-flatten-order": {
        "needs": "Define `by_rows` and `by_cols`: the first training image flattened "
        "row by row and column by column.",
        "rows": "`by_rows` is `x_train[0]` read row by row",
        "cols": "`by_cols` is `x_train[0]` read column by column",
        "hint": '`reshape` takes an `order` argument: `order="F"` reads columns first.',
        "hint2": '`image.reshape(784, order="F")` equals `image.T.reshape(784)`.',
        "same_order": '`by_cols` equals `by_rows`: pass `order="F"` to `reshape` '
        "for the column-by-column reading.",
    },
    "ex-flatten-permuted-weights": {
        "needs": "Define `out_a` and `out_b`: the two `Dense(16)` layers' outputs for "
        "the 100 plain and the 100 shuffled images.",
        "moving": "the layers output something other than zeros",
        "same": "`out_a` and `out_b` agree (up to float32 rounding)",
        "hint": "Copy the first layer's weights with `get_weights()`, reorder the "
        "kernel's rows, and give them to the second layer with `set_weights`.",
        "hint2": "The second layer's kernel is `kernel[perm]`: shuffled position i "
        "holds pixel `perm[i]`, which needs row `perm[i]`. Build the second layer "
        "for 784 inputs before `set_weights`.",
        "rows": "The outputs differ: the second kernel must be the first with its "
        "rows taken in the order `perm` (`kernel[perm]`), not the reverse, not its "
        "columns, and the same bias.",
    },
}

# What tests/test_practice.py runs: the chapter cells the checks need (by id), a
# small stand-in for the chapter's data, and one common mistake per exercise.
FIXTURE = [
    "x_train = np.random.default_rng(1).random((4, 28, 28))\n"
    "x_test = np.random.default_rng(2).random((120, 28, 28))\n",
    "31a767c7",  # perm, shuffle_pixels, x_test_shuf (and a figure)
    "images = np.random.default_rng(SEED).random((5, 32, 32, 3))\n",
]
MISTAKES = {
    "ex-flatten-color": ("channels", "flat = images[..., 0].reshape(5, -1)\n"),
    "ex-flatten-order": (
        "same_order",
        "by_rows = x_train[0].reshape(784)\nby_cols = x_train[0].reshape(784)\n",
    ),
    "ex-flatten-permuted-weights": (
        "rows",
        "plain = x_test[:100].reshape(100, 784).astype('float32')\n"
        "shuffled = x_test_shuf[:100].reshape(100, 784).astype('float32')\n"
        "layer_a = keras.layers.Dense(16)\n"
        "out_a = keras.ops.convert_to_numpy(layer_a(plain))\n"
        "kernel, bias = layer_a.get_weights()\n"
        "layer_b = keras.layers.Dense(16)\n"
        "layer_b.build((None, 784))\n"
        "layer_b.set_weights([kernel[np.argsort(perm)], bias])\n"
        "out_b = keras.ops.convert_to_numpy(layer_b(shuffled))\n",
    ),
}
