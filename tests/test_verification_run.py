"""The verification run (tools/execute/verify.py): every chapter under nbval, one at a
time; a failure is reported with its traceback and the chapters after it still run."""

import pytest

from tools.execute import verify

pytestmark = pytest.mark.slow  # starts kernels


def test_a_failing_chapter_shows_its_traceback_and_the_rest_runs(tmp_path):
    """The verification run runs the chapters under nbval; when one fails, its traceback
    reaches the report, and the chapters after it still run and are timed."""
    import nbformat

    def notebook(name, source, printed=""):
        path = tmp_path / f"{name}.ipynb"
        cell = nbformat.v4.new_code_cell(source, execution_count=1)
        if printed:  # its saved output, which nbval compares
            cell.outputs = [nbformat.v4.new_output("stream", text=printed)]
        nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
        return path

    bad = notebook("bad", "1 / 0  # a planted fault")
    good = notebook("good", "print('test accuracy: 0.5')", "test accuracy: 0.5\n")
    rows, report = verify.run([bad, good])
    assert list(rows) == [good] and rows[good]["stdout"] == "test accuracy: 0.5\n"
    assert rows[good]["seconds"] > 0 and rows[good]["peak_memory_mb"] > 0
    assert "ZeroDivisionError" in report and "a planted fault" in report
