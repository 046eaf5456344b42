"""Chapter 11's key claims, read from its printed outputs (see chapters.OUTPUTS)."""

import pytest

from chapters import printed, printed_value

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


def _table():
    rows = {}
    for line in printed(STEM).splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0].isdigit():
            epoch, _, val_loss, val_acc = parts
            rows[int(epoch)] = (float(val_loss), float(val_acc))
    return rows


def test_after_the_best_epoch_no_lower_val_loss_but_single_scores_wobble():
    rows = _table()
    best = int(printed_value(STEM, "lowest validation loss:").split()[-1])
    assert best == 15 and all(rows[e][0] >= rows[best][0] for e in rows if e > best)
    assert rows[30][1] > rows[best][1]  # "epoch 30 has a higher validation accuracy"
    assert rows[30][0] < rows[20][0]  # "and a lower validation loss than epoch 20"


def test_tiny_model_still_improves_and_large_model_epoch_one_is_not_close():
    for key in ("loss", "val_loss"):
        line = printed_value(STEM, f"tiny model {key}:")
        assert line == "fell in 39 of 39 steps, lowest at epoch 40"
    line = printed_value(STEM, "large model, epoch 1:")
    train = float(line.split("train accuracy")[1].split(",")[0])
    val = float(line.split("validation accuracy")[1])
    assert val - train > 0.1  # "for the large model after one epoch they are not"


def test_more_data_narrows_the_gap_at_the_same_epoch():
    gap = printed_value(STEM, "gap after 15 epochs:")
    acc = printed_value(STEM, "validation accuracy after 15 epochs:")
    more, fewer = (float(part.split()[-1]) for part in gap.split(", "))
    acc_more, acc_fewer = (float(part.split()[-1]) for part in acc.split(", "))
    assert more < fewer and acc_more > acc_fewer
    h15 = printed_value(STEM, "large model, best epoch 15:")
    assert float(h15.split("validation accuracy")[1]) == acc_fewer  # same epoch 15


def _size_sweep():
    """{units: (training loss, validation loss)} of the model-size sweep."""
    rows = {}
    for line in printed(STEM).splitlines():
        if " units (" in line and "training loss" in line:
            units = int(line.split()[0])
            train = float(line.split("training loss")[1].split(",")[0])
            rows[units] = train, float(line.split("validation loss")[1])
    return rows


def test_the_size_sweep_underfits_small_and_overfits_large():
    rows = _size_sweep()
    assert sorted(rows) == [1, 4, 16, 64, 256, 1024]
    for units in (1, 4):  # "both losses are high and close together"
        train, val = rows[units]
        assert train > 1.0 and abs(val - train) < 0.1
    best = min(rows, key=lambda u: rows[u][1])
    line = printed_value(STEM, "size with the lowest validation loss:")
    assert line.startswith(f"{best} units") and best == 64
    for units in (256, 1024):  # "rises again ... while training loss keeps falling"
        assert rows[units][1] > rows[best][1] and rows[units][0] < rows[best][0]


def test_the_rise_in_validation_loss_is_confident_mistakes():
    """Section 3: from the best epoch to epoch 40 the wrongly classified images' part of
    the validation loss rose by more than the loss itself, the rightly classified
    images' part fell, the number of wrong images hardly changed, and the model's top
    probability on its wrong images rose."""
    rows = {}
    block = printed(STEM, cells=("4c7e9436",))
    for line in block.splitlines()[1:]:
        epoch, total, _, wrong, _, right, count, top = line.split()
        rows[int(epoch)] = (float(total), float(wrong), float(right), int(count))
        rows[int(epoch)] += (float(top),)
    best = int(printed_value(STEM, "lowest validation loss:").split()[-1])
    (total0, wrong0, right0, n0, top0), (total, wrong, right, n, top) = (
        rows[best],
        rows[40],
    )
    assert total - total0 > 0.1  # the rise being explained
    # the two parts add up to the loss (the cell checks it against Keras), so a
    # falling right part means the wrong part rose by more than the loss
    assert right < right0  # "the right images' part fell"
    assert wrong - wrong0 > 0.1
    assert n < 1.1 * n0  # "hardly became more numerous"
    assert top > top0 + 0.05  # "became more confident"
    assert wrong0 > total0 / 2  # "already at the best epoch ... most of the loss"
