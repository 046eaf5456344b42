"""Chapter 11's key claims, read from its printed outputs (see bookpaths.OUTPUTS)."""

import pytest

from bookpaths import printed, printed_value

STEM = "11_overfitting_early_stopping"


def test_the_large_model_overfits_its_small_training_set():
    train = float(printed_value(STEM, "final training accuracy:"))
    val = float(printed_value(STEM, "final validation accuracy:"))
    assert train >= 0.95
    assert train - val >= 0.10
    assert float(printed_value(STEM, "accuracy gap (train - validation):")) >= 0.10


def test_validation_loss_rises_after_its_minimum():
    lowest = float(printed_value(STEM, "lowest validation loss:").split()[0])
    last = float(printed_value(STEM, "validation loss at epoch 40:"))
    assert last > lowest + 0.1


def test_early_stopping_stops_patience_epochs_after_the_best_epoch():
    run = int(printed_value(STEM, "epochs run (of at most 100):"))
    best = int(printed_value(STEM, "best epoch:"))
    assert run < 100
    assert int(printed_value(STEM, "stopped after epoch:")) == run
    assert run - best == 5


def test_restored_weights_reproduce_the_best_val_loss():
    best = float(printed_value(STEM, "val_loss of the best epoch (history):"))
    restored = float(printed_value(STEM, "val_loss of the restored model:"))
    last = float(printed_value(STEM, "val_loss of the last epoch run (history):"))
    assert restored == pytest.approx(best, abs=1e-3)
    assert printed_value(STEM, "difference below 1e-3:") == "True"
    assert last > best


def test_the_tiny_model_underfits():
    line = printed_value(STEM, "tiny model, epoch 40:")
    train = float(line.split("train accuracy")[1].split(",")[0])
    val = float(line.split("validation accuracy")[1])
    assert train < 0.7 and abs(train - val) < 0.1
    assert "overfitting checks passed" in printed(STEM)
