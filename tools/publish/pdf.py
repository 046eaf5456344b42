"""Print the book to PDF, one file per edition, from the built site.

    python tools/publish/pdf.py [--html _build/html]

writes HTML/book.pdf (English) and HTML/ko/book.pdf (Korean) from the site built into
HTML by ``python tools/publish/build_site.py`` (nothing is rebuilt here). The site is
served on 127.0.0.1 (tools/publish/browser.py's server) and Debian's Chromium, driven by
Playwright, prints every page of _toc.yml (intro, chapters, Q&A, glossary, status) with
book/_static/print.css: the site's chrome hidden, each slider demo at its first frame,
every quiz answered correctly (as a reader who clicked the right answers sees it),
exercise solutions open under their exercises, long code lines wrapped. A page is
printed once MathJax has typeset it and its fonts (the site's Hangul font too) have
loaded. Each page is printed as a tagged PDF (its headings, paragraphs, lists, tables,
links and figures with their alt text, for screen readers); pypdf joins them in
_toc.yml's order and keeps that structure, which a plain join drops: every page's
structure tree becomes a /Part of one /Document (join()). It adds a bookmark per page
(under its part) with the page's headings under it, and numbers the pages in the
footer. Nothing leaves the machine: a request for
anything but the local server fails, and is reported with other failed requests, page
errors and untypeset formulas; any of those fails the run. tests/test_pdf.py reads the
result.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tools.book import EDITIONS, ROOT
from tools.publish.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    toc_pages,
    watch,
)

PDF_NAME = "book.pdf"
BUILD_COMMAND = "python tools/publish/build_site.py"
# The width of a printed page's text in CSS pixels: A4 less print.css's side margins,
# 210 - 2 * 16 mm. Pages load at that width, so what would not fit shows before print.
PRINT_WIDTH = 673
# Pages loading at once: one prints while the next ones load and typeset (2 cores).
IN_FLIGHT = 3
# Chromium resolves no host name but 127.0.0.1: a request for anything else fails
# (and is reported) instead of leaving the machine. This takes the place of
# tools/publish/browser.py's route, which aborts such requests from Playwright: any
# route turns off the browser's HTTP cache and, here, cost a quarter of the CPU time.
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
# The theme's mode for every page from its first line (the page's own first script
# reads it): the light theme's colours, whatever the machine prefers.
LIGHT_MODE_JS = (
    "localStorage.setItem('mode', 'light'); localStorage.setItem('theme', 'light');"
)

# Run on each page once it has loaded: wait for MathJax; put every demo at its first
# frame; answer every quiz question correctly, through the quiz's own handlers (they
# colour the answer and show its feedback; print.css adds a check mark to each right
# choice); say what the page is called, under which part of the sidebar it is listed,
# whether any formula was left untypeset and what is too wide for the paper.
PREPARE_JS = r"""async () => {
  if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
  for (const slider of document.querySelectorAll('.animation input.anim-slider')) {
    slider.value = slider.min;
    slider.dispatchEvent(new Event('input', {bubbles: true}));
  }
  const answered = {choices: 0, numbers: 0};
  for (const button of document.querySelectorAll(
      '.Quiz .MCButton[data-correct="true"]')) {
    button.click();
    answered.choices++;
  }
  for (const input of document.querySelectorAll('.Quiz input[data-answers]')) {
    const right = JSON.parse(input.dataset.answers)
        .find(a => a.correct && ('value' in a || 'range' in a));
    if (!right) continue;
    let value = 'value' in right ? right.value : right.range[0];
    if (input.dataset.precision > 0) {
      value = Number(value).toPrecision(input.dataset.precision);
    }
    input.value = String(value);
    input.dispatchEvent(new KeyboardEvent('keypress',
        {key: 'Enter', keyCode: 13, which: 13, bubbles: true}));
    answered.numbers++;
  }
  // The quiz's answer colours fade in: print them at rest.
  for (const a of document.getAnimations()) { try { a.finish(); } catch (e) {} }
  const h1 = document.querySelector('article h1');
  const title = h1 ? [...h1.childNodes]
      .filter(n => !(n.classList && n.classList.contains('headerlink')))
      .map(n => n.textContent).join('').trim() : document.title;
  const current = document.querySelector('.bd-docs-nav a.current');
  const list = current && current.closest('ul');
  const caption = list && list.previousElementSibling;
  // Anything the printed page would cut off at its right edge (a few pixels into
  // the margin are let pass: an inline formula at the end of a line).
  const edge = document.documentElement.clientWidth + 16;
  const wide = [...document.querySelectorAll('article *')]
      .filter(e => !e.closest('mjx-assistive-mml') &&
                   e.getBoundingClientRect().right > edge)
      .slice(0, 3).map(e => `${e.tagName.toLowerCase()}.${e.className}: ` +
                            e.textContent.trim().slice(0, 40));
  // Every heading's text as the reader sees it: Chromium's own bookmarks drop the
  // space at a line break in the source and repeat some words.
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
      .filter(h => h.getClientRects().length)
      .map(h => [...h.childNodes]
          .filter(n => !(n.classList && n.classList.contains('headerlink')))
          .map(n => n.textContent).join('').replace(/\s+/g, ' ').trim());
  return {
    title: title,
    headings: headings,
    wide: wide,
    part: caption && caption.matches('p.caption') ? caption.textContent.trim() : null,
    answered: answered,
    untypeset: document.querySelectorAll('.math:not(:has(mjx-container))').length,
    mathErrors: document.querySelectorAll('mjx-merror').length,
  };
}"""

# Once laid out for print: wait for every font the printed page uses.
FONTS_JS = """async () => {
  document.body.getBoundingClientRect();
  await document.fonts.ready;
  return document.fonts.status;
}"""

# Before printing a page: its footer (book/_static/print.css numbers the pages) shows
# its title, and its first page has its number in the whole book.
FOOTER_CSS = """html {{ counter-reset: page {before}; }}
@page {{ @bottom-left {{ content: {title}; }} }}"""


def css_string(text: str) -> str:
    return '"' + re.sub(r'(["\\])', r"\\\1", " ".join(text.split())) + '"'


@dataclass
class Printed:
    """One page of _toc.yml, printed."""

    page: str
    pdf: object  # a pypdf PdfReader
    title: str
    part: str | None  # its caption in the site's sidebar
    answered: dict  # quiz answers given: {"choices": n, "numbers": n}
    problems: list = field(default_factory=list)
    headings: list = field(default_factory=list)  # its h1 to h6, as printed


@dataclass
class Edition:
    """The PDF of one edition."""

    lang: str
    path: Path
    pages: list  # of Printed
    sheets: int  # pages of the PDF
    seconds: float

    @property
    def problems(self) -> list[str]:
        return [f"{p.page}: {problem}" for p in self.pages for problem in p.problems]


def missing_site(html: Path) -> str | None:
    """Why the site in html cannot be printed, or None."""
    first = toc_pages()[0]
    for folder in (e.url for e in EDITIONS.values()):
        if not (html / folder / f"{first}.html").exists():
            return (
                f"No built site in {html} ({folder}{first}.html is missing): build it "
                f"first with `{BUILD_COMMAND}`."
            )
    return None


def book_title(lang: str) -> str:
    import yaml

    config = EDITIONS[lang].root / "_config.yml"
    return yaml.safe_load(config.read_text(encoding="utf-8"))["title"]


class Tab:
    """A browser tab that loads one page while others print."""

    def __init__(self, context, base: str, block: str | None):
        self.page = context.new_page()
        # browser.watch's listeners record failed requests and page errors; its route
        # comes off again (OFFLINE_ARGS says why).
        self.visit = watch(self.page, base)
        self.page.unroute_all()
        if block:
            cdp = context.new_cdp_session(self.page)
            cdp.send("Network.enable")
            cdp.send("Network.setBlockedURLs", {"urls": [block]})
        self.page.emulate_media(media="print")
        self.name = None

    def start(self, name: str, url: str):
        """Begin loading url; returns as soon as the server has answered."""
        self.name = name
        for found in (self.visit.external, self.visit.failed, self.visit.errors):
            found.clear()
        self.page.goto(url, wait_until="commit")

    def finish(self, before: int) -> Printed:
        """Wait for the page, prepare it and print it; `before` pages precede it."""
        from pypdf import PdfReader

        self.page.wait_for_load_state("load")
        facts = self.page.evaluate(PREPARE_JS)
        footer = FOOTER_CSS.format(before=before, title=css_string(facts["title"]))
        self.page.add_style_tag(content=footer)
        self.page.evaluate(FONTS_JS)
        pdf = self.page.pdf(
            prefer_css_page_size=True,
            print_background=True,
            tagged=True,  # the structure a screen reader reads: join() keeps it
            outline=True,  # bookmarks from the headings: join() nests them
        )
        problems = [f"request left the machine: {u}" for u in self.visit.external]
        problems += [f"failed: {f}" for f in self.visit.failed]
        problems += self.visit.errors
        problems += [f"runs past the right edge: {w}" for w in facts["wide"]]
        if facts["untypeset"] or facts["mathErrors"]:
            problems.append(
                f"MathJax left {facts['untypeset']} formulas untypeset and "
                f"{facts['mathErrors']} errors"
            )
        return Printed(
            self.name,
            PdfReader(io.BytesIO(pdf)),
            facts["title"],
            facts["part"],
            facts["answered"],
            problems,
            facts["headings"],
        )


def print_pages(context, base: str, urls: dict, block: str | None) -> list[Printed]:
    """Print every page of urls (name -> url), in order, IN_FLIGHT loading at once."""
    names = list(urls)
    tabs = [Tab(context, base, block) for _ in range(min(IN_FLIGHT, len(names)))]
    for tab, name in zip(tabs, names):
        tab.start(name, urls[name])
    printed, before = [], 0
    for i in range(len(names)):
        tab = tabs[i % len(tabs)]
        printed.append(tab.finish(before))
        before += len(printed[-1].pdf.pages)
        if i + len(tabs) < len(names):
            tab.start(names[i + len(tabs)], urls[names[i + len(tabs)]])
    for tab in tabs:
        tab.page.close()
    return printed


def numbers(tree) -> list:
    """The (key, value) pairs of a PDF number tree, its kids' too, in order."""
    tree = tree.get_object()
    nums = list(tree.get("/Nums", []))
    pairs = list(zip(nums[::2], nums[1::2]))
    for kid in tree.get("/Kids", []):
        pairs += numbers(kid)
    return pairs


def adopt_structure(writer, item: Printed, start: int, document, parent_tree) -> None:
    """Move the structure tree of one printed page (Chromium's tagged PDF: headings,
    paragraphs, lists, tables, figures with their alt text, links) under the book's
    /Document element, as a /Part, after its sheets were appended at `start`.
    Each page numbers its marked content from 0: its keys in the parent tree, and
    the /StructParents and /StructParent that point into it, move up by the keys the
    pages before it used."""
    from pypdf.generic import NameObject, NumberObject

    root = item.pdf.trailer["/Root"]
    if "/StructTreeRoot" not in root:
        raise ValueError(f"{item.page}: Chromium printed it without structure")
    tree = root["/StructTreeRoot"].get_object()
    offset = int(parent_tree["next"])
    kids = tree.raw_get("/K")
    kids = kids if isinstance(kids.get_object(), list) else [kids]
    for kid in kids:
        element = kid.get_object()
        element[NameObject("/S")] = NameObject("/Part")
        element[NameObject("/P")] = document.indirect_reference
        # Cloned through the table the appended pages went through: its /Pg and
        # /OBJR references land on the new sheets and annotations.
        document["/K"].append(kid.clone(writer))
    used = int(tree.get("/ParentTreeNextKey", 0))
    for key, value in numbers(tree["/ParentTree"]):
        parent_tree["nums"] += [NumberObject(offset + int(key)), value.clone(writer)]
        used = max(used, int(key) + 1)
    # pypdf's append leaves a page's /StructParents out: set it from the original.
    for sheet, original in zip(writer.pages[start:], item.pdf.pages):
        if "/StructParents" in original:
            sheet[NameObject("/StructParents")] = NumberObject(
                offset + int(original["/StructParents"])
            )
        for annotation in sheet.get("/Annots", []):
            annotation = annotation.get_object()
            if "/StructParent" in annotation:
                annotation[NameObject("/StructParent")] = NumberObject(
                    offset + int(annotation["/StructParent"])
                )
    parent_tree["next"] = offset + used


def add_headings(writer, item: Printed, outline, start: int, parent, titles) -> None:
    """A printed page's own bookmarks (Chromium's, made from its headings) under its
    page's bookmark, named by the page's headings (`titles`, in order): the h1 is that
    bookmark; the h2s, and the h3s under them, follow as its children."""
    from pypdf.generic import Fit

    last = parent
    for entry in outline:
        if isinstance(entry, list):
            add_headings(writer, item, entry, start, last, titles)
            continue
        title = next(titles, None) or entry.title
        sheet = item.pdf.get_destination_page_number(entry)
        if sheet >= 0:
            last = writer.add_outline_item(
                title=title,
                page_number=start + sheet,
                parent=parent,
                fit=Fit.xyz(left=entry.left, top=entry.top),
            )


def outline_size(outline) -> int:
    return sum(outline_size(e) if isinstance(e, list) else 1 for e in outline)


def join(printed: list[Printed], lang: str) -> bytes:
    """The pages as one tagged PDF, in order: the structure of every page under one
    /Document element, a bookmark per page under its part, and each page's headings
    as bookmarks under it."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter()
    tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    tree_ref = writer._add_object(tree)
    document = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/Document"),
            NameObject("/Lang"): TextStringObject(lang),
            NameObject("/P"): tree_ref,
            NameObject("/K"): ArrayObject(),
        }
    )
    writer._add_object(document)
    parent_tree = {"nums": ArrayObject(), "next": 0}
    parts = {}
    for item in printed:
        start = len(writer.pages)
        writer.append(item.pdf, import_outline=False)
        adopt_structure(writer, item, start, document, parent_tree)
        parent = None
        if item.part:
            if item.part not in parts:
                parts[item.part] = writer.add_outline_item(
                    title=item.part, page_number=start
                )
            parent = parts[item.part]
        bookmark = writer.add_outline_item(
            title=item.title, page_number=start, parent=parent
        )
        # Chromium's outline starts with the page's h1: its children are the headings.
        outline = item.pdf.outline
        if outline and isinstance(outline[-1], list):
            # Chromium's entries are the headings in order: the page's texts name
            # them where the counts agree.
            same = outline_size(outline) == len(item.headings)
            titles = iter(item.headings[1:] if same else [])
            add_headings(writer, item, outline[-1], start, bookmark, titles)
    tree[NameObject("/K")] = document.indirect_reference
    tree[NameObject("/ParentTree")] = writer._add_object(
        DictionaryObject({NameObject("/Nums"): parent_tree["nums"]})
    )
    tree[NameObject("/ParentTreeNextKey")] = NumberObject(parent_tree["next"])
    catalog = writer._root_object
    catalog[NameObject("/StructTreeRoot")] = tree_ref
    catalog[NameObject("/MarkInfo")] = DictionaryObject(
        {NameObject("/Marked"): BooleanObject(True)}
    )
    catalog[NameObject("/Lang")] = TextStringObject(lang)
    writer.add_metadata({"/Title": book_title(lang)})
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_pdfs(
    html: Path,
    langs=tuple(EDITIONS),
    pages: list[str] | None = None,
    block: str | None = None,
    name: str = PDF_NAME,
    out: Path | None = None,
    log=print,
) -> dict[str, Edition]:
    """Print each edition of the site in html to out/<edition folder>/name (out is
    html by default: the PDFs sit next to the editions' index pages).

    pages: the pages of _toc.yml to print (all by default); block: a pattern (with *
    wildcards) of addresses the browser must not load (the tests plant faults with
    it)."""
    from playwright.sync_api import sync_playwright

    reason = missing_site(html)
    if reason:
        raise SystemExit(reason)
    pages = pages or toc_pages()
    server = Server(html)
    done = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS + OFFLINE_ARGS
            )
            context = browser.new_context(
                color_scheme="light", viewport={"width": PRINT_WIDTH, "height": 1000}
            )
            context.add_init_script(LIGHT_MODE_JS)
            for lang in langs:
                began = time.monotonic()
                folder = EDITIONS[lang].url
                urls = {page: f"{server.url}{folder}{page}.html" for page in pages}
                printed = print_pages(context, server.url, urls, block)
                target = (out or html) / folder / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(join(printed, lang))
                sheets = sum(len(item.pdf.pages) for item in printed)
                seconds = time.monotonic() - began
                done[lang] = Edition(lang, target, printed, sheets, seconds)
                log(
                    f"[{lang}] {target}: {sheets} pages, from {len(printed)} pages of "
                    f"the site, in {seconds:.1f} s"
                )
            browser.close()
    finally:
        server.close()
    return done


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    args = parser.parse_args(argv)
    began = time.monotonic()
    editions = make_pdfs(args.html.resolve())
    problems = [p for edition in editions.values() for p in edition.problems]
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    print(f"Both PDFs in {time.monotonic() - began:.1f} s")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
