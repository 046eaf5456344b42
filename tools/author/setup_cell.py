"""Template of the setup cell shared by every chapter.

tools/author/sync_cells.py copies everything below the marker line into the code cell
tagged ``setup`` of each notebook, filling in the placeholders (``__QUIZ_URL__`` becomes
the repository's quiz folder; ``__TESTED__`` the tested ranges of Python, TensorFlow,
Keras and NumPy from tools/environments/versions.py), then
``tools/execute/execute.py`` re-runs them. Edit here, never in a notebook. This file
is linted and formatted like the rest of the code.
"""

# ruff: noqa: E402, I001
__TESTED__: dict = {}  # a placeholder (see above), defined for the linter
# --- cell starts below ---
# @title Setup: run this cell first (the same in every chapter)
# Synced from tools/author/setup_cell.py by tools/author/sync_cells.py:
# edit it there, not here.
import os
import sys
import warnings
from importlib.util import find_spec
from pathlib import Path

# Quiet, reproducible TensorFlow: no C++ start-up logs in the outputs, and no oneDNN
# kernels (they announce themselves on stderr and reorder float sums by CPU type).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
# TensorFlow's matrix products still run oneDNN kernels made for your CPU's widest
# vector instructions (AVX2, AVX-512...), and each width sums in its own order: held
# to AVX2, as when the book's outputs were made. Other CPUs still round differently,
# so trained numbers may differ from the book's in their last digits (see README).
os.environ.setdefault("ONEDNN_MAX_CPU_ISA", "AVX2")

if "google.colab" in sys.modules:  # Colab lacks these two; requirements.txt has them
    import subprocess

    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet"]
        + ["koreanize-matplotlib==0.1.1", "jupyterquiz==2.9.6.4"],
        check=True,
    )

import matplotlib.pyplot as plt
import numpy as np
import threadpoolctl
from matplotlib import font_manager

# Hangul in plots: register the NanumGothic files that koreanize-matplotlib ships
# (without importing it: its import fails on Python 3.12) as a fallback font.
fonts = Path(find_spec("koreanize_matplotlib").origin).parent / "fonts"
for ttf in sorted(fonts.glob("*.ttf")):
    font_manager.fontManager.addfont(str(ttf))
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]

import keras
import tensorflow as tf

# Two threads, on every machine: even with op determinism, TensorFlow's results
# depend on how many threads share each sum, and by default it starts one per CPU;
# so do NumPy's matrix products (OpenBLAS). Two is what Colab's free machines have
# and what the book's outputs were made with. On a big machine you may raise it
# (BOOK_THREADS=8): it runs faster, and trained numbers move in their last digits.
THREADS = int(os.environ.get("BOOK_THREADS", "2"))
threadpoolctl.threadpool_limits(THREADS)  # NumPy's BLAS
if tf.config.threading.get_intra_op_parallelism_threads() != THREADS:
    try:
        tf.config.threading.set_intra_op_parallelism_threads(THREADS)
        tf.config.threading.set_inter_op_parallelism_threads(THREADS)
    except RuntimeError as err:  # TensorFlow already ran something in this kernel
        raise RuntimeError(
            "TensorFlow already started with its own thread count: restart the "
            "kernel (Runtime > Restart session in Colab) and run this cell first."
        ) from err

SEED = 42
keras.backend.clear_session()  # fresh layer names and state when re-run from the top
keras.utils.set_random_seed(SEED)  # Python, NumPy and TensorFlow generators
tf.config.experimental.enable_op_determinism()  # same results on every run
np.set_printoptions(precision=4, suppress=True)

# The oldest and newest versions this book's tests ran every chapter with:
TESTED = __TESTED__
installed = {
    "Python": sys.version.split()[0],
    "TensorFlow": tf.__version__,
    "Keras": keras.__version__,
    "NumPy": np.__version__,
}
untested = [
    f"{name} {installed[name]} (tested: {old[0]}.{old[1]} to {new[0]}.{new[1]})"
    for name, (old, new) in TESTED.items()
    if not old <= tuple(int(n) for n in installed[name].split(".")[:2]) <= new
]
if untested:
    warnings.warn(
        f"This book was not tested with {', '.join(untested)}. Most cells will "
        "still run, but outputs may differ from the book's.",
        stacklevel=1,
    )
QUIZ_URL = "__QUIZ_URL__"


def show_quiz(name):
    """Show the 'Check yourself' quiz stored in book/quizzes/NAME.json."""
    import json
    import urllib.request

    from jupyterquiz import display_quiz

    path = Path("quizzes") / f"{name}.json"
    if path.exists():
        questions = json.loads(path.read_text(encoding="utf-8"))
    else:  # opened on its own, as in Colab: fetch the file from the repository
        with urllib.request.urlopen(QUIZ_URL + path.name) as response:
            questions = json.load(response)
    display_quiz(questions, shuffle_answers=False)


def demo(draw, **sliders):
    """An interactive plot: draw(ax, **values) is redrawn as sliders move.

    In Jupyter or Colab each keyword becomes a live slider over its list of values.
    For the static site (BOOK_STATIC_DEMOS=1) the first keyword's values become
    precomputed frames behind a slider that works in the browser without a kernel;
    the other keywords keep their first value.
    """
    import re

    from IPython.display import HTML, display
    from matplotlib import animation

    if os.environ.get("BOOK_STATIC_DEMOS") != "1":
        import ipywidgets as widgets

        def redraw(**values):
            fig, ax = plt.subplots(figsize=(6, 3.5))
            draw(ax, **values)
            fig.tight_layout()
            plt.show()

        widgets.interact(
            redraw,
            **{
                name: widgets.SelectionSlider(options=list(values), description=name)
                for name, values in sliders.items()
            },
        )
        return
    first, *rest = sliders
    fixed = {name: sliders[name][0] for name in rest}
    fig, ax = plt.subplots(figsize=(6, 3.5))

    def frame(value):
        ax.clear()
        draw(ax, **{first: value}, **fixed)
        fig.tight_layout()  # keep axis labels inside the frame

    anim = animation.FuncAnimation(fig, frame, frames=list(sliders[first]))
    page = anim.to_jshtml(default_mode="once")
    plt.close(fig)
    for uid in set(re.findall(r"[0-9a-f]{32}", page)):  # random ids: make them stable
        page = page.replace(uid, draw.__name__)
    display(HTML(page))


print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}")
