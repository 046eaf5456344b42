"""Checks of chapter 15's exercises (tools/derive/practice.py): the practice copies
run them on the learner's answers."""

import numpy as np


def bias_shift(t):
    logits = t.array(t.chapter("logits"), "logits")
    model = t.chapter("logit_model")
    x_test = t.chapter("data")["Fashion-MNIST"][2]
    shifted = t.array(t.answer("shifted"), "shifted", logits.shape)
    t.prop("shift", np.allclose(shifted - logits, 5.0, atol=1e-3))
    t.prop("classes", np.array_equal(shifted.argmax(1), logits.argmax(1)))
    now = np.asarray(model.predict(x_test[:20], verbose=0))
    restored = np.allclose(now, logits[:20], atol=1e-4)
    t.prop("restored", restored)
    t.mistake(
        "not_restored", not restored and np.allclose(now, shifted[:20], atol=1e-3)
    )


def ncm_ranking(t):
    y_te = np.asarray(t.chapter("data")["Fashion-MNIST"][3])
    ncm = np.asarray(t.chapter("overlap")["Fashion-MNIST"])
    mine = t.answer("per_class")
    if np.ndim(mine) == 0:
        t.prop("per_class", False)
        t.mistake("overall")
        return
    mine = t.array(mine, "per_class", (10,))
    want = np.array([np.mean(ncm[y_te == k] == k) for k in range(10)])
    t.prop("per_class", np.allclose(mine, want))
    worst = set(np.argsort(want, kind="stable")[:3])
    t.prop("garments", bool(worst & {0, 2, 4, 6}))


def more_epochs(t):
    trained = t.chapter("trained")
    gap = t.number(t.answer("gap"), "gap")
    names = ["MNIST practice", "Fashion practice"]
    ratios = [
        int(trained[n, "Fashion-MNIST"].optimizer.iterations)
        / max(int(trained[n, "MNIST"].optimizer.iterations), 1)
        for n in names
    ]
    t.prop("epochs", all(abs(r - 3) < 1e-9 for r in ratios))
    t.mistake("twenty", any(abs(r - 4) < 1e-9 for r in ratios))
    t.prop("gap", -1 < gap < 1)


CHECKS = {
    "ex-compare-bias-shift": bias_shift,
    "ex-compare-ncm-ranking": ncm_ranking,
    "ex-compare-more-epochs": more_epochs,
}

# --- words and tests: tools/derive/learner.py copies only what is above this line ---

TEXT = {
    "ex-compare-bias-shift": {
        "needs": "Define `shifted`: `logit_model`'s predictions on `x_test` with 5 "
        "added to every bias of its last layer.",
        "shift": "every logit in `shifted` is 5 above the one in `logits`",
        "classes": "the predicted classes are the same",
        "restored": "`logit_model` has its own biases back",
        "hint": "Read the last layer's kernel and bias with `get_weights()`, give it "
        "the bias plus 5 with `set_weights`, and `predict` again.",
        "hint2": "Afterwards, put the original `[kernel, bias]` back with "
        "`set_weights`: the sections after this one still use the model.",
        "not_restored": "`logit_model` still has the shifted biases: set the "
        "original weights back after predicting.",
    },
    "ex-compare-ncm-ranking": {
        "needs": "Define `per_class`: the nearest-class-mean accuracy of each of the "
        "10 Fashion-MNIST classes.",
        "per_class": "`per_class` holds one accuracy per class",
        "garments": "its three worst classes include an upper-body garment",
        "hint": '`overlap["Fashion-MNIST"]` holds the baseline\'s predicted classes '
        'for the test images; their true classes are `data["Fashion-MNIST"][3]`.',
        "hint2": "For each class k, the mean of `ncm[y_te == k] == k`.",
        "overall": "`per_class` is one number: that is the overall accuracy. Compute "
        "it separately for each class, over the images of that class.",
    },
    "ex-compare-more-epochs": {
        "needs": "Train the two Fashion-MNIST models of `trained` 10 more epochs and "
        "define `gap`: the last train - test accuracy gap you printed.",
        "epochs": "both models have trained 15 epochs in all",
        "gap": "`gap` is a difference of accuracies",
        "hint": "`fit` continues from a model's weights: call it on "
        '`trained[name, "Fashion-MNIST"]` for the 10 missing epochs.',
        "hint2": "Use the batch size of section 3, 64, so that the epochs count the "
        "same steps; then `evaluate` on the training and the test images.",
        "twenty": "A model has trained 20 epochs: section 3 already gave it 5, so 10 "
        "more make 15.",
    },
}

# What tests/test_practice.py runs: the chapter cells the checks need (by id), a
# small stand-in for the chapter's data, and one common mistake per exercise.
FIXTURE = [
    "fake_datasets(500, 200)",
    "19358176",  # data
    "73d123bf",  # the two models
    "f7b6101b",  # trained, results
    "2ff6ee5b",  # logit_model, logits
    "937c4a1b",  # class means
    "ca5c623d",  # overlap
    "7d5feec1",  # fashion_names
]
# Solutions whose asserts check a band of the real data's results, which the stand-in
# above cannot reach: the tests run them without those asserts.
BANDS = {"ex-compare-more-epochs"}
MISTAKES = {
    "ex-compare-bias-shift": (
        "not_restored",
        "kernel, bias = logit_model.layers[-1].get_weights()\n"
        "logit_model.layers[-1].set_weights([kernel, bias + 5.0])\n"
        "shifted = logit_model.predict(x_test, verbose=0)\n",
    ),
    "ex-compare-ncm-ranking": (
        "overall",
        "_, _, _, y_te = data['Fashion-MNIST']\n"
        "per_class = np.mean(overlap['Fashion-MNIST'] == y_te)\n",
    ),
    "ex-compare-more-epochs": (
        "twenty",
        "x_train, y_train, x_test, y_test = data['Fashion-MNIST']\n"
        "for name in ['MNIST practice', 'Fashion practice']:\n"
        "    m = trained[name, 'Fashion-MNIST']\n"
        "    m.fit(x_train, y_train, epochs=15, batch_size=64, verbose=0)\n"
        "    gap = m.evaluate(x_train, y_train, verbose=0)[1] - m.evaluate(\n"
        "        x_test, y_test, verbose=0)[1]\n",
    ),
}
