"""Build the bilingual glossary from the term tables at the end of every chapter.

Each chapter's summary ends with a table ``| English | Korean | meaning |`` (its
header's word for Korean is in locales/ko/site.yml).
``python tools/author/make_glossary.py`` collects those rows from every notebook in
``_toc.yml`` and writes ``book/glossary.md`` (a Sphinx glossary: one entry per
concept, with its Korean terms as aliases, its one-line definition, and links to
every chapter that lists it). It also turns each English cell of the chapters'
tables into a ``{term}`` link to that entry.

One entry per concept: a term taught in several chapters is one entry listing them
all, so every table that lists it gives it the same definition, word for word (the
glossary has one), and no two entries share a name: an English name, a part of one
("underfitting" in "underfitting / overfitting", "SGD" in "stochastic gradient
descent (SGD)") or a Korean name from the term base. The tool stops on a definition
that differs between chapters or a name two entries share, naming both, and writes
nothing. A definition is the term's meaning anywhere in the book, not what one
chapter did with it (tests/test_glossary.py also refuses chapter-bound words such as
"here" or "test images").

The Korean names come from the term base, ``locales/ko/termbase.yml``: the entry
whose ``en`` is the table's English term gives the headword (``ko``) and the aliases
(``variants``). A table term missing from the term base, or a Korean name in a table
that the term base does not list for that term, stops the tool with a message; so
does a Korean headword that another entry already uses (the glossary would lose it).

``--check`` writes nothing and exits 1 when the glossary or a chapter table is
stale (the tests use it). Editing markdown cells does not change a notebook's code
hash, so no re-execution is needed afterwards.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

from tools.author import strings, termbase
from tools.book import ROOT, toc_notebooks

GLOSSARY = ROOT / "book" / "glossary.md"
# The table header: "| English | 한국어 |" in English, "| 영어 | 한국어 |" in the Korean
# edition (tools/derive/i18n.py builds its glossary with these functions); the Korean
# words are in locales/ko/site.yml.
HEADER = re.compile(
    rf"^\|\s*(?:English|{re.escape(strings.ui('table_english'))})\s*\|"
    rf"\s*{re.escape(strings.ui('language'))}\s*\|",
    re.MULTILINE,
)
TERM_ROLE = re.compile(r"^\{term\}`([^`<]+?)(?:\s*<[^>]+>)?`$")


def split_row(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def plain(cell: str) -> str:
    """The term inside a cell, with any {term} role or code ticks removed."""
    match = TERM_ROLE.match(cell)
    return (match.group(1) if match else cell).strip()


def chapter_title(notebook) -> str:
    return notebook.cells[0].source.splitlines()[0].lstrip("# ").strip()


def tables(notebook):
    """(cell, line index, cells) for every row of the chapter's term tables."""
    for cell in notebook.cells:
        if cell.cell_type != "markdown" or not HEADER.search(cell.source):
            continue
        lines = cell.source.split("\n")
        start = next(i for i, line in enumerate(lines) if HEADER.match(line))
        for i in range(start + 2, len(lines)):
            if not lines[i].startswith("|"):
                break
            yield cell, i, split_row(lines[i])


class GlossaryError(ValueError):
    pass


def korean_names(english: str, table: str, where: str, terms=None) -> list[str]:
    """The Korean names of a table's term, from the term base; the table's own Korean
    cell must name only forms the term base lists for it."""
    term = termbase.lookup(english, terms)
    if term is None:
        raise GlossaryError(
            f"{where}: the term {english!r} has no entry in "
            f"{termbase.TERMBASE.relative_to(ROOT)}: add it (en, ko, variants)"
        )
    unknown = [
        alias
        for alias in re.split(r"\s*[,/]\s*", table)
        if alias and alias not in term.names
    ]
    if unknown:
        raise GlossaryError(
            f"{where}: the table gives {english!r} the Korean {unknown}, which "
            f"the term base does not list (ko: {term.ko!r}, variants: "
            f"{term.variants}): fix the table or the term base"
        )
    return term.names


def collect(notebooks: dict | None = None):
    """Every term of the chapters' tables, and the notebooks read ({path: notebook};
    by default the chapters of _toc.yml). Korean names come from the term base."""
    entries: dict[str, dict] = {}
    terms = termbase.load()
    if notebooks is None:
        notebooks = {p: nbformat.read(p, as_version=4) for p in toc_notebooks()}
    for path, notebook in notebooks.items():
        for _, _, cells in tables(notebook):
            if len(cells) < 3:
                continue
            english, korean, definition = plain(cells[0]), cells[1], cells[2]
            names = korean_names(english, korean, path.name, terms)
            key = english.lower()
            entry = entries.setdefault(
                key,
                {
                    "english": english,
                    "korean": names,
                    "definition": definition,
                    "chapters": [],
                    "definitions": {},
                },
            )
            if path.stem not in entry["chapters"]:
                entry["chapters"].append(path.stem)
            entry["definitions"].setdefault(path.stem, definition)
    return entries, notebooks


def names(entry: dict) -> set[str]:
    """Every name an entry answers to, lower case: its English term, the parts of a
    paired term ("training set / test set"; "true / false positive" is true positive
    and false positive), the term without and inside its
    parentheses ("step (iteration)": "step", "iteration"), and its Korean names."""
    english = entry["english"]
    found = {english}
    parts = re.split(r"\s+/\s+", english)
    last = parts[-1].split()
    if len(last) > 1 and all(len(part.split()) == 1 for part in parts[:-1]):
        # "true / false positive": true positive, false positive
        parts = [f"{part} {' '.join(last[1:])}" for part in parts[:-1]] + parts[-1:]
    for part in parts:
        found.add(part)
        match = re.fullmatch(r"(.+?)\s*\(([^)]+)\)", part)
        if match:
            found.update(match.groups())
    found.update(entry["korean"])
    return {name.strip().lower() for name in found if name.strip()}


def concept_problems(entries: dict) -> list[str]:
    """Two entries for one concept, or one term defined differently by chapters."""
    problems = []
    for entry in entries.values():
        by_text: dict[str, list[str]] = {}
        for stem, definition in entry.get("definitions", {}).items():
            by_text.setdefault(definition, []).append(stem)
        if len(by_text) > 1:
            listing = "; ".join(
                f"{', '.join(stems)}: {text!r}" for text, stems in by_text.items()
            )
            problems.append(
                f"{entry['english']!r} is defined differently by its chapters' tables "
                f"({listing}): give it one definition in every table"
            )
    owners: dict[str, str] = {}
    for key in sorted(entries):
        for name in sorted(names(entries[key])):
            owner = owners.setdefault(name, key)
            if owner != key:
                first, second = entries[owner], entries[key]
                problems.append(
                    f"{first['english']!r} ({', '.join(first['chapters'])}) and "
                    f"{second['english']!r} ({', '.join(second['chapters'])}) share "
                    f"the name {name!r}: one concept, one term (rename the tables' "
                    "rows alike, merge the term base's entries)"
                )
    return problems


def render(entries: dict, titles: dict[str, str], lang: str = "en") -> str:
    """The glossary page. In English each entry is the English term with its Korean
    terms as aliases; in Korean (lang="ko") the Korean terms come first and the
    definition is the Korean table's."""
    used: dict[str, str] = {}  # name (lower case) -> the entry that shows it
    blocks = []
    for key in sorted(entries):
        entry = entries[key]
        headword = entry["korean"][0]
        owner = used.get(headword.lower(), key)
        if owner != key:
            raise GlossaryError(
                f"the Korean headword {headword!r} of {entry['english']!r} is already "
                f"a name of {entries[owner]['english']!r}: give one of them its own "
                "ko in locales/ko/termbase.yml"
            )
        names = []
        for name in [entry["english"]] + entry["korean"]:
            if used.get(name.lower(), key) != key:
                raise GlossaryError(
                    f"{name!r} names both {entries[used[name.lower()]]['english']!r} "
                    f"and {entry['english']!r}: one concept, one entry"
                )
            if name.lower() not in used and not name.startswith("("):
                names.append(name)  # "Adam" is its English and its Korean name
                used[name.lower()] = key
        where = "; ".join(
            f"{{doc}}`{titles[stem]} <{stem}>`" for stem in entry["chapters"]
        )
        definition = entry["definition"].rstrip(".")
        if lang == "ko":
            names = names[1:] + names[:1]  # Korean first; the English stays an alias
            blocks.append(
                "\n".join(names) + f"\n  ({entry['english']}) {definition}. "
                f"{strings.ui('glossary_taught_in')}: {where}."
            )
            continue
        korean = ", ".join(entry["korean"])
        blocks.append(
            "\n".join(names) + f"\n  ({korean}) {definition[:1].upper()}"
            f"{definition[1:]}. Taught in {where}."
        )
    body = "\n\n".join(blocks)
    if lang == "ko":
        return strings.ui("glossary_page").format(body=body)
    title, korean = strings.ui("glossary_title"), strings.ui("language")
    return f"""# Glossary ({title})

Every key term of the book in English and Korean ({korean}), with a one-line
definition and the chapters that teach it. Chapters link their terms here from the
table at the end of each summary. Generated by `tools/author/make_glossary.py` from
those tables: edit a chapter's table, then run the tool.

```{{glossary}}
:sorted:

{body}
```
"""


def link_tables(notebooks) -> list[Path]:
    """Wrap the English cell of every table row in a {term} role."""
    changed = []
    for path, notebook in notebooks.items():
        touched = False
        for cell, i, cells in list(tables(notebook)):
            english = plain(cells[0])
            linked = f"{{term}}`{english}`"
            if cells[0] != linked:
                lines = cell.source.split("\n")
                cells[0] = linked
                lines[i] = "| " + " | ".join(cells) + " |"
                cell.source = "\n".join(lines)
                touched = True
        if touched:
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    entries, notebooks = collect()
    problems = concept_problems(entries)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    titles = {p.stem: chapter_title(nb) for p, nb in notebooks.items()}
    text = render(entries, titles)
    stale_tables = link_tables(notebooks)
    stale_glossary = not GLOSSARY.exists() or GLOSSARY.read_text() != text
    if args.check:
        for path in stale_tables:
            print(f"{path.relative_to(ROOT)}: term table not linked to the glossary")
        if stale_glossary:
            print("book/glossary.md is stale")
        if stale_tables or stale_glossary:
            print("fix: python tools/author/make_glossary.py")
            return 1
        return 0
    for path in stale_tables:
        nbformat.write(notebooks[path], path)
        print(f"linked terms in {path.relative_to(ROOT)}")
    GLOSSARY.write_text(text)
    print(f"wrote book/glossary.md ({len(entries)} terms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
