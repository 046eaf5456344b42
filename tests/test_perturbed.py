"""With BOOK_PERTURB=1 every chapter's nbval kernel runs as if on another machine
(conftest.py, tools/execute/perturbed.py), and that cannot pass vacuously: each
perturbation must change what its canary cells print, and one that changes nothing is
caught. tests/test_verify.py shows a chapter's tolerances holding under them."""

import json
import platform
import sys

import nbformat
import pytest

from tools.execute import perturbed, verify


@pytest.mark.slow
def test_every_perturbation_changes_what_its_canary_cells_print(capsys):
    assert perturbed.check_canary() == []
    printed = capsys.readouterr().out
    assert printed.count("as expected") == len(perturbed.CANARY_FAILS)


def nbval_env_probe(tmp_path, monkeypatch, perturb: str):
    """The chapters' nbval run (tools/execute/verify.py, through the repository's
    conftest) over a notebook whose saved output is the perturbed environment: it
    passes only if the kernel got that environment."""
    monkeypatch.setenv("BOOK_PERTURB", perturb)
    wanted = perturbed.kernel_env()
    code = (
        "import json, os\n"
        f"print(json.dumps({{k: os.environ.get(k) for k in {sorted(wanted)}}}))"
    )
    cell = nbformat.v4.new_code_cell(code, execution_count=1)
    saved = json.dumps(dict(sorted(wanted.items()))) + "\n"
    cell.outputs = [nbformat.v4.new_output("stream", text=saved)]
    probe = tmp_path / "probe.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), probe)
    return probe, *verify.run([probe])


@pytest.mark.slow
def test_nbval_kernels_get_every_perturbation(tmp_path, monkeypatch):
    probe, rows, report = nbval_env_probe(tmp_path, monkeypatch, "1")
    assert probe in rows, report[-3000:]


@pytest.mark.slow
def test_without_the_perturbations_the_probe_fails(tmp_path, monkeypatch):
    """The planted fault: BOOK_PERTURB=0 leaves the kernel's environment as it is."""
    probe, rows, report = nbval_env_probe(tmp_path, monkeypatch, "0")
    assert probe not in rows and "SSE41" in report, report[-3000:]


@pytest.mark.slow
def test_a_perturbation_that_changes_nothing_fails_the_canary(capsys):
    # A planted fault: "openblas" with no environment change. Its canary cell must
    # then pass, and the check must say so.
    problems = perturbed.check_canary({"openblas": {}})
    assert problems == ["canary under openblas: cells [] failed, not [{2}]"]
    assert "canary under none: failing cells [], as expected" in capsys.readouterr().out


def test_every_canary_expectation_names_real_cells():
    import nbformat

    notebook = nbformat.read(perturbed.CANARY, as_version=4)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    kinds = {"none", "threads", "numpy-simd", "openblas", "onednn-isa"}
    assert set(perturbed.CANARY_FAILS) == kinds
    # On Linux x86-64 (CI, and any machine the book's outputs come from) all apply.
    if sys.platform == "linux" and platform.machine() == "x86_64":
        assert kinds == {"none", *perturbed.perturbations()}
    for groups in perturbed.CANARY_FAILS.values():
        assert all(0 < i < len(code_cells) for group in groups for i in group)


def test_the_verdict_wants_one_cell_of_each_group_and_no_other():
    groups = [{2}, {3, 4}]
    assert perturbed.canary_verdict([2, 4], groups)
    assert perturbed.canary_verdict([2, 3, 4], groups)
    assert not perturbed.canary_verdict([2], groups)  # TensorFlow unchanged
    assert not perturbed.canary_verdict([3, 4], groups)  # OpenBLAS unchanged
    assert not perturbed.canary_verdict([1, 2, 3], groups)  # NumPy's SIMD moved too
    assert perturbed.canary_verdict([], [])
    assert not perturbed.canary_verdict([1], [])
