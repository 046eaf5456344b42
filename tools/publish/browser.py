"""The browser side of the site's tools and tests: Debian's Chromium and how it is
started, a local server for the built site, and a watch on what a page asks of the
network.

Every request the browser makes that does not go to the local server (or to a
file:// path) is aborted and recorded by watch(), so a page that needs the internet
fails exactly as it would fail a reader who is offline. tools/publish/pdf.py prints
with these; tests/site_browser.py adds what the tests read from a page.
"""

import functools
import http.server
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from tools.book import toc_files

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def toc_pages() -> list[str]:
    """Every page of _toc.yml, in reading order, as a path without suffix."""
    return toc_files()


class Server:
    """The site on http://127.0.0.1:PORT/, from a thread."""

    def __init__(self, directory: Path):
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        handler = functools.partial(Quiet, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@dataclass
class Visit:
    """What a page did while it loaded."""

    url: str
    external: list = field(default_factory=list)  # requests that left the machine
    failed: list = field(default_factory=list)  # requests that failed or got >= 400
    errors: list = field(default_factory=list)  # console errors and uncaught exceptions
    facts: dict = field(default_factory=dict)


def is_local(url: str, base: str) -> bool:
    return url.startswith((base, "data:", "blob:", "about:")) or (
        base.startswith("file:") and url.startswith("file:")
    )


def watch(page, base: str) -> Visit:
    """Record everything that goes wrong on `page` from now on."""
    visit = Visit(url="")

    def route(route):
        if is_local(route.request.url, base):
            route.continue_()
        else:
            visit.external.append(route.request.url)
            route.abort("internetdisconnected")

    # Only requests that leave the machine are intercepted (a regex runs in the
    # browser, so local requests never wait for Python).
    local = "|".join(re.escape(p) for p in (base, "file:", "data:", "blob:", "about:"))
    page.route(re.compile(f"^(?!{local})"), route)
    page.on(
        "requestfailed",
        lambda r: (
            None
            # ERR_ABORTED: cancelled by the page itself (a navigation), not a failure
            if r.url in visit.external or "ERR_ABORTED" in (r.failure or "")
            else visit.failed.append(f"{r.url} ({r.failure})")
        ),
    )
    page.on(
        "response",
        lambda r: (
            visit.failed.append(f"{r.url} (HTTP {r.status})")
            if r.status >= 400
            else None
        ),
    )
    page.on(
        "console",
        lambda m: (
            visit.errors.append(f"console.{m.type}: {m.text}")
            if m.type in ("error", "assert")
            else None
        ),
    )
    page.on("pageerror", lambda e: visit.errors.append(f"uncaught: {e}"))
    return visit
