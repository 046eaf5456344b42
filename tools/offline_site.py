"""Sphinx extension (sphinx.local_extensions in _config.yml): a site that reads offline.

1. Assets. Serves MathJax and Font Awesome from the site itself: makes sure
   tools/vendor_assets.sh has fetched them (from npm, into .offline-data/site-static),
   adds that folder and book/_static to html_static_path, and, once the pages are
   written, rewrites the CDN addresses that notebook outputs carry (matplotlib's
   animation player links Font Awesome 4.4; jupyterquiz falls back to MathJax's
   tex-svg.js) to the local copies, relative to each page, so file:// works too.
   MathJax for the prose comes from mathjax_path in _config.yml.
2. Alt text. A plot that a notebook cell drew gets alt text from that cell's code:
   its titles and axis labels (f-string fields shown by name). An author can still
   set it per cell with MyST-NB's `mystnb: image: alt:` metadata, which wins.
3. Downloads. Writes notebooks.zip (every chapter notebook with its quizzes/ folder,
   and requirements.txt) at the root of the site; book/intro.md links it.
"""

import os
import re
import subprocess
import zipfile
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
VENDORED = ROOT / ".offline-data" / "site-static"
STATIC = ROOT / "book" / "_static"

# CDN prefix -> path under the site's _static/ (see tools/vendor_assets.sh).
LOCAL_COPIES = [
    (r"https://cdn\.jsdelivr\.net/npm/mathjax@3[0-9.]*/es5/", "offline/mathjax/"),
    (
        r"https://maxcdn\.bootstrapcdn\.com/font-awesome/4\.[0-9.]+/css/",
        "offline/font-awesome/css/",
    ),
]

ANIM_IMG = re.compile(r'<img id="_anim_img(?![^>]*\balt=)')


def ensure_assets(app, config):
    stamp = VENDORED / "offline" / ".packages"
    if not stamp.exists():
        result = subprocess.run(["bash", str(ROOT / "tools" / "vendor_assets.sh")])
        if result.returncode or not stamp.exists():
            raise ExtensionError(
                "The site's offline MathJax and icons are missing and "
                "`bash tools/vendor_assets.sh` failed (it needs npm once)."
            )
    # Added here rather than in _config.yml: Jupyter Book adds every .js file of the
    # static paths to each page when a top-level _static/ folder exists.
    # A favicon, so browsers do not ask the server for a missing /favicon.ico, and a
    # valid first-visit theme mode (the theme logs an error for an empty one).
    if not config.html_favicon:
        config.html_favicon = str(STATIC / "favicon.svg")
    config.html_context.setdefault("default_mode", "auto")
    for path in (STATIC, VENDORED):
        if str(path) not in config.html_static_path:
            config.html_static_path.append(str(path))


def _literal(text: str) -> str:
    """A title string as the reader sees it: f-string fields by their names."""
    return re.sub(r"\{([A-Za-z_][\w.]*)[^}]*\}", r"\1", text).strip()


STRING = r"""[rf]{0,2}(["'])(.+?)\1"""
PARTS = {
    "title": re.compile(r"(?:set_title|suptitle|plt\.title)\(\s*" + STRING),
    "x axis": re.compile(r"(?:set_xlabel|plt\.xlabel)\(\s*" + STRING),
    "y axis": re.compile(r"(?:set_ylabel|plt\.ylabel)\(\s*" + STRING),
}


def describe(source: str, what: str) -> str:
    found = {}
    for part, pattern in PARTS.items():
        for match in pattern.finditer(source):
            found.setdefault(part, [])
            if _literal(match.group(2)) not in found[part]:
                found[part].append(_literal(match.group(2)))
    if not found:
        return f"{what} drawn by the code cell above"
    text = "; ".join(f"{part}: {', '.join(values)}" for part, values in found.items())
    return f"{what} drawn by the code cell above ({text})"


def add_alt_text(app, doctree, docname):
    for cell in doctree.findall(nodes.container):
        if cell.get("nb_element") != "cell_code":
            continue
        source = "\n".join(b.astext() for b in cell.findall(nodes.literal_block))
        for image in cell.findall(nodes.image):
            if not image.get("alt"):
                image["alt"] = describe(source, "Plot")
        for raw in list(cell.findall(nodes.raw)):
            text = raw.astext()
            if ANIM_IMG.search(text):
                alt = describe(source, "Animation frame").replace('"', "&quot;")
                new = nodes.raw(
                    "", ANIM_IMG.sub(f'<img alt="{alt}" id="_anim_img', text)
                )
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


def write_notebooks_zip(app):
    notebooks = sorted(
        Path(app.env.doc2path(doc))
        for doc in app.env.found_docs
        if str(app.env.doc2path(doc)).endswith(".ipynb")
    )
    files = []
    for notebook in notebooks:
        files.append((notebook, notebook.name))
        for quiz in sorted(
            (notebook.parent / "quizzes").glob(f"{notebook.stem}*.json")
        ):
            files.append((quiz, f"quizzes/{quiz.name}"))
    if (ROOT / "requirements.txt").exists():
        files.append((ROOT / "requirements.txt", "requirements.txt"))
    target = Path(app.outdir) / "notebooks.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, name in dict((n, (p, n)) for p, n in files).values():
            info = zipfile.ZipInfo(f"notebooks/{name}", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


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
        if new != text:
            page.write_text(new, encoding="utf-8")
    write_notebooks_zip(app)


def setup(app):
    app.add_css_file("reading.css")
    app.connect("config-inited", ensure_assets)
    app.connect("doctree-resolved", add_alt_text)
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    app.connect("build-finished", localize_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
