"""The Korean term base (locales/ko/termbase.yml): `i18n.py validate` fails on a
forbidden variant, names the entry and the term, and leaves the allowed uses alone;
the glossary takes its Korean names from the same base."""

import re
import shutil

import polib
import pytest

from chapters import ROOT
from tools.author import make_glossary, termbase
from tools.derive import i18n

TERMS = termbase.load()


def problems_for(english: str, korean: str) -> list[tuple[str, str]]:
    return [(t.en, form) for t, form, _ in termbase.term_problems(english, korean)]


@pytest.fixture
def catalogs(tmp_path, monkeypatch):
    """A copy of the catalogs that validate reads, for planting variants."""
    locales = tmp_path / "LC_MESSAGES"
    shutil.copytree(i18n.LOCALES, locales)
    monkeypatch.setattr(i18n, "LOCALES", locales)
    return locales


def plant(locales, page: str, english: re.Pattern, old: str, new: str):
    """Replace `old` by `new` in the first translated entry of a page whose English
    matches `english`; return that entry's msgctxt."""
    path = locales / f"{page}.po"
    po = polib.pofile(str(path), wrapwidth=0)
    entry = next(
        e
        for e in po
        if e.msgstr
        and "fuzzy" not in e.flags
        and english.search(e.msgid)
        and old in e.msgstr
    )
    entry.msgstr = entry.msgstr.replace(old, new, 1)
    path.write_text(str(po) + "\n", encoding="utf-8")
    return entry.msgctxt


def test_the_real_catalogs_follow_the_term_base():
    found = [p for page in i18n.translated_pages() for p in i18n.problems(page)]
    assert not [p for p in found if "term base" in p or "particle" in p], found


def test_validate_fails_on_a_planted_hakseup_for_train(catalogs):
    # An entry whose English says train and never learn: 훈련합니다 -> 학습합니다.
    no_learn = re.compile(r"^(?!.*\blearn)(?=.*\btrain)", re.DOTALL | re.IGNORECASE)
    ctx = plant(catalogs, "12_dropout", no_learn, "훈련합니다", "학습합니다")
    found = i18n.problems("book/12_dropout")
    hits = [p for p in found if ctx in p and "'train'" in p and "'학습'" in p]
    assert hits, found
    assert "locales/ko/termbase.yml" in hits[0]
    assert i18n.main(["validate", "12_dropout"]) == 1


def test_validate_fails_on_a_planted_moyang_for_shape(catalogs):
    shape = re.compile(r"\bshapes?\b")
    ctx = plant(catalogs, "01_flatten", shape, "형태", "모양")
    found = i18n.problems("book/01_flatten")
    hits = [p for p in found if ctx in p and "'shape (of an array)'" in p]
    assert hits and "'모양'" in hits[0], found


def test_validate_fails_on_a_planted_particle_after_a_number(catalogs):
    # 0.775 ends in 오 (a vowel): 0.775로, so 0.775으로 is wrong
    ctx = plant(catalogs, "12_dropout", re.compile("0.775"), "0.775로", "0.775으로")
    found = i18n.problems("book/12_dropout")
    assert any(ctx in p and "'0.775으로' should be '0.775로'" in p for p in found)


@pytest.mark.parametrize(
    "english, korean",
    [
        # learning rate, learning curve, learning objectives, machine learning
        ("Train with learning rate 0.1.", "학습률 0.1로 훈련합니다."),
        ("## Learning objectives", "## 학습 목표"),
        ("Plot the learning curve of training.", "훈련의 학습 곡선을 그립니다."),
        ("Machine learning trains models.", "기계 학습은 모델을 훈련합니다."),
        # 학습 where the English says learn, once per learn
        (
            "The network learns features while we train it.",
            "신경망은 특성을 학습합니다.",
        ),
        # 인수 where the English says factor; 모양 for a drawn look
        ("Each layer multiplies one factor.", "층마다 인수 하나를 곱합니다."),
        ("The same S shape, smoothed.", "같은 S자 모양을 매끄럽게 만든 것입니다."),
        # code, math and link targets are not prose
        ("Call `reshape`.", "`모양_바꾸기`를 호출합니다."),
        ("Tell a person.", "사람에게 알려 줍니다."),
        # a dotted line is 점선 (a dashed one is 파선)
        ("The dotted line marks the stop.", "점선은 멈춘 곳을 표시합니다."),
    ],
)
def test_allowed_uses_pass(english, korean):
    assert problems_for(english, korean) == []


@pytest.mark.parametrize(
    "english, korean, term, form",
    [
        ("Train it for 5 epochs.", "5 에포크 동안 학습시킵니다.", "train", "학습"),
        (
            "The network learns features; we train it.",
            "신경망이 특성을 학습하고, 우리는 신경망을 학습시킵니다.",
            "train",
            "학습",
        ),
        (
            "Its shape is (28, 28).",
            "모양은 (28, 28)입니다.",
            "shape (of an array)",
            "모양",
        ),
        (
            "One argument left out.",
            "인수 하나를 뺐습니다.",
            "argument (of a function or layer)",
            "인수",
        ),
        ("The target.", "목표값입니다.", "target", "목표값"),
        ("Plain SGD.", "기본 SGD입니다.", "plain SGD", "기본 SGD"),
        ("It expects labels.", "레이블을 기대합니다.", None, "기대합"),
        ("Ask NumPy.", "NumPy에게 물어봅니다.", "to (a thing)", "에게"),
        (
            "The dashed curves are the derivatives.",
            "점선이 도함수입니다.",
            "dashed line",
            "점선",
        ),
        ("A T-shirt/top.", "티셔츠/탑입니다.", "T-shirt/top", "티셔츠/탑"),
        ("Sneakers are easy.", "스니커즈는 쉽습니다.", "sneaker", "스니커즈"),
    ],
)
def test_forbidden_variants_fail(english, korean, term, form):
    found = problems_for(english, korean)
    assert found, korean
    assert form in [f for _, f in found]
    if term is not None:
        assert term in [t for t, _ in found]


@pytest.mark.parametrize(
    "number, particle, right",
    [
        ("0.776", "로", "으로"),  # 영점칠칠육
        ("3", "로", "으로"),  # 삼
        ("2", "으로", "로"),  # 이
        ("7", "으로", "로"),  # 칠: ㄹ takes 로
        ("10", "를", "을"),  # 십
        ("1,000", "를", "을"),  # 천
        ("0.5", "이", "가"),  # 영점오
        ("60,000", "는", "은"),  # 육만
    ],
)
def test_the_particle_follows_the_number_as_read(number, particle, right):
    assert termbase.particle_problems(f"값은 {number}{particle} 바뀝니다.") == [
        (number + particle, number + right)
    ]
    assert termbase.particle_problems(f"값은 {number}{right} 바뀝니다.") == []


def test_a_broken_rule_is_refused():
    with pytest.raises(termbase.TermBaseError, match="pattern"):
        termbase.parse({"terms": [{"en": "x", "ko": "엑스", "forbidden": [{}]}]})
    with pytest.raises(termbase.TermBaseError, match="twice"):
        termbase.parse({"terms": [{"en": "x", "ko": "가"}, {"en": "X", "ko": "나"}]})


# --- The glossary's Korean names come from the term base ----------------------------


@pytest.mark.parametrize("glossary", ["book/glossary.md", "ko/book/glossary.md"])
def test_every_glossary_entry_shows_its_korean_headword(glossary):
    """Each entry lists its English term and the term base's Korean headword as
    names (the generator once dropped a headword another entry had used)."""
    text = (ROOT / glossary).read_text(encoding="utf-8")
    body = text.split("```{glossary}")[1].split("```")[0]
    shown = []
    for block in body.split("\n\n"):
        names = [n for n in block.strip("\n").split("\n") if n and not n[0].isspace()]
        if names and not names[0].startswith(":"):
            shown.append(names)
    entries, _ = make_glossary.collect()
    assert len(shown) == len(entries)
    for entry in entries.values():
        headword = termbase.lookup(entry["english"]).ko
        assert any(
            entry["english"] in names and headword in names for names in shown
        ), f"{glossary}: {entry['english']!r} without {headword!r}"
    for english, korean in [  # one entry per concept (tests/test_glossary.py)
        ("mean absolute error (MAE)", "평균 절대 오차"),
        ("stochastic gradient descent (SGD)", "확률적 경사 하강법"),
        ("underfitting", "과소적합"),
        ("overfitting", "과대적합"),
    ]:
        assert any(english in names and korean in names for names in shown), english


def test_glossary_names_are_the_term_base_names():
    entries, _ = make_glossary.collect()
    for entry in entries.values():
        assert entry["korean"] == termbase.lookup(entry["english"]).names


def test_glossary_refuses_a_term_missing_from_the_term_base():
    with pytest.raises(make_glossary.GlossaryError, match="no entry"):
        make_glossary.korean_names("no such term", "없는 용어", "NN_x.ipynb", TERMS)
    with pytest.raises(make_glossary.GlossaryError, match="does not list"):
        make_glossary.korean_names("dropout", "탈락", "NN_x.ipynb", TERMS)


def test_glossary_refuses_a_headword_two_entries_share():
    entry = {"definition": "d", "chapters": ["01_x"]}
    entries = {
        "a": {**entry, "english": "a", "korean": ["같은 말"]},
        "b": {**entry, "english": "b", "korean": ["같은 말"]},
    }
    with pytest.raises(make_glossary.GlossaryError, match="already"):
        make_glossary.render(entries, {"01_x": "1. X"})


def test_site_captions_follow_the_term_base(monkeypatch):
    assert i18n.site_problems() == []
    planted = {"parts": {"Part 3: Training well": "3부: 잘 학습시키기"}}
    monkeypatch.setattr(i18n, "site_strings", lambda: planted)
    assert "'train'" in i18n.site_problems()[0]


# --- No Korean text in the tools' code: it lives in locales/ko/ -----------------------

HANGUL_SYLLABLE = re.compile("[\uac00-\ud7a3]")
# Python files that may still hold Korean strings, and why.
KOREAN_IN_CODE = {
    # The grammar of particles after numbers (이/가, 으로/로): rules, not reader text.
    "tools/author/termbase.py",
}


def korean_strings(path) -> list[tuple[int, str]]:
    """(line, text) of every string literal written with Hangul, docstrings aside
    (comments are not in the syntax tree). Written: a character range spelled with
    escapes ("\\uac00-\\ud7a3", to find Hangul) holds no Korean word."""
    import ast

    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(
            node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
        ):
            body = node.body
            if body and isinstance(body[0], ast.Expr):
                if isinstance(body[0].value, ast.Constant):
                    docstrings.add(id(body[0].value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and HANGUL_SYLLABLE.search(node.value)
        and HANGUL_SYLLABLE.search(ast.get_source_segment(source, node) or "")
    ]


def test_no_korean_strings_in_the_tools_code():
    found = {}
    for path in sorted((ROOT / "tools").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        strings = korean_strings(path)
        if strings and name not in KOREAN_IN_CODE:
            found[name] = strings
    assert not found, f"move these to locales/ko/site.yml (ui): {found}"
    for name in KOREAN_IN_CODE:  # an allowance that is no longer needed goes
        assert korean_strings(ROOT / name), f"{name} has no Korean strings left"


def test_the_korean_string_check_sees_a_planted_string(tmp_path):
    path = tmp_path / "tool.py"
    path.write_text(
        '"""문서."""\n# 주석\nLABEL = "풀이"\nRANGE = "[\\uac00-\\ud7a3]"\n'
        'TITLE = f"{n}장"\n',
        encoding="utf-8",
    )
    assert korean_strings(path) == [(3, "풀이"), (5, "장")]
