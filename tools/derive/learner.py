"""Learner and practice copies: the chapters as Colab and Jupyter show them.

The site keeps MyST (glossary roles, exercise directives, solutions in dropdowns).
A notebook opened on its own has none of that, so every chapter, in both editions,
is also written as

* a **learner copy**, ``learner/<book>/NN_topic.ipynb``: the chapter with plain
  Markdown instead of MyST (``{term}`` roles become their text, exercises and
  solutions become bold headings), its quiz embedded in the quiz cell (no network
  fetch), and its saved outputs. The *Open in Colab*, GitHub and download links of
  every chapter (tools/author/sync_cells.py writes them) point here.
* a **practice copy**, ``practice/<book>/NN_topic.ipynb``: the learner copy without
  the solutions (their text and code cells) and without outputs, with a code cell
  to write each answer in, as Neuromatch's student notebooks and fastbook's clean
  notebooks do. The *Practice in Colab* links point here.

``<book>`` is ``book`` (English) or ``ko/book`` (Korean, from tools/derive/i18n.py).
The copies are generated, never hand-edited:

    python tools/derive/learner.py           # write learner/ and practice/
    python tools/derive/learner.py --check   # exit 1 when a copy is out of date
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import nbformat

from tools.author import strings
from tools.book import EDITIONS, ROOT, shown_quiz_questions, toc_notebooks
from tools.derive import practice
from tools.environments.versions import CHAPTERS
from tools.execute import figure_text
from tools.execute.execute import QUIZ_VAR

KINDS = ("learner", "practice")
WORDS = {
    "en": {
        "exercise": "Exercise",
        "solution_title": "Solution to {exercise}",
        "answer": "# Your answer here: write and run your code.",
        "no_solution": (
            "*(The solution is in the learner copy and on the book's site.)*"
        ),
    },
    "ko": {  # locales/ko/site.yml
        "exercise": strings.ui("exercise"),
        "solution_title": strings.ui("solution_title"),  # {exercise} 풀이
        "answer": strings.ui("answer"),
        "no_solution": strings.ui("no_solution"),
    },
}
TERM = re.compile(r"\{term\}`([^`<]+?)(?:\s*<[^>]+>)?`")
EXERCISE = re.compile(
    r"```\{exercise\}[^\n]*\n((?::[\w-]+:[^\n]*\n)*)\n?(.*?)\n```", re.DOTALL
)
SOLUTION_START = re.compile(r"```\{solution-start\}[^\n]*\n(?::[\w-]+:[^\n]*\n)*```\n?")
SOLUTION_END = re.compile(r"\n?```\{solution-end\}\n```")
QUIZ_CALL = re.compile(r'^show_quiz\("([\w-]+)"\)$')


def plain_markdown(text: str, lang: str, counter: list[int]) -> str:
    """MyST -> Markdown that Jupyter and Colab render."""
    text = TERM.sub(lambda m: m.group(1).strip(), text)

    def exercise(match):
        counter[0] += 1
        return f"**{WORDS[lang]['exercise']} {counter[0]}.** {match.group(2).strip()}"

    text = EXERCISE.sub(exercise, text)
    # Titled as on the site and in the PDF: "Solution to Exercise 3", "연습 3 풀이".
    words = WORDS[lang]
    title = words["solution_title"].format(exercise=f"{words['exercise']} {counter[0]}")
    text = SOLUTION_START.sub(f"**{title}.** ", text)
    return SOLUTION_END.sub("", text)


def shown_without_author_fields(output) -> None:
    """A quiz output as the inlined questions draw it: jupyterquiz's question data
    without the author-only fields (evidence) the book's show_quiz passed on."""
    source = output.get("data", {}).get("application/javascript")
    match = QUIZ_VAR.search(source or "")
    if match is None:
        return
    data, end = json.JSONDecoder().raw_decode(source, match.end())
    shown = json.dumps(shown_quiz_questions(data))
    output["data"]["application/javascript"] = (
        source[: match.end()] + shown + source[end:]
    )


# jupyterquiz writes its own words ("Type numeric answer here:", "Correct!") in
# English; in a Korean copy the quiz cell swaps them as they appear, from the `quiz:`
# table of locales/ko/site.yml (the Korean site does the same in book/_static/a11y.js).
QUIZ_WORDS = '''
from IPython.display import Javascript, display

WORDS = {words}
SWAP = """
const swap = () => document.querySelectorAll(".InpLabel, .Feedback").forEach((el) => {{
  const english = el.textContent.trim();
  if (english in words) el.textContent = words[english];
}});
new MutationObserver(swap).observe(document.body, {{childList: true, subtree: true}});
swap();
"""
words = json.dumps(WORDS, ensure_ascii=False)
display(Javascript("const words = " + words + ";" + SWAP))'''


def quiz_source(name: str, book: Path, lang: str = "en") -> str:
    """The quiz cell with its questions in it (the setup cell's show_quiz would read
    quizzes/NAME.json or fetch it from the repository); in a Korean copy, with the
    lines that put jupyterquiz's own words into Korean."""
    questions = shown_quiz_questions(
        json.loads((book / "quizzes" / f"{name}.json").read_text("utf-8"))
    )
    data = json.dumps(questions, ensure_ascii=False, indent=1)
    if '"""' in data:
        raise ValueError(f"quizzes/{name}.json has a triple quote")
    return (
        f"# The questions of quizzes/{name}.json, kept in the notebook so the quiz\n"
        "# works with no other file and no network.\n"
        "import json\n\n"
        "from jupyterquiz import display_quiz\n\n"
        f'QUIZ = json.loads(r"""\n{data}\n""")\n'
        "display_quiz(QUIZ, shuffle_answers=False)"
    ) + (quiz_words() if lang == "ko" else "")


def quiz_words() -> str:
    words = {
        english: korean
        for english, korean in strings.korean()["quiz"].items()
        if english != "Toggle hidden content"  # the site's fold button, not the quiz's
    }
    text = json.dumps(words, ensure_ascii=False, indent=4).replace("\n}", ",\n}")
    return "\n\n" + strings.ui("quiz_words_comment") + QUIZ_WORDS.format(words=text)


def solution_regions(cells) -> list[tuple[int, int]]:
    """(first, last) cell index of each solution, from its start to its end marker."""
    regions, start = [], None
    for i, cell in enumerate(cells):
        if cell.cell_type != "markdown":
            continue
        if SOLUTION_START.search(cell.source):
            start = i
        if SOLUTION_END.search(cell.source) and start is not None:
            regions.append((start, i))
            start = None
    return regions


def practice_cells(cells, lang: str, chapter: str = "") -> list:
    """Cells without the solutions: the text before each solution marker and after
    its end marker stay; a code cell to answer in follows each exercise, then a
    collapsed cell that checks the answer (tools/derive/practice.py), after a
    collapsed cell that defines the chapter's checks follows the setup cell."""
    checked = practice.has_checks(chapter)
    out, i, number = [], 0, 0
    regions = {start: end for start, end in solution_regions(cells)}
    while i < len(cells):
        if i not in regions:
            out.append(cells[i])
            if checked and "setup" in cells[i].metadata.get("tags", []):
                out.append(practice.runtime_cell(chapter, lang))
            i += 1
            continue
        end = regions[i]
        before = SOLUTION_START.split(cells[i].source)[0].rstrip()
        if before:
            out.append(nbformat.v4.new_markdown_cell(before, id=cells[i].id))
        if not (out and out[-1].cell_type == "code"):
            out.append(
                nbformat.v4.new_code_cell(WORDS[lang]["answer"], id=f"{cells[i].id}-a")
            )
        number += 1
        if checked:
            label = practice.solution_label(cells[i].source)
            check_id = f"{cells[i].id}-c"
            out.append(practice.check_cell(label, number, lang, check_id))
        note = nbformat.v4.new_markdown_cell(
            WORDS[lang]["no_solution"], id=f"{cells[i].id}-s"
        )
        out.append(note)
        after = SOLUTION_END.split(cells[end].source)[-1].strip()
        if after:
            out.append(nbformat.v4.new_markdown_cell(after, id=f"{cells[end].id}-r"))
        i = end + 1
    return out


def make_copy(chapter: Path, lang: str, kind: str) -> str:
    """The text of one copy of one chapter (chapter: book/NN_topic.ipynb)."""
    book = EDITIONS[lang].root / "book"
    notebook = nbformat.read(book / chapter.name, as_version=4)
    if kind == "practice":  # first, while the solution markers are still there
        notebook.cells = practice_cells(notebook.cells, lang, chapter.stem)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
    counter = [0]
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = plain_markdown(cell.source, lang, counter)
        else:
            for output in cell.get("outputs", []):  # the Korean twin of a figure
                output.get("metadata", {}).pop(figure_text.METADATA_KEY, None)
            call = QUIZ_CALL.match(cell.source.strip())
            if call:
                cell.source = quiz_source(call.group(1), book, lang)
                for output in cell.outputs:  # what the inlined questions draw
                    shown_without_author_fields(output)
    notebook.metadata.pop("fcn_book", None)
    notebook.metadata["fcn_book_copy"] = {"kind": kind, "language": lang}
    if kind == "practice":  # which checks tools/grade/grade.py runs
        notebook.metadata["fcn_book_copy"]["chapter"] = chapter.stem
    return nbformat.writes(notebook) + "\n"


def learner_requirements() -> str:
    """What the chapters need (requirements-chapters.txt, past its header), for
    notebooks.zip: no build or test tools, and torch (chapter 16 only) optional."""
    text = CHAPTERS.read_text(encoding="utf-8")
    kept = text.split("\n\n", 1)[1].strip()  # the header speaks to authors
    lines = []
    for line in kept.split("\n"):
        if line.startswith("torch=="):
            line = (
                f"# {line}  (optional: only chapter 16 uses it; uncomment to install)"
            )
        lines.append(line)
    return (
        "# What the chapters need (from the book's requirements-chapters.txt).\n"
        "# Install: python3 -m venv .venv\n"
        "#          .venv/bin/pip install -r requirements.txt\n"
        "# and open the notebooks with Jupyter (pip install jupyterlab) or VS Code.\n\n"
        + "\n".join(lines)
        + "\n"
    )


def copy_path(chapter: Path, lang: str, kind: str) -> Path:
    sub = "book" if lang == "en" else f"{lang}/book"
    return ROOT / kind / sub / chapter.name


def all_copies() -> dict[Path, str]:
    return {
        copy_path(chapter, lang, kind): make_copy(chapter, lang, kind)
        for chapter in toc_notebooks()
        for lang in EDITIONS
        for kind in KINDS
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    stale = []
    for path, text in all_copies().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for path in stale:
        verb = "out of date" if args.check else "wrote"
        print(f"{verb}: {path.relative_to(ROOT)}")
    if args.check and stale:
        print("fix: python tools/derive/learner.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
