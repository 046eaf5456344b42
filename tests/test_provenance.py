"""Saved outputs must come from the current code of each notebook."""

import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbval.plugin import get_sanitize_patterns

from chapters import CHAPTERS, ROOT
from tools.execute.execute import provenance_problems, shown_quiz

SANITIZE_CFG = ROOT / "tests" / "nbval_sanitize.cfg"  # what pytest.ini gives nbval


def test_outputs_come_from_current_code(chapter):
    notebook = nbformat.read(chapter, as_version=4)
    problems = provenance_problems(notebook)
    assert not problems, (
        f"{chapter.name}: {'; '.join(problems)}. "
        f"Re-run: python tools/execute/execute.py {chapter.relative_to(ROOT)}"
    )


def first_plain_code_cell(notebook):
    for cell in notebook.cells:
        if cell.cell_type == "code" and "setup" not in cell.metadata.get("tags", []):
            return cell
    raise AssertionError("no code cell")


def quiz_output_problems(notebook, quiz_file: Path) -> list[str]:
    """Where a chapter's saved quiz output is not its quiz file as it is now. The quiz
    file is an input of the chapter (show_quiz reads it), so an edit to it, evidence
    fields included, needs the chapter executed again: nbval compares that output."""
    want = json.loads(quiz_file.read_text(encoding="utf-8"))
    shown = [
        quiz
        for cell in notebook.cells
        if cell.cell_type == "code"
        for quiz in [shown_quiz(cell)]
        if quiz is not None
    ]
    if not shown:
        return ["no quiz output"]
    return [
        f"its quiz output differs from {quiz_file.name}: execute the chapter again"
        for quiz in shown
        if quiz != want
    ]


def test_quiz_outputs_come_from_the_current_quiz_files(chapter):
    notebook = nbformat.read(chapter, as_version=4)
    quiz_file = chapter.parent / "quizzes" / f"{chapter.stem}.json"
    assert quiz_output_problems(notebook, quiz_file) == []


def test_a_quiz_edited_without_rerun_is_detected(tmp_path):
    chapter = ROOT / "book" / "05_cross_entropy.ipynb"
    notebook = nbformat.read(chapter, as_version=4)
    quiz = json.loads((chapter.parent / "quizzes" / f"{chapter.stem}.json").read_text())
    quiz[0]["evidence"] = {"section": "planted"}  # an author-only field counts too
    planted = tmp_path / "05_cross_entropy.json"
    planted.write_text(json.dumps(quiz))
    assert quiz_output_problems(notebook, planted) == [
        "its quiz output differs from 05_cross_entropy.json: execute the chapter again"
    ]


def test_edit_without_rerun_is_detected():
    notebook = nbformat.read(CHAPTERS[0], as_version=4)
    assert provenance_problems(notebook) == []
    edited = copy.deepcopy(notebook)
    first_plain_code_cell(edited).source += "\nprint('an edit nobody ran')"
    assert provenance_problems(edited) == [
        "code changed after the outputs were produced"
    ]


def test_out_of_order_execution_is_detected():
    notebook = copy.deepcopy(nbformat.read(CHAPTERS[0], as_version=4))
    code = [c for c in notebook.cells if c.cell_type == "code"]
    code[1].execution_count, code[2].execution_count = 3, 2
    assert any("execution counts" in p for p in provenance_problems(notebook))


def test_never_executed_notebook_is_detected():
    notebook = copy.deepcopy(nbformat.read(CHAPTERS[0], as_version=4))
    del notebook.metadata["book"]
    assert any("never run" in p for p in provenance_problems(notebook))


@pytest.mark.slow
def test_nbval_fails_when_a_saved_output_differs(tmp_path):
    """Change one printed digit in a copy of a chapter: nbval must fail that cell."""
    notebook = nbformat.read(CHAPTERS[0], as_version=4)
    stream = next(
        out
        for cell in notebook.cells
        if cell.cell_type == "code" and "setup" not in cell.metadata.get("tags", [])
        for out in cell.outputs
        if out.output_type == "stream" and any(ch.isdigit() for ch in out.text)
    )
    digit = next(ch for ch in stream.text if ch.isdigit())
    stream.text = stream.text.replace(digit, str((int(digit) + 1) % 10), 1)
    copy_path = tmp_path / CHAPTERS[0].name
    nbformat.write(notebook, copy_path)
    shutil.copytree(ROOT / "book" / "quizzes", tmp_path / "quizzes")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "-c",
            "/dev/null",
            "--rootdir",
            str(tmp_path),
            "--nbval",
            "--nbval-current-env",
            # As the suite runs nbval: a sanitize rule must not hide a changed digit.
            f"--nbval-sanitize-with={SANITIZE_CFG}",
            str(copy_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout[-3000:]
    assert "1 failed" in result.stdout, result.stdout[-3000:]


def unused_sanitize_rules(cfg_text: str, notebooks) -> list[str]:
    """The cfg's rules that change no saved text output, applied in order as nbval
    applies them (a rule only ever seeing the output of the rules before it)."""
    rules = get_sanitize_patterns(cfg_text)
    used = [False] * len(rules)
    for notebook in notebooks:
        for cell in notebook.cells:
            for out in cell.get("outputs", []):
                texts = [out.get("text", "")] + [
                    data
                    for mime, data in out.get("data", {}).items()
                    if isinstance(data, str) and not mime.startswith("image/")
                ]
                for text in texts:
                    for i, (regex, replace) in enumerate(rules):
                        text, count = re.subn(regex, replace, text)
                        used[i] = used[i] or count > 0
    return [regex for (regex, _), is_used in zip(rules, used) if not is_used]


def test_every_sanitize_rule_changes_a_saved_output():
    """A rule that matches no saved output hides nothing: dead configuration."""
    notebooks = [
        nbformat.read(p, as_version=4) for p in sorted((ROOT / "book").glob("*.ipynb"))
    ]
    cfg = SANITIZE_CFG.read_text(encoding="utf-8")
    assert unused_sanitize_rules(cfg, notebooks) == []
    # Planted: the rule for Keras progress-bar timings, which no chapter prints.
    step_time = r"\b\d+(\.\d+)?(us|ms|s)/step\b"
    dead = f"\n[keras_step_time]\nregex: {step_time}\nreplace: TIME/step\n"
    assert unused_sanitize_rules(cfg + dead, notebooks) == [step_time]
