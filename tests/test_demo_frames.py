"""Static demos: nbval ignores their pixels, and every frame is there.

With BOOK_STATIC_DEMOS=1, demo() (tools/author/setup_cell.py) saves each demo as one
text/html output made by matplotlib's to_jshtml, which declares its frame count and
holds every frame inline, the base64 wrapped every 76 characters:
    var frames = new Array(3);
    frames[0] = "data:image/png;base64,iVBO...\\
    ...\\
    "
Frames of trained models may differ by a pixel on another CPU, so
tests/nbval_sanitize.cfg replaces each frame's base64 with a token before nbval
compares. Checked here:

1. The rule, applied by nbval's own sanitizer over the real cfg, replaces exactly the
   base64 of every frame and changes no other output of any chapter.
2. Since nbval no longer sees the frames: every demo has them all, each decodes as an
   image, all of one size, as many as the output declares; the book has a demo.
3. nbval, run for real, accepts a demo with one pixel changed and rejects one with a
   frame missing.

Checks 1 and 2 also run on planted faults, which they must catch.
"""

import base64
import copy
import io
import re
import subprocess
import sys
from collections import OrderedDict
from types import SimpleNamespace

import nbformat
import pytest
from nbval.plugin import IPyNbCell, get_sanitize_patterns
from PIL import Image

from chapters import CHAPTERS, ROOT

SANITIZE_CFG = ROOT / "tests" / "nbval_sanitize.cfg"
TOKEN = "BASE64-PNG-FRAME"  # what the cfg's rule puts in place of a frame's base64
# Read from matplotlib's template, independently of the cfg.
DECLARED = re.compile(r"var frames = new Array\((\d+)\);")
FRAME = re.compile(
    r'(?P<head>frames\[(?P<index>\d+)\] = "data:image/png;base64,)(?P<base64>[^"]*)"'
)


@pytest.fixture(scope="module")
def notebooks():
    return {p.stem: nbformat.read(p, as_version=4) for p in CHAPTERS}


def texts(notebooks):
    """(where, text) for each text of each saved output: a stream's text and every
    value of an output's data (nbval compares these, all but images)."""
    for name, notebook in notebooks.items():
        for index, cell in enumerate(notebook.cells):
            for out in cell.get("outputs", []):
                for text in [out.get("text"), *out.get("data", {}).values()]:
                    if isinstance(text, str):
                        yield f"{name} cell {index}", text


def is_demo(text: str) -> bool:
    return "_anim_img" in text  # the id of to_jshtml's <img>


def first_demo(notebooks) -> str:
    return next(text for _, text in texts(notebooks) if is_demo(text))


# --- 1. The sanitize rule -----------------------------------------------------------


def nbval_sanitizer(cfg_text: str):
    """nbval's own sanitize(), with the rules nbval reads from cfg_text."""
    rules = OrderedDict(get_sanitize_patterns(cfg_text))  # as setup_sanitize_patterns
    cell = SimpleNamespace(parent=SimpleNamespace(sanitize_patterns=rules))
    return lambda text: IPyNbCell.sanitize(cell, text)


def difference(want: str, got: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), None)
    at = min(len(want), len(got)) if at is None else at
    return f"expected {want[at - 30 : at + 30]!r}, got {got[at - 30 : at + 30]!r}"


def sanitize_problems(cfg_text: str, notebooks) -> list[str]:
    """Where nbval, sanitizing with cfg_text, changes more or less of the chapters'
    outputs than the base64 of each demo frame."""
    sanitize = nbval_sanitizer(cfg_text)
    problems = []
    for where, text in texts(notebooks):
        want = (
            FRAME.sub(lambda m: f'{m["head"]}{TOKEN}"', text) if is_demo(text) else text
        )
        got = sanitize(text)
        if got != want:
            problems.append(f"{where}: {difference(want, got)}")
    return problems


def planted_cfg(cfg: str, regex: str | None) -> str:
    """The cfg with the frame rule's regex replaced by regex (None: no frame rule)."""
    [real] = [rx for rx, replace in get_sanitize_patterns(cfg) if replace == TOKEN]
    rule = f"regex: {real}\nreplace: {TOKEN}\n"
    new = "" if regex is None else f"regex: {regex}\nreplace: {TOKEN}\n"
    bad = cfg.replace(rule, new)
    assert bad != cfg and get_sanitize_patterns(bad) != get_sanitize_patterns(cfg)
    return bad


WRONG_RULES = {
    "no frame rule": None,
    "eats the quote after each frame": (
        r'(?<="data:image/png;base64,)(?:[A-Za-z0-9+/=]{1,76}\\\n)+"'
    ),
    "misses all frames but the first": (
        r'(?<=frames\[0\] = "data:image/png;base64,)(?:[A-Za-z0-9+/=]{1,76}\\\n)+(?=")'
    ),
    "also replaces timings in other outputs": (
        r'(?<="data:image/png;base64,)(?:[A-Za-z0-9+/=]{1,76}\\\n)+(?=")|\d+\.\d+ ?s\b'
    ),
    "misses the last line of each frame": (
        r'(?<="data:image/png;base64,)(?:[A-Za-z0-9+/=]{76}\\\n)+'
    ),
}


def test_the_sanitize_rule_replaces_exactly_the_frames(notebooks):
    cfg = SANITIZE_CFG.read_text(encoding="utf-8")
    assert sanitize_problems(cfg, notebooks) == []


@pytest.mark.parametrize("fault", WRONG_RULES)
def test_the_sanitize_check_catches_a_rule_that(fault, notebooks):
    cfg = planted_cfg(SANITIZE_CFG.read_text(encoding="utf-8"), WRONG_RULES[fault])
    assert sanitize_problems(cfg, notebooks), f"a rule that {fault} went unnoticed"


# --- 2. The frames ------------------------------------------------------------------


def frame_png(html: str, index: int) -> bytes:
    data = list(FRAME.finditer(html))[index]["base64"]
    return base64.b64decode(data.replace("\\\n", ""), validate=True)


def demo_problems(where: str, html: str) -> list[str]:
    """Why a demo output does not hold the frames it declares, each an image, all of
    one size."""
    problems = []
    declared = DECLARED.search(html)
    indices = [int(m["index"]) for m in FRAME.finditer(html)]
    if not declared or indices != list(range(int(declared[1]))):
        says = declared[0] if declared else "no frame count"
        problems.append(f"{where}: frames {indices}, but the script says {says!r}")
    sizes = {}
    for index in indices:
        try:
            with Image.open(io.BytesIO(frame_png(html, index))) as image:
                image.load()  # decodes every pixel: a truncated frame raises
                sizes.setdefault(image.size, []).append(index)
        except (ValueError, OSError) as error:  # binascii.Error, Pillow's errors
            problems.append(f"{where}: frame {index} does not decode: {error}")
    if len(sizes) > 1:
        problems.append(f"{where}: frames of different sizes {sizes}")
    return problems


def frame_problems(notebooks) -> list[str]:
    demos = [(where, text) for where, text in texts(notebooks) if is_demo(text)]
    problems = [p for where, html in demos for p in demo_problems(where, html)]
    return problems if demos else ["no demo output in any chapter"]


def test_every_demo_has_all_its_frames(notebooks):
    assert frame_problems(notebooks) == []


def with_frame(html: str, index: int, png: bytes) -> str:
    """html with frame `index` replaced by png, wrapped as matplotlib wraps it."""
    match = list(FRAME.finditer(html))[index]
    data = base64.encodebytes(png).decode().replace("\n", "\\\n")
    return html[: match.start("base64")] + data + html[match.end("base64") :]


def with_pixel_changed(html: str) -> str:
    with Image.open(io.BytesIO(frame_png(html, 0))) as image:
        image = image.convert("RGBA")
    r, g, b, a = image.getpixel((0, 0))
    image.putpixel((0, 0), ((r + 1) % 256, g, b, a))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return with_frame(html, 0, out.getvalue())


def without_last_frame(html: str) -> str:
    *_, last = FRAME.finditer(html)
    return html[: last.start()] + html[last.end() :]


def of_another_size(html: str) -> str:
    with Image.open(io.BytesIO(frame_png(html, 1))) as image:
        width, height = image.size
    out = io.BytesIO()
    Image.new("RGB", (width + 1, height), "white").save(out, format="PNG")
    return with_frame(html, 1, out.getvalue())


FRAME_FAULTS = {
    "frame missing": without_last_frame,
    "frame that does not decode": lambda h: with_frame(h, 1, frame_png(h, 1)[:-200]),
    "frame of another size": of_another_size,
}


@pytest.mark.parametrize("fault", FRAME_FAULTS)
def test_the_frame_check_catches_a(fault, notebooks):
    html = first_demo(notebooks)
    planted = FRAME_FAULTS[fault](html)
    assert planted != html
    assert demo_problems("planted", planted), f"a {fault} went unnoticed"


def test_the_frame_check_catches_a_book_without_demos(notebooks):
    """As if the chapters had been run without BOOK_STATIC_DEMOS=1."""
    stripped = copy.deepcopy(notebooks)
    for notebook in stripped.values():
        for cell in notebook.cells:
            outputs = cell.get("outputs", [])
            outputs[:] = [
                o
                for o in outputs
                if not is_demo(o.get("data", {}).get("text/html", ""))
            ]
    assert frame_problems(stripped) == ["no demo output in any chapter"]


# --- 3. nbval itself, on a small demo ----------------------------------------------

DEMO_CELL = """\
import re
import matplotlib.pyplot as plt
from IPython.display import HTML, display
from matplotlib import animation

fig, ax = plt.subplots(figsize=(2, 1), dpi=40)
anim = animation.FuncAnimation(fig, lambda x: ax.axvline(x), frames=[0.2, 0.5, 0.8])
page = anim.to_jshtml(default_mode="once")
plt.close(fig)
display(HTML(re.sub(r"[0-9a-f]{32}", "small", page)))
"""


def run_nbval(cfg, *notebooks) -> str:
    """pytest --nbval over the notebooks, sanitizing with cfg; its report."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist"]
        + ["-c", "/dev/null", "--rootdir", str(cfg.parent), "-rA"]
        + ["--nbval", "--nbval-current-env", f"--nbval-sanitize-with={cfg}"]
        + [str(n) for n in notebooks],
        capture_output=True,
        text=True,
        cwd=cfg.parent,
        timeout=300,
    )
    return result.stdout


@pytest.mark.slow
def test_nbval_accepts_other_pixels_and_rejects_a_missing_frame(tmp_path):
    """A three-frame demo run by nbclient, saved with a planted change: one pixel of
    a frame (nbval must pass it, and fail it without the frame rule) or the last
    frame gone (nbval must fail it)."""
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(DEMO_CELL)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    [output] = notebook.cells[0].outputs
    html = output["data"]["text/html"]
    assert demo_problems("the small demo", html) == []
    assert DECLARED.search(html)[1] == "3"
    paths = {}
    for name, change in (
        ("pixel", with_pixel_changed),
        ("missing", without_last_frame),
    ):
        planted = copy.deepcopy(notebook)
        planted.cells[0].outputs[0]["data"]["text/html"] = change(html)
        paths[name] = tmp_path / f"demo_{name}.ipynb"
        nbformat.write(planted, paths[name])
    cfg_text = SANITIZE_CFG.read_text(encoding="utf-8")
    cfg, no_rule = tmp_path / "sanitize.cfg", tmp_path / "no_frame_rule.cfg"
    cfg.write_text(cfg_text, encoding="utf-8")
    no_rule.write_text(planted_cfg(cfg_text, None), encoding="utf-8")

    report = run_nbval(cfg, paths["pixel"], paths["missing"])
    assert "PASSED demo_pixel.ipynb::Cell 0" in report, report[-3000:]
    assert "FAILED demo_missing.ipynb::Cell 0" in report, report[-3000:]
    report = run_nbval(no_rule, paths["pixel"])
    assert "FAILED demo_pixel.ipynb::Cell 0" in report, report[-3000:]
