"""Checks of chapter 10's exercises (tools/derive/practice.py): the practice copies
run them on the learner's answers."""

import math


def full_data(t):
    n = int(t.number(t.chapter("n_full"), "n_full"))
    b = int(t.number(t.chapter("b"), "b"))
    batches = t.number(t.answer("batches"), "batches")
    t.prop("steps", batches == math.ceil(n / b))
    t.mistake("unbatched", batches == n)


def steps_of(t, name, table):
    c = t.answer(name, unless=list(table.values()))
    if not hasattr(c, "steps") or not hasattr(c, "sizes"):
        t.prop("counter", False)
        return None
    t.prop("counter", True)
    return c


def default_batch(t):
    c = steps_of(t, "c", t.chapter("table"))
    if c is None:
        return
    t.mistake("full_batch", c.steps == 1)
    t.prop("steps", c.steps == math.ceil(1000 / 32) and sum(c.sizes) == 1000)
    t.prop("last", c.sizes[0] == 32 and c.sizes[-1] == 1000 % 32)


def validation_split(t):
    c = steps_of(t, "c", t.chapter("table"))
    if c is None:
        return
    t.mistake("no_split", sum(c.sizes) == 1000)
    t.prop("examples", sum(c.sizes) == 800)
    t.prop("steps", c.steps == math.ceil(800 / 64) and c.sizes[-1] == 800 % 64)


CHECKS = {
    "ex-bes-full-data": full_data,
    "ex-bes-default-batch": default_batch,
    "ex-bes-validation-split": validation_split,
}

# --- words and tests: tools/derive/learner.py copies only what is above this line ---

TEXT = {
    "ex-bes-full-data": {
        "needs": "Define `batches`: `len()` of a `tf.data.Dataset` of `n_full` "
        "elements batched by `b`, for the last batch size `b` you tried.",
        "steps": "`batches` is the number of steps of one epoch at batch `b`",
        "hint": "`tf.data.Dataset.range(n_full).batch(b)` makes the batches; `len()` "
        "counts them. Compare with `math.ceil(n_full / b)`.",
        "hint2": "Loop over the two batch sizes, 32 and 100, and compute `batches` "
        "for each.",
        "unbatched": "`batches` equals the number of images: the dataset was not "
        "batched. Call `.batch(b)` before `len()`.",
    },
    "ex-bes-default-batch": {
        "needs": "Define `c`: the counter `count_one_epoch(1000, None)` returns.",
        "counter": "`c` is what `count_one_epoch` returns",
        "steps": "it counted the steps of the default batch size on 1,000 examples",
        "last": "its first batch is full and its last holds the remainder",
        "hint": "Call `count_one_epoch(1000, None)` and read `c.steps` and `c.sizes`.",
        "hint2": "`batch_size=None` means Keras' default, 32: 1000 = 31 × 32 + 8.",
        "full_batch": "One step means one batch of all 1,000 examples: pass `None` "
        "(the default), not 1000.",
    },
    "ex-bes-validation-split": {
        "needs": "Define `c`: the counter `count_one_epoch(1000, 64, "
        "validation_split=0.2)` returns.",
        "counter": "`c` is what `count_one_epoch` returns",
        "examples": "it trained on 800 examples",
        "steps": "it took ceil(800 / 64) steps, the last with 800 mod 64 examples",
        "hint": "Pass `validation_split=0.2` to `count_one_epoch`: it hands it to "
        "`fit`.",
        "hint2": "Only the 800 training examples make batches of 64; the 200 "
        "validation examples never trigger an update.",
        "no_split": "`c` trained on all 1,000 examples: pass `validation_split=0.2`.",
    },
}

# What tests/test_practice.py runs: the chapter cells the checks need (by id), a
# small stand-in for the chapter's data, and one common mistake per exercise.
FIXTURE = [
    "fake_datasets(1100, 100)",
    "b275e3f2",  # the data, make_model
    "f256c4aa",  # ExamplesSeen
    "0a4b49dd",  # StepCounter
    "96716c38",  # count_one_epoch, table
    "n_full = 60_000\n",
]
MISTAKES = {
    "ex-bes-full-data": (
        "unbatched",
        "for b in [32, 100]:\n    batches = len(tf.data.Dataset.range(n_full))\n",
    ),
    "ex-bes-default-batch": ("full_batch", "c = count_one_epoch(1000, 1000)\n"),
    "ex-bes-validation-split": ("no_split", "c = count_one_epoch(1000, 64)\n"),
}
