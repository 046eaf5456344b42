"""The Korean words the tools write themselves (locales/ko/site.yml), so that every
string a Korean reader sees is in locales/ko/, in a translator's reach: the site's
title and part captions, the stale-translation marker, the learner copies' labels,
the glossary page's text and the term tables' header.

    from tools.author.strings import korean
    korean()["ui"]["exercise"]  # 연습
"""

from __future__ import annotations

from functools import lru_cache

import yaml

from tools.book import ROOT

SITE_STRINGS = ROOT / "locales" / "ko" / "site.yml"


@lru_cache(maxsize=1)
def korean() -> dict:
    """locales/ko/site.yml, parsed."""
    return yaml.safe_load(SITE_STRINGS.read_text(encoding="utf-8"))


def ui(name: str) -> str:
    """One of the Korean UI strings (the `ui:` section of locales/ko/site.yml)."""
    return korean()["ui"][name]
