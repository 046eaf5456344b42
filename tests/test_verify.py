"""The verification of saved outputs (tools/execute/): exact on the kind of machine that
made them, within the measured tolerances (book/tolerances.json) on any other.

Each check is shown failing on a planted fault: a training number nudged beyond its
tolerance, a deterministic digit changed, changed text, stale tolerances."""

import copy
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import nbformat
import pytest

from chapters import CHAPTERS, ROOT
from tools.execute import machine, tolerance

DATA = tolerance.load(tolerance.FILE)


# --- the measured tolerances describe the committed chapters ---------------------


def test_every_chapter_has_current_tolerances(chapter):
    """Stale tolerances (the code or the printed text changed since the spread run)
    would let another CPU compare against numbers nobody measured."""
    notebook = nbformat.read(chapter, as_version=4)
    try:
        tolerance.for_chapter(chapter, notebook, DATA)
    except tolerance.Stale as stale:
        pytest.fail(str(stale))


def test_every_chapter_records_the_machine_that_made_it(chapter):
    recorded = nbformat.read(chapter, as_version=4).metadata["book"].get("machine")
    assert recorded and set(recorded) == set(machine.identity()), (
        f"{chapter.name}: no machine recorded; re-run tools/execute/execute.py"
    )


def test_a_tolerance_is_at_least_one_unit_of_the_last_printed_place():
    for key, entry in DATA["chapters"].items():
        for cell_id, cell in entry["cells"].items():
            for i, tol in cell["numbers"].items():
                place = tolerance.last_place(cell["saved"][i])
                assert tol >= place, f"{key} {cell_id} number {i}: {tol} < {place}"


def copy_of(chapter):
    return copy.deepcopy(nbformat.read(chapter, as_version=4))


def moved_cell(notebook, key):
    """A code cell of NOTEBOOK with a measured tolerance, and its entry."""
    cells = DATA["chapters"][key]["cells"]
    for cell in notebook.cells:
        if cell.get("id") in cells:
            return cell, cells[cell.get("id")]
    raise AssertionError(f"{key}: no cell with a tolerance")


TRAINING = ROOT / "book" / "02_dense_layer.ipynb"  # gain from 32 to 128 units moves


def test_stale_tolerances_are_caught_after_a_code_change():
    notebook = copy_of(TRAINING)
    tolerance.for_chapter(TRAINING, notebook, DATA)  # current as committed
    cell, _ = moved_cell(notebook, "book/02_dense_layer.ipynb")
    cell.source += "\nprint('one more line')"
    with pytest.raises(tolerance.Stale, match="code changed"):
        tolerance.for_chapter(TRAINING, notebook, DATA)


def test_stale_tolerances_are_caught_when_the_printed_text_changes():
    notebook = copy_of(TRAINING)
    cell, _ = moved_cell(notebook, "book/02_dense_layer.ipynb")
    output = next(o for o in cell.outputs if o.output_type == "stream")
    output.text = "a new sentence: " + output.text
    with pytest.raises(tolerance.Stale, match="other text"):
        tolerance.for_chapter(TRAINING, notebook, DATA)


def test_a_chapter_without_tolerances_is_stale():
    with pytest.raises(tolerance.Stale, match="no measured tolerances"):
        tolerance.for_chapter(TRAINING, copy_of(TRAINING), {"chapters": {}})


# --- reconcile: the comparison itself, on a real chapter's saved outputs --------


def stream(text):
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def nudged(text, index, by):
    """TEXT with its INDEX-th number moved BY, printed to the same places."""
    tokens = tolerance.numbers(text)
    token = tokens[index]
    decimals = max(0, -int(tolerance.Decimal(token.lstrip("+")).as_tuple().exponent))
    new = (
        f"{float(token) + by:+.{decimals}f}"
        if token.startswith(("+", "-"))
        else (f"{float(token) + by:.{decimals}f}")
    )
    pieces = tolerance.NUMBER.split(text)
    tokens[index] = new
    return pieces[0] + "".join(n + p for n, p in zip(tokens, pieces[1:]))


def a_measured_number():
    notebook = copy_of(TRAINING)
    cell, entry = moved_cell(notebook, "book/02_dense_layer.ipynb")
    ref = tolerance.coalesced(cell.outputs)
    index, tol = next(iter(entry["numbers"].items()))
    return ref, int(index), tol


def test_a_training_number_nudged_within_its_tolerance_passes():
    ref, index, tol = a_measured_number()
    text = tolerance.printed(ref)[0]
    place = tolerance.last_place(tolerance.numbers(text)[index])
    test = [stream(nudged(text, index, max(place, tol - place / 2)))]
    assert test[0]["text"] != text
    reconciled, problems = tolerance.reconcile(test, ref, {index: tol})
    assert problems == [] and tolerance.printed(reconciled) == [text]


def test_a_training_number_nudged_beyond_its_tolerance_fails_naming_it():
    ref, index, tol = a_measured_number()
    text = tolerance.printed(ref)[0]
    place = tolerance.last_place(tolerance.numbers(text)[index])
    test = [stream(nudged(text, index, tol + place))]
    _, problems = tolerance.reconcile(test, ref, {index: tol})
    saved = tolerance.numbers(text)[index]
    assert len(problems) == 1 and f"number {index}: saved {saved}" in problems[0]
    assert f"tolerance {tol:g}" in problems[0]


def test_a_deterministic_digit_changed_fails():
    """Chapter 1 prints 784 (28 x 28) where nothing can move it: no tolerance."""
    notebook = copy_of(CHAPTERS[0])
    measured = DATA["chapters"]["book/01_flatten.ipynb"]["cells"]
    cell = next(
        c
        for c in notebook.cells
        if "784" in tolerance.cell_text(c) and c.get("id") not in measured
    )
    ref = tolerance.coalesced(cell.outputs)
    planted = copy.deepcopy(ref)
    for output in planted:
        if output.get("output_type") == "stream" and "784" in output["text"]:
            output["text"] = output["text"].replace("784", "785", 1)
            break
        if "784" in output.get("data", {}).get("text/plain", ""):
            output["data"]["text/plain"] = output["data"]["text/plain"].replace(
                "784", "785", 1
            )
            break
    _, problems = tolerance.reconcile(planted, ref, {})
    assert len(problems) == 1 and "saved 784, got 785 (exact)" in problems[0]


def test_changed_text_is_left_for_nbval_to_fail():
    ref = [stream("train loss 0.5000\n")]
    test, problems = tolerance.reconcile([stream("val loss 0.5000\n")], ref, {0: 0.1})
    assert problems == [] and tolerance.printed(test) == ["val loss 0.5000\n"]


# --- end to end: nbval with the plugin, on a planted notebook --------------------


def planted_notebook(tmp_path, recorded_machine):
    """Four cells whose saved outputs differ from what they print: a number within its
    tolerance, one beyond it, an exact digit and a changed word."""
    cells = []
    for n, (code, saved) in enumerate(
        [
            ('print("loss 0.5012")', "loss 0.5000\n"),
            ('print("loss 0.5031")', "loss 0.5000\n"),
            ('print("shape (28, 29)")', "shape (28, 28)\n"),
            ('print("val loss 0.5000")', "train loss 0.5000\n"),
        ]
    ):
        cell = nbformat.v4.new_code_cell(code, execution_count=n + 1)
        cell.id = f"planted{n}"
        cell.outputs = [stream(saved)]
        cells.append(cell)
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["book"] = {"machine": recorded_machine}
    path = tmp_path / "planted.ipynb"
    nbformat.write(notebook, path)
    tolerances = {
        "chapters": {
            tolerance.chapter_key(path): {
                "computing_sha256": tolerance.computing_hash(notebook),
                "cells": {
                    f"planted{n}": {
                        "cell": n,
                        "skeleton_sha256": tolerance.sha(tolerance.skeleton(saved)),
                        "numbers": {"0": 0.002},
                        "saved": {"0": "0.5000"},
                    }
                    for n, saved in [(0, "loss 0.5000\n"), (1, "loss 0.5000\n")]
                },
            }
        }
    }
    (tmp_path / "tolerances.json").write_text(json.dumps(tolerances))
    return path


def run_nbval(path, **env):
    junit = path.with_suffix(".xml")
    command = [sys.executable, "-m", "pytest", str(path), "-c", os.devnull]
    command += ["--rootdir", str(path.parent), "-p", "tools.execute.nbval_tolerant"]
    command += ["-p", "no:cacheprovider", "--nbval", "--nbval-current-env"]
    result = subprocess.run(
        [*command, f"--junitxml={junit}"],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "BOOK_TOLERANCES": str(path.parent / "tolerances.json"),
            **env,
        },
        capture_output=True,
        text=True,
    )
    if not junit.exists():
        return None, result.stdout + result.stderr
    failed = [
        int(case.get("name").rsplit(" ", 1)[1])
        for case in ET.parse(junit).iter("testcase")
        if case.find("failure") is not None or case.find("error") is not None
    ]
    return failed, result.stdout


@pytest.mark.slow
def test_nbval_passes_a_near_number_and_fails_the_rest(tmp_path):
    path = planted_notebook(tmp_path, {"cpu": "another CPU"})
    failed, report = run_nbval(path)
    assert failed == [1, 2, 3], report[-3000:]
    assert "saved 0.5000, got 0.5031, beyond its tolerance 0.002" in report
    assert "verify planted.ipynb: tolerant (cpu: 'another CPU' there" in report


@pytest.mark.slow
def test_nbval_on_the_same_kind_of_machine_compares_exactly(tmp_path):
    path = planted_notebook(tmp_path, machine.identity())
    failed, report = run_nbval(path)
    assert failed == [0, 1, 2, 3], report[-3000:]
    assert "compared exactly: its outputs were made on this kind of machine" in report


@pytest.mark.slow
def test_a_wrong_verify_mode_is_refused(tmp_path):
    path = planted_notebook(tmp_path, {})
    failed, report = run_nbval(path, BOOK_VERIFY="loose")
    assert failed is None and "BOOK_VERIFY='loose': use one of auto, exact" in report


# --- the derivation: what the spread run makes of moved numbers ------------------


def spread_notebook(texts):
    cells = []
    for n, text in enumerate(texts):
        cell = nbformat.v4.new_code_cell(f"cell {n}", execution_count=n + 1)
        cell.id = f"c{n}"
        cell.outputs = [stream(text)]
        cells.append(cell)
    return nbformat.v4.new_notebook(cells=cells)


def test_derive_keeps_unmoved_numbers_exact_and_widens_moved_ones():
    saved = spread_notebook(["shape (28, 28)\n", "accuracy 0.881, loss 0.332\n"])
    runs = {
        "a": spread_notebook(["shape (28, 28)\n", "accuracy 0.883, loss 0.332\n"]),
        "b": spread_notebook(["shape (28, 28)\n", "accuracy 0.880, loss 0.332\n"]),
    }
    cells, problems = tolerance.derive(saved, runs)
    assert problems == []
    assert list(cells) == ["c1"] and cells["c1"]["numbers"] == {"0": 0.004}


def test_derive_floors_a_tolerance_at_the_last_printed_place():
    saved = spread_notebook(["gain +0.0220\n"])
    cells, _ = tolerance.derive(saved, {"a": spread_notebook(["gain +0.0221\n"])})
    assert cells["c0"]["numbers"] == {"0": 0.0002}


def test_derive_refuses_a_wild_number_and_changed_text():
    saved = spread_notebook(["final loss 2.376\n", "never positive: 3 units\n"])
    runs = {"a": spread_notebook(["final loss 1.376\n", "never positive: 3 unit\n"])}
    _, problems = tolerance.derive(saved, runs)
    assert len(problems) == 2
    assert "number 0 (2.376) moved by 1, more than 25% of itself" in problems[0]
    assert "prints other text under a" in problems[1]


def test_a_small_number_that_moves_a_few_places_is_not_wild():
    """0.006 -> 0.002 is two thirds of itself but 4 units of its last place: still a
    small probability, read right, so it gets a tolerance (0.008), not a refusal."""
    saved = spread_notebook(["probabilities: 0.006 0.982\n"])
    cells, problems = tolerance.derive(
        saved, {"a": spread_notebook(["probabilities: 0.002 0.986\n"])}
    )
    assert problems == [] and cells["c0"]["numbers"] == {"0": 0.008, "1": 0.008}


def test_last_place():
    assert tolerance.last_place("0.022") == pytest.approx(0.001)
    assert tolerance.last_place("+0.022") == pytest.approx(0.001)
    assert tolerance.last_place("88") == 1
    assert tolerance.last_place("1.5e-07") == pytest.approx(1e-08)


def test_numbers_skip_names_and_versions():
    assert tolerance.numbers("float32 Dense(10) x2 -0.5 1e-07 2.21.0") == [
        "10",
        "-0.5",
        "1e-07",
    ]


# --- the setup cell lets the spread run reorder sums ------------------------------


@pytest.mark.parametrize(
    "env, expected",
    [({}, "2 AVX2"), ({"BOOK_THREADS": "3", "ONEDNN_MAX_CPU_ISA": "SSE41"}, "3 SSE41")],
)
@pytest.mark.slow
def test_the_setup_cells_pins_can_be_overridden(env, expected):
    """Two threads and oneDNN held to AVX2 by default, as the outputs were made; the
    spread run (tools/execute/spread.py) and perturbed kernels change both."""
    from tools.author.sync_cells import SETUP_SOURCE

    code = SETUP_SOURCE.split("SEED = 42")[0] + (
        "\nprint(tf.config.threading.get_intra_op_parallelism_threads(), "
        "os.environ['ONEDNN_MAX_CPU_ISA'])"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("BOOK_THREADS", "ONEDNN_MAX_CPU_ISA")
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr[-2000:]


# --- a real chapter, perturbed: its numbers move, and stay within tolerance ------


def verify_chapter(chapter, tmp_path, **env):
    """nbval over CHAPTER through the repository's conftest (as the verification run
    does), with ENV; the failing cells and pytest's report."""
    junit = tmp_path / f"{chapter.stem}.xml"
    command = [sys.executable, "-m", "pytest", str(chapter), "-n", "0", "-q"]
    command += ["-p", "no:cacheprovider", f"--junitxml={junit}"]
    result = subprocess.run(
        command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True
    )
    failed = [
        case.get("name")
        for case in ET.parse(junit).iter("testcase")
        if case.find("failure") is not None or case.find("error") is not None
    ]
    return failed, result.stdout


@pytest.mark.slow
@pytest.mark.notebooks
@pytest.mark.mirror
def test_perturbed_training_numbers_move_and_stay_within_their_tolerances(tmp_path):
    """Chapter 2 under every perturbation (one thread, NumPy's SIMD dispatch, another
    OpenBLAS kernel, oneDNN held to SSE4.1): compared exactly, its trained numbers
    fail; compared within the measured tolerances, it passes."""
    perturbed = {"BOOK_PERTURB": "1"}
    failed, report = verify_chapter(
        TRAINING, tmp_path, BOOK_VERIFY="exact", **perturbed
    )
    assert failed, "the perturbations moved no printed number of chapter 2"
    failed, report = verify_chapter(
        TRAINING, tmp_path, BOOK_VERIFY="tolerant", **perturbed
    )
    assert failed == [], report[-4000:]
    assert "verify 02_dense_layer.ipynb: tolerant (BOOK_VERIFY=tolerant)" in report


# --- claims and quiz keys hold for every value within the tolerances -------------


@pytest.mark.slow
@pytest.mark.parametrize("direction", ["up", "down", "1", "2", "3"])
def test_claims_and_quiz_keys_hold_at_the_edges_of_the_tolerances(direction):
    """Each chapter's claims tests and the quiz keys, on the saved outputs with every
    trained number moved to the edge of its tolerance (BOOK_NUDGE, tests/chapters.py):
    all up, all down, or each its own way. A key or an "A beats B" claim that flips
    there says more than another CPU's run would show."""
    claims = sorted(str(p) for p in (ROOT / "tests").glob("test_claims_*.py"))
    command = [sys.executable, "-m", "pytest", *claims, "tests/test_quiz_keys.py"]
    command += ["-n", "0", "-q", "-p", "no:cacheprovider", "-x"]
    result = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, "BOOK_NUDGE": direction},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-5000:]


def test_a_nudge_moves_trained_numbers_and_only_those():
    notebook = copy_of(TRAINING)
    before = [tolerance.cell_text(c) for c in notebook.cells]
    measured = DATA["chapters"]["book/02_dense_layer.ipynb"]["cells"]
    cells = {
        c: {int(i): t for i, t in e["numbers"].items()} for c, e in measured.items()
    }
    moved = tolerance.nudge(notebook, cells, tolerance.signs_for("up"))
    after = [tolerance.cell_text(c) for c in notebook.cells]
    changed = {c.get("id") for c, a, b in zip(notebook.cells, before, after) if a != b}
    assert moved > 0 and changed == set(measured)
    # Every moved number stays within its tolerance: the tolerant comparison accepts it.
    for cell in notebook.cells:
        if cell.get("id") in measured:
            saved = nbformat.read(TRAINING, as_version=4)
            ref = next(c for c in saved.cells if c.get("id") == cell.get("id"))
            _, problems = tolerance.reconcile(
                tolerance.coalesced(cell.outputs),
                tolerance.coalesced(ref.outputs),
                cells[cell.get("id")],
            )
            assert problems == []


def test_nudged_tokens_keep_their_places_and_signs():
    assert tolerance.nudged_token("0.022", 0.004, 1) == "0.026"
    assert tolerance.nudged_token("+0.022", 0.004, -1) == "+0.018"
    assert tolerance.nudged_token("+0.002", 0.004, -1) == "-0.002"
    assert tolerance.nudged_token("0.8810", 0.0015, -1) == "0.8795"
    assert tolerance.nudged_token("88", 2.5, 1) == "90"
    assert tolerance.nudged_token("1.5e-07", 1e-08, 1) == "1.5e-07"
