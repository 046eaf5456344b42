"""Checks of chapter 4's exercises (tools/derive/practice.py): the practice copies
run them on the learner's answers."""

import numpy as np


def counts(p, y, threshold):
    yes, real = np.asarray(p) >= threshold, np.asarray(y) == 1
    return [int(np.sum(a & b)) for a, b in [(yes, real), (yes, ~real), (~yes, real)]]


def recall_at(p, y, threshold):
    tp, _, fn = counts(p, y, threshold)
    return tp / (tp + fn)


def recall_target(t):
    p, y = t.chapter("p_shirt"), t.chapter("y_test_bin")
    best = t.number(t.answer("best"), "best")
    t.prop("grid", np.isclose(np.linspace(0.01, 0.99, 99), best).any())
    t.prop("recall", recall_at(p, y, best) >= 0.9)
    t.prop("largest", best >= 0.99 or recall_at(p, y, best + 0.01) < 0.9)
    t.mistake("smallest", np.isclose(best, 0.01))
    t.mistake(
        "below", recall_at(p, y, best) < 0.9 and recall_at(p, y, best - 0.01) >= 0.9
    )


def sklearn_counts(t):
    p, y = t.chapter("p_shirt"), t.chapter("y_test_bin")
    mine = [t.number(t.answer(n), n) for n in ("tp_s", "fp_s", "fn_s", "tn_s")]
    tp, fp, fn = counts(p, y, 0.3)
    tn = len(y) - tp - fp - fn
    t.prop("total", sum(mine) == len(y))
    t.prop("counts", mine == [tp, fp, fn, tn])
    t.mistake("order", mine == [tn, fp, fn, tp] and tn != tp)


def sandal_sneaker(t):
    y_test = np.asarray(t.chapter("y_test"))
    ys = t.array(t.answer("ys_test"), "ys_test")
    p = t.array(t.answer("p_sneaker"), "p_sneaker", ys.shape)
    shoes = np.isin(y_test, [5, 7])
    t.mistake("all_classes", len(ys) == len(y_test))
    t.prop("subset", len(ys) == shoes.sum() and set(np.unique(ys)) <= {0, 1})
    t.prop("sneaker", len(ys) == shoes.sum() and np.array_equal(ys, y_test[shoes] == 7))
    t.prop("probabilities", np.all((p >= 0) & (p <= 1)))
    tp, fp, fn = counts(p, ys, 0.5)
    t.prop("separates", tp + fp > 0 and min(tp / (tp + fp), tp / (tp + fn)) > 0.9)


CHECKS = {
    "ex-output-recall-target": recall_target,
    "ex-output-sklearn": sklearn_counts,
    "ex-output-sandal": sandal_sneaker,
}

# --- words and tests: tools/derive/learner.py copies only what is above this line ---

TEXT = {
    "ex-output-recall-target": {
        "needs": "Define `best`: the largest threshold on the grid whose recall is at "
        "least 0.9.",
        "grid": "`best` is a point of `np.linspace(0.01, 0.99, 99)`",
        "recall": "its recall is at least 0.9",
        "largest": "the next grid point's recall is below 0.9: `best` is the largest",
        "hint": "Compute the recall at every grid point with `confusion_counts` and "
        "`precision_recall`, then keep the thresholds whose recall is at least 0.9.",
        "hint2": "`grid[recalls >= 0.9].max()`: recall only falls as the threshold "
        "rises, so the largest qualifying threshold is the answer.",
        "smallest": "0.01 is the smallest threshold: every image is flagged. The "
        "question asks for the largest threshold that still finds 90% of the shirts.",
        "below": "One step too far: the recall at `best` is below 0.9. Take the last "
        "threshold whose recall is still at least 0.9.",
    },
    "ex-output-sklearn": {
        "needs": "Define `tp_s`, `fp_s`, `fn_s`, `tn_s`: scikit-learn's four counts "
        "at threshold 0.3.",
        "total": "the four counts add up to the number of test images",
        "counts": "each count is the right one at threshold 0.3",
        "hint": "`confusion_matrix(y_test_bin, (p_shirt >= 0.3).astype(int))` gives a "
        "2 × 2 table; `.ravel()` flattens it.",
        "hint2": "scikit-learn's rows are the true classes and its columns the "
        "predictions, both in the order 0, 1: `.ravel()` gives TN, FP, FN, TP.",
        "order": "Your TP and TN are swapped: `confusion_matrix(...).ravel()` gives "
        "TN, FP, FN, TP, in that order.",
    },
    "ex-output-sandal": {
        "needs": "Define `ys_test` (1 for sneaker, 0 for sandal, test images of those "
        "two classes only) and `p_sneaker` (your model's probabilities for them).",
        "subset": "`ys_test` holds only the sandal and sneaker test images, as 0 and 1",
        "sneaker": "1 means sneaker (class 7)",
        "probabilities": "`p_sneaker` holds probabilities, one per image",
        "separates": "at threshold 0.5 precision and recall are both above 0.9",
        "hint": "Keep the two classes with `np.isin(y_test, [5, 7])`, label sneakers "
        "1 with `== 7`, and train the chapter's sigmoid model on them.",
        "hint2": "Filter the training set the same way, fit for 2 epochs, then "
        "`p_sneaker = shoe_model.predict(xs_test, verbose=0)[:, 0]`.",
        "all_classes": "`ys_test` has every test image: keep only sandals and "
        "sneakers (`np.isin(y_test, [5, 7])`), or the task is not binary.",
    },
}

# What tests/test_practice.py runs: the chapter cells the checks need (by id), a
# small stand-in for the chapter's data, and one common mistake per exercise.
FIXTURE = [
    "rng = np.random.default_rng(3)\n"
    "y_train, y_test = rng.integers(0, 10, 1200), rng.integers(0, 10, 600)\n"
    "def images(y):  # sneakers (7) bright in the top half: easy to tell apart\n"
    "    x = rng.random((len(y), 28, 28)).astype('float32') * 0.3\n"
    "    x[y == 7, :14] += 0.6\n"
    "    return x\n"
    "x_train, x_test = images(y_train), images(y_test)\n"
    "y_test_bin = (y_test == 6).astype('float32')\n"
    "p_shirt = np.where(y_test_bin == 1, rng.uniform(0.2, 1, 600), rng.random(600))\n",
    "b58a1d34",  # confusion_counts, precision_recall
]
MISTAKES = {
    "ex-output-recall-target": ("smallest", "best = 0.01\n"),
    "ex-output-sklearn": (
        "order",
        "from sklearn.metrics import confusion_matrix\n"
        "decision = (p_shirt >= 0.3).astype(int)\n"
        "tp_s, fp_s, fn_s, tn_s = confusion_matrix(y_test_bin, decision).ravel()\n",
    ),
    "ex-output-sandal": (
        "all_classes",
        "ys_test = (y_test == 7).astype('float32')\n"
        "p_sneaker = np.clip(ys_test + 0.01, 0, 1)\n",
    ),
}
