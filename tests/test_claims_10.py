"""Chapter 10's key claims, read from its printed outputs (see chapters.OUTPUTS)."""

import math
import re

from chapters import printed, printed_value

STEM = "10_batch_epoch_step"
ROW = re.compile(
    r"N=(\d+) batch=(\d+): ceil\(N/batch\)=(\d+) counted steps=(\d+)"
    r" last batch=(\d+) N mod batch=(\d+)"
)


def _rows():
    rows = [tuple(map(int, m.groups())) for m in ROW.finditer(printed(STEM))]
    assert len(rows) >= 4, "the step-count table is missing"
    return rows


def test_step_count_is_ceil_n_over_batch_for_every_batch_size():
    for n, b, ceil, counted, _, _ in _rows():
        assert ceil == math.ceil(n / b)
        assert counted == math.ceil(n / b), (n, b, counted)


def test_last_partial_batch_holds_n_mod_batch():
    rows = _rows()
    partial = [r for r in rows if r[0] % r[1]]
    assert len(partial) >= 3, "show several batch sizes that leave a partial batch"
    for n, b, _, _, last, mod in rows:
        assert mod == n % b
        assert last == (n % b or b), (n, b, last)


def test_small_batches_learn_more_per_epoch_and_are_noisier():
    assert (
        printed_value(STEM, "batch 16 more accurate than batch 1024 after 3 epochs:")
        == "True"
    )
    small = float(printed_value(STEM, "batch 16: step-to-step loss jump (std) ="))
    large = float(printed_value(STEM, "batch 1024: step-to-step loss jump (std) ="))
    assert small > 3 * large
