"""The status page of each edition, from the benchmark's last recorded run.

``book/status.md`` (English) and ``ko/book/status.md`` (Korean) are rendered from one
Jinja2 template, ``tools/publish/status.md.j2``, with the data that
``tools/measure/benchmark.py --write`` recorded in ``book/_data/benchmark.json`` and
the Korean edition's translation counts (``tools/derive/i18n.py``). Every sentence of
the template is a message of the gettext catalog ``locales/ko/LC_MESSAGES/status.po``,
as are the recorded strings the page shows (the reference workload's description, the
timing claims and what was measured, whose numbers are filled in as ``%(name)s``).

    python tools/publish/status.py update   merge the catalog with the template and data
    python tools/publish/status.py          write both pages (tools/build.sh runs it)
    python tools/publish/status.py --check  exit 1 when a page or the catalog is stale

A message with no Korean yet is shown in English on the Korean page; ``--check`` and
tests/test_status.py fail on it, so the Korean page never ships half-translated.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

import jinja2
import polib

from tools.book import EDITIONS, ROOT, write_changed

DATA = ROOT / "book" / "_data" / "benchmark.json"
TEMPLATE = Path(__file__).with_name("status.md.j2")
CATALOG = ROOT / "locales" / "ko" / "LC_MESSAGES" / "status.po"
PAGE = Path("book") / "status.md"
MEASURE = "python tools/measure/benchmark.py"


def environment(catalog: dict[str, str] | None) -> jinja2.Environment:
    """Jinja2 with gettext: CATALOG's translations, or English when it is None."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE.parent),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML
    )
    table = catalog or {}

    def gettext(message: str) -> str:
        return table.get(message) or message

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    # A paragraph's message is one line (trans blocks are trimmed): wrap it for the
    # page's source, never inside a word or a code span.
    env.filters["para"] = lambda text: textwrap.fill(
        text.strip(), width=88, break_long_words=False, break_on_hyphens=False
    )
    return env


def recorded_messages(data: dict) -> list[str]:
    """The recorded strings the page translates: the reference workload's
    description and each timing claim's sentence and measurement."""
    ref = data["reference"]
    messages = [ref[key] for key in ("model", "data", "training", "unit")]
    for claim in data["timing_claims"]:
        messages += [claim["claim"]["text"], claim["measured"]["text"]]
    return messages


def template_messages() -> list[str]:
    env = environment(None)
    source = TEMPLATE.read_text(encoding="utf-8")
    found = []
    for _, _, message in env.extract_translations(source):
        # a call with variables gives (message, None); _(a recorded string) gives None
        message = message[0] if isinstance(message, tuple) else message
        if isinstance(message, str):
            found.append(message)
    return found


def messages(data: dict) -> list[str]:
    """Every message of the page, in order, each once."""
    return list(dict.fromkeys(template_messages() + recorded_messages(data)))


def load_data() -> dict:
    if not DATA.exists():
        raise SystemExit(
            f"{DATA.relative_to(ROOT)} is missing: run `{MEASURE} --write` to record "
            "a run of the book"
        )
    return json.loads(DATA.read_text(encoding="utf-8"))


def translations() -> dict[str, str]:
    """msgid -> Korean, for the entries translated and not fuzzy."""
    if not CATALOG.exists():
        return {}
    po = polib.pofile(str(CATALOG))
    return {e.msgid: e.msgstr for e in po if e.msgstr and "fuzzy" not in e.flags}


def untranslated(data: dict) -> list[str]:
    done = translations()
    return [m for m in messages(data) if m not in done]


def render(data: dict, lang: str, counts: dict[str, dict] | None) -> str:
    """The status page in LANG, with the Korean edition's COUNTS (page -> counts)."""
    if lang not in EDITIONS:
        raise ValueError(f"no edition {lang!r}: one of {', '.join(EDITIONS)}")
    catalog = None if lang == "en" else translations()
    template = environment(catalog).get_template(TEMPLATE.name)
    runs = data.get("runs", 1)
    command = f"{MEASURE} --write" + (f" --repeat {runs}" if runs > 1 else "")
    totals = {
        key: sum(c[key] for c in (counts or {}).values())
        for key in ("translated", "stale", "missing")
    }
    return template.render(
        data=data,
        m=data["machine"],
        ref=data["reference"],
        epochs=", ".join(f"{t:.2f}" for t in data["reference"]["runs"]),
        command=command,
        measure=MEASURE,
        translation=counts,
        totals=totals,
    )


def translation_counts() -> dict[str, dict]:
    """The Korean edition's counts per page (the derive stage computes them)."""
    from tools.derive import i18n

    _, counts = i18n.build_files()
    return {
        Path(page).name: {
            "translated": c.translated,
            "stale": c.stale,
            "missing": c.missing,
        }
        for page, c in counts.items()
    }


def pages(data: dict | None = None) -> dict[Path, str]:
    """Both status pages: path -> text."""
    data = load_data() if data is None else data
    counts = translation_counts()
    return {EDITIONS[lang].root / PAGE: render(data, lang, counts) for lang in EDITIONS}


def merged_catalog(data: dict) -> polib.POFile:
    """The catalog with this template's and data's messages: translations kept, new
    messages empty, messages no longer used dropped."""
    old = polib.pofile(str(CATALOG)) if CATALOG.exists() else None
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "status page",
        "Language": "ko",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    for message in messages(data):
        kept = old.find(message) if old else None
        entry = polib.POEntry(
            msgid=message,
            msgstr=kept.msgstr if kept else "",
            flags=["python-format"] if "%(" in message else [],
        )
        if kept and "fuzzy" in kept.flags:
            entry.flags.append("fuzzy")
        po.append(entry)
    return po


write = write_changed  # path -> text, only what differs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", choices=["update"], default=None)
    parser.add_argument("--check", action="store_true", help="only report staleness")
    args = parser.parse_args(argv)
    data = load_data()
    if args.command == "update":
        po = merged_catalog(data)
        CATALOG.parent.mkdir(parents=True, exist_ok=True)
        po.save(str(CATALOG))
        missing = untranslated(data)
        print(
            f"wrote {CATALOG.relative_to(ROOT)}: {len(missing)} message(s) to translate"
        )
        return 0
    problems = [f"no Korean for: {m!r}" for m in untranslated(data)]
    files = pages(data)
    if args.check:
        problems += [
            f"{p.relative_to(ROOT)} is out of date"
            for p, text in files.items()
            if not p.exists() or p.read_text(encoding="utf-8") != text
        ]
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(
                "run `python tools/publish/status.py update`, translate, then "
                "`python tools/publish/status.py`",
                file=sys.stderr,
            )
        return 1 if problems else 0
    for path in write(files):
        print(f"wrote {path.relative_to(ROOT)}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
