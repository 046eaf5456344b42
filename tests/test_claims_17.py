"""Chapter 17's key claims, read from its printed outputs (see chapters.OUTPUTS)."""

import re

from chapters import printed, printed_value

STEM = "17_recipe"


def value(label):
    return float(printed_value(STEM, label))


def test_recipe_heads_follow_the_task():
    assert "output activation sigmoid, loss binary_crossentropy" in printed_value(
        STEM, "binary"
    )
    assert "output activation softmax, loss sparse_categorical_crossentropy" in (
        printed_value(STEM, "multiclass")
    )
    assert "output activation linear, loss mse" in printed_value(STEM, "regression")


def test_binary_model_beats_the_majority_class():
    assert value("breast cancer test accuracy:") > value(
        "breast cancer majority-class accuracy:"
    )
    assert value("breast cancer constant-score AUC:") == 0.5
    assert value("breast cancer test AUC:") > 0.5  # its band: the chapter's assert


def test_multiclass_model_beats_the_majority_class():
    assert value("digits test accuracy:") > value("digits majority-class accuracy:")


def test_regression_model_beats_predicting_the_mean():
    assert value("diabetes test MAE:") <= 0.9 * value("diabetes predict-the-mean MAE:")


def test_summary_table_says_every_model_beats_its_baseline():
    for name in ["breast cancer", "digits", "diabetes"]:
        assert printed_value(STEM, f"beats the baseline ({name}):") == "True"


def test_early_stopping_ended_each_run_before_the_ceiling():
    for name in ["breast cancer", "digits", "diabetes"]:
        line = printed_value(STEM, f"{name}: validation loss")
        last_epoch = int(line.rsplit("epoch", 1)[1])
        assert last_epoch < 300


def test_wine_has_178_samples_13_features_and_3_classes():
    line = printed_value(STEM, "samples, features: (178,")
    shape, counts = line.split("class counts:")
    assert shape.strip().rstrip(")") == "13"
    counts = [int(c) for c in counts.strip(" []").split()]
    assert len(counts) == 3 and sum(counts) == 178


def test_wine_training_ran_into_its_ceiling_still_improving():
    after_wine = printed(STEM).split("samples, features: (178, 13)")[1]
    trained, best = re.search(
        r"trained (\d+) epochs; best epoch (\d+)", after_wine
    ).groups()
    assert int(trained) == int(best) == 30  # the best epoch is the last one


def recalls(threshold_label):
    """(accuracy, recall slower, recall fast) printed for one threshold of section 8."""
    line = printed_value(STEM, f"threshold {threshold_label}:")
    return tuple(float(n) for n in re.findall(r"\d+\.\d+", line))


def test_imbalanced_accuracy_is_mostly_the_majority_class():
    # "nearly all of that accuracy comes from the majority class"
    model = value("fast progression test accuracy:")
    majority = value("fast progression majority-class accuracy:")
    assert majority < model <= majority + 0.05
    # the rare class really is rare, in the whole table and in the test part
    slower, fast = (
        int(n)
        for n in printed_value(STEM, "class counts (0 = slower,")
        .split(":", 1)[1]
        .strip(" []")
        .split()
    )
    assert fast < slower / 4


def test_lower_threshold_falls_below_the_majority_baseline():
    share = printed_value(STEM, "share of fast patients in the training part:")
    accuracy, _, _ = recalls(share)
    assert accuracy < value("fast progression majority-class accuracy:")
    assert recalls("0.500")[0] == value("fast progression test accuracy:")


def test_one_split_is_lower_than_every_fold():
    # "section 5's single split printed 41.6, lower than every fold"
    lowest = float(printed_value(STEM, "lowest").split(",")[0])
    assert value("section 5's single split:") < lowest
    assert value("section 5's single split:") == value("diabetes test MAE:")


def test_class_weight_finds_the_fast_patients_at_less_cost():
    # exercise 4: as many fast patients as the lowered threshold, more slower ones
    share = printed_value(STEM, "share of fast patients in the training part:")
    _, slower_threshold, fast_threshold = recalls(share)
    line = printed_value(STEM, "class_weight, threshold 0.5:")
    _, slower, fast = (float(n) for n in re.findall(r"\d+\.\d+", line))
    assert fast == fast_threshold
    assert slower > slower_threshold
