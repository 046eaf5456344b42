"""A training chapter gives the same outputs every time it runs from the top.

Two fresh kernels must print the same thing, and so must a kernel in which the
chapter was interrupted in the middle of training and then re-run from the top
(the setup cell clears the Keras session and re-seeds every generator).
"""

import copy
import os
import signal
import threading
import time

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from bookpaths import ROOT
from execute import offline_env

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


def client_for(notebook):
    os.environ.update(offline_env())
    return NotebookClient(
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


def test_rerun_after_an_interrupted_training_prints_the_same(saved):
    notebook = copy.deepcopy(saved)
    training = next(
        i
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and ".fit(" in cell.source
    )
    client = client_for(notebook)
    errors = []
    with client.setup_kernel():
        for i in range(training):
            client.execute_cell(notebook.cells[i], i)

        def run_training():
            try:
                client.execute_cell(notebook.cells[training], training)
            except CellExecutionError as err:
                errors.append(str(err))

        worker = threading.Thread(target=run_training)
        worker.start()
        time.sleep(1.0)  # into the first epoch
        # What Jupyter's interrupt button does for a local kernel: SIGINT.
        os.kill(client.km.provisioner.pid, signal.SIGINT)
        worker.join(timeout=300)
        assert errors and "KeyboardInterrupt" in errors[0], (
            "training was not interrupted"
        )

        rerun = copy.deepcopy(saved)
        for i, cell in enumerate(rerun.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, i)
    assert printed(rerun.cells) == printed(saved.cells)
