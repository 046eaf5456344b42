"""The claims tests read fresh outputs when BOOK_OUTPUTS names a folder of executed
copies (tools/execute/fresh_claims.sh), and fail there when a claim does not hold."""

import os
import subprocess
import sys

import nbformat
import pytest

from chapters import ROOT

# What these tests need beyond the repository (pytest.ini: the markers).
pytestmark = pytest.mark.slow

STEM = "02_dense_layer"
LABEL = "total by hand:"


def run_claims(outputs_dir):
    env = {**os.environ, "BOOK_OUTPUTS": str(outputs_dir)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "0", "-q", "-p", "no:randomly"]
        + [str(ROOT / "tests" / f"test_claims_{STEM[:2]}.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_with(tmp_path, old, new):
    notebook = nbformat.read(ROOT / "book" / f"{STEM}.ipynb", as_version=4)
    changed = 0
    for cell in notebook.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and old in out.text:
                out.text = out.text.replace(old, new)
                changed += 1
    assert changed, f"{STEM} no longer prints {old!r}"
    nbformat.write(notebook, tmp_path / f"{STEM}.ipynb")


def test_claims_pass_on_an_unchanged_copy(tmp_path):
    copy_with(tmp_path, LABEL, LABEL)
    result = run_claims(tmp_path)
    assert result.returncode == 0, result.stdout[-2000:]


def test_claims_fail_on_a_fresh_copy_that_breaks_one(tmp_path):
    copy_with(tmp_path, f"{LABEL} 101,770", f"{LABEL} 101,771")
    result = run_claims(tmp_path)
    assert result.returncode == 1 and "1 failed" in result.stdout, result.stdout[-2000:]
