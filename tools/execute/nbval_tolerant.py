"""A pytest plugin for nbval: compare each chapter exactly on the kind of machine that
produced its outputs, and within the measured tolerances on any other.

nbval stays the engine: it starts the kernel, runs each cell, sanitizes and compares
the outputs. This plugin only gives its cells one more step before nbval's comparison
(:meth:`TolerantCell.compare_outputs`): in *tolerant* mode, every printed number that
lies within its tolerance (book/tolerances.json, tools/execute/tolerance.py) of the
saved one is replaced by the saved one. Text, and every number without a tolerance,
must still match exactly (up to the spaces NumPy pads numbers with); a number beyond
its tolerance fails the cell with the cell, the number, the saved value, the new one
and the tolerance named. A cell tagged ``varies-by-cpu`` is only run there: its own
asserts check the property the prose relies on.

The mode of a chapter (``BOOK_VERIFY``):

* ``auto`` (the default): *exact* where the chapter's ``metadata.book.machine``
  is this machine's kind (tools/execute/machine.py), *tolerant* elsewhere;
* ``exact`` or ``tolerant``: that mode for every chapter.

conftest.py loads it for the test command and the verification run; elsewhere pass
``-p tools.execute.nbval_tolerant``.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest
from nbval.plugin import IPyNbCell

from tools.execute import machine, tolerance

MODES = ("auto", "exact", "tolerant")


def requested_mode() -> str:
    mode = os.environ.get("BOOK_VERIFY", "auto")
    if mode not in MODES:
        raise pytest.UsageError(f"BOOK_VERIFY={mode!r}: use one of {', '.join(MODES)}")
    return mode


@cache
def chapter_mode(path: Path) -> tuple[str, str]:
    """('exact' or 'tolerant', why) for the notebook at PATH."""
    import nbformat

    mode = requested_mode()
    if mode != "auto":
        return mode, f"BOOK_VERIFY={mode}"
    notebook = nbformat.read(path, as_version=4)
    recorded = notebook.metadata.get("book", {}).get("machine")
    if machine.same_kind(recorded):
        return "exact", "its outputs were made on this kind of machine"
    return "tolerant", "; ".join(machine.differences(recorded))


@cache
def chapter_tolerances(path: Path) -> dict | tolerance.Stale:
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    try:
        return tolerance.for_chapter(path, notebook)
    except tolerance.Stale as stale:
        return stale


class TolerantCell(IPyNbCell):
    """nbval's cell, with tolerant numbers where the chapter's mode says so."""

    def compare_outputs(self, test, ref, skip_compare=None):
        if super().compare_outputs(test, ref, skip_compare):
            return True
        mode, why = chapter_mode(Path(self.path))
        if mode == "exact":
            self.comparison_traceback.append(f"(compared exactly: {why})")
            return False
        if tolerance.varies(self.cell):
            return True  # ran, so its asserts held; its digits are this CPU's own
        tolerances = chapter_tolerances(Path(self.path))
        if isinstance(tolerances, tolerance.Stale):
            self.comparison_traceback.append(f"(no tolerances to apply: {tolerances})")
            return False
        cell_tolerances = tolerances.get(self.cell.get("id"), {})
        reconciled, problems = tolerance.reconcile(test, ref, cell_tolerances)
        if super().compare_outputs(reconciled, ref, skip_compare):
            return True
        if problems:
            self.comparison_traceback.append(
                f"Cell {self.cell_num} (id {self.cell.get('id')}), compared within the "
                f"measured tolerances ({why}):\n  " + "\n  ".join(problems)
            )
        else:
            self.comparison_traceback.append(f"(compared within tolerances: {why})")
        return False


def pytest_configure(config):
    requested_mode()  # a wrong BOOK_VERIFY stops the run before any kernel starts


CHAPTERS: set[Path] = set()  # the notebooks this session verifies


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if type(item) is IPyNbCell:
            item.__class__ = TolerantCell
            CHAPTERS.add(Path(item.path))


def pytest_terminal_summary(terminalreporter, config):
    for path in sorted(CHAPTERS):
        mode, why = chapter_mode(path)
        terminalreporter.write_line(f"verify {path.name}: {mode} ({why})")
