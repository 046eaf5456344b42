"""The glossary is generated from the chapters' term tables and every term resolves."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from chapters import CHAPTERS, ROOT
from tools.author import make_glossary
from tools.book import toc_files


def test_glossary_and_term_links_are_up_to_date():
    assert make_glossary.main(["--check"]) == 0


def test_every_chapter_has_a_term_table_linked_to_the_glossary(chapter):
    notebook = nbformat.read(chapter, as_version=4)
    rows = list(make_glossary.tables(notebook))
    assert rows, f"{chapter.name} has no | English | 한국어 | term table"
    for _, _, cells in rows:
        assert cells[0].startswith("{term}`"), cells
        assert cells[1], f"{cells[0]} has no Korean term"


@pytest.mark.build
def test_build_warns_on_an_undefined_term(tmp_path):
    """A {term} with no glossary entry must fail the warnings-as-errors build."""
    (tmp_path / "_config.yml").write_text("title: t\nonly_build_toc_files: true\n")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: glossary\n"
    )
    (tmp_path / "intro.md").write_text(
        "# Intro\n\nA {term}`neuron` and a {term}`unit`.\n"
    )
    (tmp_path / "glossary.md").write_text(
        "# Glossary\n\n```{glossary}\nunit\n  A node of a layer.\n```\n"
    )
    jb = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [str(jb), "build", "--warningiserror", "--nitpick", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "term not in glossary: 'neuron'" in log, log[-3000:]


def test_glossary_is_in_the_toc():
    assert "book/glossary" in toc_files(), "the glossary is not in _toc.yml"
    assert CHAPTERS


# --- One entry per concept, defined for the whole book ------------------------------
# Read from what readers see: the generated glossary pages of both editions and the
# chapters' tables (book/ and ko/book/), not from the generator's own data.

GLOSSARY_PAGES = {
    "en": ROOT / "book" / "glossary.md",
    "ko": ROOT / "ko" / "book" / "glossary.md",
}
ROW = re.compile(r"^\|\s*\{term\}`([^`]+)`\s*\|\s*([^|]*?)\s*\|\s*(.*?)\s*\|\s*$", re.M)

# Words that tie a definition to one chapter's example instead of the concept.
CHAPTER_BOUND = {
    "en": re.compile(
        r"\bhere\b|\bthis (?:chapter|section|book|course|practice|example|run)\b"
        r"|\b(?:the|our) course\b|\bchapters?\s+\d|§|\bour\b"
        r"|\b(?:test|training|the) images\b|\bimages? (?:held|predicted)\b"
        r"|\bMNIST\b|\bFashion-MNIST\b|\bshirts?\b|\b784\b|\b28\b",
        re.IGNORECASE,
    ),
    "ko": re.compile(
        r"여기서|이 (?:장|절|책|수업|실습|예제)|수업의|우리|\d+\s*장(?!짜리)|§"
        r"|(?:테스트|훈련) 이미지|MNIST|셔츠|784|28픽셀"
    ),
}


def _balanced(text: str) -> tuple[str, str]:
    """The leading "( ... )" of TEXT (nested parentheses kept) and the rest."""
    depth = 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return text[1:i], text[i + 1 :].strip()
    raise AssertionError(f"unbalanced: {text[:60]}")


def glossary_entries(text: str) -> list[dict]:
    """Each entry of a glossary page: its names (the term lines and the names in the
    definition's leading parentheses, a pair's and a parenthesis' parts too) and its
    definition (without the "Taught in" links)."""
    body = text.split("```{glossary}")[1].split("```")[0]
    found = []
    for block in re.split(r"\n\s*\n", body):
        lines = [line for line in block.split("\n") if line.strip()]
        terms = [line for line in lines if not line[0].isspace()]
        if not terms or terms[0].startswith(":"):
            continue
        rest = " ".join(line.strip() for line in lines if line[0].isspace())
        inside, definition = _balanced(rest)
        names = set(terms) | set(re.split(r",\s*(?![^()]*\))", inside))
        for name in list(names):
            parts = re.split(r"\s+/\s+", name)
            last = parts[-1].split()
            if len(last) > 1 and all(len(p.split()) == 1 for p in parts[:-1]):
                parts = [f"{p} {' '.join(last[1:])}" for p in parts[:-1]] + parts[-1:]
            for part in parts:
                names.add(part)
                names.update(re.fullmatch(r"(.+?)\s*(?:\((.+)\))?", part).groups())
        definition = re.split(r"\s(?:Taught in\s|배우는 곳:)", definition)[0]
        found.append(
            {
                "term": terms[0],
                "names": {n.strip().lower() for n in names if n and n.strip()},
                "definition": definition,
            }
        )
    return found


def glossary_problems(text: str, lang: str) -> list[str]:
    entries = glossary_entries(text)
    problems = []
    owner: dict[str, str] = {}
    for entry in entries:
        for name in sorted(entry["names"]):
            first = owner.setdefault(name, entry["term"])
            if first != entry["term"]:
                problems.append(f"{name!r} names {first!r} and {entry['term']!r}")
        bound = CHAPTER_BOUND[lang].search(entry["definition"])
        if bound:
            problems.append(
                f"{entry['term']!r}: chapter-bound {bound.group(0)!r} in "
                f"{entry['definition']!r}"
            )
    return problems


def test_the_korean_glossary_marks_its_links():
    """glossary_entries cuts the definition at the links' label; the Korean page's
    label must be the one it looks for."""
    text = GLOSSARY_PAGES["ko"].read_text(encoding="utf-8")
    assert all("{doc}" not in e["definition"] for e in glossary_entries(text))


@pytest.mark.parametrize("lang", list(GLOSSARY_PAGES))
def test_one_glossary_entry_per_concept_and_no_chapter_bound_definition(lang):
    text = GLOSSARY_PAGES[lang].read_text(encoding="utf-8")
    entries = glossary_entries(text)
    assert len(entries) > 100
    problems = glossary_problems(text, lang)
    assert not problems, f"{GLOSSARY_PAGES[lang].name} ({lang}):\n  " + "\n  ".join(
        problems
    )


def table_definitions(folder: Path) -> dict[str, dict[str, str]]:
    """{term: {chapter: definition}} from the term tables of the chapters in FOLDER."""
    found: dict[str, dict[str, str]] = {}
    for chapter in CHAPTERS:
        notebook = nbformat.read(folder / chapter.name, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                for term, _, definition in ROW.findall(cell.source):
                    found.setdefault(term, {})[chapter.stem] = definition
    return found


def diverging(definitions: dict[str, dict[str, str]]) -> list[str]:
    return [
        f"{term!r}: " + "; ".join(f"{c}: {d!r}" for c, d in by_chapter.items())
        for term, by_chapter in definitions.items()
        if len(set(by_chapter.values())) > 1
    ]


@pytest.mark.parametrize("folder", ["book", "ko/book"])
def test_a_term_has_one_definition_in_every_table(folder):
    problems = diverging(table_definitions(ROOT / folder))
    assert not problems, f"{folder}: terms defined differently:\n  " + "\n  ".join(
        problems
    )


def test_underfitting_is_not_defined_by_the_epoch_count():
    """Chapter 11 shows that the best epoch count depends on the model and the data:
    too few or too many epochs is not what under- and overfitting are."""
    for lang, path in GLOSSARY_PAGES.items():
        for entry in glossary_entries(path.read_text(encoding="utf-8")):
            if entry["names"] & {"underfitting", "overfitting", "과소적합", "과대적합"}:
                assert not re.search(r"epoch|에포크", entry["definition"], re.I), (
                    f"{lang}: {entry['term']}: {entry['definition']}"
                )


def test_planted_duplicates_and_chapter_bound_words_fail():
    text = GLOSSARY_PAGES["en"].read_text(encoding="utf-8")
    assert not glossary_problems(text, "en")
    entry = (
        "\nunderfitting / overfitting\n과소적합 / 과대적합\n"
        "  (과소적합 / 과대적합, 과소적합, 과대적합) Too few epochs / too many epochs. "
        "Taught in {doc}`17. A recipe for new data <17_recipe>`.\n"
    )
    planted = text.replace(":sorted:\n", ":sorted:\n" + entry, 1)
    problems = glossary_problems(planted, "en")
    pair = "'underfitting / overfitting' and"
    assert f"'underfitting' names {pair} 'underfitting'" in problems, problems
    assert f"'과대적합' names {pair} 'overfitting'" in problems, problems
    sgd = "\nSGD\n  (확률적 경사 하강법) Plain. Taught in {doc}`x`.\n"
    aliased = text.replace(":sorted:\n", ":sorted:\n" + sgd, 1)
    assert any("'sgd' names" in p for p in glossary_problems(aliased, "en"))
    bound = text.replace(
        "The share of examples whose predicted class is the true class",
        "The share of test images predicted correctly",
    )
    assert [p for p in glossary_problems(bound, "en") if "chapter-bound" in p] == [
        "'accuracy': chapter-bound 'test images' in "
        "'The share of test images predicted correctly.'"
    ]
    korean = GLOSSARY_PAGES["ko"].read_text(encoding="utf-8")
    assert not glossary_problems(korean, "ko")
    ko_bound = korean.replace("전체 훈련 세트를 한 번 훑는 것", "여기서는 5번 훑는 것")
    assert any("'여기서'" in p for p in glossary_problems(ko_bound, "ko"))


def test_planted_diverging_definitions_fail():
    definitions = table_definitions(ROOT / "book")
    assert not diverging(definitions)
    definitions["epoch"]["13_mnist"] = "one pass over the training set; here 5"
    assert diverging(definitions) == [
        "'epoch': 10_batch_epoch_step: 'one pass over the whole training set'; "
        "11_overfitting_early_stopping: 'one pass over the whole training set'; "
        "13_mnist: 'one pass over the training set; here 5'"
    ]


def test_the_generator_refuses_a_duplicate_or_a_diverging_term():
    entries, _ = make_glossary.collect()
    assert make_glossary.concept_problems(entries) == []
    planted = dict(entries)
    planted["sgd"] = {
        **entries["adam"],
        "english": "SGD",
        "korean": ["에스지디"],
        "chapters": ["16_framework_vs_scratch"],
        "definitions": {},
    }
    assert any(
        "share the name 'sgd'" in p for p in make_glossary.concept_problems(planted)
    )
    epoch = dict(entries["epoch"])
    epoch["definitions"] = {**epoch["definitions"], "13_mnist": "here 5"}
    planted = {**entries, "epoch": epoch}
    (problem,) = make_glossary.concept_problems(planted)
    assert problem.startswith("'epoch' is defined differently"), problem
