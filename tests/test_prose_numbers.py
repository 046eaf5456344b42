"""Every number in a chapter's prose is printed by that chapter (or has a stated rule).

For each chapter `book/NN_*.ipynb`, the numbers written in its markdown cells are
compared with the numbers its code cells printed (stdout streams and `text/plain`
results, as saved in the notebook). A prose number is *backed* when

1. PRINTED: a printed number rounds to it (prose 0.88 is backed by a printed 0.882,
   prose 88 % by 0.882, prose 100,480 by 100480; ties may round either way);
2. CODE: it is a numeric literal in the chapter's own code (a setting the reader can
   see, such as `epochs=3`, `x_train[:10_000]`, `patience=5` or a band limit);
3. SMALL: it is an integer from 0 to 10 (class indices, layer and epoch counts,
   "a 4 read as a 9");
4. DERIVED: the chapter's entry in DERIVED gives an arithmetic rule whose inputs are
   all backed by rules 1-3 (for example 7,504 = 8 * ceil(60000 / 64));
5. EXCEPTION: it is listed in EXCEPTIONS with a reason (kept short on purpose).

Not checked: inline code, fenced code (```python, ```text ...), math ($...$ and
$$...$$), link targets and bare URLs, heading numbers ("## 3. ..."), references
("chapter 12", "section 5", "exercise 2", "chapters 7 and 9", "§1.6"), the
"**Time:** about N minutes" line, and numbers glued to words (float32, Conv2D,
CIFAR-10, top-2, 2-D). MyST directive fences ({exercise}, {solution-start}) are
prose and are checked.

Run: .venv/bin/python -m pytest -n 0 tests/test_prose_numbers.py
"""

from __future__ import annotations

import io
import math
import os
import re
import tokenize
from pathlib import Path

import nbformat
import pytest

# --- where the book is ---------------------------------------------------------------
from chapters import CHAPTERS as _TOC_CHAPTERS
from chapters import ROOT

BOOK = ROOT / "book"
if os.environ.get("BOOK_DIR"):  # a copy of book/ to audit: every chapter in it
    BOOK = Path(os.environ["BOOK_DIR"])
    CHAPTERS = sorted(p.stem for p in BOOK.glob("[0-9][0-9]_*.ipynb"))
else:  # the book's chapters (BOOK_CHAPTERS narrows them)
    CHAPTERS = [Path(p).stem for p in _TOC_CHAPTERS]

# --- rule 4: numbers derived from backed numbers by a stated rule --------------------
# chapter -> {prose number as written: expression}; every literal in the expression
# must itself be backed (printed, a code literal or a small integer).
DERIVED: dict[str, dict[str, str]] = {
    "01_flatten": {
        "70,000": "60000 + 10000",  # the mirror line prints 60,000 train + 10,000 test
        "784,000": "1000 * 784",  # 1,000 images of 784 numbers compared by array_equal
        "55": "2 * 28 - 1",  # row 1 fills 28-55
        "3,072": "32 * 32 * 3",
        "0.10": "1 / 10",  # guessing among 10 classes
    },
    "02_dense_layer": {
        "785": "784 + 1",  # weights + bias of one first-layer unit
        "1,056": "26506 - 25450",  # extra layer of 32 units, from the table
        "262,656": "669706 - 407050",  # extra layer of 512 units, from the table
        "2,112": "27562 - 25450",  # one to three layers of 32 units
        "16": "407050 / 25450",  # 32 -> 512 units multiplies the count by about 16
        "200,960": "(784 + 1) * 256",
        "32,896": "(256 + 1) * 128",
        "795": "(101770 - 25450) / (128 - 32)",  # issue 14, 02-A
    },
    "08_vanishing_gradients": {
        "0.5": "1 / 2",  # p(1 - p) is largest at p = 1/2
        "a hundred": "0.1 / 0.001",  # Adam(0.1) against the default 0.001
        "400,000": "round(1 / 0.0000024, -5)",  # issue 14, 08-A/B: 1 / printed ratio
    },
    "09_optimizers": {
        "100": "10 / 0.1",  # valley curvatures; also 0.001 / 0.00001 in section 6
        "25": "1.5 / 0.06",  # SGD's printed first step
        "784": "28 * 28",
        "1,000": "1.0 / 0.001",  # Adam lr 1.0 against the default 0.001
    },
    "10_batch_epoch_step": {
        "31": "1000 // 32",
        "992": "1000 // 32 * 32",
        "1,536": "512 * 3",
        "24": "8 * 3",
    },
    "11_overfitting_early_stopping": {
        "270,000": "round(269322, -4)",  # "about 270,000 weights"
    },
    "12_dropout": {
        "1.28": "128 / 100",  # np.arange(1, 129) / 100
    },
    "13_mnist": {
        "7.5": "60000 / 8000",
        "0.10": "1 / 10",  # guessing among 10 classes
        "26": "round(128 * 0.2)",  # issue 14, 13-A: expected dropped outputs
        "1.25": "1 / (1 - 0.2)",  # issue 14, 13-A: survivor scale
        "32": "8000 / 250",  # issue 14, 13-D: needs the printed steps per epoch
    },
    "14_fashion_mnist": {  # issue 14, 14-A
        "7,504": "8 * math.ceil(60000 / 64)",
        "938": "math.ceil(60000 / 64)",
        "937": "60000 // 64",
    },
    "15_mnist_vs_fashion": {
        "784": "28 * 28",
        "45": "10 * 9 / 2",  # pairs of class means
    },
    "16_framework_vs_scratch": {
        "78": "round(0.7811 * 100)",
    },
    "17_recipe": {
        "178": "59 + 71 + 48",  # the printed class counts of the wine data
        "63": "round(357 / 569 * 100)",
        "40": "round(71 / 178 * 100)",
        "36": "math.ceil(178 * 0.2)",
        "113": "int((178 - 36) * (1 - 0.2))",  # Keras' validation_split cut
        "80": "1 - 0.2",  # the 80/20 split: test_size=0.2
    },
}

# Rules added with the issue-14 fixes; they are unused until those fixes are applied.
# Empty this set once they are (the test below then requires every rule to be used).
PENDING_ISSUE_14 = {}

# --- rule 5: exceptions, each with a reason ------------------------------------------
EXCEPTIONS: dict[str, dict[str, str]] = {
    "01_flatten": {
        "100,480": "What's next previews chapter 2's printed parameter count",
    },
    "05_cross_entropy": {
        "10,000": "size of the full MNIST test set, which Colab downloads",
    },
    "06_choosing_loss": {
        "151.3": "illustrative prediction, not a result",
        "152": "illustrative target, not a result",
    },
    "13_mnist": {
        "0.98": "the course's full-data result, checked by the 0.97-0.99 band in Colab",
        "10,000": "size of the full MNIST test set, which Colab downloads",
    },
    "15_mnist_vs_fashion": {
        "256": "describes chapter 14's model",
    },
    "17_recipe": {
        "28": "describes chapter 1's images",
        "784": "describes chapter 1's images",
    },
}

# --- extracting prose numbers --------------------------------------------------------
_FENCE = re.compile(r"^(```+|~~~+)(.*)$")
_NUMBER = re.compile(
    r"(?<![\w.\-/])"  # not glued to a word, a decimal point, a hyphen or a slash
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?![\w]|-[A-Za-z]|\.\d)"  # not float32, 2-D, 3.5.1
    r"(\s?%)?"
)
_REFERENCE = re.compile(
    r"\b(?:chapters?|sections?|exercises?|steps?\s+(?=\d+[.:]))\s+\d+"
    r"(?:(?:\s*,\s*|\s+and\s+|\s+to\s+|\s*[-–]\s*)\d+)*"
    r"(?:\s*\([^)]*\))?",  # and the chapter's title in parentheses
    re.IGNORECASE,
)


def prose_text(markdown: str) -> str:
    """The checked prose of one markdown cell (see the module docstring)."""
    kept, in_code, directives = [], False, 0
    for line in markdown.splitlines():
        fence = _FENCE.match(line.strip())
        if fence:
            info = fence.group(2).strip()
            if in_code:
                in_code = False
            elif info.startswith("{"):  # a MyST directive: its body is prose
                directives += 1
            elif not info and directives:
                directives -= 1
            else:
                in_code = True
            continue
        if in_code:
            continue
        stripped = line.strip()
        if stripped.startswith(":") and re.match(r"^:\w+:", stripped):
            continue  # directive options such as :label: and :class:
        if stripped.startswith("**Time:**"):
            continue
        line = re.sub(r"^(#+)\s+\d+\.\s+", r"\1 ", line)  # heading numbers
        kept.append(line)
    text = "\n".join(kept)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)  # display math
    text = re.sub(r"(?<!\\)\$.+?(?<!\\)\$", " ", text)  # inline math
    text = re.sub(r"`[^`]*`", " ", text)  # inline code
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"https?://\S+", " ", text)  # bare URLs
    text = re.sub(r"§\s*\d+(?:\.\d+)*", " ", text)  # section signs
    text = _REFERENCE.sub(" ", text)
    return text


_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_TEENS = "eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
_WORD_VALUES = {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_WORD_VALUES.update({w: 11 + i for i, w in enumerate(_TEENS.split())})
_WORD_VALUES.update({"hundred": 100, "thousand": 1000, "million": 1e6, "billion": 1e9})
# "a million", "one hundred", "forty"; vague plurals ("hundreds of", "a few dozen")
# are not numbers and are not checked.
_WORD = re.compile(
    r"\b((?:a|one)\s+(?:hundred|thousand|million|billion)|"
    + "|".join(_TENS + _TEENS.split())
    + r")\b",
    re.IGNORECASE,
)


def _word_value(written: str) -> float:
    return float(_WORD_VALUES[written.lower().split()[-1]])


def number_matches(text: str):
    """(as written, value, is a percentage, start, end) for digits and number words."""
    found = []
    for m in _NUMBER.finditer(text):
        written = m.group(1)
        value = float(written.replace(",", ""))
        found.append((written, value, bool(m.group(2)), m.start(), m.end()))
    for m in _WORD.finditer(text):
        found.append((m.group(1), _word_value(m.group(1)), False, m.start(), m.end()))
    return sorted(found, key=lambda f: f[3])


def prose_numbers(markdown: str) -> list[tuple[str, float, bool]]:
    """(as written, value, is a percentage) for every number in the prose."""
    return [(w, v, p) for w, v, p, _, _ in number_matches(prose_text(markdown))]


# --- what a chapter printed ----------------------------------------------------------
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_PRINTED_NUMBER = re.compile(
    r"(?<![\w.])[-−]?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d*(?:[eE][-+]?\d+)?"
    r"|\d+(?:[eE][-+]?\d+)?|\.\d+)(%?)"
)


def printed_text(notebook) -> str:
    parts = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and out.name == "stdout":
                parts.append(out.text)
            elif out.output_type in ("execute_result", "display_data"):
                plain = out.get("data", {}).get("text/plain", "")
                if plain.startswith(("<Figure", "<IPython")):
                    continue
                parts.append(plain)
    return _ANSI.sub("", "\n".join(parts))


def printed_numbers(text: str) -> list[tuple[float, int]]:
    """(absolute value, decimals shown) of every printed number; x% also as x/100."""
    values = []
    for m in _PRINTED_NUMBER.finditer(text):
        raw = m.group(1).replace(",", "")
        try:
            value = abs(float(raw))
        except ValueError:
            continue
        mantissa, _, exponent = raw.lower().partition("e")
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        decimals -= int(exponent or 0)  # 9.77e-04 is shown to 6 decimals
        values.append((value, decimals))
        if m.group(2):
            values.append((value / 100, decimals + 2))
    return values


def code_literals(notebook) -> set[float]:
    """Numeric literals in the chapter's code cells (the setup cell excluded)."""
    found: set[float] = set()
    for cell in notebook.cells:
        if cell.cell_type != "code" or "setup" in cell.metadata.get("tags", []):
            continue
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(cell.source).readline))
        except (tokenize.TokenError, IndentationError, SyntaxError):
            continue
        for tok in tokens:
            if tok.type == tokenize.NUMBER:
                try:
                    found.add(abs(float(tok.string.replace("_", ""))))
                except ValueError:
                    pass
    return found


def rounds_to(printed_value: float, prose_value: float, prose_decimals: int) -> bool:
    half = 0.5 * 10 ** (-prose_decimals)
    return abs(printed_value - prose_value) <= half * (1 + 1e-9)


def _decimals(written: str) -> int:
    return len(written.split(".")[1]) if "." in written else 0


class Backing:
    """The backing rules for one chapter, from its notebook."""

    def __init__(self, stem: str, notebook=None):
        self.stem = stem
        self.notebook = notebook or nbformat.read(BOOK / f"{stem}.ipynb", as_version=4)
        self.printed = printed_numbers(printed_text(self.notebook))
        self.code = code_literals(self.notebook)

    def by_printed(self, value: float, decimals: int, percent: bool) -> bool:
        candidates = [(value, decimals)]
        if percent:
            candidates.append((value / 100, decimals + 2))
        for v, d in candidates:
            for p, _ in self.printed:
                if rounds_to(p, v, d):
                    return True
        return False

    def literal_backed(self, value: float, depth: int = 0) -> bool:
        if value == int(value) and 0 <= value <= 10:
            return True
        if value in self.code:
            return True
        # printed: a printed number whose shown precision covers the literal
        if any(abs(p - value) <= 0.5 * 10.0 ** (-d) for p, d in self.printed):
            return True
        if depth < 2:  # another rule of the same chapter may derive it
            for written in DERIVED.get(self.stem, {}):
                if float(written.replace(",", "")) == value:
                    return self.by_rule(written, depth + 1) is not None
        return False

    def by_rule(self, written: str, depth: int = 0) -> str | None:
        """Why a prose number is backed, or None if it is not."""
        if written[0].isdigit():
            value, decimals = float(written.replace(",", "")), _decimals(written)
        else:  # a number word
            value, decimals = _word_value(written), 0
        if self.by_printed(value, decimals, False):
            return "printed"
        if value in self.code:
            return "code"
        if value == int(value) and 0 <= value <= 10:
            return "small"
        rule = DERIVED.get(self.stem, {}).get(written)
        if rule is not None and self.rule_problem(written, depth) is None:
            return "derived"
        if written in EXCEPTIONS.get(self.stem, {}):
            return "exception"
        return None

    def rule_problem(self, written: str, depth: int = 0) -> str | None:
        """Why the DERIVED rule for `written` does not hold (None: it holds)."""
        rule = DERIVED[self.stem][written]
        if written[0].isdigit():
            value, decimals = float(written.replace(",", "")), _decimals(written)
        else:
            value, decimals = _word_value(written), 0
        literals = [
            float(x.replace("_", ""))
            for x in re.findall(r"(?<![\w.])\d[\d_]*(?:\.\d+)?", rule)
        ]
        unbacked = [
            x
            for x in literals
            if x not in (100, 1000) and not self.literal_backed(x, depth)
        ]
        if unbacked:
            return f"rule {rule!r} uses numbers nothing backs: {unbacked}"
        result = eval(rule, {"math": math, "round": round, "int": int})  # noqa: S307
        if not (
            rounds_to(result, value, decimals)
            or rounds_to(100 * result, value, decimals)
        ):
            return f"rule {rule!r} gives {result}, not {written}"
        return None

    def check(self, written: str, value: float, percent: bool) -> str | None:
        if percent and self.by_printed(value, _decimals(written), True):
            return "printed"
        if percent and value / 100 in self.code:
            return "code"
        return self.by_rule(written)


def unbacked_numbers(stem: str, notebook=None) -> list[tuple[int, str, str]]:
    """(cell index, number as written, context) for every unbacked prose number."""
    backing = Backing(stem, notebook)
    problems = []
    for index, cell in enumerate(backing.notebook.cells):
        if cell.cell_type != "markdown":
            continue
        text = prose_text(cell.source)
        for written, value, percent, m_start, m_end in number_matches(text):
            if backing.check(written, value, percent) is None:
                start, end = max(0, m_start - 60), min(len(text), m_end + 40)
                context = " ".join(text[start:end].split())
                problems.append((index, written, context))
    return problems


# --- the tests -----------------------------------------------------------------------
@pytest.mark.parametrize("stem", CHAPTERS)
def test_every_prose_number_is_backed(stem):
    problems = unbacked_numbers(stem)
    listing = "\n".join(f"  cell {i}: {w!r} in ...{c}..." for i, w, c in problems)
    assert not problems, f"{stem}: prose numbers no cell prints:\n{listing}"


def test_exceptions_and_rules_name_real_chapters():
    every = {p.stem for p in BOOK.glob("[0-9][0-9]_*.ipynb")}
    for table in (DERIVED, EXCEPTIONS):
        assert set(table) <= every, set(table) - every
    for stem, entries in EXCEPTIONS.items():
        assert all(reason.strip() for reason in entries.values()), stem
    assert sum(len(v) for v in EXCEPTIONS.values()) <= 12, "keep the exceptions short"


def test_every_derived_rule_holds_and_is_used():
    for stem, rules in DERIVED.items():
        if stem not in CHAPTERS:
            continue
        backing = Backing(stem)
        prose = {
            w
            for cell in backing.notebook.cells
            if cell.cell_type == "markdown"
            for w, _, _ in prose_numbers(cell.source)
        }
        for written in rules:
            if (stem, written) in PENDING_ISSUE_14:
                continue
            problem = backing.rule_problem(written)
            assert problem is None, f"{stem}, {written}: {problem}"
            assert written in prose, f"{stem}: rule for {written} no longer needed"


def test_extractor_ignores_code_math_links_and_references():
    md = (
        "# 3. Title\n"
        "See chapter 12 and chapters 7 and 9, section 5, exercise 2, §1.6.\n"
        "`Dense(128)` and $28 \\times 28 = 784$ and $$e^{-800}$$ "
        "[link](https://x.org/a/12345) float32 CIFAR-10 top-2 2-D.\n"
        "```python\nx = 4242\n```\n"
        "**Time:** about 25 minutes.\n"
        "But 0.88 and 7,500 steps and 20 % are prose, as is a million; hundreds is not."
    )
    found = [w for w, _, _ in prose_numbers(md)]
    assert found == ["0.88", "7,500", "20", "a million"]


def test_rounding_rules():
    assert rounds_to(0.882, 0.88, 2)
    assert rounds_to(0.076, 0.08, 2)
    assert rounds_to(65.5, 65, 0) and rounds_to(65.5, 66, 0)  # a tie may go either way
    assert not rounds_to(0.882, 0.89, 2)
    assert not rounds_to(7504, 7500, 0)


def test_a_planted_unbacked_number_fails():
    """Plant a number no cell prints into a copy of chapter 14; the check must fail."""
    stem = "14_fashion_mnist"
    notebook = nbformat.read(BOOK / f"{stem}.ipynb", as_version=4)
    clean = {(i, w) for i, w, _ in unbacked_numbers(stem, notebook)}
    planted = nbformat.from_dict(notebook)  # a copy, the file is untouched
    target = next(
        i for i, c in enumerate(planted.cells) if c.cell_type == "markdown" and i > 2
    )
    planted.cells[target].source += "\n\nThe model reaches 0.9731 on the test set."
    found = {(i, w) for i, w, _ in unbacked_numbers(stem, planted)}
    assert (target, "0.9731") in found - clean
    # and a printed number planted the same way is accepted
    backed = nbformat.from_dict(notebook)
    backed.cells[target].source += "\n\nThe test accuracy is 0.882."
    assert {(i, w) for i, w, _ in unbacked_numbers(stem, backed)} == clean
