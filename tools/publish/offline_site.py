"""Sphinx extension (sphinx.local_extensions in _config.yml): a site that reads offline.

1. Assets. Serves MathJax and Font Awesome from the site itself: makes sure
   tools/publish/vendor_assets.sh has fetched them (from npm, into
   .offline-data/site-static), adds that folder and book/_static to html_static_path,
   and, once the pages are written, rewrites the CDN addresses that notebook outputs
   carry (matplotlib's animation player links Font Awesome 4.4; jupyterquiz falls back
   to MathJax's tex-svg.js) to the local copies, relative to each page, so file:// works
   too. MathJax for the prose comes from mathjax_path in _config.yml.
2. Figure descriptions. The author writes them in the cell that draws the figure
   (tools/author/figures.py): MyST-NB renders `mystnb: image: alt:` as an image
   output's alt; here a demo's frame gets the same alt, and the demo its sentence on
   what changes across its frames, under the player and tied to its slider.
3. Downloads. Writes notebooks.zip (the learner and practice copies of every
   chapter, and what they need as requirements.txt) at the root of the site;
   book/intro.md links it.
4. Two editions. The English site is at the root and the Korean one (ko/, generated
   by tools/derive/i18n.py) under ko/: every page gets a button to the same page in
   the other language and hreflang links to both. Hangul is drawn with NanumGothic
   served by the site (tools/publish/vendor_assets.sh), and the Korean search index
   is made of Hangul bigrams, so 드롭아웃 finds 드롭아웃은 and 드롭아웃을
   (KoreanSearch below).
5. Exercises and UI words. Each page numbers its exercises from 1, as the prose and
   the learner copies do; a Korean solution is titled "연습 3 풀이"; the theme's words
   on Korean pages come from locales/ko/site.yml (theme), as do the demo sliders'.
"""

import json
import os
import re
import subprocess
import zipfile
from html import escape
from pathlib import Path

import yaml
from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.search.en import SearchEnglish
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from tools.author import figures, strings
from tools.book import EDITIONS, ROOT

logger = logging.getLogger(__name__)

VENDORED = ROOT / ".offline-data" / "site-static"
STATIC = ROOT / "book" / "_static"
TEMPLATES = Path(__file__).resolve().parent / "templates"
# The editions: language -> (its folder under the English site, the button's label).

# CDN prefix -> path under the site's _static/ (see tools/publish/vendor_assets.sh).
LOCAL_COPIES = [
    (r"https://cdn\.jsdelivr\.net/npm/mathjax@3[0-9.]*/es5/", "offline/mathjax/"),
    (
        r"https://maxcdn\.bootstrapcdn\.com/font-awesome/4\.[0-9.]+/css/",
        "offline/font-awesome/css/",
    ),
]

ANIM_IMG = re.compile(r'<img id="_anim_img(?![^>]*\balt=)')
# A demo's slider (matplotlib's to_jshtml, drawn by the setup cell's demo()) has no
# label; its frame setter is where the slider's spoken value is kept current.
ANIM_SLIDER = re.compile(
    r'<input (id="_anim_slider[^"]*" type="range" class="anim-slider")'
)
SET_FRAME = "document.getElementById(this.slider_id).value = this.current_frame;"
SPOKEN_FRAME = (
    "var slider = document.getElementById(this.slider_id);"
    " slider.value = this.current_frame;"
    " if (slider.dataset.spoken) slider.setAttribute('aria-valuetext',"
    " JSON.parse(slider.dataset.spoken)[this.current_frame]);"
)
# The slider's name and its spoken value (value_text: "row = 4"), per edition; the
# Korean words are in locales/ko/site.yml (ui).
SLIDER_WORDS = {
    "en": {"label": "Demo slider: {name}", "frame": "frame {i} of {n}"},
    "ko": {"label": strings.ui("slider_label"), "frame": strings.ui("slider_frame")},
}


# Hangul (jamo, compatibility jamo, syllables, extended jamo). NanumGothic's pieces
# also carry Latin letters, so the site declares them under its own family name with
# their unicode-range cut down to Hangul: that family can come first in the font
# stack (Chromium will not fall through system-ui to a later web font on an English
# page) without touching any Latin text.
HANGUL_RANGES = [(0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7A3)]
HANGUL_RANGES.append((0xD7B0, 0xD7FF))
FONT_FACE = re.compile(r"@font-face\s*\{(.*?)\}", re.DOTALL)


def hangul_only(ranges: str) -> str:
    """A CSS unicode-range value intersected with HANGUL_RANGES ("" if disjoint)."""
    kept = []
    for part in ranges.split(","):
        first, _, last = (
            part.strip().removeprefix("U+").removeprefix("u+").partition("-")
        )
        low, high = int(first, 16), int(last or first, 16)
        for start, end in HANGUL_RANGES:
            a, b = max(low, start), min(high, end)
            if a <= b:
                kept.append(f"U+{a:x}" if a == b else f"U+{a:x}-{b:x}")
    return ",".join(kept)


def hangul_css(folder: Path) -> str:
    """@font-face rules for the 'Book Hangul' family from fontsource's CSS files."""
    rules = []
    for css in ("400.css", "700.css"):
        for body in FONT_FACE.findall((folder / css).read_text(encoding="utf-8")):
            ranges = re.search(r"unicode-range:\s*([^;]+);", body)
            cut = hangul_only(ranges.group(1)) if ranges else ""
            if cut:
                body = re.sub(
                    r"font-family:[^;]+;", "font-family: 'Book Hangul';", body
                )
                body = body.replace(ranges.group(0), f"unicode-range: {cut};")
                rules.append("@font-face {" + body + "}")
    return (
        "/* Generated by tools/publish/offline_site.py from @fontsource/nanum-gothic."
        " */\n" + ("\n".join(rules) + "\n")
    )


def ensure_assets(app, config):
    stamp = VENDORED / "offline" / ".packages"
    if not stamp.exists():
        result = subprocess.run(
            ["bash", str(ROOT / "tools" / "publish" / "vendor_assets.sh")]
        )
        if result.returncode or not stamp.exists():
            raise ExtensionError(
                "The site's offline MathJax and icons are missing and "
                "`bash tools/publish/vendor_assets.sh` failed (it needs npm once)."
            )
    fonts = VENDORED / "offline" / "nanum-gothic"
    (fonts / "hangul.css").write_text(hangul_css(fonts), encoding="utf-8")
    # Added here rather than in _config.yml: Jupyter Book adds every .js file of the
    # static paths to each page when a top-level _static/ folder exists.
    # A favicon, so browsers do not ask the server for a missing /favicon.ico, and a
    # valid first-visit theme mode (the theme logs an error for an empty one).
    if not config.html_favicon:
        config.html_favicon = str(STATIC / "favicon.svg")
    config.html_context.setdefault("default_mode", "auto")
    # The language button sits before the theme's header buttons on every page.
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.append(str(TEMPLATES))
    options = config.html_theme_options
    if "lang-switch.html" not in options.get("article_header_end", []):
        options["article_header_end"] = [
            "lang-switch.html",
            "article-header-buttons.html",
        ]
    if not config.html_baseurl:
        config.html_baseurl = pages_url() + EDITIONS[config.language].url
    for path in (STATIC, VENDORED):
        if str(path) not in config.html_static_path:
            config.html_static_path.append(str(path))


def demo_slider(source: str) -> tuple[str, list | None] | None:
    """The first keyword of the cell's demo(draw, name=[values], ...) call: its name
    and, when they are written as a list (or list(range(...))), its values."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "demo"
            and node.keywords
        ):
            keyword = node.keywords[0]
            try:
                values = ast.literal_eval(keyword.value)
            except ValueError:
                text = ast.unparse(keyword.value)
                ranged = re.fullmatch(r"list\(range\((\d+)(?:, (\d+))?\)\)", text)
                values = None
                if ranged:
                    low, high = ranged.groups()
                    values = list(range(*map(int, [low, high] if high else [low])))
            return keyword.arg, values if isinstance(values, list) else None
    return None


def label_slider(html: str, source: str, lang: str) -> str:
    """A demo's slider, named ("Demo slider: row") and speaking its value ("row = 4")
    as the frames change, instead of a bare frame number."""
    found = demo_slider(source)
    if not found or not ANIM_SLIDER.search(html):
        return html
    name, values = found
    words = SLIDER_WORDS.get(lang, SLIDER_WORDS["en"])
    if values is None:  # unknown here: frame 1 of n, ...
        count = max(len(re.findall(r"frames\[\d+\] = ", html)), 1)
        spoken = [words["frame"].format(i=i + 1, n=count) for i in range(count)]
    else:
        spoken = [f"{name} = {value}" for value in values]
    label = words["label"].format(name=name)
    data = (
        json.dumps(spoken, ensure_ascii=False)
        .replace("&", "&amp;")
        .replace('"', "&quot;")
    )
    html = ANIM_SLIDER.sub(
        f'<input aria-label="{label}" aria-valuetext="{spoken[0]}"'
        f' data-spoken="{data}" \\1',
        html,
    )
    return html.replace(SET_FRAME, SPOKEN_FRAME)


def describe_demo(html: str, sentence: str, lang: str) -> str:
    """A demo's sentence on what changes across its frames, shown under the player
    and tied to its slider (aria-describedby), so a screen reader reads it with the
    slider's name."""
    slider = re.search(r'id="_anim_slider([^"]*)"', html)
    if slider is None:
        return html
    target = f"demo-description{slider.group(1)}"
    english = lang != "en" and not HANGUL_TEXT.search(sentence)
    html = html.replace(
        slider.group(0), f'aria-describedby="{target}" {slider.group(0)}', 1
    )
    return (
        html
        + f'\n<p class="demo-description" id="{target}"'
        + (' lang="en"' if english else "")
        + f">{escape(sentence)}</p>\n"
    )


def add_alt_text(app, doctree, docname):
    """The author's descriptions (tools/author/figures.py) on a cell's figures: MyST-NB
    already gives an image output its cell's alt text; a demo's frame gets it here,
    and the demo its sentence. A figure without them keeps none: tests/test_figures.py
    fails on it (no text is made up from the code)."""
    for cell in doctree.findall(nodes.container):
        if cell.get("nb_element") != "cell_code":
            continue
        metadata = cell.get("cell_metadata", {})
        alt = figures.description(metadata, "alt")
        sentence = figures.description(metadata, "demo")
        blocks = [b.astext() for b in cell.findall(nodes.literal_block)]
        for raw in list(cell.findall(nodes.raw)):
            text = raw.astext()
            if ANIM_IMG.search(text):
                if alt:
                    text = ANIM_IMG.sub(f'<img alt="{escape(alt)}" id="_anim_img', text)
                code = blocks[0] if blocks else ""  # the cell's input comes first
                text = label_slider(text, code, app.config.language)
                if sentence:
                    text = describe_demo(text, sentence, app.config.language)
                new = nodes.raw("", text)
                new.update_basic_atts(raw)
                new["format"] = raw["format"]
                raw.replace_self(new)


def drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    """Jupyter Book registers sphinx-thebe's inline set-up twice; the second copy
    redeclares a `const` and throws on every page. Keep the first of equal scripts."""
    seen, unique = set(), []
    for script in context.get("script_files", []):
        attributes = sorted(getattr(script, "attributes", {}).items())
        key = (getattr(script, "filename", script) or "", repr(attributes))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    if "script_files" in context:
        context["script_files"][:] = unique  # in place: it is the builder's list


def pages_url() -> str:
    """Where GitHub Pages publishes the repository of _config.yml (hreflang needs
    absolute addresses)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    owner, name = config["repository"]["url"].rstrip("/").split("/")[-2:]
    return f"https://{owner.lower()}.github.io/{name}/"


def language_name(lang: str) -> str:
    """An edition's name in its own language, for the language switch."""
    return "English" if lang == "en" else strings.ui("language")


def language_links(app, pagename, templatename, context, doctree):
    """hreflang links to this page in every edition, and the button to the other."""
    here = app.config.language
    # From this page up to the English site's root (the Korean one is one level down).
    to_root = "../" * (pagename.count("/") + EDITIONS[here].url.count("/"))
    tags = []
    for lang, folder in ((e.lang, e.url) for e in EDITIONS.values()):
        label = language_name(lang)
        url = f"{pages_url()}{folder}{pagename}.html"
        tags.append(f'<link rel="alternate" hreflang="{lang}" href="{url}" />')
        if lang != here:
            context["lang_switch"] = {
                "lang": lang,
                "label": label,
                "href": f"{to_root}{folder}{pagename}.html",
            }
    default = f"{pages_url()}{pagename}.html"
    tags.append(f'<link rel="alternate" hreflang="x-default" href="{default}" />')
    context["metatags"] = context.get("metatags", "") + "\n".join(tags)


class KoreanSearch(SearchEnglish):
    """Search for the Korean edition: Hangul words carry particles (드롭아웃은,
    드롭아웃을), so each run of Hangul is indexed as its overlapping two-syllable pieces
    (bigrams, as Lucene's CJK analyzer does) plus its single syllables, and a query is
    cut the same way in the browser (js_splitter_code). A document matches when it has
    every piece of the query. Latin words keep the English stemmer."""

    lang = "ko"
    language_name = "Korean"
    HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
    _hangul = re.compile(f"[{HANGUL}]+")
    js_splitter_code = r"""
function splitQuery(query) {
  const out = [];
  for (const word of query.split(/[^\p{Letter}\p{Number}_]+/gu)) {
    if (!word) continue;
    for (const part of word.split(/([\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+)/)) {
      if (!part) continue;
      if (!/^[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+$/.test(part)) out.push(part);
      else if (part.length === 1) out.push(part);
      else for (let i = 0; i + 2 <= part.length; i++) out.push(part.slice(i, i + 2));
    }
  }
  return out;
}
"""

    def split(self, input: str) -> list[str]:
        words = []
        for word in self._word_re.findall(input):
            last = 0
            for match in self._hangul.finditer(word):
                if match.start() > last:
                    words.append(word[last : match.start()])
                run = match.group(0)
                words.extend(run)  # single syllables: a query of one syllable
                words.extend(run[i : i + 2] for i in range(len(run) - 1))
                last = match.end()
            if last < len(word):
                words.append(word[last:])
        return words

    def stem(self, word: str) -> str:
        return word if self._hangul.match(word) else super().stem(word)

    def word_filter(self, word: str) -> bool:
        return bool(self._hangul.match(word)) or super().word_filter(word)


def write_notebooks_zip(app):
    """notebooks.zip of this edition: the learner copy of every chapter (plain
    Markdown, quiz inside), its practice copy under practice/, and what the chapters
    need as requirements.txt (tools/derive/learner.py makes all three)."""
    from tools.derive import learner

    lang = app.config.language
    files = []
    for chapter in sorted(
        Path(app.env.doc2path(doc))
        for doc in app.env.found_docs
        if str(app.env.doc2path(doc)).endswith(".ipynb")
    ):
        for kind, folder in (("learner", ""), ("practice", "practice/")):
            path = learner.copy_path(chapter, lang, kind)
            if not path.exists():
                raise ExtensionError(
                    f"{path} is missing: run python tools/derive/learner.py"
                )
            files.append((path.read_bytes(), f"{folder}{chapter.name}"))
    files.append((learner.learner_requirements().encode(), "requirements.txt"))
    target = Path(app.outdir) / "notebooks.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for data, name in files:
            info = zipfile.ZipInfo(f"notebooks/{name}", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


# English inside a Korean page: the code, what it printed, and alt text still in
# English, so a screen reader reads them with an English voice (WCAG 3.1.2).
ENGLISH_PARTS = [
    (
        re.compile(r'<div class="(cell_input|output stream|output text_plain)\b'),
        r'<div lang="en" class="\1',
    ),
    (
        re.compile(r'<img alt="([^"]*)"(?![^>]*\blang=)'),
        lambda m: (
            m.group(0)
            if HANGUL_TEXT.search(m.group(1)) or not m.group(1).strip()
            else f'<img lang="en" alt="{m.group(1)}"'
        ),
    ),
]
HANGUL_TEXT = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")


def mark_english(html: str) -> str:
    for pattern, replacement in ENGLISH_PARTS:
        html = pattern.sub(replacement, html)
    return html


def localize_pages(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        if "_static" in page.relative_to(outdir).parts:
            continue
        text = page.read_text(encoding="utf-8")
        up = os.path.relpath(outdir / "_static", page.parent).replace(os.sep, "/")
        new = text
        for pattern, local in LOCAL_COPIES:
            new = re.sub(pattern, f"{up}/{local}", new)
        if app.config.language != "en":
            new = mark_english(new)
            new = translate_theme_attributes(new)
        # MyST-NB names a folded cell's toggle "Toggle hidden content" though it
        # shows "Show code cell source": its visible text is its name (WCAG 2.5.3).
        new = new.replace('<summary aria-label="Toggle hidden content">', "<summary>")
        if new != text:
            page.write_text(new, encoding="utf-8")
    if app.config.language != "en":
        copybutton_words(outdir / "_static" / "copybutton.js", app.config.language)
    write_notebooks_zip(app)


# Exercises and solutions (sphinx-exercise), and the theme's words, on Korean pages.


def number_exercises_per_page(app, env):
    """Number each page's exercises from 1. Sphinx counts a figure type through the
    whole book when the toctree has no section numbers, so sphinx-exercise would title
    chapter 12's first exercise "Exercise 32"; the prose ("exercise 2", "15장의 연습
    3") and the learner copies count within a chapter. Runs after Sphinx assigns the
    numbers (env-get-updated); returns the pages whose numbers changed."""
    changed = []
    for docname, kinds in env.toc_fignumbers.items():
        numbers = kinds.get("exercise")
        if not numbers:
            continue
        order = sorted(numbers, key=numbers.get)
        per_page = {ident: (i,) for i, ident in enumerate(order, 1)}
        if per_page != numbers:
            kinds["exercise"] = per_page
            changed.append(docname)
    return changed


class KoreanSolutionTitles(SphinxPostTransform):
    """sphinx-exercise titles a solution with its own word first and a link to the
    exercise after it ("Solution to Exercise 3"; in Korean "해답 연습 3"). The Korean
    book's phrase is locales/ko/site.yml's solution_title, "{exercise} 풀이": the link
    ("연습 3") first, then 풀이. Runs after sphinx-exercise resolves the titles (21)."""

    default_priority = 25

    def run(self):
        if self.app.config.language == "en":
            return
        from sphinx_exercise.nodes import solution_node

        before, _, after = strings.ui("solution_title").partition("{exercise}")
        for node in self.document.findall(solution_node):
            title = node.children[0]
            links = [c for c in title.children if isinstance(c, nodes.reference)]
            if not isinstance(title, nodes.title) or len(links) != 1:
                raise ExtensionError(f"a solution title without its exercise: {title}")
            link = links[0]
            exercise = link.astext().strip()
            link.clear()
            link += nodes.Text(exercise)
            title.clear()
            if before:
                title += nodes.Text(before)
            title += link
            if after:
                title += nodes.Text(after)
            node["title"] = before + exercise + after


def theme_words() -> dict[str, str]:
    """The theme's English UI words -> Korean (locales/ko/site.yml, theme)."""
    return strings.korean().get("theme", {})


def translate_theme(app):
    """The Korean words of the theme and of Sphinx (locales/ko/site.yml, theme) put
    into their message catalogs, ahead of the packages' own Korean (which lacks the
    pydata theme's words and has a few wrong ones, such as "By" -> 으로)."""
    if app.config.language == "en":
        return
    from sphinx import locale

    for catalog in ("sphinx", "booktheme"):
        translator = locale.translators.get(("general", catalog))
        if not hasattr(translator, "_catalog"):
            raise ExtensionError(f"no {app.config.language} catalog for {catalog}")
        translator._catalog.update(theme_words())


COPYBUTTON_MESSAGES = "const messages = {\n"


def copybutton_words(script: Path, lang: str) -> None:
    """sphinx-copybutton picks its words by the page's language from the messages in
    its script, which has no Korean: add the edition's (locales/ko/site.yml,
    copybutton) to the site's copy of the script."""
    text = script.read_text(encoding="utf-8")
    if f"\n  '{lang}': " in text:
        return
    if COPYBUTTON_MESSAGES not in text:
        raise ExtensionError(f"{script}: no '{COPYBUTTON_MESSAGES.strip()}' to add to")
    words = json.dumps(strings.korean()["copybutton"], ensure_ascii=False)
    entry = f"  '{lang}': {words},\n"
    script.write_text(text.replace(COPYBUTTON_MESSAGES, COPYBUTTON_MESSAGES + entry, 1))


def quiz_words(app, pagename, templatename, context, doctree):
    """jupyterquiz's own English words (locales/ko/site.yml, quiz), in a meta tag that
    book/_static/a11y.js reads to swap them as each quiz is drawn."""
    if app.config.language == "en":
        return
    words = json.dumps(strings.korean().get("quiz", {}), ensure_ascii=False)
    words = words.replace("&", "&amp;").replace('"', "&quot;")
    tag = f'<meta name="book-quiz-words" content="{words}" />'
    context["metatags"] = context.get("metatags", "") + "\n" + tag


def translate_theme_attributes(html: str) -> str:
    """The words that templates and the demos' player write without a catalog
    (aria-label="Main", title="Toggle primary sidebar", the Colab button's "Launch on
    Colab", the player's "Play" and its <label>Loop</label>), by the same table: every
    title, aria-label, alt or placeholder, and every label's text, that is exactly an
    entry."""
    words = theme_words()

    def swap(match):
        english = match.group(2)
        korean = words.get(english.replace("&#39;", "'"), english)
        return f'{match.group(1)}="{korean}"'

    def swap_label(match):
        return match.group(1) + words.get(match.group(2), match.group(2)) + "</label>"

    return THEME_LABEL.sub(swap_label, THEME_ATTRIBUTE.sub(swap, html))


THEME_ATTRIBUTE = re.compile(r'\b(title|aria-label|alt|placeholder)="([^"<>]*)"')
THEME_LABEL = re.compile(r"(<label\b[^>]*>)([^<]*)</label>")


def setup(app):
    app.add_search_language(KoreanSearch)
    app.connect("env-get-updated", number_exercises_per_page, priority=900)
    app.add_post_transform(KoreanSolutionTitles)
    app.connect("builder-inited", translate_theme, priority=900)
    app.connect("html-page-context", quiz_words)
    app.add_css_file("offline/nanum-gothic/hangul.css")
    app.add_css_file("reading.css")
    app.add_js_file("a11y.js")
    app.add_css_file("print.css", media="print")
    app.connect("html-page-context", language_links)
    app.connect("config-inited", ensure_assets)
    app.connect("doctree-resolved", add_alt_text)
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    app.connect("build-finished", localize_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
