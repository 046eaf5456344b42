"""The Korean figures are the English figures, in Korean (issue 27.4).

Each figure is drawn once, by the English run, and a second time from the same
matplotlib objects with its texts in Korean (tools/execute/figure_text.py); the Korean
twin is saved in the output's metadata and shown on the Korean pages
(tools/derive/i18n.py). The checks read the saved pictures and the catalog:

- every figure (a picture or a demo's player) has a Korean twin;
- same data: the twin has the English picture's size, and outside the boxes of the
  texts that were swapped (and the legends and arrows they move), every pixel is the
  English picture's own; a demo's player has as many frames, of the same sizes;
- translated text: no figure text is left in English, none is cut off at the edge
  or drawn with a glyph the fonts lack (Hangul inside math),
  each Korean text is the catalog's translation of its English today (a catalog
  edited after the run fails: re-execute the chapter), and it keeps the English's
  numbers;
- the figure catalog keeps each placeholder and the term base.

Each check is run once more on a planted fault and must fail.
"""

from __future__ import annotations

import base64
import copy
import io
import re
from collections import Counter

import nbformat
import numpy as np
import polib
import pytest
from PIL import Image

from chapters import CHAPTERS
from tools.author import figures
from tools.derive import i18n
from tools.execute import figure_text

MARGIN = 5  # pixels around a text box: antialiasing, rounding, and Hangul glyphs
# (drawn from the fallback font) reaching a few pixels past the box measured for them
MAX_MASKED = 0.6  # of a picture: beyond that, "same data" would say little
FRAME = re.compile(r'"data:image/png;base64,([A-Za-z0-9+/=\\\n]+)"')
DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def picture(b64: str) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(b64))).convert("RGB"))


def figure_outputs(notebook):
    """(cell index, cell, output, kind) of every figure output: "image" or "demo"."""
    for index, cell in enumerate(notebook.cells):
        if not figures.is_figure(cell):
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                yield index, cell, output, "image"
            elif "_anim_img" in data.get("text/html", ""):
                yield index, cell, output, "demo"


def twin(output) -> dict | None:
    return output.get("metadata", {}).get(figure_text.METADATA_KEY, {}).get("ko")


def frames(page: str) -> list[np.ndarray]:
    return [
        picture(b.replace("\\n", "").replace("\n", "")) for b in FRAME.findall(page)
    ]


def same_data_problems(english_b64: str, korean: dict) -> list[str]:
    """Where the Korean picture differs from the English outside its text boxes."""
    english, translated = picture(english_b64), picture(korean["image/png"])
    if english.shape != translated.shape:
        return [f"size {translated.shape[:2]}, English {english.shape[:2]}"]
    height, width = english.shape[:2]
    mask = np.zeros((height, width), bool)
    for x0, y0, x1, y1 in korean["masks"]:
        rows = slice(max(0, int(y0) - MARGIN), max(0, int(np.ceil(y1)) + MARGIN))
        cols = slice(max(0, int(x0) - MARGIN), max(0, int(np.ceil(x1)) + MARGIN))
        mask[rows, cols] = True
    if mask.mean() > MAX_MASKED:
        return [f"{mask.mean():.0%} of the picture is text boxes: nothing to compare"]
    differs = (english != translated).any(axis=2) & ~mask
    if differs.any():
        ys, xs = np.nonzero(differs)
        return [
            f"{differs.sum()} pixels outside the text boxes differ, first at "
            f"(x {xs[0]}, y {ys[0]})"
        ]
    return []


def text_problems(korean: dict, catalog: dict[str, str]) -> list[str]:
    found = [f"left in English: {t!r}" for t in korean.get("untranslated", [])]
    found += [f"cut off at the edge: box {b}" for b in korean.get("clipped", [])]
    found += [f"drawn without its glyph: {m}" for m in korean.get("missing_glyphs", [])]
    for english, translated in korean.get("texts", []):
        today = figure_text.translate(english, catalog)
        if translated is None:
            found.append(
                f"no Korean for {english!r} (locales/ko/LC_MESSAGES/figures.po)"
            )
        elif today != translated:
            found.append(
                f"{english!r} drawn as {translated!r}, the catalog now says {today!r}: "
                "re-execute the chapter"
            )
        else:
            # numbers outside math (a Korean text may write $h_2$ as h₂: Hangul
            # inside math would be drawn by the math fonts, which lack it)
            english_numbers = Counter(DIGITS.findall(figure_text.MATH.sub("", english)))
            korean_numbers = Counter(
                DIGITS.findall(figure_text.MATH.sub("", translated))
            )
            added = korean_numbers - english_numbers
            # English spells some numbers as words ("zeroed": 0이 된); Korean may
            # write those as digits, as i18n.py validate allows in the prose.
            if english_numbers - korean_numbers or any(
                not n.isdigit() or int(n) > i18n.SPELLED_OUT for n in added
            ):
                found.append(f"{translated!r} lost or added a number of {english!r}")
    return found


def chapter_problems(notebook, catalog) -> list[str]:
    found = []
    for index, cell, output, kind in figure_outputs(notebook):
        where = f"cell {index} ({cell.id}) {kind}"
        korean = twin(output)
        if korean is None:
            found.append(f"{where}: no Korean twin (run tools/execute/execute.py)")
            continue
        problems = text_problems(korean, catalog)
        if kind == "image":
            problems += same_data_problems(output["data"]["image/png"], korean)
        else:
            english = frames(output["data"]["text/html"])
            translated = frames(korean.get("text/html", ""))
            if [f.shape for f in english] != [f.shape for f in translated]:
                problems.append(
                    f"{len(translated)} frames of sizes "
                    f"{[f.shape[:2] for f in translated]}, English {len(english)} "
                    f"of {[f.shape[:2] for f in english]}"
                )
        found += [f"{where}: {p}" for p in problems]
    return found


@pytest.fixture(scope="module")
def catalog() -> dict[str, str]:
    return figure_text.load_catalog(figure_text.CATALOG)


def test_korean_figures(chapter, catalog):
    notebook = nbformat.read(chapter, as_version=4)
    problems = chapter_problems(notebook, catalog)
    assert not problems, f"{chapter.name}:\n" + "\n".join(problems)


def first_picture(notebook):
    return next(
        (cell, output)
        for _, cell, output, kind in figure_outputs(notebook)
        if kind == "image" and twin(output)
    )


def test_planted_faults_fail(catalog):
    chapter = next(c for c in CHAPTERS if c.stem.startswith("04"))
    notebook = nbformat.read(chapter, as_version=4)
    assert not chapter_problems(notebook, catalog)
    cell, output = first_picture(notebook)
    korean = twin(output)

    # Data drawn differently: a line across the middle of the Korean picture.
    planted = copy.deepcopy(korean)
    pixels = picture(planted["image/png"]).copy()
    pixels[pixels.shape[0] // 2, :] = (255, 0, 0)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    planted["image/png"] = base64.b64encode(buffer.getvalue()).decode()
    assert same_data_problems(output["data"]["image/png"], planted)

    # A text box as big as the picture hides everything: refused.
    planted = copy.deepcopy(korean)
    planted["masks"] = [[0, 0, 10_000, 10_000]]
    assert (
        "nothing to compare"
        in same_data_problems(output["data"]["image/png"], planted)[0]
    )

    # A catalog edited after the run, a number changed, a text left in English.
    english, translated = korean["texts"][0]
    key, _ = figure_text.template(english)
    edited = {**catalog, key: catalog[key] + " (고침)"}
    assert any("re-execute" in p for p in text_problems(korean, edited))
    planted = copy.deepcopy(korean)
    with_number = next(pair for pair in planted["texts"] if DIGITS.search(pair[0]))
    with_number[1] = DIGITS.sub("7", with_number[1])
    assert text_problems(planted, {}) and any(
        "number" in p or "catalog now says" in p
        for p in text_problems(planted, catalog)
    )
    planted = copy.deepcopy(korean)
    planted["untranslated"] = [english]
    assert text_problems(planted, catalog)
    planted = copy.deepcopy(korean)
    planted["missing_glyphs"] = ["Font 'default' does not have a glyph for '\uc8fc'"]
    assert any("glyph" in p for p in text_problems(planted, catalog))

    # A figure without its twin.
    del output["metadata"][figure_text.METADATA_KEY]
    assert any("no Korean twin" in p for p in chapter_problems(notebook, catalog))


def test_demo_frames_fault_fails(catalog):
    for chapter in CHAPTERS:
        notebook = nbformat.read(chapter, as_version=4)
        demo = next(
            (o for *_, o, kind in figure_outputs(notebook) if kind == "demo"), None
        )
        if demo is not None and twin(demo):
            break
    else:
        pytest.fail("no chapter has a demo with a Korean twin")
    korean = twin(demo)
    first = FRAME.search(korean["text/html"])
    korean["text/html"] = korean["text/html"].replace(first.group(0), '""', 1)
    assert any("frames" in p for p in chapter_problems(notebook, catalog))


def test_figure_catalog_is_complete_and_valid():
    po = polib.pofile(str(figure_text.CATALOG))
    missing = [e.msgid for e in po if not e.msgstr.strip() or "fuzzy" in e.flags]
    assert not missing, f"figures.po: no Korean for {missing}"
    assert not i18n.figure_problems()


def test_figure_catalog_check_fails_on_planted_faults(tmp_path, monkeypatch):
    po = polib.pofile(str(figure_text.CATALOG))
    with_number = next(e for e in po if "{0}" in e.msgid)
    with_number.msgstr = "숫자 자리 없음"  # the number {0} dropped
    term = next(e for e in po if e.msgid.startswith("training loss"))
    term.msgstr = "학습 손실"  # the term base: train is 훈련, not 학습
    planted = tmp_path / "figures.po"
    po.save(str(planted))
    monkeypatch.setattr(figure_text, "CATALOG", planted)
    found = i18n.figure_problems()
    assert any("placeholders" in p for p in found), found
    assert any("term base" in p for p in found), found
