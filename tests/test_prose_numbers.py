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

The figures' alt texts and demo sentences (kept in the metadata of the code cell that
draws the figure, tools/author/figures.py) are prose too and follow the same rules.

Not checked: inline code, fenced code (```python, ```text ...), math ($...$ and
$$...$$), link targets and bare URLs, heading numbers ("## 3. ..."), ordered-list
markers ("12. "), references ("chapter 12", "section 5", "exercise 2", "chapters 7
and 9", "§1.6"; in Korean "12장", "5절", "연습 2"), the "**Time:** about N minutes"
line, and numbers glued to words (float32, Conv2D, CIFAR-10, top-2, 2-D, 32-bit).
A number joined to a word by a hyphen is checked (a 10,000-image sample). MyST
directive fences ({exercise}, {solution-start}) are prose and are checked.

Every page, both editions (see the second half of this file):
- the Korean chapters (ko/book/NN_*.ipynb): each markdown cell states the same
  numbers as its English cell (integers 0 to 10 aside: English spells them out,
  Korean counts them), and each is backed by the same rules from the chapter;
- the other pages of _toc.yml (intro, qna, glossary, accessibility; ko/ too): a page
  names the chapters it quotes by its links (`12_dropout.ipynb#...`,
  {doc}`... <12_dropout>`) and references ("chapter 12", "12장"); a number is backed
  when one of the chapters its passage names backs it (rules 1-4 of that chapter),
  is a small integer, or is listed in PAGE_EXCEPTIONS. The status page is left out
  (NOT_CHECKED says why).

Run: .venv/bin/python -m pytest -n 0 tests/test_prose_numbers.py
"""

from __future__ import annotations

import functools
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
from tools.author import figures

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
    r"(?!(?!s\b)\w|-(?:D|bit)\b|\.\d)"  # not float32, 2-D, 32-bit, 3.5.1 (two 0.25s is)
    r"(\s?%)?"
)
# Korean glues particles and counters to a number (784개, 0.5로, 3 에포크): only Latin
# letters and digits make a number part of a word (float32, Conv2D) there.
_NUMBER_KO = re.compile(
    r"(?<![A-Za-z0-9_.\-/])"
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?![A-Za-z0-9_]|-(?:D|bit)\b|\s?비트|\.\d)"  # 32비트 is 32-bit
    r"(\s?%)?"
)
_REFERENCE = re.compile(
    r"\b(?:chapters?|sections?|exercises?|steps?\s+(?=\d+[.:]))\s+\d+"
    r"(?:(?:\s*,\s*|\s+and\s+|\s+to\s+|\s*[-–]\s*)\d+)*"
    r"(?:\s*\([^)]*\))?",  # and the chapter's title in parentheses
    re.IGNORECASE,
)
# Korean references: 12장, 11장과 12장, 7·9장, 1장(its title), 5절, 3.2절, 연습 2,
# 연습 문제 2. 장 also counts sheets (10,000장, 32장짜리): a chapter is 1 to 99 with no
# thousands comma before it, and not "짜리".
_CHAPTER_KO = (
    r"(?<![\w.,])\d{1,2}(?:\s*(?:,|·|~|–|-|와|과|및)\s*\d{1,2})*\s*장(?!짜리)"
    r"(?:\s*\([^)]*\))?"
)
_REFERENCE_KO = re.compile(
    _CHAPTER_KO + r"|(?<![\w.,])\d+(?:\.\d+)?(?:\s*(?:,|·|~|–|-|와|과|및)\s*\d+)*\s*절"
    r"|연습(?:\s*문제)?\s*\d+(?:\s*(?:,|와|과|및)\s*\d+)*"
)
_CHAPTER_COUNT = len(list((ROOT / "book").glob("[0-9][0-9]_*.ipynb")))
_LIST_MARKER = re.compile(r"^(\s*)\d+\.\s", re.MULTILINE)


def prose_text(markdown: str, lang: str = "en", chapters: set | None = None) -> str:
    """The checked prose of one markdown cell (see the module docstring). In Korean,
    N장 is a chapter when N is one of CHAPTERS (the chapters its English names), else
    any chapter's number; otherwise it counts sheets (이미지 10장 가운데 1장뿐)."""
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
        if stripped.startswith(("**Time:**", "**소요 시간:**")):
            continue
        line = re.sub(r"^(#+)\s+\d+\.\s+", r"\1 ", line)  # heading numbers
        kept.append(line)
    text = "\n".join(kept)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)  # display math
    text = re.sub(r"(?<!\\)\$.+?(?<!\\)\$", " ", text)  # inline math
    text = re.sub(r"`[^`]*`", " ", text)  # inline code
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(
        r"\[\d+\.\s", "[", text
    )  # a chapter's number in its link: [12. Dropout]
    text = re.sub(r"https?://\S+", " ", text)  # bare URLs
    text = re.sub(r"§\s*\d+(?:\.\d+)*", " ", text)  # section signs
    text = _LIST_MARKER.sub(r"\1", text)  # "12. " numbering a list
    text = _REFERENCE.sub(" ", text)
    if lang == "ko":
        text = _REFERENCE_KO.sub(functools.partial(_korean_reference, chapters), text)
    return text


def _korean_reference(chapters: set | None, match: re.Match) -> str:
    """A Korean reference is dropped, but N장 only when N is a chapter (78장 is a
    count of sheets)."""
    reference = match.group(0)
    if "장" in reference and "절" not in reference and not reference.startswith("연습"):
        numbers = [int(n) for n in re.findall(r"\d+", reference.split("장")[0])]
        if chapters is None:
            chapters = set(range(1, _CHAPTER_COUNT + 1))
        if not all(n in chapters for n in numbers):
            return reference
    return " "


def chapter_numbers(english: str) -> set[int]:
    """The chapters an English text names by number ("chapter 12", "chapters 7 and
    9", "[12. Dropout](...)"): the N장 its Korean may write."""
    found = {
        int(n) for group in _NAMED.findall(english) for n in re.findall(r"\d+", group)
    }
    found |= {int(n) for n in re.findall(r"\[(\d+)\.\s", english)}
    return found


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


# Korean number words, standing alone (스무 개, 백 배, 천 번): 20 to 90 and the powers
# (not 만 alone: after a word it means "only", 머리만 다른).
_KO_WORD_VALUES = {
    "스물": 20, "스무": 20, "서른": 30, "마흔": 40, "쉰": 50, "예순": 60, "일흔": 70,
    "여든": 80, "아흔": 90, "백": 100, "천": 1000, "백만": 1e6,
}  # fmt: skip
_WORD_KO = re.compile(
    r"(?<![가-힣])("
    + "|".join(sorted(_KO_WORD_VALUES, key=len, reverse=True))
    + r")(?=\s)"
)


def _word_value(written: str) -> float:
    if written in _KO_WORD_VALUES:
        return float(_KO_WORD_VALUES[written])
    return float(_WORD_VALUES[written.lower().split()[-1]])


def number_matches(text: str, lang: str = "en"):
    """(as written, value, is a percentage, start, end) for digits and number words."""
    found = []
    for m in (_NUMBER_KO if lang == "ko" else _NUMBER).finditer(text):
        written = m.group(1)
        value = float(written.replace(",", ""))
        found.append((written, value, bool(m.group(2)), m.start(), m.end()))
    for m in (_WORD_KO if lang == "ko" else _WORD).finditer(text):
        found.append((m.group(1), _word_value(m.group(1)), False, m.start(), m.end()))
    return sorted(found, key=lambda f: f[3])


def prose_numbers(
    markdown: str, lang: str = "en", chapters: set | None = None
) -> list[tuple[str, float, bool]]:
    """(as written, value, is a percentage) for every number in the prose."""
    text = prose_text(markdown, lang, chapters)
    return [(w, v, p) for w, v, p, _, _ in number_matches(text, lang)]


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


def _value(written: str) -> float:
    if written[0].isdigit():
        return float(written.replace(",", ""))
    return _word_value(written)


def _entry(table: dict[str, str], written: str, value: float) -> str | None:
    """The key of TABLE for a prose number: as written, or else the same value
    written alike (same decimals; a number word counts as an integer)."""
    if written in table:
        return written
    for key in table:
        if _value(key) == value and _decimals(key) == _decimals(written):
            return key
    return None


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
        # by its value too: the Korean edition writes "a hundred" as 100
        key = _entry(DERIVED.get(self.stem, {}), written, value)
        if key is not None and self.rule_problem(key, depth) is None:
            return "derived"
        if _entry(EXCEPTIONS.get(self.stem, {}), written, value) is not None:
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


def prose_of(cell) -> str:
    """A cell's prose: a markdown cell's text, or a code cell's figure descriptions
    (its alt text and demo sentence, tools/author/figures.py)."""
    if cell.cell_type == "markdown":
        return cell.source
    if cell.cell_type == "code":
        return "\n\n".join(figures.descriptions(cell.metadata).values())
    return ""


def unbacked_numbers(stem: str, notebook=None) -> list[tuple[int, str, str]]:
    """(cell index, number as written, context) for every unbacked prose number."""
    backing = Backing(stem, notebook)
    problems = []
    for index, cell in enumerate(backing.notebook.cells):
        text = prose_text(prose_of(cell))
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
            for w, _, _ in prose_numbers(prose_of(cell))
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


# === every page, both editions =======================================================
# The Korean chapters: the same numbers as the English, backed the same way. The other
# pages of _toc.yml: each passage names the chapters it quotes; their outputs back it.
from tools.author.strings import ui  # noqa: E402
from tools.book import EDITIONS, toc_files  # noqa: E402

# Above a Korean paragraph still in English (its translation is stale): not a claim.
STALE_MARK = ui("stale_mark")

KO = EDITIONS["ko"].root / "book"
KO_CHAPTERS = [stem for stem in CHAPTERS if (KO / f"{stem}.ipynb").exists()]

# Pages that are not checked here, each with its reason.
NOT_CHECKED = {
    "book/status": "written by tools/publish/status.py from the measured run "
    "(book/_data/benchmark.json), not from a chapter's outputs; tests/test_status.py "
    "checks its numbers against that record",
}
PAGES = [
    page
    for page in toc_files()
    if (ROOT / f"{page}.md").exists() and page not in NOT_CHECKED
]

# page -> {number as written: reason}, for numbers that quote no chapter.
PAGE_EXCEPTIONS: dict[str, dict[str, str]] = {
    "book/accessibility": {
        "2.0": "WCAG 2.0, the version of a standard (its name, not a result)",
        "2.1": "WCAG 2.1, the version of a standard (its name, not a result)",
        "2.2": "KWCAG 2.2, the version of a standard (its name, not a result)",
    },
}

_STEMS = {stem[:2]: stem for stem in (p.stem for p in BOOK.glob("[0-9][0-9]_*.ipynb"))}
_LINKED = re.compile(
    r"(?<![\w])(\d\d_\w+)\.ipynb"  # [§12.6 ...](12_dropout.ipynb#...)
    # {doc}`12_dropout`, {doc}`12. Dropout <12_dropout>`
    r"|\{doc\}`(?:[^`<]*<)?(\d\d_\w+)>?`"
)
_NAMED = re.compile(
    r"\bchapters?\s+(\d+(?:(?:\s*,\s*|\s+and\s+|\s+or\s+)\d+)*)", re.IGNORECASE
)
_NAMED_KO = re.compile(_CHAPTER_KO)


def named_chapters(text: str) -> set[str]:
    """The chapters a passage links or names (by number: "chapter 12", "12장")."""
    found = {a or b for a, b in _LINKED.findall(text)}
    numbers = _NAMED.findall(text)  # "chapters 11 and 12": the numbers
    numbers += [m.group(0).split("장")[0] for m in _NAMED_KO.finditer(text)]
    for group in numbers:
        for number in re.findall(r"\d+", group):
            if f"{int(number):02d}" in _STEMS:
                found.add(_STEMS[f"{int(number):02d}"])
    return {stem for stem in found if (BOOK / f"{stem}.ipynb").exists()}


_HEADING = re.compile(r"^#{1,6}\s")
_QUESTION = re.compile(r"^\*\*[^*].*\*\*\s*$")  # qna's run-in question lines
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d+\.)\s")


def passages(markdown: str) -> list[tuple[str, set[str]]]:
    """A page's paragraphs (blank-line separated; a list item or a glossary entry is
    its own), each with the chapters it quotes: the chapters it links or names, or if
    it names none, those of its class question (a bold line and the paragraphs up to
    the next question or heading: qna's answer and its See: line; only those), or
    outside a question those of its section (up to the next heading)."""
    paragraphs: list[list[str]] = []
    question: list[int] = []  # paragraph index -> the question group it belongs to
    section: list[int] = []
    group = sect = 0
    asked: set[int] = set()  # the groups that a question opens
    current: list[str] = []
    fence = None

    def close():
        nonlocal current
        if current:
            paragraphs.append(current)
            question.append(group)
            section.append(sect)
            current = []

    for line in markdown.split("\n"):
        bare = line.strip()
        opener = _FENCE.match(bare)
        if fence is None and opener and not opener.group(2).strip().startswith("{"):
            fence = opener.group(1)  # a code fence: its lines belong to the paragraph
        elif fence is not None and bare == fence:
            fence = None
        if fence is None and not bare:
            close()
            continue
        if fence is None and (_HEADING.match(line) or _QUESTION.match(line)):
            close()
            group += 1
            if _HEADING.match(line):
                sect += 1
            else:
                asked.add(group)
        elif fence is None and _LIST_ITEM.match(line):
            close()
        current.append(line)
    close()
    own = [named_chapters("\n".join(p)) for p in paragraphs]

    def pooled(keys: list[int], key: int) -> set[str]:
        return set().union(*(own[i] for i, k in enumerate(keys) if k == key))

    found = []
    for i, lines in enumerate(paragraphs):
        if own[i] or question[i] in asked:  # an answer quotes its own question's
            sources = own[i] or pooled(question, question[i])
        else:
            sources = pooled(section, section[i])
        found.append(("\n".join(lines), sources))
    return found


@functools.cache
def backing(stem: str) -> Backing:
    return Backing(stem)


def page_path(page: str, lang: str) -> Path:
    return EDITIONS[lang].root / f"{page}.md"


def unbacked_on_page(page: str, lang: str, text: str | None = None):
    """(paragraph, number as written, sources, context) for every unbacked number of
    a page (of its file in the edition, or of TEXT)."""
    if text is None:
        text = page_path(page, lang).read_text(encoding="utf-8")
    exceptions = PAGE_EXCEPTIONS.get(page, {})
    found = passages(text)
    if lang == "ko":
        mark = " ".join(STALE_MARK.split())
        found = [(p, s) for p, s in found if " ".join(p.split()) != mark]
    english = [(None, None)] * len(found)  # a Korean paragraph's English, if aligned
    if lang == "ko":
        aligned = passages(page_path(page, "en").read_text(encoding="utf-8"))
        if len(aligned) == len(found):
            english = aligned
    problems = []
    for index, (paragraph, sources) in enumerate(found):
        chapters = None
        if english[index][0] is not None:  # the chapters the English names
            sources, chapters = english[index][1], chapter_numbers(english[index][0])
        prose = prose_text(paragraph, lang, chapters)
        for written, value, percent, start, end in number_matches(prose, lang):
            if value == int(value) and 0 <= value <= 10 and not percent:
                continue
            if written in exceptions:
                continue
            if any(backing(stem).check(written, value, percent) for stem in sources):
                continue
            context = " ".join(prose[max(0, start - 60) : end + 40].split())
            problems.append((index, written, sorted(sources), context))
    return problems


def compared(values) -> set[float]:
    """The numbers two editions must share: integers 0 to 10 aside (English spells
    them out, "two threads", where Korean counts them, 스레드 2개)."""
    return {v for v in values if not (v == int(v) and 0 <= v <= 10)}


def edition_differences(english: str, korean: str) -> tuple[set, set]:
    """(English only, Korean only): the numbers above 10 and the fractions, both
    ways; an integer 0 to 10 the English writes in digits must be in the Korean."""
    en_all = prose_numbers(english)
    ko_all = prose_numbers(korean, "ko", chapter_numbers(english))
    en, ko = compared(v for _, v, _ in en_all), compared(v for _, v, _ in ko_all)
    digits = {v for w, v, _ in en_all if w[0].isdigit() and v not in en}
    ko_digits = {v for w, v, _ in ko_all if w[0].isdigit() and v not in ko}
    return (en - ko) | (digits - ko_digits), ko - en


def _show(values) -> list[str]:
    return sorted(f"{v:,g}" for v in values)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", list(EDITIONS))
def test_every_number_on_a_page_is_printed_by_a_chapter_it_names(page, lang):
    problems = unbacked_on_page(page, lang)
    listing = "\n".join(
        f"  paragraph {i}: {w!r}, naming {s or 'no chapter'}: ...{c}..."
        for i, w, s, c in problems
    )
    assert not problems, (
        f"{page_path(page, lang).relative_to(ROOT)}: numbers no chapter it names "
        "prints (link the chapter, fix the number, or add a PAGE_EXCEPTION):\n"
        + listing
    )


def test_every_checked_page_is_in_the_toc_and_only_status_is_left_out():
    every = [p for p in toc_files() if (ROOT / f"{p}.md").exists()]
    assert set(PAGES) | set(NOT_CHECKED) == set(every)
    assert set(NOT_CHECKED) <= set(every) and all(NOT_CHECKED.values())
    assert {"book/intro", "book/qna", "book/glossary"} <= set(PAGES)
    assert all(
        reason.strip() for e in PAGE_EXCEPTIONS.values() for reason in e.values()
    )


@pytest.mark.parametrize("page", PAGES)
def test_a_korean_page_states_the_english_pages_numbers(page):
    """Paragraph by paragraph; the glossary entry by entry (each edition's entries
    in the same order: both are sorted by the English term)."""
    en = [p for p, _ in passages(page_path(page, "en").read_text(encoding="utf-8"))]
    ko = [p for p, _ in passages(page_path(page, "ko").read_text(encoding="utf-8"))]
    ko = [p for p in ko if " ".join(p.split()) != " ".join(STALE_MARK.split())]
    if page == "book/glossary":  # the pages' introductions differ; compare entries
        en = glossary_definitions(page_path(page, "en"))
        ko = glossary_definitions(page_path(page, "ko"))
    assert len(en) == len(ko), f"{page}: {len(en)} English, {len(ko)} Korean paragraphs"
    problems = []
    for index, (english, korean) in enumerate(zip(en, ko)):
        lost, added = edition_differences(english, korean)
        if lost or added:
            problems.append(
                f"  paragraph {index}: English only {_show(lost)}, Korean only "
                f"{_show(added)}: {' '.join(korean.split())[:100]}"
            )
    assert not problems, (
        f"ko/{page}.md: numbers differ from the English:\n" + "\n".join(problems)
    )


def glossary_definitions(path: Path) -> list[str]:
    """Each entry's definition line, in the page's order."""
    body = path.read_text(encoding="utf-8").split("```{glossary}")[1].split("```")[0]
    return [line for line in body.split("\n") if line.startswith("  ")]


def korean_chapter_problems(stem: str, korean=None) -> list[str]:
    """What is wrong with the numbers of a Korean chapter (of ko/book/, or KOREAN)."""
    english = backing(stem).notebook
    korean = korean or nbformat.read(KO / f"{stem}.ipynb", as_version=4)
    if [c.cell_type for c in english.cells] != [c.cell_type for c in korean.cells]:
        return [f"{stem}: the Korean chapter's cells are not the English cells"]
    ko_backing = Backing(stem, korean)  # its printed outputs are the English ones
    problems = []
    for index, (en, ko) in enumerate(zip(english.cells, korean.cells)):
        if en.cell_type != "markdown":
            continue
        lost, added = edition_differences(en.source, ko.source)
        if lost or added:
            problems.append(
                f"cell {index}: English only {_show(lost)}, Korean only {_show(added)}"
            )
        text = prose_text(ko.source, "ko", chapter_numbers(en.source))
        for written, value, percent, start, end in number_matches(text, "ko"):
            if ko_backing.check(written, value, percent) is None:
                context = " ".join(text[max(0, start - 40) : end + 30].split())
                problems.append(
                    f"cell {index}: {written!r} no cell prints: ...{context}..."
                )
    return problems


@pytest.mark.parametrize("stem", KO_CHAPTERS)
def test_a_korean_chapter_states_the_english_numbers_each_backed(stem):
    problems = korean_chapter_problems(stem)
    assert not problems, f"ko/book/{stem}.ipynb:\n  " + "\n  ".join(problems)


def test_every_chapter_has_its_korean_edition():
    assert KO_CHAPTERS == CHAPTERS


def test_a_planted_unbacked_number_in_an_alt_text_fails():
    """The figures' descriptions are prose: a number no cell prints, planted into the
    alt text of a figure of chapter 14 (a copy), must fail; a printed one must not."""
    stem = "14_fashion_mnist"
    notebook = nbformat.read(BOOK / f"{stem}.ipynb", as_version=4)
    clean = {(i, w) for i, w, _ in unbacked_numbers(stem, notebook)}
    target = next(
        i
        for i, c in enumerate(notebook.cells)
        if figures.description(c.metadata, "alt")
    )
    planted = nbformat.from_dict(notebook)
    alt = figures.description(planted.cells[target].metadata, "alt")
    figures.set_description(
        planted.cells[target].metadata, "alt", alt + " Shirts score 0.5731."
    )
    found = {(i, w) for i, w, _ in unbacked_numbers(stem, planted)}
    assert found - clean == {(target, "0.5731")}
    backed = nbformat.from_dict(notebook)
    figures.set_description(
        backed.cells[target].metadata, "alt", alt + " Overall, 0.882."
    )
    assert {(i, w) for i, w, _ in unbacked_numbers(stem, backed)} == clean


def test_planted_faults_on_a_page_fail():
    """A wrong number, a number from a chapter the passage does not name, and a
    Korean page that drifts from the English: each is caught."""
    page = "book/qna"
    english = page_path(page, "en").read_text(encoding="utf-8")
    assert "0.194 without dropout" in english
    wrong = english.replace("0.194 without dropout", "0.191 without dropout")
    assert [w for _, w, _, _ in unbacked_on_page(page, "en", wrong)] == ["0.191"]
    # 0.882 is printed by chapter 14 only; the dropout answer names chapter 12
    elsewhere = english.replace("0.194 without dropout", "0.882 without dropout")
    assert [w for _, w, _, _ in unbacked_on_page(page, "en", elsewhere)] == ["0.882"]
    unlinked = english.replace("(12_dropout.ipynb#6-why", "(#6-why").replace(
        "In chapter 12 the gap", "The gap"
    )
    found = unbacked_on_page(page, "en", unlinked)
    assert {w for _, w, _, _ in found} == {"0.194", "0.105", "0.5"}, found
    korean = page_path(page, "ko").read_text(encoding="utf-8")
    drifted = korean.replace("없을 때 0.194", "없을 때 0.191")
    assert [w for _, w, _, _ in unbacked_on_page(page, "ko", drifted)] == ["0.191"]
    en_para = next(p for p, _ in passages(english) if "0.194" in p)
    ko_para = next(p for p, _ in passages(drifted) if "0.191" in p)
    assert edition_differences(en_para, ko_para) == ({0.194}, {0.191})


def test_planted_faults_in_a_korean_chapter_fail():
    stem = "14_fashion_mnist"
    korean = nbformat.read(KO / f"{stem}.ipynb", as_version=4)
    assert not korean_chapter_problems(stem, korean)
    index = next(
        i
        for i, c in enumerate(korean.cells)
        if c.cell_type == "markdown" and "7,504" in c.source
    )
    planted = nbformat.from_dict(korean)
    planted.cells[index].source = planted.cells[index].source.replace("7,504", "7,500")
    problems = korean_chapter_problems(stem, planted)
    assert f"cell {index}: English only ['7,504'], Korean only ['7,500']" in problems
    assert any("'7,500' no cell prints" in p for p in problems), problems
    # a number the English states and the Korean drops
    dropped = nbformat.from_dict(korean)
    dropped.cells[index].source = dropped.cells[index].source.replace("7,504 ", "")
    assert f"cell {index}: English only ['7,504'], Korean only []" in (
        korean_chapter_problems(stem, dropped)
    )


def test_korean_references_and_counters():
    text = (
        "12장에서는 11장과 12장, 1장(28×28 이미지가 784개인 이유), 3절, "
        "연습 2를 봅니다. "
        "이미지 10,000장과 32장짜리 배치, 78장, 0.5로, 784개, 32비트, 스무 개, 백 배."
    )
    found = [w for w, _, _ in prose_numbers(text, "ko")]
    assert found == ["10,000", "32", "78", "0.5", "784", "스무", "백"], found
    assert named_chapters(text) == {
        "12_dropout",
        "11_overfitting_early_stopping",
        "01_flatten",
    }


def test_korean_sheets_are_counted_and_small_digits_compared():
    """N장 is a chapter only where the English names chapter N; a digit the English
    writes (the last batch holds 8) must be in the Korean too."""
    korean = "이미지 10장 가운데 셔츠는 1장뿐입니다. 12장에서 봅니다."
    found = [w for w, _, _ in prose_numbers(korean, "ko", {12})]
    assert found == ["10", "1"], found
    english = "32 steps of 32 images, the last one holding 8 (chapter 12)."
    dropped = "이미지 32장짜리 스텝이 32번이고, 마지막 스텝만 8개를 담습니다(12장)."
    assert edition_differences(english, dropped) == (set(), set())
    assert edition_differences(english, dropped.replace("8개", "일부")) == ({8}, set())
