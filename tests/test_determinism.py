"""A training chapter gives the same outputs every time it runs from the top.

Two fresh kernels must print the same thing, and so must a kernel in which the
chapter was interrupted in the middle of training and then re-run from the top
(the setup cell clears the Keras session and re-seeds every generator). The
interrupt is sent when the kernel says its first training batch is done, not after
a guessed delay.
"""

import copy
import os
import signal
import threading

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from chapters import ROOT
from tools.execute.execute import offline_env

# What these tests need beyond the repository (pytest.ini: the markers).
pytestmark = [pytest.mark.notebooks, pytest.mark.mirror]

CHAPTER = ROOT / "book" / "03_softmax_argmax.ipynb"


def printed(cells):
    """Text outputs of code cells (what nbval compares), one string per cell."""
    texts = []
    for cell in cells:
        if cell.cell_type != "code":
            continue
        parts = []
        for out in cell.outputs:
            if out.output_type == "stream":
                parts.append(out.text)
            elif "text/plain" in out.get("data", {}):
                parts.append(out["data"]["text/plain"])
        texts.append("".join(parts))
    return texts


def client_for(notebook, cls=NotebookClient):
    os.environ.update(offline_env())
    return cls(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(CHAPTER.parent)}},
    )


@pytest.fixture(scope="module")
def saved():
    return nbformat.read(CHAPTER, as_version=4)


def test_two_fresh_runs_print_the_same(saved):
    runs = []
    for _ in range(2):
        notebook = copy.deepcopy(saved)
        client_for(notebook).execute()
        runs.append(printed(notebook.cells))
    assert runs[0] == runs[1]
    assert runs[0] == printed(saved.cells)


MARKER = "[test: the first training batch is done]"
# Run in the chapter's kernel just before its training cell: every fit() gets a
# callback that, once the first batch has trained, prints MARKER and then waits for
# the interrupt (at most 120 s). So SIGINT always lands inside fit(), with weights
# and optimizer state already changed, however fast or slow the machine is.
HOLD_FIT = f"""
import functools as _functools
import sys as _sys
import threading as _threading

_book_fit = keras.Model.fit
_book_fit_own = "fit" in vars(keras.Model)


class _HoldAfterFirstBatch(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        print({MARKER!r})
        _sys.stdout.flush()
        if not _threading.Event().wait(timeout=120):  # SIGINT ends the wait
            raise RuntimeError("training was not interrupted within 120 s")


@_functools.wraps(_book_fit)
def _holding_fit(self, *args, callbacks=None, **kwargs):
    callbacks = [*(callbacks or []), _HoldAfterFirstBatch()]
    return _book_fit(self, *args, callbacks=callbacks, **kwargs)


keras.Model.fit = _holding_fit
"""
RESTORE_FIT = """
if _book_fit_own:
    keras.Model.fit = _book_fit
else:
    del keras.Model.fit
del _book_fit, _book_fit_own, _holding_fit, _HoldAfterFirstBatch
del _functools, _sys, _threading
print(keras.Model.fit.__qualname__)
"""


class MarkerClient(NotebookClient):
    """A client that notes when the kernel prints MARKER and then sets .wake."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.marker_printed = False
        self.wake = threading.Event()

    def output(self, outs, msg, display_id, cell_index):
        if msg["msg_type"] == "stream" and MARKER in msg["content"]["text"]:
            self.marker_printed = True
            self.wake.set()
        return super().output(outs, msg, display_id, cell_index)


def test_rerun_after_an_interrupted_training_prints_the_same(saved):
    notebook = copy.deepcopy(saved)
    training = next(
        i
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and ".fit(" in cell.source
    )
    client = client_for(notebook, MarkerClient)

    def run_extra(source):
        """Run source in the kernel as a cell of its own (appended, so that no
        chapter cell is replaced); return what it printed."""
        cell = nbformat.v4.new_code_cell(source)
        notebook.cells.append(cell)
        client.execute_cell(cell, len(notebook.cells) - 1)
        return "".join(out.text for out in cell.outputs if out.output_type == "stream")

    errors = []
    with client.setup_kernel():
        for i in range(training):
            client.execute_cell(notebook.cells[i], i)
        original_fit = run_extra("print(keras.Model.fit.__qualname__)")
        run_extra(HOLD_FIT)

        def run_training():
            try:
                client.execute_cell(notebook.cells[training], training)
            except CellExecutionError as err:
                errors.append(str(err))
            finally:
                client.wake.set()  # the cell ended (it should not, before SIGINT)

        worker = threading.Thread(target=run_training)
        worker.start()
        assert client.wake.wait(timeout=300), "no first training batch within 300 s"
        assert client.marker_printed, (
            f"the training cell ended before a batch did: {errors}"
        )
        # What Jupyter's interrupt button does for a local kernel: SIGINT.
        os.kill(client.km.provisioner.pid, signal.SIGINT)
        worker.join(timeout=300)
        assert not worker.is_alive(), "the training cell did not stop"
        assert errors and "KeyboardInterrupt" in errors[0], (
            f"training was not interrupted: {errors}"
        )
        assert "on_train_batch_end" in errors[0], errors[0]  # inside fit()
        assert run_extra(RESTORE_FIT) == original_fit  # the book's own fit again

        rerun = copy.deepcopy(saved)
        for i, cell in enumerate(rerun.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, i)
    assert printed(rerun.cells) == printed(saved.cells)
