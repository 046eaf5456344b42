"""Chapter 12's key claims, read from its printed outputs (see bookpaths.OUTPUTS)."""

import pytest

from bookpaths import printed, printed_value

STEM = "12_dropout"


def test_dropped_fraction_averages_the_rate_and_the_count_varies():
    assert float(printed_value(STEM, "mean fraction dropped:")) == pytest.approx(
        0.2, abs=0.01
    )
    fewest = int(printed_value(STEM, "fewest dropped in one call:"))
    most = int(printed_value(STEM, "most dropped in one call:"))
    assert fewest < most
    assert fewest < 25.6 < most


def test_rate_is_not_a_threshold_on_the_values():
    kept_small = printed_value(STEM, "dropped values below 0.2:")
    dropped_large = printed_value(STEM, "dropped values of 0.2 and above:")
    assert int(kept_small.split()[0]) < 19
    assert int(dropped_large.split()[0]) > 0


def test_survivors_are_scaled_by_exactly_1_25():
    assert printed_value(STEM, "all survivors equal 1.25 exactly:") == "True"
    assert printed_value(STEM, "distinct values of the survivors:") == "[1.25]"
    mean_sum = float(printed_value(STEM, "mean of the sums:").split()[0])
    assert mean_sum == pytest.approx(128, abs=2)


def test_inference_leaves_inputs_unchanged():
    assert printed_value(STEM, "training=False leaves the input unchanged:") == "True"
    assert printed_value(STEM, "predict twice, identical:") == "True"
    assert printed_value(STEM, "evaluate twice, identical:") == "True"
    off = "predict vs training=False, largest difference below 1e-6:"
    assert printed_value(STEM, off) == "True"
    assert (
        float(printed_value(STEM, "predict vs training=True, largest difference:"))
        > 0.1
    )


def test_dropout_acts_on_values_not_weights():
    assert printed_value(STEM, "weights in the Dropout layer:") == "0"
    assert printed_value(STEM, "Dense kernel unchanged:") == "True"
    assert int(printed_value(STEM, "nonzero hidden values set to 0 by dropout:")) > 0


def test_dropout_reduces_overfitting():
    assert "dropout 0.5 narrowed the gap" in printed(STEM)
