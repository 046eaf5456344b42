"""WCAG 2.1 AA on every page of both editions (issue 28), in Chromium, offline.

axe-core (npm, installed by tools/lint/node_tools.sh) runs its WCAG 2.0 and 2.1 A and
AA rules over every page of _toc.yml in both editions: in light and dark mode, at
desktop and at phone width. Zero violations are allowed; a rule is left out only
with its reason in DISABLED_RULES. The same visit reads the page's structure: one h1,
no skipped heading level, the edition's `lang` (and lang="en" on the English code
and outputs of Korean pages), a skip link that moves the focus to the content, and
MathJax's assistive MathML beside every formula. A keyboard-only walk through one
chapter tabs to its demo's slider and its quiz and answers it. Each check is also
run on a copy of a page with a fault planted, and must fail there.
"""

import re
import shutil
import subprocess
import time
from urllib.parse import urljoin

import pytest
from playwright import sync_api as playwright_api
from site_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    load,
    pages_of,
    resize,
    toc_pages,
    wait_at_rest,
    watch,
)

from chapters import ROOT
from tools.book import EDITIONS

# What these tests need beyond the repository (pytest.ini: the markers).
pytestmark = [pytest.mark.browser, pytest.mark.build, pytest.mark.npm]


AXE = ROOT / ".offline-data" / "node" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Rules of those tags that are not run, each with its reason. Empty: every rule runs.
DISABLED_RULES: dict[str, str] = {}
PAGES = toc_pages()
VISITS = [(lang, page) for lang in EDITIONS for page in PAGES]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
WALK_CHAPTER = "book/01_flatten"  # a demo and a quiz with choices and numbers

AXE_RUN_JS = """async ([tags, disabled]) => {
  const rules = Object.fromEntries(disabled.map(id => [id, {enabled: false}]));
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags}, rules: rules,
    resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact,
    nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5),
    count: v.nodes.length}));
}"""

# One h1, heading levels, lang, the skip link and MathJax's assistive MathML.
STRUCTURE_JS = r"""() => {
  const visible = e => e.getClientRects().length > 0;
  const headings = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]
      .filter(visible).map(h => Number(h.tagName[1]));
  const skip = document.querySelector('a[href^="#"]');
  const target = skip && document.getElementById(skip.hash.slice(1));
  const formulas = [...document.querySelectorAll('mjx-container')];
  const hangul = /[\uac00-\ud7a3]/;
  // English that a Korean page must mark: code, printed output, English alt text.
  const unmarked = [...document.querySelectorAll(
      '.cell_input pre, .output.stream pre, .cell_output img[alt]')]
      .filter(e => {
        const text = e.tagName === 'IMG' ? e.alt : e.textContent;
        return text.trim() && !hangul.test(text) &&
               (e.closest('[lang]') || {}).lang !== 'en';
      }).map(e => (e.alt || e.textContent).trim().slice(0, 40));
  return {
    lang: document.documentElement.lang,
    h1: headings.filter(l => l === 1).length,
    headings: headings,
    skipFirst: skip === document.querySelector('a[href], button, input, select'),
    skipText: skip ? skip.textContent.trim() : null,
    skipTarget: target ? target.tagName.toLowerCase() : null,
    formulas: formulas.length,
    spoken: formulas.filter(f => f.querySelector('mjx-assistive-mml math')).length,
    englishUnmarked: unmarked,
  };
}"""


def axe_source() -> str:
    if not AXE.exists():
        subprocess.run(["bash", str(ROOT / "tools" / "lint" / "node_tools.sh")])
    assert AXE.exists(), f"{AXE} is missing: run bash tools/lint/node_tools.sh"
    return AXE.read_text(encoding="utf-8")


def set_mode(page, mode: str):
    """Light or dark, as the theme's switcher sets it, at rest."""
    page.evaluate(
        "mode => { document.documentElement.dataset.mode = mode;"
        " document.documentElement.dataset.theme = mode; }",
        mode,
    )
    wait_at_rest(page)


def run_axe(page, axe: str) -> list[dict]:
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(content=axe)
    return page.evaluate(AXE_RUN_JS, [TAGS, list(DISABLED_RULES)])


def audit(browser, base: str, path: str, axe: str) -> dict:
    """Everything this file checks on one page: axe in four views, its structure."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    visit = watch(page, base)
    load(page, urljoin(base, path), visit)
    page.add_style_tag(content="* { transition: none !important; }")
    found = {"url": visit.url, "structure": page.evaluate(STRUCTURE_JS), "axe": {}}
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        if width == "phone":
            resize(page, viewport)
            # The theme makes code and outputs that now scroll sideways focusable
            # (tabindex 0) 300 ms after a resize (its debounce): let it.
            page.wait_for_timeout(400)
        for mode in ("light", "dark"):
            set_mode(page, mode)
            found["axe"][f"{mode} {width}"] = run_axe(page, axe)
    context.close()
    return found


@pytest.fixture(scope="module")
def site(built_site):
    return pages_of(built_site)


@pytest.fixture(scope="module")
def server(site):
    server = Server(site)
    yield server
    server.close()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def axe():
    return axe_source()


@pytest.fixture(scope="module")
def audits(browser, server, axe):
    began = time.monotonic()
    found = {
        (lang, page): audit(browser, server.url, f"{folder}{page}.html", axe)
        for lang, folder in ((e.lang, e.url) for e in EDITIONS.values())
        for page in PAGES
    }
    print(f"axe: {len(found)} pages x 4 views in {time.monotonic() - began:.0f} s")
    return found


@pytest.fixture(params=VISITS, ids="-".join)
def audited(request, audits):
    lang, _ = request.param
    return lang, audits[request.param]


# --- The checks, as functions that list problems (the planted faults reuse them) ----


def axe_problems(found: dict) -> list[str]:
    return [
        f"{view}: {v['id']} ({v['impact']}) x{v['count']} at {v['nodes']}"
        for view, violations in found["axe"].items()
        for v in violations
    ]


def heading_problems(structure: dict) -> list[str]:
    problems = []
    if structure["h1"] != 1:
        problems.append(f"{structure['h1']} h1 elements, not one")
    levels = structure["headings"]
    if levels and levels[0] != 1:
        problems.append(f"the first heading is h{levels[0]}")
    for before, level in zip(levels, levels[1:]):
        if level > before + 1:
            problems.append(f"h{before} then h{level}")
    return problems


def language_problems(structure: dict, lang: str) -> list[str]:
    problems = []
    if structure["lang"] != lang:
        problems.append(f"<html lang={structure['lang']!r}>, not {lang!r}")
    if lang != "en" and structure["englishUnmarked"]:
        problems.append(f"English without lang=en: {structure['englishUnmarked'][:3]}")
    return problems


def skip_link_problems(structure: dict) -> list[str]:
    if not structure["skipText"] or not structure["skipFirst"]:
        return ["no skip link as the first focusable element"]
    if structure["skipTarget"] != "main":
        return [f"the skip link leads to {structure['skipTarget']}, not <main>"]
    return []


def math_problems(structure: dict) -> list[str]:
    if structure["spoken"] < structure["formulas"]:
        return [
            f"{structure['formulas'] - structure['spoken']} of "
            f"{structure['formulas']} formulas without assistive MathML"
        ]
    return []


# --- Every page, both editions --------------------------------------------------------


def test_axe_finds_no_wcag_violation(audited):
    _, found = audited
    assert set(found["axe"]) == {
        "light desktop",
        "dark desktop",
        "light phone",
        "dark phone",
    }
    problems = axe_problems(found)
    assert not problems, f"{found['url']}:\n" + "\n".join(problems)


def test_one_h1_and_no_skipped_heading_level(audited):
    _, found = audited
    assert not heading_problems(found["structure"]), (
        found["url"],
        heading_problems(found["structure"]),
    )


def test_lang_is_the_editions_and_english_is_marked(audited):
    lang, found = audited
    problems = language_problems(found["structure"], lang)
    assert not problems, (found["url"], problems)


def test_skip_link_leads_to_the_content(audited):
    _, found = audited
    assert not skip_link_problems(found["structure"]), found["url"]


def test_math_has_assistive_mathml(audited):
    _, found = audited
    assert not math_problems(found["structure"]), (
        found["url"],
        math_problems(found["structure"]),
    )


def test_pages_with_math_were_checked(audits):
    """The MathML check had formulas to check, in both editions."""
    for lang in EDITIONS:
        assert sum(
            a["structure"]["formulas"] for (e, _), a in audits.items() if e == lang
        )


# --- Planted faults: each check fails on a page that breaks it ----------------------

PLANTED = """<div id="planted">
<input type="range" class="anim-slider" min="0" max="3" value="0">
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">
<p style="color: #bbbbbb; background: #ffffff">Planted low-contrast text.</p>
</div>"""


def test_checks_fail_on_planted_faults(browser, site, axe, tmp_path):
    """A copy of a chapter with a slider without label, an image without alt and
    grey text on white; a second h1 and an h4 under an h2; no lang; no skip link;
    MathJax's assistive MathML off; a Korean page's code without lang=en."""
    copy = tmp_path / "html"
    shutil.copytree(site, copy)
    page = copy / f"{WALK_CHAPTER}.html"
    html = page.read_text(encoding="utf-8")
    html = html.replace("<main", PLANTED + "<h1>Second title</h1><h4>Deep</h4><main", 1)
    html = re.sub(r'<div id="pst-skip-link".*?</div>', "", html, count=1, flags=re.S)
    html = re.sub(r'<html lang="en"', "<html", html, count=1)
    # MathJax's own switch for the hidden MathML beside each formula.
    assert 'window.MathJax = {"options": {' in html
    html = html.replace(
        'window.MathJax = {"options": {',
        'window.MathJax = {"options": {'
        '"menuOptions": {"settings": {"assistiveMml": false}}, ',
    )
    page.write_text(html, encoding="utf-8")
    korean = copy / "ko" / f"{WALK_CHAPTER}.html"
    korean.write_text(
        korean.read_text(encoding="utf-8").replace(
            '<div lang="en" class=', "<div class="
        ),
        encoding="utf-8",
    )
    server = Server(copy)
    try:
        found = audit(browser, server.url, f"{WALK_CHAPTER}.html", axe)
        ko = audit(browser, server.url, f"ko/{WALK_CHAPTER}.html", axe)
    finally:
        server.close()
    rules = {v["id"] for violations in found["axe"].values() for v in violations}
    assert {"label", "image-alt", "color-contrast"} <= rules, rules
    structure = found["structure"]
    assert any("h1" in p for p in heading_problems(structure)), structure
    assert any("h1 then h4" in p for p in heading_problems(structure)), structure
    assert language_problems(structure, "en"), structure
    assert skip_link_problems(structure), structure
    assert math_problems(structure), structure
    assert language_problems(ko["structure"], "ko"), ko["structure"]


# --- A keyboard-only walk through one chapter ----------------------------------------

FOCUS_JS = r"""() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  // A quiz choice hides its radio button: the choice around it shows the focus.
  const shown = e.closest('.MCButton') || e;
  const style = getComputedStyle(shown);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
               style.boxShadow !== 'none';
  const box = shown.getBoundingClientRect();
  return {tag: e.tagName.toLowerCase(), type: e.type || null,
          cls: String(shown.className), id: e.id, ring: ring,
          onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 &&
                    box.top < innerHeight,
          inMain: !!e.closest('main'), tabindex: e.tabIndex,
          label: e.getAttribute('aria-label'),
          valuetext: e.getAttribute('aria-valuetext')};
}"""


def keyboard_walk(browser, base: str, block: str | None = None) -> list[str]:
    """Tab from the top of a chapter: the skip link comes first and jumps into the
    content; from there every stop shows a focus ring, the demo's slider (named,
    its value spoken) moves with the arrow keys, and a quiz question is answered
    with Space, its feedback in a live region. Returns what went wrong. `block`: a
    pattern of the site's files the browser must not load (a planted fault)."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    if block:
        page.route(block, lambda route: route.abort())
    visit = watch(page, base)
    load(page, urljoin(base, f"{WALK_CHAPTER}.html"), visit)
    problems = []
    positive = page.evaluate(
        "() => [...document.querySelectorAll('[tabindex]')]"
        ".filter(e => e.tabIndex > 0).length"
    )
    if positive:
        problems.append(f"{positive} elements with a positive tabindex")
    page.keyboard.press("Tab")
    wait_at_rest(page)  # the skip link slides into view
    first = page.evaluate(FOCUS_JS)
    if not (first and first["tag"] == "a" and first["ring"] and first["onScreen"]):
        problems.append(f"the first stop is not a visible skip link: {first}")
    page.keyboard.press("Enter")
    stops, slider, choice = [], None, None
    for _ in range(400):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
        if focus is None:
            continue
        stops.append(focus)
        if not focus["ring"]:
            problems.append(f"no visible focus on {focus['tag']}.{focus['cls']}")
        if focus["cls"].startswith("anim-slider") and slider is None:
            slider = focus
            page.keyboard.press("ArrowRight")
            slider["after"] = page.evaluate(FOCUS_JS)["valuetext"]
        if "MCButton" in focus["cls"] and focus["type"] == "radio":
            choice = focus
            page.keyboard.press("Space")
            break
    if not (stops and stops[0]["inMain"]):
        problems.append(f"the skip link did not lead into <main>: {stops[:1]}")
    if not slider:
        problems.append("the walk never reached the demo's slider")
    elif not (
        (slider["label"] or "").endswith("row")
        and (slider["valuetext"], slider["after"]) == ("row = 0", "row = 4")
    ):
        problems.append(
            f"the slider is not named or does not speak its value: {slider}"
        )
    if not choice:
        problems.append("the walk never reached a quiz choice")
    else:
        wait_at_rest(page)
        answered = page.evaluate(
            """id => { const input = document.getElementById(id);
              const quiz = input.closest('.Quiz');
              const feedback = quiz.querySelector('.Feedback');
              return {label: input.closest('.MCButton').className,
                      group: input.closest('[role=radiogroup]') !== null,
                      live: feedback.getAttribute('aria-live'),
                      text: feedback.textContent.trim()}; }""",
            choice["id"],
        )
        if not re.search(r"\b(correct|incorrect)Button\b", answered["label"]):
            problems.append(f"Space did not answer the question: {answered}")
        if not (answered["group"] and answered["live"] == "polite"):
            problems.append(f"no radio group or no live feedback: {answered}")
        if not answered["text"]:
            problems.append("the answer gave no feedback text")
    problems += [f"page error: {e}" for e in visit.errors if "a11y.js" not in e]
    context.close()
    return problems


def test_keyboard_walk_through_a_chapter(browser, server):
    problems = keyboard_walk(browser, server.url)
    assert not problems, problems


def test_keyboard_walk_fails_without_the_sites_fixes(browser, server):
    """The same walk with the site's focus rings (reading.css) and quiz patches
    (a11y.js) blocked: the theme's header buttons show no focus and the quiz has no
    radio group or live feedback."""
    problems = keyboard_walk(
        browser, server.url, block="**/_static/{a11y.js,reading.css}*"
    )
    assert any(p.startswith("no visible focus on button") for p in problems), problems
    assert any(p.startswith("no radio group") for p in problems), problems


def test_disabled_rules_have_reasons():
    for rule, reason in DISABLED_RULES.items():
        assert len(reason.split()) >= 5, f"{rule}: say why it is disabled"


def test_axe_is_the_pinned_version(axe):
    version = re.search(r"axe v([\d.]+)", axe[:300])
    tools = (ROOT / "tools" / "lint" / "node_tools.sh").read_text(encoding="utf-8")
    assert version and f"axe-core@{version.group(1)}" in tools, axe[:120]
