"""The Korean term base (locales/ko/termbase.yml): one Korean term per English term.

``tools/derive/i18n.py validate`` checks every translated catalog entry against it
(a forbidden variant fails, naming the entry, the term and the form found), and
``tools/author/make_glossary.py`` takes the glossary's Korean names from it. The
file's format is described at its top and in ``locales/README.md``.

A forbidden rule is a regular expression over the Korean prose of an entry (inline
code, math, link targets, URLs, directive lines and the targets of ``{term}`` roles
are removed first). A match is allowed when it lies inside a match of one of the
rule's ``except`` expressions (학습률 is not 학습 for *train*), and a rule with
``per_english`` allows as many matches as that expression finds in the English of
the same entry (학습 is right where the English says *learn*: "the model learns").
``if_english`` limits a rule to entries whose English matches it.

The same validation checks the particle after a number: Korean particles follow
the reading of the number (0.776으로, 3으로, 2로, 10을, 5를).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from tools.book import ROOT

TERMBASE = ROOT / "locales" / "ko" / "termbase.yml"


@dataclass
class Rule:
    pattern: re.Pattern
    allowed: list[re.Pattern] = field(default_factory=list)
    per_english: re.Pattern | None = None
    if_english: re.Pattern | None = None


@dataclass
class Term:
    en: str
    ko: str
    variants: list[str]
    rules: list[Rule]
    note: str = ""

    @property
    def names(self) -> list[str]:
        """The Korean names, the term first: the glossary's headword and aliases."""
        return [self.ko] + [v for v in self.variants if v != self.ko]


class TermBaseError(ValueError):
    pass


def _rule(en: str, spec) -> Rule:
    if isinstance(spec, str):
        spec = {"pattern": spec}
    unknown = set(spec) - {"pattern", "except", "per_english", "if_english"}
    if unknown or "pattern" not in spec:
        raise TermBaseError(
            f"termbase: {en}: a forbidden rule needs 'pattern' and "
            f"takes only except, per_english, if_english: {spec}"
        )
    try:
        return Rule(
            re.compile(spec["pattern"]),
            [re.compile(p) for p in spec.get("except", [])],
            re.compile(spec["per_english"], re.IGNORECASE)
            if spec.get("per_english")
            else None,
            re.compile(spec["if_english"], re.IGNORECASE)
            if spec.get("if_english")
            else None,
        )
    except re.error as error:
        raise TermBaseError(
            f"termbase: {en}: bad regular expression: {error}"
        ) from None


def parse(data: dict) -> list[Term]:
    terms, seen = [], set()
    for item in data["terms"]:
        unknown = set(item) - {"en", "ko", "variants", "forbidden", "note"}
        if unknown or not item.get("en") or not item.get("ko"):
            raise TermBaseError(f"termbase: an entry needs en and ko: {item}")
        if item["en"].lower() in seen:
            raise TermBaseError(f"termbase: {item['en']} is listed twice")
        seen.add(item["en"].lower())
        terms.append(
            Term(
                item["en"],
                item["ko"],
                list(item.get("variants") or []),
                [_rule(item["en"], r) for r in item.get("forbidden") or []],
                item.get("note", ""),
            )
        )
    return terms


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> list[Term]:
    return parse(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def load(path: Path | None = None) -> list[Term]:
    path = Path(path or TERMBASE)
    return _load(str(path), path.stat().st_mtime)


def lookup(english: str, terms: list[Term] | None = None) -> Term | None:
    for term in terms if terms is not None else load():
        if term.en.lower() == english.lower():
            return term
    return None


# What is not Korean prose: it is kept from the English (i18n.py validate checks
# that separately), so the term rules never look at it.
NOT_PROSE = [
    re.compile(r"^\s*(`{3,}|~{3,})[^\n]*\n.*?^\s*\1\s*$", re.DOTALL | re.MULTILINE),
    re.compile(r"^\s*(?:`{3,}|:{3,})\{[^}]+\}.*$|^\s*:[a-z-]+:.*$", re.MULTILINE),
    re.compile(r"(?<!`)`[^`\n]+`(?!`)"),
    re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.DOTALL),
    re.compile(r"\]\([^)\s]+\)"),
    re.compile(r"https?://\S+"),
]
ROLE = re.compile(r"\{(?:term|doc|ref)\}`([^`<]*?)\s*(?:<[^>]*>)?`")


def prose(text: str) -> str:
    """The text without code, math, link targets, URLs and directive lines; a role
    keeps its shown text."""
    text = ROLE.sub(lambda m: m.group(1), text)
    for pattern in NOT_PROSE:
        text = pattern.sub(" ", text)
    return text


def context(text: str, start: int, end: int, width: int = 18) -> str:
    return text[max(0, start - width) : end + width].replace("\n", " ").strip()


def term_problems(english: str, korean: str, terms: list[Term] | None = None):
    """(term, form, context) for every forbidden variant in a translation."""
    terms = terms if terms is not None else load()
    ko, en = prose(korean), prose(english)
    found = []
    for term in terms:
        for rule in term.rules:
            if rule.if_english is not None and not rule.if_english.search(en):
                continue
            spans = [m.span() for a in rule.allowed for m in a.finditer(ko)]
            hits = [
                m
                for m in rule.pattern.finditer(ko)
                if not any(s <= m.start() and m.end() <= e for s, e in spans)
            ]
            budget = len(rule.per_english.findall(en)) if rule.per_english else 0
            if len(hits) > budget:
                for m in hits[budget:] if budget else hits:
                    found.append((term, m.group(0), context(ko, *m.span())))
    return found


# ---------------------------------------------------------------------------
# Particles after a number follow its Korean reading.

# The last syllable's final consonant, by the number's last digit as read:
# 영 일 이 삼 사 오 육 칠 팔 구 (ㄹ counts apart: 로 follows it, like a vowel).
DIGIT_CODA = {
    "0": "ㅇ", "1": "ㄹ", "2": "", "3": "ㅁ", "4": "", "5": "", "6": "ㄱ",
    "7": "ㄹ", "8": "ㄹ", "9": "",
}  # fmt: skip
# 10 십, 100 백, 1000 천, 10000 만, ...: an integer ending in zeros ends in a consonant.
ZEROS_CODA = {1: "ㅂ", 2: "ㄱ", 3: "ㄴ"}
PAIRS = {  # (after a consonant, after a vowel)
    "이": ("이", "가"), "가": ("이", "가"),
    "은": ("은", "는"), "는": ("은", "는"),
    "을": ("을", "를"), "를": ("을", "를"),
    "과": ("과", "와"), "와": ("과", "와"),
    "으로": ("으로", "로"), "로": ("으로", "로"),
}  # fmt: skip
NUMBER_PARTICLE = re.compile(
    r"(?<![\w.,])(\d[\d,]*(?:\.\d+)?)(으로|로|이|가|은|는|을|를|과|와)"
    r"(?=[\s.,;:!?)\]]|$|(?:는|도|서|써|부터|의|만)(?![가-힣]))"
)


def coda(number: str) -> str:
    """The final consonant of the number as read in Korean ('' for a vowel)."""
    number = number.replace(",", "")
    if "." in number:
        return DIGIT_CODA[number[-1]]
    stripped = number.rstrip("0")
    zeros = len(number) - len(stripped)
    if not stripped:  # 0
        return DIGIT_CODA["0"]
    if zeros:
        return ZEROS_CODA.get(zeros, "ㄴ")  # 만, 십만, 백만 (ㄴ), 천만 (ㄴ), 억 aside
    return DIGIT_CODA[number[-1]]


def right_particle(number: str, particle: str) -> str:
    after_consonant, after_vowel = PAIRS[particle]
    final = coda(number)
    if particle in ("으로", "로"):
        return after_consonant if final and final != "ㄹ" else after_vowel
    return after_consonant if final else after_vowel


def particle_problems(korean: str):
    """(written, right) for every particle after a number that does not match the
    number's reading: 0.776로 -> 0.776으로."""
    found = []
    for match in NUMBER_PARTICLE.finditer(prose_keep_code_numbers(korean)):
        number, particle = match.groups()
        right = right_particle(number, particle)
        if right != particle:
            found.append((number + particle, number + right))
    return found


CODE_NUMBER = re.compile(r"`(\d[\d,]*(?:\.\d+)?)`|\$(\d[\d,]*(?:\.\d+)?)\$")


def prose_keep_code_numbers(text: str) -> str:
    """Prose, but a code span or math holding just a number stays (`0.776`로 and
    $0.776$로 read 0.776)."""
    text = CODE_NUMBER.sub(lambda m: m.group(1) or m.group(2), text)
    return prose(text)
