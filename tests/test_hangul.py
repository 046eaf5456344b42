"""Korean labels render in plots: drawn with real glyphs, never as empty boxes."""

import os
import subprocess
import sys

import pytest

from tools.author.sync_cells import SETUP_SOURCE

# What these tests need beyond the repository (pytest.ini: the markers).
pytestmark = pytest.mark.slow

# Renders a Korean label and a string of code points no font has (drawn as boxes);
# prints how many missing-glyph warnings the label caused and whether it differs.
CHECK = r"""
import warnings
import numpy as np
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

def render(text):
    fig = Figure(figsize=(3, 1), dpi=100)
    FigureCanvasAgg(fig)
    fig.text(0.05, 0.4, text, fontsize=20)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., 0]

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    label = render("활성화 함수")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    boxes = render("\U000F0000\U000F0001\U000F0002 \U000F0003\U000F0004")
print("GLYPH_WARNINGS", sum("missing" in str(w.message) for w in caught))
print("INK", int((label < 128).sum()))
print("DIFFERS_FROM_BOXES", bool((label != boxes).any()))
"""


def run(tmp_path, source):
    script = tmp_path / "hangul.py"
    script.write_text(source, encoding="utf-8")
    env = dict(os.environ, MPLBACKEND="Agg", MPLCONFIGDIR=str(tmp_path / "mpl"))
    result = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [line.split(" ", 1) for line in result.stdout.splitlines() if " " in line]
    return dict(lines)


def test_setup_cell_makes_hangul_render(tmp_path):
    values = run(tmp_path, SETUP_SOURCE + "\n" + CHECK)
    assert values["GLYPH_WARNINGS"] == "0"
    assert int(values["INK"]) > 200, "the Korean label drew (almost) nothing"
    assert values["DIFFERS_FROM_BOXES"] == "True", "Hangul drew as missing-glyph boxes"


def test_without_the_setup_cell_hangul_is_missing(tmp_path):
    """The check above can fail: matplotlib's default font has no Hangul."""
    values = run(tmp_path, CHECK)
    assert int(values["GLYPH_WARNINGS"]) > 0
