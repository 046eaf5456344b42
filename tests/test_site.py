"""The built site, in a real browser (Chromium through Playwright), with no network.

The site is built once, both editions (English at the root, Korean under ko/), into
a temporary folder and served on 127.0.0.1; every request to anywhere else is
aborted and fails the page (tests/site_browser.py). Each page of _toc.yml is visited
once per edition, in light mode at desktop width, then dark mode, then phone width;
the tests below read what that visit recorded. Screenshots go to
test-artifacts/site/.
"""

import re
import shutil
import zipfile
from urllib.parse import urljoin, urlparse
from urllib.request import urlopen

import nbformat
import pytest
import yaml
from playwright import sync_api as playwright_api
from site_browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    COLOURS_JS,
    IMAGE_BACKGROUND_JS,
    Server,
    contrast,
    facts,
    hangul_glyphs,
    is_notebook,
    load,
    pages_of,
    raw_tex,
    resize,
    toc_pages,
    wait_at_rest,
    watch,
)

from chapters import ROOT
from tools.book import EDITIONS
from tools.derive import learner

# What these tests need beyond the repository (pytest.ini: the markers).
pytestmark = [pytest.mark.browser, pytest.mark.build, pytest.mark.npm]


PAGES = toc_pages()
NOTEBOOKS = [p for p in PAGES if is_notebook(p)]
# Each edition's text of the chapters' Colab link, as a reader sees it.
COLAB_TEXT = {"en": "Open in Colab", "ko": "Colab에서 열기"}
VISITS = [(lang, page) for lang in EDITIONS for page in PAGES]
CHAPTER_VISITS = [(lang, page) for lang in EDITIONS for page in NOTEBOOKS]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def config(lang: str) -> dict:
    book = EDITIONS[lang].root
    return yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))


def source(lang: str, page: str) -> str:
    """The edition's notebook of a page, as text."""
    return (EDITIONS[lang].root / f"{page}.ipynb").read_text(encoding="utf-8")


PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


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


def visit_page(browser, base: str, path: str, shots: str | None = None):
    """Load base+path; record light, dark and phone facts; try its demos and quiz."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    visit = watch(page, base)
    load(page, urljoin(base, path), visit)
    visit.facts["light"] = facts(page)
    visit.facts["colours_light"] = page.evaluate(COLOURS_JS)
    visit.facts["alternates"] = page.eval_on_selector_all(
        'link[rel="alternate"][hreflang]',
        "links => links.map(l => ({lang: l.hreflang, href: l.href}))",
    )
    visit.facts["hangul"] = hangul_glyphs(page)
    if shots:
        page.screenshot(
            path=ARTIFACTS / f"{shots}-light.jpg", full_page=True, quality=70
        )
    for name, attempt in (("demos", try_demos), ("quiz", try_quiz)):
        try:  # a broken demo or quiz fails its own test, not the whole visit
            visit.facts[name] = attempt(page)
        except playwright_api.Error as error:
            visit.facts[name] = {"error": str(error).splitlines()[0]}
    # Dark mode, as the theme's switcher sets it.
    page.evaluate(
        "() => { localStorage.setItem('mode', 'dark');"
        " localStorage.setItem('theme', 'dark');"
        " document.documentElement.dataset.mode = 'dark';"
        " document.documentElement.dataset.theme = 'dark'; }"
    )
    # Colours at rest: no transition half-way (a clicked quiz button fades).
    page.add_style_tag(content="* { transition: none !important; }")
    wait_at_rest(page)
    visit.facts["colours_dark"] = page.evaluate(COLOURS_JS)
    visit.facts["images_dark"] = page.evaluate(IMAGE_BACKGROUND_JS)
    if shots:
        # The first plot (or the top of the page), as a dark-mode reader sees it.
        page.evaluate(
            "() => { const img = document.querySelector('.cell_output img');"
            " if (img) img.scrollIntoView({block: 'center'}); }"
        )
        page.screenshot(path=ARTIFACTS / f"{shots}-dark.png")
    resize(page, PHONE)
    visit.facts["phone"] = page.evaluate(
        "() => ({scroll: document.scrollingElement.scrollWidth,"
        " client: document.scrollingElement.clientWidth,"
        " wide: [...document.querySelectorAll('article *')].filter(e => {"
        "   const r = e.getBoundingClientRect();"
        "   return r.right > document.scrollingElement.clientWidth + 1 && "
        "     !e.closest('pre, .highlight, .output, .cell_output, table,"
        "                 mjx-container, .MathJax');"
        " }).slice(0, 5).map(e => e.tagName + '.' + e.className)})"
    )
    if shots:
        page.screenshot(path=ARTIFACTS / f"{shots}-phone.png", full_page=False)
    context.close()
    return visit


def try_demos(page) -> list:
    """For each static demo (matplotlib to_jshtml): the frame shown before and after
    moving its slider to the end, and after pressing its next-frame button."""
    results = []
    for img in page.locator('.animation img[id^="_anim_img"]').all():
        uid = img.get_attribute("id").removeprefix("_anim_img")
        slider = page.locator(f"#_anim_slider{uid}")
        first = img.get_attribute("src")
        slider.evaluate(
            "s => { s.value = s.max;"
            " s.dispatchEvent(new Event('input', {bubbles: true}));"
            " s.dispatchEvent(new Event('change', {bubbles: true})); }"
        )
        last = img.get_attribute("src")
        slider.evaluate(
            "s => { s.value = s.min;"
            " s.dispatchEvent(new Event('input', {bubbles: true})); }"
        )
        page.locator(
            f'.animation:has(#_anim_img{uid}) button[onclick*="next_frame"]'
        ).first.click(timeout=5000)
        stepped = img.get_attribute("src")
        results.append(
            {"id": uid, "slider": last != first, "button": stepped not in (first, None)}
        )
    return results


def try_quiz(page) -> dict:
    """Click every answer of the first multiple-choice question of each quiz."""
    seen = {"correct": 0, "incorrect": 0, "feedback": []}
    for question in page.locator(".Quiz", has=page.locator(".MCButton")).all()[:1]:
        for button in question.locator(".MCButton").all():
            button.click(timeout=5000)
            classes = button.get_attribute("class") or ""
            if "incorrect" in classes:
                seen["incorrect"] += 1
            elif "correct" in classes:
                seen["correct"] += 1
            text = question.locator(".Feedback").first.inner_text().strip()
            if text:
                seen["feedback"].append(text)
    if seen["correct"] + seen["incorrect"]:
        wait_at_rest(page)  # the answer buttons' colour animation (0.8 s) has ended
    return seen


@pytest.fixture(scope="module")
def visits(browser, server):
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return {
        (lang, page): visit_page(
            browser,
            server.url,
            f"{EDITIONS[lang].url}{page}.html",
            shots=f"{lang}-{page.replace('/', '_')}",
        )
        for lang, page in VISITS
    }


def ids(key) -> str:
    return "-".join(key)


@pytest.fixture(params=VISITS, ids=ids)
def visit(request, visits):
    return visits[request.param]


@pytest.fixture(params=CHAPTER_VISITS, ids=ids)
def chapter_visit(request, visits):
    lang, page = request.param
    return lang, page, visits[request.param]


# --- Offline: nothing leaves the machine, nothing fails -------------------------------


def test_no_external_or_failed_requests(visit):
    assert not visit.external, f"{visit.url} asked the internet for {visit.external}"
    assert not visit.failed, f"{visit.url}: failed requests {visit.failed}"


def test_no_console_errors(visit):
    assert not visit.errors, f"{visit.url}: {visit.errors}"


def test_math_is_typeset(visit):
    light = visit.facts["light"]
    assert not light["mathUntypeset"], (
        f"raw TeX in {visit.url}: {light['mathUntypeset']}"
    )
    assert not light["mathErrors"], f"TeX errors in {visit.url}: {light['mathErrors']}"
    assert not raw_tex(light["prose"]), (
        f"raw TeX in {visit.url}: {raw_tex(light['prose'])}"
    )
    if light["mathElements"]:
        assert light["mathTypeset"] >= light["mathElements"]


def test_chapters_with_math_show_typeset_math(chapter_visit):
    lang, page, visit = chapter_visit
    notebook = nbformat.reads(source(lang, page), as_version=4)
    markdown = "".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    if "$" in markdown:
        assert visit.facts["light"]["mathTypeset"] > 0, f"{page}: no typeset math"


def test_every_image_loads_and_has_alt_text(visit):
    for image in visit.facts["light"]["images"]:
        assert image["loaded"], f"{visit.url}: image did not load: {image['src'][:80]}"
        alt = (image["alt"] or "").strip()
        assert alt or image["caption"], (
            f"{visit.url}: image without alt: {image['src'][:80]}"
        )
        assert not re.search(r"\.(png|jpe?g|svg|gif)$", alt), f"file name as alt: {alt}"


def test_heading_levels_do_not_skip(visit):
    headings = visit.facts["light"]["headings"]
    assert headings and headings[0][0] == 1, (
        f"{visit.url}: first heading {headings[:1]}"
    )
    for (before, _), (level, text) in zip(headings, headings[1:]):
        assert level <= before + 1, f"{visit.url}: h{before} then h{level} ({text!r})"


# --- Chapters: Colab, download, navigation, search, demos, quizzes -------------------


def test_colab_and_repository_links_point_at_this_notebook(chapter_visit):
    lang, page, visit = chapter_visit
    repo = config(lang)["repository"]
    owner_name = urlparse(repo["url"]).path.strip("/")
    path = "/".join(
        p for p in (repo.get("path_to_book", "").strip("/"), f"{page}.ipynb") if p
    )
    colab = CONFIG["launch_buttons"]["colab_url"].rstrip("/")
    expected = f"{colab}/github/{owner_name}/blob/{repo['branch']}/{path}"
    links = visit.facts["light"]["links"]
    colab_links = [a for a in links if a["href"].startswith(colab)]
    assert any("dropdown-item" in a["cls"] for a in colab_links), (
        "no Colab launch button"
    )
    text = COLAB_TEXT[lang]
    assert any(a["text"] == text for a in colab_links), f"no {text} link"
    # Colab opens the learner copy; Practice in Colab the practice copy; the GitHub
    # and raw download links name the learner copy too (tools/derive/learner.py).
    practice = "practice/" + path.split("/", 1)[1]
    practice_url = f"{colab}/github/{owner_name}/blob/{repo['branch']}/{practice}"
    for link in colab_links:
        assert link["href"] in (expected, practice_url), (link["text"], link["href"])
    for link in links:
        href = link["href"]
        if owner_name in href and href.rstrip("/") != repo["url"].rstrip("/"):
            assert href.endswith((path, practice)), f"{link['text']!r} points at {href}"
    assert any(a["href"].endswith(practice) for a in colab_links), "no practice link"


def test_ipynb_download_works_offline(chapter_visit, server):
    lang, page, visit = chapter_visit
    [download] = [
        a["href"]
        for a in visit.facts["light"]["links"]
        if "btn-download-source-button" in a["cls"] and a["href"].endswith(".ipynb")
    ]
    assert download.startswith(server.url)
    with urlopen(download, timeout=10) as response:
        notebook = nbformat.reads(response.read().decode("utf-8"), as_version=4)
    expected = nbformat.reads(source(lang, page), as_version=4)
    assert notebook.cells == expected.cells


@pytest.mark.parametrize("lang", EDITIONS)
def test_intro_links_a_zip_of_all_notebooks(visits, server, lang):
    links = visits[lang, PAGES[0]].facts["light"]["links"]
    [zip_url] = [a["href"] for a in links if a["href"].endswith("notebooks.zip")]
    with urlopen(zip_url, timeout=10) as response:
        data = response.read()
    import io

    archive = zipfile.ZipFile(io.BytesIO(data))
    for page in NOTEBOOKS:
        chapter = ROOT / f"{page}.ipynb"
        for kind, folder in (("learner", ""), ("practice", "practice/")):
            name = f"notebooks/{folder}{chapter.name}"
            expected = learner.copy_path(chapter, lang, kind).read_text(
                encoding="utf-8"
            )
            assert archive.read(name).decode("utf-8") == expected, name
    requirements = archive.read("notebooks/requirements.txt").decode("utf-8")
    assert requirements == learner.learner_requirements()


@pytest.mark.parametrize("lang", EDITIONS)
def test_navigation_reaches_every_page(visits, server, lang):
    base = urljoin(server.url, EDITIONS[lang].url)
    pages = {urljoin(base, f"{p}.html") for p in PAGES}
    for page in PAGES:
        visit = visits[lang, page]
        nav = {href.split("#")[0] for href in visit.facts["light"]["nav"]}
        assert pages - {urljoin(base, f"{page}.html")} <= nav, f"{page} nav: {nav}"
    # "Next" from the first page walks the whole book in toc order.
    order, url = [], urljoin(base, f"{PAGES[0]}.html")
    by_url = {urljoin(base, f"{p}.html"): p for p in PAGES}
    while url in by_url and by_url[url] not in order:
        order.append(by_url[url])
        url = visits[lang, by_url[url]].facts["light"]["next"]
    assert order == PAGES


def search_word(page: str, text: str) -> str:
    """A word of the chapter's file name (03_softmax_argmax: softmax) that its text
    contains, else its longest title word."""
    words = [
        w for w in page.split("/")[-1].split("_") if len(w) >= 4 and not w.isdigit()
    ]
    for word in words:
        if word.lower() in text.lower():
            return word
    return max(re.findall(r"[A-Za-z]{5,}", text.splitlines()[0]), key=len)


def search(browser, base: str, queries: list[str]) -> dict[str, list[str]]:
    """The result links of the site's search page for each query."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    visit = watch(page, base)
    found = {}
    for query in queries:
        page.goto(urljoin(base, f"search.html?q={query}"), wait_until="load")
        page.wait_for_selector(
            "#search-results ul.search li, #search-results p", timeout=15000
        )
        page.wait_for_function(
            "() => !document.querySelector('#search-progress')?.textContent.trim()"
            " || document.querySelector('#search-results ul.search li')",
            timeout=15000,
        )
        found[query] = page.eval_on_selector_all(
            "#search-results ul.search li a", "links => links.map(a => a.href)"
        )
    context.close()
    assert not visit.external and not visit.failed and not visit.errors, visit
    return found


@pytest.mark.parametrize("lang", EDITIONS)
def test_search_finds_each_chapter(browser, server, visits, lang):
    base = urljoin(server.url, EDITIONS[lang].url)
    words = {}
    for chapter in NOTEBOOKS:
        text = visits[lang, chapter].facts["light"]["text"]
        # In Korean, the title's longest Korean word (12. 드롭아웃: 드롭아웃).
        korean = re.findall("[가-힣]{2,}", text.splitlines()[0]) if lang == "ko" else []
        words[chapter] = max(korean, key=len) if korean else search_word(chapter, text)
    found = search(browser, base, list(words.values()))
    for chapter, word in words.items():
        assert any(f"{chapter}.html" in h for h in found[word]), (word, found[word])


# Korean words carry particles (드롭아웃은, 드롭아웃을): the Korean index is made of
# Hangul bigrams (tools/publish/offline_site.py), so the bare word finds its chapter.
KOREAN_QUERIES = {
    "드롭아웃": "book/12_dropout",
    "과대적합": "book/11_overfitting_early_stopping",
    "교차 엔트로피": "book/05_cross_entropy",
}


def test_korean_search_finds_words_with_particles(browser, server):
    found = search(browser, urljoin(server.url, "ko/"), list(KOREAN_QUERIES))
    for query, chapter in KOREAN_QUERIES.items():
        assert any(f"ko/{chapter}.html" in h for h in found[query]), (
            query,
            found[query],
        )
    text = (ROOT / "ko" / f"{KOREAN_QUERIES['드롭아웃']}.ipynb").read_text("utf-8")
    # The case the bigrams exist for: the word only ever appears with a particle.
    assert re.search("드롭아웃[은는이가을를의에]", text)


def test_demos_respond_without_a_kernel(chapter_visit):
    lang, page, visit = chapter_visit
    if "_anim_img" in source(lang, page):
        assert visit.facts["demos"], f"{page}: its demo did not render"
    assert "error" not in visit.facts["demos"], visit.facts["demos"]
    for demo in visit.facts["demos"]:
        assert demo["slider"], (
            f"{page}: slider of {demo['id']} did not change the frame"
        )
        assert demo["button"], f"{page}: next-frame button of {demo['id']} did nothing"


def test_quizzes_give_right_and_wrong_feedback(chapter_visit):
    lang, page, visit = chapter_visit
    # Every chapter has a quiz with multiple-choice questions (tests/test_hygiene.py,
    # book/quizzes/): a chapter without one fails here rather than being skipped.
    assert "show_quiz(" in source(lang, page), f"{page}: no quiz"
    quiz = visit.facts["quiz"]
    assert "error" not in quiz, quiz
    assert visit.facts["light"]["quizzes"], f"{page}: its quiz did not render"
    assert quiz["correct"] + quiz["incorrect"] > 0, f"{page}: no answer to click"
    assert quiz["correct"] >= 1 and quiz["incorrect"] >= 1, quiz
    assert quiz["feedback"], f"{page}: answers gave no feedback text"


# --- Reading comfort: dark mode, phone width -----------------------------------------


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_prose_is_legible(visit, mode):
    poor = [
        (c["tag"], c["text"], round(contrast(c["fg"], c["bg"]), 1))
        for c in visit.facts[f"colours_{mode}"]
        if contrast(c["fg"], c["bg"]) < 4.5
    ]
    assert not poor, f"{visit.url} ({mode}): low contrast {poor[:5]}"


def test_plots_have_a_light_background_in_dark_mode(visit):
    for image in visit.facts["images_dark"]:
        r, g, b, a = image["corner"]
        behind = [int(float(v)) for v in re.findall(r"[\d.]+", image["behind"])[:3]]
        opaque_light = a == 255 and min(r, g, b) > 200
        light_behind = len(behind) == 3 and min(behind) > 200
        assert opaque_light or light_behind, f"{visit.url}: {image}"


def test_phone_width_has_no_sideways_scroll(visit):
    phone = visit.facts["phone"]
    assert phone["scroll"] <= phone["client"], f"{visit.url}: {phone}"


# --- Two editions: Hangul glyphs, the language switch --------------------------------


def test_hangul_is_drawn_with_real_glyphs(visit):
    """Every Hangul character is drawn by the site's font (this machine has no Korean
    font, so any other font draws it as an empty box)."""
    hangul = visit.facts["hangul"]
    assert not hangul["missing"], f"{visit.url}: {hangul['missing'][:5]}"


def test_korean_pages_have_hangul_to_check(visits):
    """The check above has something to check on every Korean page."""
    empty = [
        page for page in PAGES if not visits["ko", page].facts["hangul"]["checked"]
    ]
    assert not empty, empty


def test_hangul_check_fails_without_the_font(browser, server):
    """The same page with the site's Hangul font blocked: the check must see boxes."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.route("**/hangul.css*", lambda route: route.abort())
    visit = watch(page, server.url)
    load(page, urljoin(server.url, "ko/book/glossary.html"), visit)
    hangul = hangul_glyphs(page)
    context.close()
    assert hangul["checked"] and len(hangul["missing"]) == hangul["checked"], hangul


def test_language_switch_opens_the_same_page(visit, server):
    """A button on every page opens the same page in the other edition, and hreflang
    links name both editions' addresses."""
    links = visit.facts["light"]["links"]
    [switch] = [a for a in links if "lang-switch" in a["cls"]]
    here = visit.url.removeprefix(server.url)
    other = here.removeprefix("ko/") if here.startswith("ko/") else f"ko/{here}"
    assert switch["href"] == urljoin(server.url, other), (here, switch)
    alternates = visit.facts["alternates"]
    assert {a["lang"] for a in alternates} == {"en", "ko", "x-default"}, alternates
    ko = next(a["href"] for a in alternates if a["lang"] == "ko")
    assert ko.endswith("/ko/" + here.removeprefix("ko/")), (here, alternates)


# --- The checker itself, and the site opened from disk -------------------------------


def test_checker_flags_a_page_that_uses_the_internet(browser, site, tmp_path):
    """A copy of the site whose chapter loads MathJax from its CDN, as Jupyter Book
    does by default, and an image from elsewhere: the suite must notice both."""
    copy = tmp_path / "html"
    shutil.copytree(site, copy)
    page = copy / f"{NOTEBOOKS[0]}.html"
    html = page.read_text(encoding="utf-8")
    html = re.sub(
        r'src="[./]*_static/offline/mathjax/tex-chtml\.js[^"]*"',
        'src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"',
        html,
    )
    html = html.replace(
        "</article>", '<img src="https://example.org/x.png"></article>', 1
    )
    page.write_text(html, encoding="utf-8")
    server = Server(copy)
    try:
        visit = visit_page(browser, server.url, f"{NOTEBOOKS[0]}.html")
    finally:
        server.close()
    hosts = {urlparse(u).hostname for u in visit.external}
    assert {"cdn.jsdelivr.net", "example.org"} <= hosts, visit.external
    with pytest.raises(AssertionError):
        test_no_external_or_failed_requests(visit)
    with pytest.raises(AssertionError):
        test_math_is_typeset(visit)


def test_site_works_opened_from_disk(browser, site):
    """file:// pages: MathJax, icons and images still load, nothing goes out."""
    base = site.as_uri() + "/"
    for path in (f"{PAGES[0]}.html", f"{NOTEBOOKS[0]}.html"):
        visit = visit_page(browser, base, path)
        assert not visit.external and not visit.failed, (path, visit)
        light = visit.facts["light"]
        assert not light["mathUntypeset"] and not raw_tex(light["prose"]), path
        assert all(i["loaded"] for i in light["images"]), path
