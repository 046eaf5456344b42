"""Helpers for the browser tests (tests/test_site.py, test_accessibility.py,
test_pdf.py): load a page of the built site in Chromium and read what it shows.

Chromium, the local server and the watch on the network are tools/publish/browser.py's
(tools/publish/pdf.py prints with them too): every request that does not go to the
local server (or to a file:// path) is aborted and recorded, so a page that needs
the internet fails the tests here exactly as it would fail a reader who is offline.
"""

import re
from pathlib import Path

from tools.book import ROOT
from tools.publish.browser import (  # noqa: F401  (the tests import them from here)
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    Visit,
    is_local,
    toc_pages,
    watch,
)

ARTIFACTS = ROOT / "test-artifacts" / "site"


def is_notebook(page: str) -> bool:
    return (ROOT / f"{page}.ipynb").exists()


def pages_of(built) -> Path:
    """The html folder of conftest's built_site (the Korean site is its ko/), for the
    browser: warnings are test_build.py's business and do not stop these checks, but
    both editions must have been written."""
    for index in (built.html / "index.html", built.html / "ko" / "index.html"):
        assert index.exists(), "\n".join(log[-3000:] for log in built.logs.values())
    return built.html


def load(page, url: str, visit: Visit):
    visit.url = url
    page.goto(url, wait_until="load")
    # MathJax typesets after load; wait for it where the page has it.
    try:
        page.wait_for_function(
            "() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)",
            timeout=10000,
        )
    except Exception:  # playwright's TimeoutError
        visit.errors.append("MathJax was configured but never started")
    page.evaluate(
        "async () => { if (window.MathJax && MathJax.startup)"
        " await MathJax.startup.promise; }"
    )
    # Images: load every one now (some are lazy), then give them a moment to decode.
    page.evaluate(
        """async () => {
        const images = [...document.images];
        images.forEach(img => { img.loading = 'eager'; });
        await Promise.all(images.map(img => img.complete ? null :
            new Promise(done => { img.onload = img.onerror = done;
                                  setTimeout(done, 5000); })));
    }"""
    )
    page.wait_for_load_state("networkidle")


# True once no CSS animation or transition is running (all of this site's are finite).
AT_REST_JS = "() => document.getAnimations().every(a => a.playState !== 'running')"


def wait_at_rest(page, timeout: float = 10000):
    """Wait until nothing on the page is half-way through an animation or transition
    (a clicked quiz answer fades for 0.8 s; the theme fades colours on a new mode)."""
    page.wait_for_function(AT_REST_JS, timeout=timeout)


def resize(page, viewport: dict, timeout: float = 10000):
    """Set the viewport and wait until the page has handled the resize: its resize
    event has fired (after the theme's own listeners) and nothing is still moving."""
    page.evaluate(
        "() => { window.bookResized = false;"
        " addEventListener('resize', () => { window.bookResized = true; },"
        " {once: true}); }"
    )
    page.set_viewport_size(viewport)
    page.wait_for_function(
        "width => window.bookResized && window.innerWidth === width",
        arg=viewport["width"],
        timeout=timeout,
    )
    wait_at_rest(page, timeout)


# Collected in one pass per page; the tests then read the dict.
FACTS_JS = r"""() => {
  const main = document.querySelector('article.bd-article') || document.body;
  const prose = main.cloneNode(true);
  prose.querySelectorAll('pre, code, script, style, mjx-container, .cell_input, ' +
                         '.output, .cell_output, textarea').forEach(e => e.remove());
  const images = [...document.images].map(img => ({
    src: img.currentSrc || img.src, alt: img.getAttribute('alt'),
    loaded: img.complete && img.naturalWidth > 0,
    caption: !!(img.closest('figure') &&
                img.closest('figure').querySelector('figcaption')),
    visible: img.getClientRects().length > 0,
  }));
  return {
    title: document.title,
    text: main.innerText,
    prose: prose.textContent,
    mathElements: document.querySelectorAll('.math').length,
    mathTypeset: document.querySelectorAll('mjx-container').length,
    mathUntypeset: [...document.querySelectorAll('.math')]
        .filter(e => !e.querySelector('mjx-container'))
        .map(e => e.textContent.slice(0, 80)),
    mathErrors: [...document.querySelectorAll('mjx-merror')].map(e => e.textContent),
    images: images,
    headings: [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]
        .map(h => [Number(h.tagName[1]), h.textContent.trim().slice(0, 60)]),
    links: [...document.querySelectorAll('a[href]')].map(a => ({
        href: a.href, text: a.textContent.trim(), cls: a.className})),
    nav: [...document.querySelectorAll('nav.bd-docs-nav a[href]')].map(a => a.href),
    next: (document.querySelector('a.right-next') || {}).href || null,
    animations: document.querySelectorAll('.animation img[id^="_anim_img"]').length,
    quizzes: document.querySelectorAll('.Quiz').length,
  };
}"""


def facts(page) -> dict:
    return page.evaluate(FACTS_JS)


HANGUL = "\\u1100-\\u11ff\\u3130-\\u318f\\uac00-\\ud7a3"
MARK_HANGUL_JS = """async () => {
  await document.fonts.ready;
  const hangul = /[HANGUL]/g;
  let marked = 0;
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].filter(n => n.nodeType === 3)
        .map(n => n.textContent).join('');
    const found = own.match(hangul);
    if (found && el.getClientRects().length && marked < 400) {
      el.setAttribute('data-hangul', String(found.length));
      marked++;
    }
  }
  return marked;
}""".replace("HANGUL", HANGUL)


def hangul_glyphs(page) -> dict:
    """How Chromium drew the Hangul of the page: for every visible element whose own
    text has Hangul (up to 400), the glyphs its fonts drew (DevTools' "Rendered
    Fonts"). The site serves the only font with Hangul, so Hangul drawn by any other
    (system) font is drawn as empty boxes on a machine without Korean fonts:
    {"checked": n, "missing": [(text, fonts), ...]}."""
    checked = page.evaluate(MARK_HANGUL_JS)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    nodes = cdp.send(
        "DOM.querySelectorAll", {"nodeId": root, "selector": "[data-hangul]"}
    )
    missing = []
    for node in nodes["nodeIds"]:
        attributes = cdp.send("DOM.getAttributes", {"nodeId": node})["attributes"]
        count = int(dict(zip(attributes[::2], attributes[1::2]))["data-hangul"])
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        web = sum(f["glyphCount"] for f in fonts if f["isCustomFont"])
        if fonts and web < count:
            html = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
            text = re.sub(r"<[^>]+>", "", html)[:60]
            missing.append((text, [(f["familyName"], f["glyphCount"]) for f in fonts]))
    cdp.detach()
    return {"checked": checked, "missing": missing}


def raw_tex(text: str) -> list[str]:
    """TeX delimiters left in prose: math MathJax did not typeset."""
    found = re.findall(r"\\\(.{0,40}|\\\[.{0,40}|\$\$.{0,40}", text)
    found += re.findall(r"(?<![\w$])\$[^$\s][^$\n]{0,80}?\$(?![\w$])", text)
    return found


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours."""

    def luminance(css):
        r, g, b = (int(float(v)) / 255 for v in re.findall(r"[\d.]+", css)[:3])
        lin = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
            for c in (r, g, b)
        ]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# The colour of text and of what is behind it, for a sample of prose elements.
COLOURS_JS = r"""() => {
  function rgba(css) {
    const v = (css.match(/[\d.]+/g) || []).map(Number);
    return v.length >= 3 ? [v[0], v[1], v[2], v.length > 3 ? v[3] : 1] : [0, 0, 0, 0];
  }
  // What is really behind e: its and its ancestors' backgrounds, blended.
  function background(e) {
    const layers = [];
    for (; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let out = [255, 255, 255];  // the canvas behind the page
    for (const [r, g, b, a] of layers.reverse()) {
      out = [r, g, b].map((c, i) => c * a + out[i] * (1 - a));
    }
    return `rgb(${out.map(Math.round).join(', ')})`;
  }
  // Every visible element of the article that holds text of its own.
  const sample = [...document.querySelectorAll('article *')]
      .filter(e => [...e.childNodes]
          .some(n => n.nodeType === 3 && n.textContent.trim()))
      .filter(e => e.getClientRects().length &&
                   !e.closest('mjx-container, script, style'))
      .filter(e => getComputedStyle(e).visibility !== 'hidden');
  return sample.map(e => ({text: e.textContent.trim().slice(0, 40),
                           tag: e.tagName + '.' + e.className,
                           fg: getComputedStyle(e).color, bg: background(e)}));
}"""

# For each visible output image: its own corner pixel and the colour behind it.
IMAGE_BACKGROUND_JS = r"""() => [...document.querySelectorAll(
    '.cell_output img, .animation img')].filter(i => i.naturalWidth).map(img => {
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  let corner = [0, 0, 0, 0];
  try { corner = [...ctx.getImageData(1, 1, 1, 1).data]; } catch (e) {}  // file://
  let bg = 'rgba(0, 0, 0, 0)';
  for (let e = img; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (!/rgba\(.*, 0\)$/.test(c)) { bg = c; break; }
  }
  return {src: img.src.slice(0, 60), corner: corner, behind: bg,
          filter: getComputedStyle(img).filter};
})"""
