"""Static demos: nbval ignores their pixels, and every frame is there.

With BOOK_STATIC_DEMOS=1, demo() (tools/author/setup_cell.py) saves each demo as one
text/html output made by matplotlib's to_jshtml, with every frame inline as
    frames[i] = "data:image/png;base64,<76 characters>\\
<76 characters>\\
..."
The frames of some chapters plot trained models, so another CPU may change a pixel.
tests/nbval_sanitize.cfg therefore replaces the base64 of each frame with a token
before nbval compares. Two kinds of check here:

- The sanitize rule, applied as nbval applies it (nbval's own parser and sanitize
  function over the cfg file), removes exactly the base64 of every saved frame, leaves
  the rest of the HTML as it was, and changes no other output. nbval, run for real,
  accepts a demo with one pixel changed and rejects one with a frame missing.
- Since nbval no longer sees the pixels, this file checks the frames themselves: each
  demo(...) call has its output, with one decodable PNG frame (all of one size) for
  each value of its first keyword, counted from the code with `ast`.

Each check is also run on planted faults (modified copies), which it must catch.
"""

import ast
import base64
import copy
import io
import re
import struct
import subprocess
import sys
import zlib
from collections import OrderedDict
from types import SimpleNamespace

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from nbval.plugin import IPyNbCell, get_sanitize_patterns
from PIL import Image

from chapters import CHAPTERS, ROOT

SANITIZE_CFG = ROOT / "tests" / "nbval_sanitize.cfg"
TOKEN = "BASE64-PNG-FRAME"  # what the cfg's frame rule puts in place of the base64
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# matplotlib's template (animation._embedded_frames), read independently of the cfg:
# a frame is everything between the data-URL prefix and the closing quote.
FRAME = re.compile(r'frames\[(\d+)\] = "data:image/(\w+);base64,([^"]*)"')
# nbval does not compare these keys (IPyNbFile.skip_compare, without --nbdime).
NBVAL_SKIPS = {
    "metadata",
    "traceback",
    "prompt_number",
    "output_type",
    "name",
    "execution_count",
    "application/vnd.jupyter.widget-view+json",
    "image/png",
    "image/jpeg",
}


# --- Reading notebooks --------------------------------------------------------------


def is_demo_output(output) -> bool:
    return "_anim_img" in output.get("data", {}).get("text/html", "")


def demo_outputs(notebook) -> list[str]:
    return [
        out["data"]["text/html"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if is_demo_output(out)
    ]


def compared_texts(notebook):
    """(is a demo, text) for every string nbval compares, as nbval flattens outputs."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.outputs:
            if out.output_type == "stream":
                yield False, out.text
                continue
            for key, value in out.items():
                if key in NBVAL_SKIPS:
                    continue
                values = value.items() if key == "data" else [(key, value)]
                for mime, text in values:
                    if mime not in NBVAL_SKIPS and isinstance(text, str):
                        yield mime == "text/html" and is_demo_output(out), text


# --- The sanitize rule --------------------------------------------------------------


def nbval_sanitizer(cfg_text: str):
    """nbval's own sanitize(), with the patterns nbval reads from cfg_text."""
    patterns = OrderedDict(get_sanitize_patterns(cfg_text))  # as setup_sanitize_files
    item = SimpleNamespace(parent=SimpleNamespace(sanitize_patterns=patterns))
    return lambda text: IPyNbCell.sanitize(item, text)


def frame_spans(html: str) -> list[tuple[int, int]]:
    return [m.span(3) for m in FRAME.finditer(html)]


def expected_after_sanitizing(html: str) -> str:
    """html with only the base64 of each frame replaced by the token."""
    return FRAME.sub(lambda m: m[0].replace(m[3], TOKEN), html)


# Printed text that must come through untouched: base64 and data URLs that are not
# demo frames (one line, no backslash-newlines, or a repr of a frame string).
ORDINARY = [
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw==",
    '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAA"/>',
    '  frames[0] = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAlgAAAFeCAYAAA"\n',
    repr('frames[0] = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAlgAAA\\\n"'),
    "accuracy 0.912, loss 0.2914\nweights (784, 32): data/png;base64 is not here\n",
]


def sanitize_problems(cfg_text: str, notebooks: dict) -> list[str]:
    """Where the cfg's rules, applied as nbval applies them, do not remove exactly
    the base64 of the demo frames."""
    sanitize = nbval_sanitizer(cfg_text)
    frame_rules = [
        rx for rx, replace in get_sanitize_patterns(cfg_text) if replace == TOKEN
    ]
    problems = []
    if len(frame_rules) != 1:
        return [f"{len(frame_rules)} rules replace frames with {TOKEN}, not 1"]
    [rule] = frame_rules
    demos = 0
    for name, notebook in notebooks.items():
        for is_demo, text in compared_texts(notebook):
            if not is_demo:
                if re.search(rule, text):
                    problems.append(f"{name}: the frame rule changes {text[:60]!r}")
                continue
            demos += 1
            matched = [m.span() for m in re.finditer(rule, text)]
            if matched != frame_spans(text):
                problems.append(
                    f"{name}: the rule matches {len(matched)} spans, not exactly "
                    f"the base64 of the {len(frame_spans(text))} frames"
                )
            clean = sanitize(text)
            if re.search(r"iVBORw0KGgo|[A-Za-z0-9+/=]{60,}", clean):
                problems.append(f"{name}: base64 left after sanitizing")
            if clean != expected_after_sanitizing(text):
                problems.append(f"{name}: sanitizing changed more than the frames")
    if not demos:
        problems.append("no demo output to check the rule on")
    for text in ORDINARY:
        if sanitize(text) != text:
            problems.append(f"the rules change ordinary text {text[:60]!r}")
    return problems


@pytest.fixture(scope="module")
def notebooks():
    return {p.stem: nbformat.read(p, as_version=4) for p in CHAPTERS}


def demo_notebook(notebooks):
    """The first chapter that has a static demo (for the planted faults)."""
    for name, notebook in notebooks.items():
        if demo_outputs(notebook):
            return name, notebook
    pytest.fail("no chapter has a static demo")


def test_sanitize_rule_removes_exactly_the_frames(notebooks):
    cfg = SANITIZE_CFG.read_text(encoding="utf-8")
    assert sanitize_problems(cfg, notebooks) == []
    sanitize = nbval_sanitizer(cfg)
    # What nbval then compares: the same text for a frame with other pixels, but not
    # for a demo with a frame fewer.
    name, notebook = demo_notebook(notebooks)
    html = demo_outputs(notebook)[0]
    assert sanitize(with_pixel_changed(html)) == sanitize(html)
    assert with_pixel_changed(html) != html
    assert sanitize(without_last_frame(html)) != sanitize(html)


def planted_cfg(cfg: str, fault: str) -> str:
    """The cfg with its frame rule broken in the way `fault` says."""
    rule = re.search(rf"^regex: .*\nreplace: {TOKEN}$", cfg, flags=re.MULTILINE)
    before, after = cfg[: rule.start()], cfg[rule.end() :]
    wrong = {
        "first line only": r'(?<="data:image/png;base64,)[A-Za-z0-9+/=]{1,76}\\\n',
        "swallows the script": r"<script[\s\S]*</script>",
        "matches printed base64": r"[A-Za-z0-9+/=]{40,}",
    }
    if fault == "no frame rule":
        return before + after
    if fault == "an earlier rule unwraps lines":
        return before + "regex: \\\\\\n\nreplace: \n\n" + cfg[rule.start() :]
    return before + f"regex: {wrong[fault]}\nreplace: {TOKEN}" + after


@pytest.mark.parametrize(
    "fault",
    [
        "no frame rule",
        "first line only",
        "swallows the script",
        "matches printed base64",
        "an earlier rule unwraps lines",
    ],
)
def test_sanitize_check_catches_a_planted_fault(fault, notebooks):
    cfg = SANITIZE_CFG.read_text(encoding="utf-8")
    bad = planted_cfg(cfg, fault)
    # nbval still reads the planted cfg, with the rule removed or added as planted.
    added = {"no frame rule": -1, "an earlier rule unwraps lines": 1}.get(fault, 0)
    rules = len(get_sanitize_patterns(cfg)) + added
    assert bad != cfg and len(get_sanitize_patterns(bad)) == rules, bad
    name, notebook = demo_notebook(notebooks)
    assert sanitize_problems(bad, {name: notebook}), f"{fault} went unnoticed"


# --- The frames ---------------------------------------------------------------------


def count_values(node, names: dict, depth: int = 0) -> int | None:
    """How many values the expression `node` holds, read from the code alone; None if
    that needs running it. `names` maps a variable to the expression last assigned."""
    if depth > 10:
        return None

    def literal(n):
        try:
            return ast.literal_eval(n)
        except (ValueError, TypeError, SyntaxError):
            return None

    if isinstance(node, ast.List | ast.Tuple):
        if any(isinstance(e, ast.Starred) for e in node.elts):
            return None
        return len(node.elts)
    if isinstance(node, ast.Name) and node.id in names:
        return count_values(names[node.id], names, depth + 1)
    if isinstance(node, ast.Call) and not node.keywords:
        func = ast.unparse(node.func)
        args = [literal(a) for a in node.args]
        if func in ("list", "tuple", "sorted") and len(node.args) == 1:
            return count_values(node.args[0], names, depth + 1)
        if func == "range" and node.args and None not in args:
            return len(range(*args))
        if func in ("np.linspace", "numpy.linspace") and len(args) == 3:
            return args[2] if isinstance(args[2], int) else None
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
        bounds = [
            literal(b) if b is not None else None
            for b in (node.slice.lower, node.slice.upper, node.slice.step)
        ]
        if any(b is not None and not isinstance(b, int) for b in bounds):
            return None
        inner = count_values(node.value, names, depth + 1)
        if inner is not None:
            return len(range(inner)[slice(*bounds)])
        lower, upper, step = bounds
        # values[:k] of data known only when it runs: the code asks for k values.
        if lower in (None, 0) and step in (None, 1) and upper is not None and upper > 0:
            return upper
    return None


def code_tree(source: str) -> ast.Module:
    return ast.parse(TransformerManager().transform_cell(source))  # magics to Python


def demo_calls(notebook):
    """(cell index, call, first keyword, its count) for each demo(...) call, in
    order; the count is None where the code alone does not tell it."""
    names = {}  # variable -> the expression last assigned to it, cell by cell
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for stmt in code_tree(cell.source).body:
            for node in ast.walk(stmt):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "demo"
                ):
                    keyword = node.keywords[0] if node.keywords else None
                    if keyword is None or keyword.arg is None:
                        yield index, node, None, None
                    else:
                        yield (
                            index,
                            node,
                            keyword.arg,
                            count_values(keyword.value, names),
                        )
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        names[target.id] = stmt.value


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG file; raises ValueError if it is not one."""
    if not png.startswith(PNG_SIGNATURE):
        raise ValueError(f"no PNG signature: {png[:8]!r}")
    length, kind = struct.unpack(">I4s", png[8:16])
    if kind != b"IHDR" or length != 13:
        raise ValueError(f"first chunk is {kind!r} ({length} bytes), not IHDR")
    (crc,) = struct.unpack(">I", png[29:33])
    if zlib.crc32(png[12:29]) != crc:
        raise ValueError("IHDR checksum is wrong")
    width, height = struct.unpack(">II", png[16:24])
    with Image.open(io.BytesIO(png)) as image:
        image.load()  # decodes every pixel: a truncated or corrupt frame raises
        if image.format != "PNG" or image.size != (width, height):
            raise ValueError(f"decodes as {image.format} {image.size}")
    if not width or not height:
        raise ValueError("empty image")
    return width, height


def frame_problems(html: str, expected: int) -> list[str]:
    problems = []
    frames = FRAME.findall(html)
    indices = [int(i) for i, _, _ in frames]
    if indices != list(range(expected)):
        problems.append(f"frames {indices}, expected {expected} (0..{expected - 1})")
    if f"new Array({expected});" not in html:
        problems.append(f"the script does not allocate {expected} frames")
    sizes = set()
    for index, kind, data in frames:
        try:
            if kind != "png":
                raise ValueError(f"image/{kind}")
            png = base64.b64decode(data.replace("\\\n", ""), validate=True)
            sizes.add(png_size(png))
        except (ValueError, OSError) as error:  # binascii.Error is a ValueError
            problems.append(f"frame {index} is not a PNG: {error}")
    if len(sizes) > 1:
        problems.append(f"frames of different sizes: {sorted(sizes)}")
    return problems


def demo_problems(notebook) -> list[str]:
    """Why the notebook's saved demos do not show one PNG per value of each demo."""
    problems = []
    calls = {}
    for index, _, keyword, count in demo_calls(notebook):
        calls.setdefault(index, []).append((keyword, count))
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        outputs = [o["data"]["text/html"] for o in cell.outputs if is_demo_output(o)]
        expected = calls.get(index, [])
        # The n-th demo(...) call of a cell made its n-th demo output.
        for n, (keyword, count) in enumerate(expected):
            where = f"cell {index}, demo(..., {keyword}=...)"
            if count is None:
                problems.append(
                    f"{where}: cannot count its values from the code; pass a list, "
                    "range(...) or values[:k]"
                )
            elif n >= len(outputs):
                problems.append(f"{where}: no saved demo output")
            else:
                problems += [f"{where}: {p}" for p in frame_problems(outputs[n], count)]
        if len(outputs) > len(expected):
            problems.append(f"cell {index}: a demo output that no demo(...) call made")
    return problems


def test_every_demo_has_one_png_frame_per_value(chapter):
    notebook = nbformat.read(chapter, as_version=4)
    assert demo_problems(notebook) == []


def test_the_book_has_demos_whose_values_the_code_counts(notebooks):
    calls = [c for nb in notebooks.values() for c in demo_calls(nb)]
    assert calls, "no demo(...) call in any chapter"
    assert all(count for _, _, _, count in calls), calls


# Planted faults: each edits a copy of a chapter with a demo.


def with_pixel_changed(html: str) -> str:
    match = next(FRAME.finditer(html))
    png = base64.b64decode(match[3].replace("\\\n", ""))
    with Image.open(io.BytesIO(png)) as image:
        image = image.convert("RGBA")
    r, g, b, a = image.getpixel((0, 0))
    image.putpixel((0, 0), ((r + 1) % 256, g, b, a))
    out = io.BytesIO()
    image.save(out, format="PNG")
    data = base64.encodebytes(out.getvalue()).decode().replace("\n", "\\\n")
    return html[: match.start(3)] + data + html[match.end(3) :]


def without_last_frame(html: str) -> str:
    *_, last = FRAME.finditer(html)
    return html[: last.start()] + html[last.end() :]


def replace_frame(html: str, index: int, png: bytes) -> str:
    match = list(FRAME.finditer(html))[index]
    data = base64.encodebytes(png).decode().replace("\n", "\\\n")
    return html[: match.start(3)] + data + html[match.end(3) :]


def image_bytes(size, fmt) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, format=fmt)
    return out.getvalue()


def first_frame_png(html: str) -> bytes:
    return base64.b64decode(next(FRAME.finditer(html))[3].replace("\\\n", ""))


def plant(notebook, fault: str):
    """A copy of notebook with `fault` in its first demo."""
    notebook = copy.deepcopy(notebook)
    index, call, _, _ = next(demo_calls(notebook))
    cell = notebook.cells[index]
    if fault in ("a value fewer in the code", "count not in the code"):
        source = TransformerManager().transform_cell(cell.source)
        value = ast.get_source_segment(source, call.keywords[0].value)
        new = f"({value})[1:]" if fault.startswith("a value") else "values_from_disk()"
        cell.source = cell.source.replace(value, new, 1)
        return notebook
    i, output = next((i, o) for i, o in enumerate(cell.outputs) if is_demo_output(o))
    html = output["data"]["text/html"]
    png = first_frame_png(html)
    if fault == "frame missing":
        html = without_last_frame(html)
    elif fault == "frame not a PNG":
        html = replace_frame(html, 1, image_bytes(png_size(png), "JPEG"))
    elif fault == "frame truncated":
        html = replace_frame(html, 1, png[: len(png) // 2])
    elif fault == "frame of another size":
        width, height = png_size(png)
        html = replace_frame(html, 1, image_bytes((width + 1, height), "PNG"))
    elif fault == "demo gone":
        del cell.outputs[i]
        return notebook
    elif fault == "run without static demos":  # what a live ipywidgets demo saves
        cell.outputs[i] = nbformat.v4.new_output(
            "display_data",
            data={
                "application/vnd.jupyter.widget-view+json": {"model_id": "0"},
                "text/plain": "interactive(children=(SelectionSlider(...),))",
            },
        )
        return notebook
    output["data"]["text/html"] = html
    return notebook


DEMO_FAULTS = [
    "frame missing",
    "frame not a PNG",
    "frame truncated",
    "frame of another size",
    "demo gone",
    "run without static demos",
    "a value fewer in the code",
    "count not in the code",
]


@pytest.mark.parametrize("fault", DEMO_FAULTS)
def test_frame_check_catches_a_planted_fault(fault, notebooks):
    name, notebook = demo_notebook(notebooks)
    assert demo_problems(notebook) == []
    planted = plant(notebook, fault)
    assert planted != notebook, f"the fault {fault!r} was not planted in {name}"
    assert demo_problems(planted), f"{fault} in {name} went unnoticed"


@pytest.mark.parametrize(
    "code, count",
    [
        ("demo(f, k=[1, 2, 3], other=[4])", 3),
        ("demo(f, k=list(range(12)))", 12),
        ("demo(f, k=range(2, 20, 3))", 6),
        ("demo(f, k=np.linspace(0, 1, 9))", 9),
        ("demo(f, k=(0.1, 0.2))", 2),
        ("v = [1, 2, 3, 4]\ndemo(f, k=v[1:])", 3),
        ("w = np.flatnonzero(mask)[:12]\ndemo(f, k=list(w))", 12),
        ("demo(f, k=values)", None),
        ("demo(f, k=[*a, 1])", None),
        ("demo(f, k=np.flatnonzero(mask))", None),
    ],
)
def test_values_are_counted_from_the_code(code, count):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    [(_, _, keyword, counted)] = demo_calls(notebook)
    assert (keyword, counted) == ("k", count)


# --- nbval itself, on a small demo ---------------------------------------------------

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
    assert frame_problems(html, 3) == []
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
    no_rule.write_text(planted_cfg(cfg_text, "no frame rule"), encoding="utf-8")

    report = run_nbval(cfg, paths["pixel"], paths["missing"])
    assert "PASSED demo_pixel.ipynb::Cell 0" in report, report[-3000:]
    assert "FAILED demo_missing.ipynb::Cell 0" in report, report[-3000:]
    report = run_nbval(no_rule, paths["pixel"])
    assert "FAILED demo_pixel.ipynb::Cell 0" in report, report[-3000:]
