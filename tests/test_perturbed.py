"""tools/perturbed.py cannot pass vacuously: a perturbation that changes nothing is
caught by its canary. (The step itself runs in .ci/run, over every chapter.)"""

import perturbed


def test_a_perturbation_that_changes_nothing_fails_the_canary(capsys):
    # A planted fault: "openblas" with no environment change. Its canary cell must
    # then pass, and the check must say so.
    problems = perturbed.check_canary({"openblas": ([], {})})
    assert problems == ["canary under openblas: cells [] failed, not [{2}]"]
    assert "canary under none: failing cells [], as expected" in capsys.readouterr().out


def test_every_canary_expectation_names_real_cells():
    import nbformat

    notebook = nbformat.read(perturbed.CANARY, as_version=4)
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    kinds = {"none", "cpus", "numpy-simd", "openblas", "onednn-isa"}
    assert set(perturbed.CANARY_FAILS) == kinds == {"none", *perturbed.perturbations()}
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


def test_the_setup_cell_holds_onednn_to_the_same_instruction_set():
    """Set, not defaulted: the perturbed run's ONEDNN_MAX_CPU_ISA must not win."""
    from sync_cells import SETUP_SOURCE

    pinned = 'os.environ["ONEDNN_MAX_CPU_ISA"] = "AVX2"'
    assert pinned in SETUP_SOURCE
    assert SETUP_SOURCE.index(pinned) < SETUP_SOURCE.index("import tensorflow")
