"""Which printed numbers may move on another CPU, and by how much: book/tolerances.json.

A cell's *printed text* is what it writes to stdout and stderr and the plain-text form
of its results (``text/plain``), streams merged as nbval merges them. Its *numbers*
are the numeric tokens of that text, counted from 0 in order; its *skeleton* is the
text with every number replaced by ``#``.

book/tolerances.json holds, per chapter, the cells with at least one number that moved
in the spread run (tools/execute/spread.py) and, per such number, how far it may move.
Every other number, and all text, must match exactly. Each chapter's entry records the
code hash of the chapter it was measured on, and each cell's entry the skeleton of the
saved output: when either changed, the tolerances are stale (:class:`Stale`) and the
verification refuses to run until the spread is measured again.

:func:`reconcile` applies the tolerances to a fresh run's outputs: a number within its
tolerance is replaced by the saved one, so that nbval's own comparison then passes;
any other difference is left for nbval to report, with the number, the saved value and
its tolerance named.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import os
import re
from decimal import Decimal
from pathlib import Path

from tools.book import ROOT

FILE = ROOT / "book" / "tolerances.json"  # BOOK_TOLERANCES names another (tests)
# A tolerance is MARGIN times the largest move the spread run saw, and never below one
# unit of the number's last printed place.
MARGIN = 2.0
# A number that moved by more than this fraction of its own size, and by more than
# WILD_PLACES units of its last printed place, is not a digit to compare: print it more
# coarsely, or tag its cell VARIES and assert in the cell the property the prose relies
# on. (A small probability printed as 0.006 that moves by 0.004 is still read right.)
WILD = 0.25
WILD_PLACES = 5
# A cell tagged so prints results that another CPU changes beyond any useful tolerance
# (a diverging run, which classes a retrained model confuses most). It is compared
# exactly on the kind of machine that made the outputs; elsewhere only run, so the
# asserts it makes about its results (the property the prose relies on) must hold.
VARIES = "varies-by-cpu"
NUMBER = re.compile(
    r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?!\w|\.\d)"
)
TEXT_KEYS = ("text/plain",)


class Stale(Exception):
    """The tolerances were measured on other code or other output text."""


def numbers(text: str) -> list[str]:
    return NUMBER.findall(text)


def skeleton(text: str) -> str:
    """TEXT with each number replaced by '#' and each run of white space by one space:
    NumPy pads the numbers of an array to one width and wraps its lines by that width,
    so a number's move may move the spaces and line breaks too."""
    return re.sub(r"\s+", " ", NUMBER.sub("#", text))


def compared(cell) -> bool:
    """Whether nbval compares CELL's outputs at all (not tagged or marked to ignore)."""
    from nbval.plugin import find_comment_markers, find_metadata_tags

    options = dict(find_metadata_tags(cell.get("metadata", {})) or [])
    options.update(find_comment_markers(cell.get("source", "")))
    return options.get("check", True) and not options.get("skip")


def varies(cell) -> bool:
    return VARIES in cell.get("metadata", {}).get("tags", [])


def last_place(token: str) -> float:
    """One unit of TOKEN's last printed digit: '0.022' -> 0.001, '1.5e-07' -> 1e-08."""
    exponent = Decimal(token.lstrip("+")).as_tuple().exponent
    return float(Decimal(1).scaleb(exponent))


def coalesced(outputs: list) -> list:
    """OUTPUTS with streams merged as nbval merges them (on a copy)."""
    from nbval.plugin import coalesce_streams

    return coalesce_streams(copy.deepcopy(list(outputs)))


def printed(outputs: list) -> list[str]:
    """The texts that carry a cell's numbers, in order (OUTPUTS already coalesced)."""
    texts = []
    for output in outputs:
        if output.get("output_type") == "stream" and output.get("name") == "stdout":
            texts.append(output["text"])
        for key in TEXT_KEYS:
            if key in output.get("data", {}):
                texts.append(output["data"][key])
    return texts


def cell_text(cell) -> str:
    return "\x00".join(printed(coalesced(cell.get("outputs", []))))


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- reading and checking the file ----------------------------------------------


def computing_hash(notebook) -> str:
    """SHA-256 of what the code cells compute: their Python tokens without comments
    and blank lines. A tolerance measures how far the numbers that code prints move;
    editing a comment (the setup cell's, say) leaves them where they were and keeps
    the spread valid, where any change to the code itself makes it stale. (Provenance,
    tools/execute/execute.py's code_hash, stays strict: comments included.) A cell
    that is not Python (a shell escape) is hashed as written."""
    import io
    import tokenize

    skipped = {tokenize.COMMENT, tokenize.NL}
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        try:
            tokens = tokenize.generate_tokens(io.StringIO(cell.source).readline)
            cells.append([[t.type, t.string] for t in tokens if t.type not in skipped])
        except (tokenize.TokenError, SyntaxError, IndentationError):
            cells.append(cell.source)
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


def tolerance_file() -> Path:
    return Path(os.environ.get("BOOK_TOLERANCES", FILE))


def load(path: Path | None = None) -> dict:
    path = tolerance_file() if path is None else path
    if not path.exists():
        return {"chapters": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def chapter_key(nb_path: Path) -> str:
    """A chapter's key in the file: its path in the repository (absolute outside it)."""
    path = Path(nb_path).resolve()
    return (path.relative_to(ROOT) if path.is_relative_to(ROOT) else path).as_posix()


def for_chapter(nb_path: Path, notebook, data: dict | None = None) -> dict:
    """{cell id: {number index: tolerance}} for NOTEBOOK (saved at NB_PATH); raises
    Stale when the file does not describe this notebook's code and outputs."""
    data = load() if data is None else data
    key = chapter_key(nb_path)
    entry = data["chapters"].get(key)
    rerun = f"run `python tools/execute/spread.py {key}`"
    if entry is None:
        raise Stale(f"{key} has no measured tolerances: {rerun}")
    if entry["computing_sha256"] != computing_hash(notebook):
        raise Stale(f"{key}: its code changed after its spread was measured: {rerun}")
    cells = {c.get("id"): c for c in notebook.cells if c.cell_type == "code"}
    found = {}
    for cell_id, measured in entry["cells"].items():
        cell = cells.get(cell_id)
        if cell is None:
            raise Stale(f"{key}: cell {cell_id} is gone: {rerun}")
        text = cell_text(cell)
        if sha(skeleton(text)) != measured["skeleton_sha256"]:
            raise Stale(f"{key}: cell {cell_id} prints other text now: {rerun}")
        count = len(numbers(text))
        tolerances = {int(i): float(t) for i, t in measured["numbers"].items()}
        if any(i >= count for i in tolerances):
            raise Stale(f"{key}: cell {cell_id} prints fewer numbers now: {rerun}")
        found[cell_id] = tolerances
    return found


# --- comparing a fresh run with the saved outputs -------------------------------


def within(saved: str, got: str, tolerance: float) -> bool:
    try:
        a, b = float(saved), float(got)
    except ValueError:
        return False
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= tolerance * (1 + 1e-9) + 1e-15


def reconcile(test: list, ref: list, tolerances: dict[int, float]) -> tuple[list, list]:
    """TEST (a fresh run's coalesced outputs) with each number that lies within its
    tolerance of REF's replaced by REF's own token; and a message for each number that
    does not. Where the outputs do not line up (another count, another skeleton), TEST
    is returned as it is: nbval's comparison reports that."""
    test = copy.deepcopy(list(test))
    ref_texts, test_texts = printed(ref), printed(test)
    if len(ref_texts) != len(test_texts):
        return test, []
    problems = []
    new_texts = []
    index = 0
    for saved, got in zip(ref_texts, test_texts):
        if skeleton(saved) != skeleton(got):
            return test, []
        saved_numbers, got_numbers = numbers(saved), numbers(got)
        for k, (a, b) in enumerate(zip(saved_numbers, got_numbers)):
            tolerance = tolerances.get(index + k)
            if a == b:
                continue
            if tolerance is not None and within(a, b, tolerance):
                got_numbers[k] = a
            elif tolerance is None:
                problems.append(f"number {index + k}: saved {a}, got {b} (exact)")
            else:
                problems.append(
                    f"number {index + k}: saved {a}, got {b}, beyond its tolerance "
                    f"{tolerance:g}"
                )
        if all(g == a for g, a in zip(got_numbers, saved_numbers)):
            new_texts.append(saved)  # the same up to numbers within tolerance, spaces
        else:
            new_texts.append(got)
        index += len(saved_numbers)
    texts = iter(new_texts)
    for output in test:
        if output.get("output_type") == "stream" and output.get("name") == "stdout":
            output["text"] = next(texts)
        for key in TEXT_KEYS:
            if key in output.get("data", {}):
                output["data"][key] = next(texts)
    return test, problems


# --- deriving the tolerances from a spread run ----------------------------------


def derive(saved, runs: dict[str, object]) -> tuple[dict, list[str]]:
    """From SAVED (a notebook) and RUNS (variant name -> the same notebook executed
    under it): the cells' entries for the file, and the problems that forbid writing
    it (a number that moves wildly, text that changes)."""
    cells, problems = {}, []
    code = [c for c in saved.cells if c.cell_type == "code"]
    for n, cell in enumerate(code):
        if not compared(cell) or varies(cell):
            continue
        text = cell_text(cell)
        saved_numbers = numbers(text)
        moves = [Decimal(0)] * len(saved_numbers)
        for name, run in runs.items():
            other = [c for c in run.cells if c.cell_type == "code"][n]
            other_text = cell_text(other)
            if skeleton(other_text) != skeleton(text):
                problems.append(
                    f"cell {n} ({cell.get('id')}) prints other text under {name}: "
                    f"{_first_difference(text, other_text)}"
                )
                break
            for i, (a, b) in enumerate(zip(saved_numbers, numbers(other_text))):
                if a != b:
                    moves[i] = max(moves[i], abs(Decimal(a) - Decimal(b)))
        tolerances = {}
        for i, move in enumerate(moves):
            if move == 0:
                continue
            value = Decimal(saved_numbers[i].lstrip("+"))
            place = Decimal(1).scaleb(value.as_tuple().exponent)
            if move > Decimal(str(WILD)) * abs(value) and move > WILD_PLACES * place:
                problems.append(
                    f"cell {n} ({cell.get('id')}), number {i} ({saved_numbers[i]}) "
                    f"moved by {float(move):.3g}, more than {WILD:.0%} of itself "
                    f"and {WILD_PLACES} units of its last place"
                )
            tolerances[str(i)] = _round_up(max(Decimal(str(MARGIN)) * move, place))
        if tolerances:
            cells[cell.get("id")] = {
                "cell": n,
                "skeleton_sha256": sha(skeleton(text)),
                "numbers": tolerances,
                "saved": {str(i): saved_numbers[int(i)] for i in tolerances},
            }
    return cells, problems


def _round_up(x: Decimal) -> float:
    """X rounded up to two significant digits (a tolerance, written readably)."""
    exponent = x.adjusted() - 1
    return float(
        x.scaleb(-exponent).to_integral_value(rounding="ROUND_CEILING").scaleb(exponent)
    )


def _first_difference(a: str, b: str) -> str:
    for x, y in zip(a.splitlines(), b.splitlines()):
        if x != y:
            return f"{x!r} vs {y!r}"
    return "another number of lines"


def write_from_runs(
    notebooks: list[Path], runs: dict[str, Path], path: Path | None = None
) -> int:
    """Derive every chapter's tolerances from the executed copies in RUNS (variant ->
    folder) and write them into PATH (other chapters' entries kept); 1 on a problem."""
    import nbformat

    path = tolerance_file() if path is None else path
    data = load(path)
    data["about"] = (
        "Measured by tools/execute/spread.py; read by tools/execute/tolerance.py. "
        f"A number's tolerance is {MARGIN:g} times its largest move in the spread run, "
        "at least one unit of its last printed place; numbers not listed are exact."
    )
    data["variants"] = sorted(runs)
    failed = False
    for nb_path in notebooks:
        saved = nbformat.read(nb_path, as_version=4)
        executed = {
            name: nbformat.read(folder / nb_path.name, as_version=4)
            for name, folder in runs.items()
        }
        cells, problems = derive(saved, executed)
        key = chapter_key(nb_path)
        moved = sum(len(c["numbers"]) for c in cells.values())
        print(f"{key}: {moved} number(s) moved, in {len(cells)} cell(s)")
        for problem in problems:
            print(f"  {problem}")
        if problems:
            failed = True
            data["chapters"].pop(key, None)
            continue
        data["chapters"][key] = {
            "computing_sha256": computing_hash(saved),
            "cells": cells,
        }
    data["chapters"] = dict(sorted(data["chapters"].items()))
    path.write_text(
        json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {path.relative_to(ROOT)}")
    if failed:
        print(
            "The chapters with problems above have no tolerances (their verification "
            "fails): print those numbers coarser, or assert a property of them."
        )
    return 1 if failed else 0


# --- nudging: the saved outputs as another CPU might print them ------------------


def nudged_token(token: str, tolerance: float, sign: int) -> str:
    """TOKEN moved by SIGN times the largest multiple of its last printed place that
    lies within TOLERANCE, printed to the same places (e-notation stays as it is)."""
    if "e" in token.lower():
        return token
    value = Decimal(token.lstrip("+"))
    place = Decimal(1).scaleb(value.as_tuple().exponent)
    steps = int(Decimal(str(tolerance)) / place)
    moved = value + sign * steps * place
    text = f"{moved:f}"
    if token.startswith("+") or (token.startswith("-") and moved >= 0):
        text = f"{moved:+f}"
    return text


def nudge(notebook, tolerances: dict, signs) -> int:
    """Move every number of NOTEBOOK that has a tolerance ({cell id: {index: tol}}) to
    the edge of its tolerance, in the direction SIGNS (a callable giving +1 or -1 for
    each printed value); streams are coalesced as nbval does. Numbers moved."""
    moved = 0
    for cell in notebook.cells:
        measured = tolerances.get(cell.get("id"))
        if cell.cell_type != "code" or not measured:
            continue
        outputs = coalesced(cell.outputs)
        index = 0
        for output in outputs:
            stdout = (
                output.get("output_type") == "stream" and output.get("name") == "stdout"
            )
            keys = ["text"] if stdout else []
            keys += [k for k in TEXT_KEYS if k in output.get("data", {})]
            for key in keys:
                holder = output if key == "text" else output["data"]
                pieces = NUMBER.split(holder[key])
                tokens = NUMBER.findall(holder[key])
                for k, token in enumerate(tokens):
                    tol = measured.get(index + k)
                    if tol is not None:
                        tokens[k] = nudged_token(token, tol, signs(token))
                        moved += tokens[k] != token
                holder[key] = pieces[0] + "".join(
                    t + p for t, p in zip(tokens, pieces[1:])
                )
                index += len(tokens)
        cell.outputs = outputs
    return moved


def signs_for(pattern: str):
    """The directions of a nudge: 'up' (+1 everywhere), 'down' (-1), or an integer seed
    that draws a sign per printed value. The draw depends on the value, not on where it
    is printed: a result that a chapter prints twice (a table that repeats an earlier
    run) moves the same way in both places, as it would on another CPU."""
    if pattern == "up":
        return lambda token: 1
    if pattern == "down":
        return lambda token: -1
    seed = int(pattern)

    def draw(token):
        digest = hashlib.sha256(f"{seed}:{token}".encode()).digest()
        return 1 if digest[0] % 2 else -1

    return draw
