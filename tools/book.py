"""What the book is made of, read from the repository: its root folder, the pages and
chapters of ``_toc.yml`` in reading order, and the GitHub repository and branch of
``_config.yml``. Every tool and test reads these here.

The tools import each other as the package ``tools`` (``from tools.book import ROOT``),
installed editable into .venv (pyproject.toml); no file edits ``sys.path``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Edition:
    """One language of the book: the one definition every tool and test reads."""

    lang: str  # its language code (Sphinx's `language`, the pages' lang attribute)
    root: Path  # the folder holding its _config.yml, _toc.yml and book/
    url: str  # its folder on the built site, relative to the site's root


# English is the source; the Korean edition is derived from it (tools/derive/i18n.py).
EDITIONS = {
    e.lang: e
    for e in (
        Edition("en", ROOT, ""),
        Edition("ko", ROOT / "ko", "ko/"),
    )
}


def config() -> dict:
    """_config.yml, parsed."""
    import yaml  # imported here: ROOT alone needs nothing beyond the standard library

    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def toc_files() -> list[str]:
    """Every page of _toc.yml (root first), in reading order, without suffix."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files: list[str] = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return [str(Path(f).with_suffix("")) for f in files]


def toc_notebooks() -> list[Path]:
    """Every .ipynb listed in _toc.yml, in reading order: the chapters."""
    return [ROOT / f"{f}.ipynb" for f in toc_files() if (ROOT / f"{f}.ipynb").exists()]


def site_url(lang: str = "en") -> str:
    """Where GitHub Pages publishes an edition of the book (the repository of
    _config.yml): https://OWNER.github.io/NAME/ for English, .../ko/ for Korean."""
    owner, name = repo_parts()[0].split("/")
    return f"https://{owner.lower()}.github.io/{name}/{EDITIONS[lang].url}"


def repo_parts() -> tuple[str, str]:
    """The GitHub repository ("owner/name") and branch the book is published from."""
    repo = config()["repository"]
    url = repo["url"].rstrip("/")
    prefix = "https://github.com/"
    if not url.startswith(prefix):
        raise SystemExit(f"_config.yml repository.url must start with {prefix}: {url}")
    return url[len(prefix) :], repo.get("branch", "main")


# A quiz question's fields that are for the book's authors, not for learners:
# "evidence" names the cell whose output proves the key, or the chapter section for a
# conceptual key (tests/test_quiz_keys.py checks it). jupyterquiz ignores such fields;
# the Korean quizzes, the learner copies and the comparisons with a quiz's output drop
# them, so a quiz output saved before a field was added still matches its file.
AUTHOR_ONLY_QUIZ_FIELDS = ("evidence",)


def shown_quiz_questions(questions: list) -> list:
    """A quiz file's questions as learners get them (no author-only fields)."""
    return [
        {k: v for k, v in q.items() if k not in AUTHOR_ONLY_QUIZ_FIELDS}
        for q in questions
    ]


def write_changed(files: dict[Path, str]) -> list[Path]:
    """Write each path's text where it differs from what is on disk (so a rebuild
    leaves unchanged files, and their times, alone); return the paths written."""
    changed = []
    for path, text in files.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
