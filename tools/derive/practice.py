"""The checks of the practice copies (issue 29): what tools/derive/learner.py puts into
each practice copy so that it answers back, offline and in Colab, in its language.

* ``book/checks/NN_topic.py``: one check per exercise of the chapter (a function of a
  ``Trial``, tools/derive/practice_runtime.py), ``CHECKS`` (label -> function), then,
  below the line ``# --- words and tests`` (not copied into the notebooks): ``TEXT``,
  the English words of each check, and what tests/test_practice.py runs (the chapter
  cells a check needs, a small stand-in for the chapter's data, the common mistakes).
* ``locales/ko/checks/NN_topic.yml``: the Korean words, label -> key -> text.
* locales/ko/site.yml, ``practice``: the Korean words every check shares.

A practice copy gets one collapsed cell after the setup cell ("Practice checks": the
runtime, the chapter's checks and their words, no solution) and after each
exercise's answer cell a collapsed cell that checks it. Both are Colab forms
(``# @title``) and hidden in Jupyter (``source_hidden``); their metadata
``fcn_check`` marks them for tools/grade/grade.py.
"""

from __future__ import annotations

import json
import runpy
from functools import cache
from pathlib import Path

import yaml

from tools.author import strings
from tools.book import ROOT, site_url

CHECKS = ROOT / "book" / "checks"
KOREAN = ROOT / "locales" / "ko" / "checks"
RUNTIME = Path(__file__).with_name("practice_runtime.py")
CUT = "# --- words and tests"
RUNTIME_ID = "practice-checks"
TITLES = {
    "en": {
        "runtime": "Practice checks: run this cell once (it checks your answers and "
        "does not contain them)",
        "check": "Check your answer to exercise {number}",
        "no_runtime": "Run the cell 'Practice checks' near the top first (it follows "
        "the setup cell), then this cell again.",
    },
}


def words(lang: str) -> dict:
    """The words every check shares, in LANG."""
    runtime = runpy.run_path(str(RUNTIME))
    if lang == "en":
        return {**runtime["WORDS"], **TITLES["en"]}
    return strings.korean()["practice"]


def has_checks(chapter: str) -> bool:
    return (CHECKS / f"{chapter}.py").exists()


@cache
def module(chapter: str) -> dict:
    """book/checks/CHAPTER.py, run: CHECKS, TEXT and the tests' data."""
    return runpy.run_path(str(CHECKS / f"{chapter}.py"))


def checks_source(chapter: str) -> str:
    """What a practice copy holds of book/checks/CHAPTER.py: the checks, no words or
    tests."""
    text = (CHECKS / f"{chapter}.py").read_text(encoding="utf-8")
    return text.split(CUT)[0].rstrip() + "\n"


def texts(chapter: str, lang: str) -> dict:
    """Each exercise's words in LANG: label -> key -> text."""
    if lang == "en":
        return module(chapter)["TEXT"]
    path = KOREAN / f"{chapter}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def ruff_format(source: str) -> str:
    """SOURCE as `ruff format` writes it: the copies are checked with ruff, like every
    notebook of the repository (ruff.toml)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", "cell.py", "-"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return done.stdout.rstrip("\n")


def form(title: str, body: str, cell_id: str, role: dict):
    import nbformat

    source = ruff_format(f"# @title {title}\n{body}\n")
    cell = nbformat.v4.new_code_cell(source, id=cell_id)
    cell.metadata.update(
        {"cellView": "form", "jupyter": {"source_hidden": True}, "fcn_check": role}
    )
    return cell


def runtime_cell(chapter: str, lang: str):
    """The collapsed cell that defines `practice`, the chapter's checker."""
    w = words(lang)
    runtime = RUNTIME.read_text(encoding="utf-8")
    runtime = runtime.split('"""', 2)[2].lstrip()  # without the module's docstring
    shared = {k: v for k, v in w.items() if k not in TITLES["en"]}
    data = json.dumps(
        {"words": shared, "texts": texts(chapter, lang)}, ensure_ascii=False, indent=1
    )
    source = checks_source(chapter)
    if '"""' in data or "'''" in source:
        raise ValueError(f"book/checks/{chapter}.py or its words hold a triple quote")
    body = (  # quoted as ruff format quotes them (the copies are checked by ruff)
        f"{runtime}\n\n"
        f'_WORDS = json.loads(r"""\n{data}\n""")\n'
        "practice = Practice(\n"
        f"    r'''\n{source}''',\n"
        '    _WORDS["words"],\n'
        '    _WORDS["texts"],\n'
        f'    "{lang}",\n'
        f'    "{chapter}",\n'
        f'    "{site_url(lang)}book/",\n'
        ")\n"
        'print(practice.words["ready"])'
    )
    return form(w["runtime"], body, RUNTIME_ID, {"role": "runtime"})


def check_cell(label: str, number: int, lang: str, cell_id: str):
    """The collapsed cell after an exercise's answer that checks it."""
    w = words(lang)
    body = (
        "try:\n"
        f'    practice.check("{label}", globals(), {number})\n'
        "except NameError:\n"
        f"    print({json.dumps(w['no_runtime'], ensure_ascii=False)})"
    )
    title = w["check"].format(number=number)
    return form(title, body, cell_id, {"role": "check", "label": label})


def labels(chapter: str) -> list[str]:
    """The exercises' labels of CHAPTER, in order (from its solution markers)."""
    import nbformat

    notebook = nbformat.read(ROOT / "book" / f"{chapter}.ipynb", as_version=4)
    return [
        solution_label(cell.source)
        for cell in notebook.cells
        if cell.cell_type == "markdown" and "```{solution-start}" in cell.source
    ]


def solution_label(source: str) -> str:
    return source.split("{solution-start}", 1)[1].split("\n", 1)[0].strip()
