"""tools/perturbed.py cannot pass vacuously: a perturbation that changes nothing is
caught by its canary. (The step itself runs in .ci/run, over every chapter.)"""

import perturbed


def test_a_perturbation_that_changes_nothing_fails_the_canary(capsys):
    # A planted fault: "openblas" with no environment change. Its canary cell must
    # then pass, and the check must say so.
    problems = perturbed.check_canary({"openblas": ([], {})})
    assert problems == ["canary under openblas: cells [] failed, not [2]"]
    assert "canary under none: failing cells [], as expected" in capsys.readouterr().out


def test_every_canary_expectation_names_real_cells():
    import nbformat

    notebook = nbformat.read(perturbed.CANARY, as_version=4)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    kinds = {"none", "cpus", "numpy-simd", "openblas"}
    assert set(perturbed.CANARY_FAILS) == kinds
    for cells in perturbed.CANARY_FAILS.values():
        assert all(0 < i < len(code_cells) for i in cells)
