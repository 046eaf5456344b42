"""Korean figures, drawn once: the words of a figure are translated, its data is not.

A chapter is executed once, in English. When ``BOOK_FIGURES_KO`` names the figure
catalog (tools/execute/execute.py sets it to ``locales/ko/LC_MESSAGES/figures.po``),
the kernel's startup hook (kernel/profile_default/startup/20_korean_figures.py) draws
every figure a second time, right after the English one, from the same matplotlib
objects: only the texts are swapped for their Korean, and the layout computed for the
English is kept, so every line, bar and pixel of data lands where it was. The Korean
picture goes into the output's metadata (``book.ko``), beside the English one, with the
texts it swapped and the boxes they occupy; no training runs a second time.
tools/derive/i18n.py ``update`` collects the English texts into the catalog and
``build`` shows the Korean pictures on the Korean pages; tests/test_figures_ko.py
compares each Korean picture with its English twin pixel by pixel outside the text.

A text is looked up by its template: the English with each number replaced by a
numbered placeholder (``"accuracy 0.912"`` -> ``"accuracy {0}"``), so a trained number
that moves on another CPU keeps its translation, and the Korean gets the same numbers
back. Texts without a Latin letter (tick values, counts) are left alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from tools.book import ROOT

# The catalog of the figures' texts, shared by all chapters (one translation per text).
CATALOG = ROOT / "locales" / "ko" / "LC_MESSAGES" / "figures.po"
NUMBER = re.compile(r"(?<![A-Za-z_])\d+(?:[.,]\d+)*(?:e[-+]?\d+)?")
PLACEHOLDER = re.compile(r"\{(\d+)\}")
LETTER = re.compile(r"[A-Za-z]")
METADATA_KEY = "book"  # output.metadata["book"]["ko"]


def template(text: str) -> tuple[str, list[str]]:
    """The catalog key of a figure text, and the numbers taken out of it."""
    numbers: list[str] = []

    def take(match):
        numbers.append(match.group())
        return f"{{{len(numbers) - 1}}}"

    return NUMBER.sub(take, text.replace("{", "{{").replace("}", "}}")), numbers


def fill(translation: str, numbers: list[str]) -> str:
    """The Korean template with the English's numbers put back."""
    out = PLACEHOLDER.sub(lambda m: numbers[int(m.group(1))], translation)
    return out.replace("{{", "{").replace("}}", "}")


MATH = re.compile(r"\$[^$]*\$")  # mathtext: a log axis's 10^-1, a formula


def translatable(text: str) -> bool:
    """Whether a figure text has words: a Latin letter outside math."""
    return bool(LETTER.search(MATH.sub("", text)))


def placeholder_problems(msgid: str, msgstr: str) -> list[str]:
    """What a translation of a figure template must keep: each placeholder once."""
    wanted = sorted(PLACEHOLDER.findall(msgid))
    found = sorted(PLACEHOLDER.findall(msgstr))
    if wanted != found:
        return [f"placeholders {wanted} in the English, {found} in the Korean"]
    return []


def load_catalog(path: Path) -> dict[str, str]:
    """{English template: Korean template} of the finished entries of a catalog
    (obsolete ones too: texts of figures not saved since the last update)."""
    import polib

    if not Path(path).exists():
        return {}
    return {
        e.msgid: e.msgstr
        for e in polib.pofile(str(path))
        if e.msgstr and "fuzzy" not in e.flags
    }


def translate(text: str, catalog: dict[str, str]) -> str | None:
    """The Korean of a figure text, or None when the catalog has none."""
    key, numbers = template(text)
    korean = catalog.get(key)
    if korean is None or placeholder_problems(key, korean):
        return None
    return fill(korean, numbers)


def english_texts(outputs: list) -> list[str]:
    """The English figure texts a cell's saved outputs recorded, in order."""
    texts = []
    for output in outputs:
        korean = output.get("metadata", {}).get(METADATA_KEY, {}).get("ko", {})
        texts += [pair[0] for pair in korean.get("texts", [])]
    return texts
