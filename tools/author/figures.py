"""Where a figure's author-written descriptions live: in the metadata of the code cell
that draws it, so they travel with the cell.

- ``mystnb.image.alt``: the figure's alt text (MyST-NB's own cell option, which it
  renders as the ``alt`` of the cell's image output). For a demo (a slider over
  precomputed frames, drawn by the setup cell's ``demo()``) it is the alt text of its
  frame, which tools/publish/offline_site.py writes into the player's ``<img>``.
- ``book.demo``: for a demo, one sentence on what changes across its frames, shown
  under the slider and linked to it with ``aria-describedby``.

tools/derive/i18n.py extracts both into the catalogs and writes the Korean into
``ko/``; tests/test_figures.py fails on a figure without them or with a generic one.
"""

from __future__ import annotations

# kind -> the path of keys in a cell's metadata
PLACES = {"alt": ("mystnb", "image", "alt"), "demo": ("book", "demo")}


def description(metadata: dict, kind: str) -> str | None:
    """A cell's description of that kind ("alt" or "demo"), or None."""
    value = metadata
    for key in PLACES[kind]:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value if isinstance(value, str) else None


def descriptions(metadata: dict) -> dict[str, str]:
    """{kind: text} of every description a cell's metadata holds."""
    found = {kind: description(metadata, kind) for kind in PLACES}
    return {kind: text for kind, text in found.items() if text is not None}


def set_description(metadata: dict, kind: str, text: str) -> None:
    *parents, last = PLACES[kind]
    for key in parents:
        metadata = metadata.setdefault(key, {})
    metadata[last] = text


def is_figure(cell) -> bool:
    """Whether a code cell's saved outputs hold a picture: an image, or a demo's
    frames (matplotlib's to_jshtml player)."""
    return cell.cell_type == "code" and any(
        "image/png" in out.get("data", {})
        or "_anim_img" in out.get("data", {}).get("text/html", "")
        for out in cell.get("outputs", [])
    )


def is_demo(cell) -> bool:
    return cell.cell_type == "code" and any(
        "_anim_img" in out.get("data", {}).get("text/html", "")
        for out in cell.get("outputs", [])
    )
