"""The Korean edition: translation catalogs in, Korean book out.

One source for code and outputs: the Korean notebooks are generated from the English
ones plus gettext catalogs, ``locales/ko/LC_MESSAGES/<page>.po``, one per page. A
catalog has one entry per markdown cell (per paragraph block for the ``.md`` pages,
per string for a chapter's quiz, per figure description: a code cell's alt text and
demo sentence, tools/author/figures.py), keyed by a hash of the English text
(``msgctxt``), so sphinx-intl, Weblate, Crowdin or Poedit can work on them.

    python tools/derive/i18n.py update  # after editing English: merge the catalogs
    python tools/derive/i18n.py build   # write ko/, the Korean book: book/ + catalogs
    python tools/derive/i18n.py check   # exit 1 when ko/ or a catalog is out of date
    python tools/derive/i18n.py validate  # what a translation must pass: code, math,
        # numbers and links kept; the term base's terms (locales/ko/termbase.yml,
        # tools/author/termbase.py); the particle after a number

``update`` keeps every translation whose English text is unchanged. When an English
cell changes, its entry keeps the old translation but is marked ``fuzzy`` (stale),
with the old English as ``#| msgid``; ``build`` then shows that cell in English under
a visible marker until a translator updates the entry and removes the flag. Code
cells and outputs are copied byte for byte, but for a code cell's Colab form title
(``# @title ...``, the setup cell's), which comes from ``colab_titles`` in
locales/ko/site.yml; the only output that differs is a quiz's
question data, which is the translated quiz (what ``show_quiz`` draws when run from
``ko/book/``, where ``quizzes/`` holds the Korean files).

Links keep the English anchors in the catalogs (``12_dropout.ipynb#1-...``); ``build``
rewrites them to the Korean headings' anchors, matched heading by heading.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import polib
import yaml
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from myst_parser.mdit_to_docutils.base import compute_unique_slug

from tools.author import figures, strings, termbase
from tools.book import ROOT, repo_parts, shown_quiz_questions, toc_files, write_changed
from tools.execute import figure_text
from tools.execute.execute import QUIZ_VAR

LANG = "ko"
LOCALES = ROOT / "locales" / LANG / "LC_MESSAGES"
OUT = ROOT / LANG  # the Korean book: ko/_config.yml, ko/_toc.yml, ko/book/...
# Pages that are generated in each language by their own tool, not translated here.
GENERATED = {"book/glossary", "book/status"}
# Shown above a cell whose translation is missing or stale: the English follows.
STALE_MARK = strings.ui("stale_mark")
HEADING_LEVELS = 2  # myst_heading_anchors in _config.yml
FENCE = re.compile(r"^(`{3,}|:{3,})")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------------------
# Units: the translatable pieces of a page, in order.


@dataclass
class Unit:
    key: str  # where it lives: a cell id, a block number, a quiz path
    text: str
    kind: str = "markdown"  # or "quiz", or a figure's "alt" / "demo" (figures.PLACES)

    @property
    def ctx(self) -> str:
        prefix = "" if self.kind == "markdown" else self.kind + " "
        return prefix + text_hash(self.text)


def md_blocks(text: str) -> list[str]:
    """A markdown page split at blank lines, keeping fenced blocks whole."""
    blocks, current, fence = [], [], None
    for line in text.split("\n"):
        match = FENCE.match(line.strip())
        if fence is None and match:
            fence = match.group(1)
        elif fence is not None and line.strip() == fence:
            fence = None
        if fence is None and not line.strip():
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


QUIZ_FIELDS = ("question", "answer", "feedback")


def quiz_strings(questions: list) -> list[tuple[str, str]]:
    """(path, text) for every translatable string of a jupyterquiz question list."""
    found = []
    for qi, question in enumerate(questions, 1):
        if question.get("question"):
            found.append((f"q{qi}.question", question["question"]))
        for ai, answer in enumerate(question.get("answers", []), 1):
            for name in ("answer", "feedback"):
                if isinstance(answer.get(name), str) and answer[name].strip():
                    found.append((f"q{qi}.a{ai}.{name}", answer[name]))
    return found


def quiz_path(page: str) -> Path:
    return ROOT / "book" / "quizzes" / f"{Path(page).name}.json"


def units(page: str) -> list[Unit]:
    """Every translatable unit of a page of _toc.yml, in reading order."""
    notebook = ROOT / f"{page}.ipynb"
    found: list[Unit] = []
    if notebook.exists():
        nb = nbformat.read(notebook, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                found.append(Unit(cell.id, cell.source))
            elif cell.cell_type == "code":  # a figure's alt text, a demo's sentence
                for kind, text in figures.descriptions(cell.metadata).items():
                    found.append(Unit(f"{cell.id}.{kind}", text, kind))
        if quiz_path(page).exists():
            questions = json.loads(quiz_path(page).read_text(encoding="utf-8"))
            found += [Unit(k, t, "quiz") for k, t in quiz_strings(questions)]
    else:
        source = (ROOT / f"{page}.md").read_text(encoding="utf-8")
        found = [Unit(f"block{i}", b) for i, b in enumerate(md_blocks(source), 1)]
    return found


def catalog_path(page: str) -> Path:
    return LOCALES / f"{Path(page).name}.po"


def translated_pages() -> list[str]:
    return [p for p in toc_files() if p not in GENERATED]


# ---------------------------------------------------------------------------
# update: merge the catalogs with the English text.


def occurrence(page: str, unit: Unit) -> tuple[str, str]:
    if unit.kind == "quiz":
        return (f"book/quizzes/{Path(page).name}.json", unit.key)
    suffix = ".ipynb" if (ROOT / f"{page}.ipynb").exists() else ".md"
    return (page + suffix, unit.key)


def empty_catalog() -> polib.POFile:
    """A new catalog with the book's header, unwrapped (one line per source line)."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "fcn-course-book",
        "Language": LANG,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    return po


def merged(page: str) -> polib.POFile:
    """The page's catalog merged with today's English: unchanged entries kept, changed
    ones carried over as fuzzy (stale) with their old English, new ones empty."""
    old = polib.pofile(str(catalog_path(page))) if catalog_path(page).exists() else None
    by_ctx, by_place = {}, {}
    for entry in old or []:
        if entry.obsolete:
            continue
        by_ctx[entry.msgctxt] = entry
        for place in entry.occurrences:  # polib reads "file:id" back as one string
            by_place[":".join(p for p in place if p)] = entry
    po = empty_catalog()
    seen = set()
    for unit in units(page):
        if unit.ctx in seen:  # the same text twice on a page: one entry serves both
            po.find(unit.ctx, by="msgctxt").occurrences.append(occurrence(page, unit))
            continue
        seen.add(unit.ctx)
        entry = polib.POEntry(
            msgctxt=unit.ctx,
            msgid=unit.text,
            msgstr="",
            occurrences=[occurrence(page, unit)],
        )
        if unit.ctx in by_ctx:
            kept = by_ctx[unit.ctx]
            entry.msgstr = kept.msgstr
            entry.flags = list(kept.flags)
            entry.previous_msgid = kept.previous_msgid
            entry.tcomment = kept.tcomment
        elif (
            ":".join(occurrence(page, unit)) in by_place
            and by_place[":".join(occurrence(page, unit))].msgstr
        ):
            before = by_place[":".join(occurrence(page, unit))]
            entry.msgstr = before.msgstr
            entry.flags = ["fuzzy"]
            entry.previous_msgid = before.previous_msgid or before.msgid
            entry.tcomment = before.tcomment
        po.append(entry)
    return po


FIGURES = (
    "figures"  # the catalog of the figures' texts: locales/ko/LC_MESSAGES/figures.po
)


def figure_texts() -> dict[str, list[tuple[str, str]]]:
    """{template: [(notebook, cell id), ...]} of every figure text the chapters'
    saved outputs recorded (tools/execute/figure_text.py), in book order."""
    found: dict[str, list[tuple[str, str]]] = {}
    for page in translated_pages():
        path = ROOT / f"{page}.ipynb"
        if not path.exists():
            continue
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for text in figure_text.english_texts(cell.get("outputs", [])):
                place = (f"{page}.ipynb", cell.id)
                places = found.setdefault(figure_text.template(text)[0], [])
                if place not in places:
                    places.append(place)
    return found


def merged_figures() -> polib.POFile:
    """The figure catalog merged with the texts the saved figures hold: one entry per
    text (the same words in two chapters are translated once), translations kept."""
    path = figure_text.CATALOG
    old = polib.pofile(str(path)) if path.exists() else []
    by_id = {e.msgid: e for e in old if not e.obsolete}
    po = empty_catalog()
    texts = figure_texts()
    for msgid, places in texts.items():
        entry = polib.POEntry(msgid=msgid, msgstr="", occurrences=places)
        if msgid in by_id:
            kept = by_id[msgid]
            entry.msgstr, entry.flags = kept.msgstr, list(kept.flags)
            entry.tcomment = kept.tcomment
        po.append(entry)
    # A text no saved figure holds now keeps its Korean as an obsolete entry (#~):
    # a chapter executed again, or a figure put back, finds it.
    for entry in old:
        if entry.msgid not in texts and entry.msgstr and entry.msgid:
            po.append(
                polib.POEntry(msgid=entry.msgid, msgstr=entry.msgstr, obsolete=True)
            )
    return po


def update(write: bool = True) -> list[str]:
    """Merge every catalog; return the pages whose catalog changed (FIGURES for the
    figure catalog)."""
    changed = []
    LOCALES.mkdir(parents=True, exist_ok=True)
    text = str(merged_figures()) + "\n"
    if not figure_text.CATALOG.exists() or (
        figure_text.CATALOG.read_text(encoding="utf-8") != text
    ):
        changed.append(FIGURES)
        if write:
            figure_text.CATALOG.write_text(text, encoding="utf-8")
    for page in translated_pages():
        po = merged(page)
        text = str(po) + "\n"
        path = catalog_path(page)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            changed.append(page)
            if write:
                path.write_text(text, encoding="utf-8")
    return changed


# ---------------------------------------------------------------------------
# build: the Korean book.


@dataclass
class Counts:
    translated: int = 0
    stale: int = 0
    missing: int = 0
    stale_keys: list = field(default_factory=list)


def lookup(po: polib.POFile | None, unit: Unit) -> tuple[str | None, str]:
    """(Korean text or None, state) where state is translated, stale or missing."""
    entry = po.find(unit.ctx, by="msgctxt") if po is not None else None
    if entry is None or not entry.msgstr.strip():
        return None, "missing"
    if "fuzzy" in entry.flags:
        return None, "stale"
    return entry.msgstr, "translated"


_md = MarkdownIt("commonmark")


def heading_slugs(text: str, taken: set) -> list[str]:
    """The anchors MyST gives the headings (levels <= 2) of a markdown text."""
    slugs = []
    tree = SyntaxTreeNode(_md.parse(text))
    for node in tree.walk():
        if node.type == "heading" and int(node.tag[1:]) <= HEADING_LEVELS:
            slug = compute_unique_slug(node, taken)
            taken.add(slug)
            slugs.append(slug)
    return slugs


def with_mark(english: str) -> str:
    """English text under the stale marker (after a leading heading line, so a page
    title stays the page title)."""
    lines = english.split("\n")
    if lines and lines[0].startswith("#"):
        rest = lines[1:]
        while rest and not rest[0].strip():
            rest = rest[1:]
        return "\n".join([lines[0], "", STALE_MARK, ""] + rest)
    return STALE_MARK + "\n\n" + english


class TranslationError(Exception):
    pass


def korean_texts(page: str) -> tuple[dict, dict, Counts]:
    """{unit key: Korean text} for the page, its {English anchor: Korean anchor}
    map, and its counts."""
    path = catalog_path(page)
    po = polib.pofile(str(path)) if path.exists() else None
    texts, anchors, counts = {}, {}, Counts()
    en_taken, ko_taken = set(), set()
    for unit in units(page):
        korean, state = lookup(po, unit)
        setattr(counts, state, getattr(counts, state) + 1)
        if state == "stale":
            counts.stale_keys.append(unit.key)
        if unit.kind != "markdown":  # quiz strings, figure descriptions
            texts[unit.key] = korean if korean is not None else unit.text
            continue
        text = korean if korean is not None else with_mark(unit.text)
        en_slugs = heading_slugs(unit.text, en_taken)
        ko_slugs = heading_slugs(text, ko_taken)
        if len(en_slugs) != len(ko_slugs):
            raise TranslationError(
                f"{path.name}: the entry for {page} {unit.key} has {len(ko_slugs)} "
                f"headings where the English has {len(en_slugs)}; keep one per heading"
            )
        anchors.update(zip(en_slugs, ko_slugs))
        texts[unit.key] = text
    return texts, anchors, counts


LINK = re.compile(r"\]\((?!https?:)([^)#\s]*?)(\.ipynb|\.md)?#([^)\s]+)\)")


def rewrite_links(text: str, page: str, anchors: dict) -> str:
    """English anchors in links -> the Korean page's anchors."""

    def fix(match):
        target, suffix, slug = match.groups()
        doc = str(Path(page).parent / target) if target else page
        doc_anchors = anchors.get(doc)
        if doc_anchors is None:
            raise TranslationError(f"{page}: link to an unknown page: {match.group(0)}")
        if slug not in doc_anchors:
            # Already a Korean anchor of that page is fine; anything else is a typo.
            if slug in doc_anchors.values():
                return match.group(0)
            raise TranslationError(
                f"{page}: link to a missing anchor: {match.group(0)}"
            )
        return f"]({target}{suffix or ''}#{doc_anchors[slug]})"

    return LINK.sub(fix, text)


def colab_links(text: str) -> str:
    """Colab, GitHub and download links of a chapter point at the Korean notebook."""
    slug, branch = repo_parts()
    return re.sub(
        rf"(/{re.escape(slug)}/(?:blob/)?{re.escape(branch)}/(?:learner/|practice/)?)book/",
        rf"\g<1>{LANG}/book/",
        text,
    )


def set_quiz_strings(questions: list, texts: dict) -> list:
    questions = copy.deepcopy(questions)
    for key, _ in quiz_strings(questions):
        parts = key.split(".")
        question = questions[int(parts[0][1:]) - 1]
        if len(parts) == 2:
            question[parts[1]] = texts[key]
        else:
            question["answers"][int(parts[1][1:]) - 1][parts[2]] = texts[key]
    return questions


def swap_quiz_output(source: str, english: list, korean: list) -> str:
    """The quiz output's question data, English -> Korean (as jupyterquiz dumps it)."""
    match = QUIZ_VAR.search(source)
    if match is None:
        raise TranslationError("a quiz output without its question data")
    start = match.end()
    data, end = json.JSONDecoder().raw_decode(source, start)
    if shown_quiz_questions(data) != shown_quiz_questions(english):
        raise TranslationError("a quiz output differs from its quiz file: re-execute")
    before, after = source[:start], source[end:]
    for english_word, korean_word in site_strings().get("quiz", {}).items():
        # jupyterquiz's own words, as string literals of its script
        quoted, translated = json.dumps(english_word), json.dumps(korean_word)
        before, after = (part.replace(quoted, translated) for part in (before, after))
    return before + json.dumps(korean) + after


# Colab's form title: the first line of a code cell, shown as the collapsed cell's name.
COLAB_TITLE = re.compile(r"\A# @title (.*)$", re.MULTILINE)


def korean_colab_title(source: str, page: str) -> str:
    """A code cell with its Colab form title ("# @title Setup: ...") in Korean, from
    locales/ko/site.yml's colab_titles; the rest of the code is the English code."""
    match = COLAB_TITLE.match(source)
    if match is None:
        return source
    titles = site_strings().get("colab_titles", {})
    if match.group(1) not in titles:
        raise TranslationError(
            f"{page}: no Korean for the Colab title {match.group(1)!r} "
            "(add it to colab_titles in locales/ko/site.yml)"
        )
    return f"# @title {titles[match.group(1)]}" + source[match.end() :]


def build_notebook(page: str, texts: dict, anchors: dict) -> tuple[str, list | None]:
    nb = nbformat.read(ROOT / f"{page}.ipynb", as_version=4)
    english_quiz = korean_quiz = None
    if quiz_path(page).exists():
        english_quiz = json.loads(quiz_path(page).read_text(encoding="utf-8"))
        korean_quiz = set_quiz_strings(shown_quiz_questions(english_quiz), texts)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = colab_links(rewrite_links(texts[cell.id], page, anchors))
        elif cell.cell_type == "code":
            cell.source = korean_colab_title(cell.source, page)
            for kind in figures.descriptions(cell.metadata):  # alt text, demo sentence
                figures.set_description(cell.metadata, kind, texts[f"{cell.id}.{kind}"])
            for output in cell.get("outputs", []):  # each figure's Korean twin
                korean_figure(output)
        if cell.cell_type == "code" and english_quiz is not None:
            for output in cell.get("outputs", []):
                js = output.get("data", {}).get("application/javascript")
                if js is not None and QUIZ_VAR.search(js):
                    output["data"]["application/javascript"] = swap_quiz_output(
                        js, english_quiz, korean_quiz
                    )
    return nbformat.writes(nb) + "\n", korean_quiz


def korean_figure(output) -> None:
    """Show an output's Korean twin (drawn by the same run, from the same data:
    tools/execute/figure_text.py) in place of its English picture."""
    book = output.get("metadata", {}).get(figure_text.METADATA_KEY)
    if not book or "ko" not in book:
        return
    korean = book.pop("ko")
    if not book:
        del output["metadata"][figure_text.METADATA_KEY]
    for mime in ("image/png", "text/html"):
        if mime in korean and mime in output.get("data", {}):
            output["data"][mime] = korean[mime]


def figure_problems() -> list[str]:
    """What is wrong with the figure catalog's translations: each placeholder kept
    once, and the term base's terms."""
    path = figure_text.CATALOG
    if not path.exists():
        return [f"{path.name}: missing (run: python tools/derive/i18n.py update)"]
    found = []
    terms = termbase.load()
    for entry in polib.pofile(str(path)):
        if not entry.msgstr.strip() or "fuzzy" in entry.flags:
            continue
        where = f"{path.name} {entry.msgid!r}"
        for problem in figure_text.placeholder_problems(entry.msgid, entry.msgstr):
            found.append(f"{where}: {problem}")
        for term, form, seen in termbase.term_problems(
            entry.msgid, entry.msgstr, terms
        ):
            found.append(
                f"{where}: term base: {term.en!r} is {term.ko!r}; found {form!r} "
                f'in "{seen}" (locales/ko/termbase.yml)'
            )
    return found


def build_md(page: str, texts: dict, anchors: dict) -> str:
    blocks = [texts[u.key] for u in units(page)]
    return colab_links(rewrite_links("\n\n".join(blocks), page, anchors)) + "\n"


def site_strings() -> dict:
    """The Korean config and toc strings (locales/ko/site.yml)."""
    return strings.korean()


def build_config() -> dict[Path, str]:
    strings = site_strings()
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = strings["title"]
    config["author"] = strings["author"]
    config["repository"]["path_to_book"] = f"learner/{LANG}"
    config["exclude_patterns"] = ["_build"]
    config["sphinx"]["config"]["language"] = LANG
    config["sphinx"]["config"].update(strings.get("sphinx_config", {}))
    config["sphinx"]["local_extensions"] = {"offline_site": "../tools/publish"}
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc["parts"]:
        part["caption"] = strings["parts"][part["caption"]]
    header = (
        "# Generated by tools/derive/i18n.py from ../{} and "
        f"{LOCALES.parent.relative_to(ROOT)}/site.yml: do not edit.\n"
    )

    def dump(data):
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)

    return {
        OUT / "_config.yml": header.format("_config.yml") + dump(config),
        OUT / "_toc.yml": header.format("_toc.yml") + dump(toc),
    }


def glossary_file(notebooks: dict[Path, str]) -> dict[Path, str]:
    """The Korean glossary, from the Korean chapters' term tables."""
    from tools.author import make_glossary

    read = {p: nbformat.reads(t, as_version=4) for p, t in notebooks.items()}
    entries, _ = make_glossary.collect(read)
    titles = {p.stem: make_glossary.chapter_title(nb) for p, nb in read.items()}
    return {OUT / "book" / "glossary.md": make_glossary.render(entries, titles, "ko")}


def build_files() -> tuple[dict[Path, str], dict[str, Counts]]:
    """Every file of the Korean book (path -> text) but its status page
    (tools/publish/status.py writes both editions' from these counts), and each
    page's counts."""
    pages = translated_pages()
    results = {page: korean_texts(page) for page in pages}
    anchors = {page: r[1] for page, r in results.items()}
    files = build_config()
    counts = {}
    for page in pages:
        texts, _, counts[page] = results[page]
        if (ROOT / f"{page}.ipynb").exists():
            text, quiz = build_notebook(page, texts, anchors)
            files[OUT / f"{page}.ipynb"] = text
            if quiz is not None:
                quiz_file = OUT / "book" / "quizzes" / f"{Path(page).name}.json"
                files[quiz_file] = json.dumps(quiz, ensure_ascii=False, indent=2) + "\n"
        else:
            files[OUT / f"{page}.md"] = build_md(page, texts, anchors)
    notebooks = {p: t for p, t in files.items() if p.suffix == ".ipynb"}
    files.update(glossary_file(notebooks))
    return files, counts


# What a translation keeps exactly: inline code, math, numbers, link targets, and the
# lines of MyST directives and their options (labels, solution fences).
KEEP = {
    "inline code": re.compile(r"(?<!`)`[^`\n]+`(?!`)"),
    "math": re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.DOTALL),
    "link target": re.compile(r"\]\(([^)\s]+)\)"),
    "directive line": re.compile(
        r"^\s*(?:`{3,}|:{3,})\{[^}]+\}.*$|^\s*:[a-z-]+:.*$", re.MULTILINE
    ),
}
SPELLED_OUT = 12  # numbers English writes as words: a translation may use digits
NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
TERM_TEXT = re.compile(r"\{(?:term|doc|ref)\}`[^`]*`")


def kept(text: str) -> dict[str, list[str]]:
    """The pieces of a text that its translation must keep, by kind."""
    found = {}
    rest = text
    for kind, pattern in KEEP.items():
        if kind == "inline code":
            # A role's text ({term}`드롭아웃 <dropout>`) is translated, not kept.
            items = pattern.findall(TERM_TEXT.sub("", rest))
        else:
            items = pattern.findall(rest)
        found[kind] = sorted(items)
        if kind != "directive line":
            rest = pattern.sub(" ", rest)
    found["number"] = sorted(NUMBER.findall(TERM_TEXT.sub(" ", rest)))
    return found


def problems(page: str) -> list[str]:
    """What is wrong with a page's translations: every translated entry must keep the
    English entry's inline code, math, numbers, link targets and directive lines, use
    the term base's Korean terms (locales/ko/termbase.yml) and put the right particle
    after a number."""
    path = catalog_path(page)
    if not path.exists():
        return [f"{path.name}: missing (run: python tools/derive/i18n.py update)"]
    found = []
    try:
        korean_texts(page)
    except TranslationError as error:
        found.append(str(error))
    terms = termbase.load()
    for entry in polib.pofile(str(path)):
        if not entry.msgstr.strip() or "fuzzy" in entry.flags:
            continue
        place = ":".join(p for p in entry.occurrences[0] if p).split(":")[-1]
        where = f"{path.name} {place} ({entry.msgctxt})"
        for term, form, seen in termbase.term_problems(
            entry.msgid, entry.msgstr, terms
        ):
            found.append(
                f"{where}: term base: {term.en!r} is {term.ko!r}; found {form!r} "
                f'in "{seen}" (locales/ko/termbase.yml)'
            )
        for written, right in termbase.particle_problems(entry.msgstr):
            found.append(
                f"{where}: particle after a number: {written!r} should be {right!r} "
                "(the particle follows the number as read)"
            )
        english, korean = kept(entry.msgid), kept(entry.msgstr)
        for kind in english:
            # Directive lines exactly; the rest as sets (a translation may name a
            # value once where the English repeats it).
            if kind == "directive line":
                same = english[kind] == korean[kind]
            elif kind == "number":
                # English spells small numbers out ("two threads", "one eighth");
                # Korean may write them as digits (스레드 2개, 8분의 1).
                extra = set(korean[kind]) - set(english[kind])
                same = set(english[kind]) <= set(korean[kind]) and all(
                    n.isdigit() and int(n) <= SPELLED_OUT for n in extra
                )
            else:
                same = set(english[kind]) == set(korean[kind])
            if not same:
                lost = sorted(set(english[kind]) - set(korean[kind]))
                added = sorted(set(korean[kind]) - set(english[kind]))
                found.append(
                    f"{where}: {kind} differs: English only {lost or '(count)'}, "
                    f"Korean only {added or '(count)'}"
                )
    return found


def site_problems() -> list[str]:
    """The term base's check on the part captions of locales/ko/site.yml."""
    return [
        f"site.yml part {english!r}: term base: {term.en!r} is {term.ko!r}; "
        f'found {form!r} in "{seen}" (locales/ko/termbase.yml)'
        for english, korean in site_strings()["parts"].items()
        for term, form, seen in termbase.term_problems(english, korean)
    ]


write = write_changed  # path -> text, only what differs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "command", choices=["update", "build", "check", "counts", "validate"]
    )
    parser.add_argument(
        "pages", nargs="*", help="validate: page names (12_dropout, qna)"
    )
    args = parser.parse_args(argv)
    if args.command == "validate":
        names = args.pages or [Path(p).name for p in translated_pages()]
        pages = [p for p in translated_pages() if Path(p).name in names]
        found = [problem for page in pages for problem in problems(page)]
        if not args.pages or FIGURES in args.pages:
            found += figure_problems()
        if not args.pages:
            found += site_problems()
        print("\n".join(found) or f"{len(pages)} page(s): no problems")
        return 1 if found else 0
    if args.command == "update":
        for page in update():
            print(f"updated {catalog_path(page).relative_to(ROOT)}")
        return 0
    if args.command == "check":
        stale = update(write=False)
        if stale:
            print(
                "Catalogs out of date (run: python tools/derive/i18n.py update):",
                *stale,
            )
            return 1
        files, _ = build_files()
        out_of_date = [
            str(p.relative_to(ROOT))
            for p, t in files.items()
            if not p.exists() or p.read_text(encoding="utf-8") != t
        ]
        if out_of_date:
            print(
                "ko/ out of date (run: python tools/derive/i18n.py build):",
                *out_of_date,
            )
            return 1
        return 0
    files, counts = build_files()
    if args.command == "build":
        for path in write(files):
            print(f"wrote {path.relative_to(ROOT)}")
    for page, c in counts.items():
        print(
            f"{page}: {c.translated} translated, {c.stale} stale, {c.missing} missing"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
