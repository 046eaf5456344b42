"""Checks of chapter 17's exercises (tools/derive/practice.py): the practice copies
run them on the learner's answers."""


def loss_name(model):
    loss = getattr(model, "loss", None)
    return loss if isinstance(loss, str) else type(loss).__name__


def output(model):
    last = model.layers[-1]
    return last.units, last.get_config().get("activation")


def wine(t):
    acc = t.number(t.answer("acc"), "acc")
    baseline = t.number(t.chapter("baseline"), "baseline")
    units, activation = output(t.chapter("model"))
    t.prop("outputs", units == 3 and activation == "softmax")
    t.mistake("binary", units == 1)
    t.prop("baseline", 0.3 < baseline < 0.5)
    t.prop("beats", acc > baseline)


def onehot(t):
    model = t.chapter("model")
    units, _ = output(model)
    loss = loss_name(model)
    if units != 10 or loss == "sparse_categorical_crossentropy":
        t.blank("model")  # still the wine model or section 4's
    acc = t.number(t.answer("acc"), "acc")
    digits = t.chapter("scores")["digits"][1]
    t.prop("loss", loss in ("categorical_crossentropy", "CategoricalCrossentropy"))
    t.mistake("binary", "binary" in loss.lower())
    t.prop("same", abs(acc - digits) <= 0.03)


def one_batch(t):
    losses = t.answer("losses")
    if not isinstance(losses, (list, tuple)) or len(losses) < 2:
        t.prop("steps", False)
        return
    losses = t.array(losses, "losses")
    acc = t.number(t.answer("acc_one"), "acc_one")
    t.prop("steps", len(losses) >= 50)
    t.prop("falls", losses[-1] < 0.2 < losses[0])
    t.prop("memorised", acc == 1.0)
    t.mistake("not_same", losses[-1] > 0.5 * losses[0])


def class_weight(t):
    weight = t.number(t.answer("weight"), "weight")
    slow = t.number(t.answer("slow"), "slow")
    fast = t.number(t.answer("fast"), "fast")
    t.prop("weight", 4 < weight < 8)  # 301 slower / 52 fast training patients
    t.mistake("inverted", 0 < weight < 1)
    t.prop("recalls", 0 <= slow <= 1 and 0 <= fast <= 1)
    t.prop("finds", fast > 0.5)  # section 8 found under half at this threshold


CHECKS = {
    "ex-recipe-wine": wine,
    "ex-recipe-onehot": onehot,
    "ex-recipe-one-batch": one_batch,
    "ex-recipe-class-weight": class_weight,
}

# --- words and tests: tools/derive/learner.py copies only what is above this line ---

TEXT = {
    "ex-recipe-wine": {
        "needs": "Define `model` (your wine model), `acc` (its test accuracy) and "
        "`baseline` (the majority-class accuracy).",
        "outputs": "`model` ends in 3 softmax outputs, one per cultivar",
        "baseline": "`baseline` is the share of the largest class (about 40 %)",
        "beats": "`acc` beats the baseline",
        "hint": 'Three cultivars: a multi-class task. `prepare(X, y, "multiclass")`, '
        '`build_model("multiclass", x_train.shape[1], 3)`, then `fit_recipe`.',
        "hint2": 'The baseline is `DummyClassifier(strategy="most_frequent")` fitted '
        "on the training set and scored on the test set.",
        "binary": "One output is for a binary task: the wine data has 3 classes, so "
        "the model needs 3 softmax outputs.",
    },
    "ex-recipe-onehot": {
        "needs": "Define `model` (a digits model compiled with "
        '`loss="categorical_crossentropy"`, trained on one-hot labels) and `acc` '
        "(its test accuracy).",
        "loss": "`model` is compiled with `categorical_crossentropy`",
        "same": "`acc` is within 0.03 of section 4's accuracy",
        "hint": "`keras.utils.to_categorical(y_train, 10)` makes the one-hot labels; "
        "compile the model from `build_model` again with the new loss.",
        "hint2": "Only the labels for training change: the test accuracy still "
        "compares `argmax` of the outputs with the integer `y_test`.",
        "binary": "`binary_crossentropy` treats the 10 outputs as 10 separate yes/no "
        "questions: one-hot labels of one class go with `categorical_crossentropy`.",
    },
    "ex-recipe-one-batch": {
        "needs": "Define `losses` (the loss after each `train_on_batch` step) and "
        "`acc_one` (the accuracy on that batch afterwards).",
        "steps": "`losses` holds the loss of many steps on the batch",
        "falls": "the loss falls from near ln 10 to below 0.2",
        "memorised": "every example of the batch is right afterwards",
        "hint": "Take one batch, `x_train[:32]` and `y_train[:32]`, and call "
        "`model.train_on_batch` on it 100 times, keeping each loss.",
        "hint2": '`train_on_batch(..., return_dict=True)["loss"]` is the loss of '
        "one step; `evaluate` on the same batch gives the accuracy.",
        "not_same": "The loss hardly falls: train on the same 32 examples at every "
        "step, not on a new batch each time.",
    },
    "ex-recipe-class-weight": {
        "needs": "Define `weight` (the weight of a fast patient), and `slow` and "
        "`fast` (the test recall of each class at the threshold of 0.5).",
        "weight": "`weight` is the number of slower training patients divided by the "
        "number of fast ones (between 4 and 8)",
        "recalls": "`slow` and `fast` are recalls, between 0 and 1",
        "finds": "the model finds more than half of the fast patients at 0.5",
        "hint": "Count each class in `y_train` with `(y_train == 0).sum()` and "
        "`(y_train == 1).sum()`, and pass `class_weight={0: 1.0, 1: weight}` to "
        "`model.fit` with the same `EarlyStopping` as `fit_recipe`.",
        "hint2": "`recall_score(y_test, pred, average=None)` gives one recall per "
        "class, slower first; `pred` is the model's probability at or above 0.5.",
        "inverted": "The weight is below 1: it makes the rare class count less. Put "
        "the larger count (the slower patients) on top.",
    },
}

# What tests/test_practice.py runs: the chapter cells the checks need (by id), a
# small stand-in for the chapter's data, and one common mistake per exercise.
FIXTURE = [
    "8b0e8a89",  # build_model
    "4c8d81f3",  # the breast cancer data
    "1de7b45c",  # prepare
    "783c768c",  # fit_recipe
    "from sklearn.datasets import load_wine\n"
    "from sklearn.dummy import DummyClassifier\n"
    "from sklearn.metrics import accuracy_score\n"
    "scores = {}\n",
    "2526f968",  # digits, section 4
    "0ea41180",  # scores['digits']
    "58e58b0b",  # own_seed, section 8
    "from sklearn.datasets import load_diabetes\n"
    "from sklearn.metrics import recall_score\n",
]
MISTAKES = {
    "ex-recipe-wine": (
        "binary",
        "from sklearn.datasets import load_wine\n"
        "X, y = load_wine(return_X_y=True)\n"
        "x_train, x_test, y_train, y_test = prepare(X, y, 'multiclass')\n"
        "model = build_model('binary', x_train.shape[1], 1)\n"
        "acc, baseline = 0.5, 0.4\n",
    ),
    "ex-recipe-one-batch": (
        "not_same",
        "model = build_model('multiclass', x_train.shape[1], 10)\n"
        "starts = range(0, 960, 32)\n"
        "batches = [(x_train[i : i + 32], y_train[i : i + 32]) for i in starts]\n"
        "losses = [float(model.train_on_batch(xb, yb, return_dict=True)['loss'])\n"
        "    for xb, yb in batches]\n"
        "acc_one = 0.5\n",
    ),
    "ex-recipe-onehot": (
        "binary",
        "model = build_model('multiclass', x_train.shape[1], 10)\n"
        "model.compile(optimizer='adam', loss='binary_crossentropy')\n"
        "acc = scores['digits'][1]\n",
    ),
    "ex-recipe-class-weight": (
        "inverted",
        "weight = 0.17\nslow, fast = 1.0, 0.0\n",
    ),
}
