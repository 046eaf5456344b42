"""Grade a class's practice notebooks: ``bash tools/grade.sh SUBMISSIONS_DIR``.

Every ``*.ipynb`` under SUBMISSIONS_DIR (a learner's folder, or a file named after the
learner) runs in a fresh offline kernel (tools/execute/execute.py's environment) in a
temporary folder, one cell at a time, with a time limit per cell (an endless loop is
interrupted, and the notebook goes on) and per notebook. Before it runs, its "Practice
checks" cell and its check cells are replaced by the book's own (tools/derive/
practice.py), so an edited check cannot pass an answer; the learner's cells run as
written. Each check reports its result (pass, fail, blank, order, error) through
FCN_PRACTICE_RESULTS. A submission is read, never written: its SHA-256 is compared
before and after.

Out (default ``grades/`` beside SUBMISSIONS_DIR): per chapter a learner x exercise
table, ``NN_topic.csv`` and ``NN_topic.html``, and ``summary.csv`` / ``summary.html``:
one row per submission with its chapter, score and what went wrong (not a notebook,
lost check cells, a cell over its time limit, the kernel died, the notebook's time
limit). A broken submission is reported and the next one runs.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from tools.book import toc_notebooks
from tools.derive import practice
from tools.execute.execute import offline_env

STATUS = {  # a check's result -> what the tables show
    "pass": "pass",
    "fail": "wrong",
    "blank": "not answered",
    "order": "cells out of order",
    "error": "answer raised or unreadable",
    "missing": "check cell lost",
    "not run": "not reached",
}
COLOURS = {
    "pass": "#c8ecc9",
    "fail": "#f8d0cc",
    "blank": "#eeeeee",
    "order": "#fde7b6",
    "error": "#f8d0cc",
    "missing": "#fde7b6",
    "not run": "#fde7b6",
}


@dataclass
class Graded:
    """One submission's results."""

    path: str
    learner: str
    chapter: str = ""
    results: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def score(self) -> str:
        if not self.results:
            return ""
        passed = sum(s == "pass" for s in self.results.values())
        return f"{passed}/{len(self.results)}"


def chapters() -> list[str]:
    return [c.stem for c in toc_notebooks()]


def chapter_of(notebook, path: Path) -> str:
    """The chapter a practice copy comes from: its metadata, else its file name."""
    meta = notebook.get("metadata", {}).get("fcn_book_copy", {})
    if meta.get("chapter") in chapters():
        return meta["chapter"]
    match = re.search(r"(\d\d)_", path.name)
    known = {c[:2]: c for c in chapters()}
    return known.get(match.group(1), "") if match else ""


def prepare(notebook, chapter: str, lang: str) -> tuple[list[str], list[str]]:
    """Put the book's own checks into NOTEBOOK (in place); return the labels whose
    check cell is there and those lost."""
    cells = notebook.cells
    role = [c.get("metadata", {}).get("fcn_check", {}) for c in cells]
    runtime = practice.runtime_cell(chapter, lang)
    if {"role": "runtime"} in role:
        cells[role.index({"role": "runtime"})] = runtime
    else:  # after the setup cell, else first
        setup = [
            i for i, c in enumerate(cells) if "setup" in c.metadata.get("tags", [])
        ]
        cells.insert(setup[0] + 1 if setup else 0, runtime)
        role = [c.get("metadata", {}).get("fcn_check", {}) for c in cells]
    labels = practice.labels(chapter)
    found = []
    for i, r in enumerate(role):
        if r.get("role") == "check" and r.get("label") in labels:
            number = labels.index(r["label"]) + 1
            cells[i] = practice.check_cell(r["label"], number, lang, cells[i].id)
            found.append(r["label"])
    return found, [label for label in labels if label not in found]


def run(notebook, folder: Path, results: Path, cell_limit: int, notebook_limit: int):
    """Execute NOTEBOOK cell by cell; the problems met, in words."""
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    os.environ["FCN_PRACTICE_RESULTS"] = str(results)
    client = NotebookClient(
        notebook,
        timeout=cell_limit,
        kernel_name="python3",
        allow_errors=True,
        interrupt_on_timeout=True,
        error_on_timeout={"ename": "CellTimeout", "evalue": "", "traceback": []},
        resources={"metadata": {"path": str(folder)}},
    )
    problems, start = [], time.monotonic()
    try:
        with client.setup_kernel():
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type != "code":
                    continue
                if time.monotonic() - start > notebook_limit:
                    problems.append(f"stopped at cell {index}: over {notebook_limit} s")
                    break
                began = time.monotonic()
                client.execute_cell(cell, index)
                if time.monotonic() - began >= cell_limit:
                    problems.append(f"cell {index} interrupted after {cell_limit} s")
    except DeadKernelError:
        problems.append(f"the kernel died in cell {index}")
    except Exception as error:  # a kernel that would not start, a protocol error
        problems.append(f"execution failed: {type(error).__name__}: {error}"[:300])
    finally:
        os.environ.pop("FCN_PRACTICE_RESULTS", None)
    return problems


def grade_one(path: Path, root: Path, cell_limit: int, notebook_limit: int) -> Graded:
    relative = path.relative_to(root)
    learner = relative.parts[0] if len(relative.parts) > 1 else path.stem
    graded = Graded(str(relative), learner)
    raw = path.read_bytes()
    before = hashlib.sha256(raw).hexdigest()
    try:
        notebook = nbformat.reads(raw.decode("utf-8"), as_version=4)
    except Exception as error:
        graded.problems.append(f"not a notebook ({type(error).__name__})")
        return graded
    chapter = chapter_of(notebook, path)
    if not chapter or not practice.has_checks(chapter):
        graded.problems.append("not a practice copy of a chapter with checks")
        return graded
    graded.chapter = chapter
    lang = notebook.metadata.get("fcn_book_copy", {}).get("language", "en")
    lang = lang if lang in ("en", "ko") else "en"
    found, lost = prepare(notebook, chapter, lang)
    if lost:
        graded.problems.append(f"check cells lost: {', '.join(lost)}")
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        results = Path(folder) / ".fcn_results.jsonl"
        work = Path(folder) / "work"
        work.mkdir()
        graded.problems += run(notebook, work, results, cell_limit, notebook_limit)
        lines = results.read_text().splitlines() if results.exists() else []
    graded.seconds = time.monotonic() - start
    reported = {}
    for line in lines:
        record = json.loads(line)
        reported[record["label"]] = record["status"]
    for label in practice.labels(chapter):
        if label in lost:
            graded.results[label] = "missing"
        else:
            graded.results[label] = reported.get(label, "not run")
    if hashlib.sha256(path.read_bytes()).hexdigest() != before:
        graded.problems.append("the submission changed while it was graded")
    return graded


def write_tables(grades: list[Graded], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for chapter in chapters():
        rows = [g for g in grades if g.chapter == chapter]
        if not rows:
            continue
        labels = practice.labels(chapter)
        header = ["learner", "file", *labels, "score", "problems"]
        table = [
            [g.learner, g.path]
            + [STATUS[g.results[x]] for x in labels]
            + [g.score, "; ".join(g.problems)]
            for g in rows
        ]
        written.append(write_csv(out / f"{chapter}.csv", header, table))
        statuses = [[g.results[x] for x in labels] for g in rows]
        written.append(
            write_html(out / f"{chapter}.html", chapter, header, table, statuses)
        )
    header = ["file", "learner", "chapter", "score", "seconds", "problems"]
    table = [
        [
            g.path,
            g.learner,
            g.chapter,
            g.score,
            f"{g.seconds:.1f}",
            "; ".join(g.problems),
        ]
        for g in grades
    ]
    written.append(write_csv(out / "summary.csv", header, table))
    written.append(write_html(out / "summary.html", "Summary", header, table, None))
    return written


def write_csv(path: Path, header, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_html(path: Path, title, header, rows, statuses) -> Path:
    def cell(text, status=None):
        style = f' style="background:{COLOURS[status]}"' if status else ""
        return f"<td{style}>{html.escape(str(text))}</td>"

    body = []
    for r, row in enumerate(rows):
        marks = [None, None] + (statuses[r] if statuses else []) + [None, None]
        marks += [None] * (len(row) - len(marks))
        body.append("<tr>" + "".join(cell(v, m) for v, m in zip(row, marks)) + "</tr>")
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    path.write_text(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}: practice grades</title><style>"
        "body{font-family:sans-serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:4px 8px;text-align:left}"
        "</style></head><body>"
        f"<h1>{html.escape(title)}</h1><table><thead><tr>{head}</tr></thead><tbody>"
        + "\n".join(body)
        + "</tbody></table></body></html>\n",
        encoding="utf-8",
    )
    return path


def bar(done: int, total: int, width: int = 24) -> str:
    filled = width * done // max(total, 1)
    return "[" + "#" * filled + "-" * (width - filled) + f"] {done}/{total}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("submissions", type=Path)
    parser.add_argument("--out", type=Path, help="default: grades/ beside it")
    parser.add_argument("--cell-timeout", type=int, default=120, help="seconds")
    parser.add_argument("--notebook-timeout", type=int, default=900, help="seconds")
    args = parser.parse_args(argv)
    root = args.submissions.resolve()
    if not root.is_dir():
        print(f"not a folder: {root}", file=sys.stderr)
        return 2
    out = (args.out or root.parent / "grades").resolve()
    files = sorted(
        p
        for p in root.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts and p.is_file()
    )
    if not files:
        print(f"no .ipynb files under {root}", file=sys.stderr)
        return 2
    os.environ.update(offline_env())
    grades = []
    for n, path in enumerate(files, 1):
        print(f"{bar(n - 1, len(files))} {path.relative_to(root)} ...", flush=True)
        graded = grade_one(path, root, args.cell_timeout, args.notebook_timeout)
        grades.append(graded)
        note = f" ({'; '.join(graded.problems)})" if graded.problems else ""
        score = graded.score or "-"
        print(f"{bar(n, len(files))} {graded.path}: {score}{note}", flush=True)
    for path in write_tables(grades, out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
