"""The versions the book is tested with, defined once.

Three environments run every chapter: the main one (Python PYTHON_MAIN with the pins of
requirements.txt, which the committed outputs come from), the version matrix (the same
with the oldest supported TensorFlow, the line TF_OLDEST below) and the Colab profile
(Colab's Python and packages, requirements-colab.txt). The tested ranges of Python,
TensorFlow, Keras and NumPy are read off those three: tools/author/sync_cells.py
writes them into the setup cell's version guard, tools/environments/tf_version.sh
installs the oldest TensorFlow, tools/environments/colab.sh Colab's Python, and
tests/test_versions.py checks that README.md and the workflow state the same.

Usage: python tools/environments/versions.py oldest|newest|colab-python|colab-packages
(prints the oldest or newest TensorFlow, Colab's Python version, or what the Colab
profile installs under requirements-colab.txt's constraints)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tools.book import ROOT

TF_OLDEST = "2.18.1"  # the oldest supported TensorFlow (matrix.sh runs it)
PYTHON_MAIN = "3.11"  # the Python of the main environment and the version matrix

REQUIREMENTS = ROOT / "requirements.txt"  # the authors' tools, and -r the chapters'
CHAPTERS = ROOT / "requirements-chapters.txt"  # what the chapters need (learners)
COLAB = ROOT / "requirements-colab.txt"  # Colab's packages, as constraints


def pin(package: str, path: Path | None = None) -> str:
    """The version a requirements or constraints file pins for PACKAGE (by default
    requirements.txt with the chapters' file it includes)."""
    paths = [REQUIREMENTS, CHAPTERS] if path is None else [path]
    text = "\n".join(p.read_text(encoding="utf-8") for p in paths)
    path = path or REQUIREMENTS
    found = re.findall(rf"^{re.escape(package)}==(\S+)", text, flags=re.MULTILINE)
    if len(found) != 1:
        raise SystemExit(f"{path.name} should pin {package} once, not {found}")
    return found[0]


def colab_header(key: str) -> str:
    """A "# KEY: VALUE" line of COLAB's header: python (X.Y) or torch."""
    found = re.search(rf"^# {key}: (\S+)$", COLAB.read_text(), re.MULTILINE)
    if not found:
        raise SystemExit(f"{COLAB.name} lacks its '# {key}: ...' line")
    return found[1]


def colab_python() -> str:
    """Colab's Python (major.minor)."""
    return colab_header("python")


def colab_installs() -> list[str]:
    """The packages the setup cell pip-installs on Colab (its Colab branch)."""
    template = (ROOT / "tools" / "author" / "setup_cell.py").read_text(encoding="utf-8")
    branch = re.search(
        r'^if "google.colab" in sys.modules:.*?\n(?=\S)', template, re.M | re.S
    )
    if branch is None:
        raise SystemExit("tools/author/setup_cell.py lost its Colab branch")
    return re.findall(r'"([\w.-]+)==[\w.]+"', branch[0])


# What the Colab profile runs the tests with, besides the chapters' packages.
COLAB_TEST_TOOLS = ["nbclient", "nbformat", "pyyaml", "pytest", "pytest-xdist", "nbval"]


def colab_packages() -> list[str]:
    """What tools/environments/colab.sh installs under COLAB's constraints: the
    chapters' packages (requirements-chapters.txt, by name: Colab's versions) but the
    ones the setup cell installs on Colab, and Colab's torch from PyPI; then the test
    tools, pinned as requirements.txt pins them where Colab lacks them."""
    names = chapter_packages()
    names = [name.removesuffix("-cpu") for name in names]  # Colab: tensorflow
    packages = [n for n in dict.fromkeys(names) if n not in colab_installs()]
    packages = [
        f"torch=={colab_header('torch')}" if n == "torch" else n for n in packages
    ]
    colab = COLAB.read_text(encoding="utf-8").lower()
    for tool in COLAB_TEST_TOOLS:
        in_colab = re.search(rf"^{re.escape(tool)}==", colab, flags=re.MULTILINE)
        packages.append(tool if in_colab else f"{tool}=={pin(tool)}")
    return packages


def chapter_packages() -> list[str]:
    """The names of the packages the chapters need (requirements-chapters.txt)."""
    text = CHAPTERS.read_text(encoding="utf-8")
    return re.findall(r"^([\w.-]+)==", text, flags=re.MULTILINE)


def tf_newest() -> str:
    """The TensorFlow the chapters pin (tensorflow-cpu and tensorflow agree)."""
    text = CHAPTERS.read_text(encoding="utf-8")
    pins = set(re.findall(r"^tensorflow(?:-cpu)?==(\S+)", text, flags=re.MULTILINE))
    if len(pins) != 1:
        raise SystemExit(f"requirements.txt should pin one TensorFlow, not {pins}")
    return pins.pop()


def minor(version: str) -> tuple[int, int]:
    """(major, minor) of a version string: '3.1.4' -> (3, 1)."""
    major, minor_, *_ = version.split(".")
    return int(major), int(minor_)


def tf_range() -> tuple[tuple[int, int], tuple[int, int]]:
    """(oldest, newest) as (major, minor) pairs, as the setup cell compares them."""
    return minor(TF_OLDEST), minor(tf_newest())


def tf_range_text() -> str:
    """The range in words, as the setup cell's warning and README.md state it."""
    (old_major, old_minor), (new_major, new_minor) = tf_range()
    return f"{old_major}.{old_minor} to {new_major}.{new_minor}"


def tested() -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
    """The (oldest, newest) major.minor of Python, TensorFlow, Keras and NumPy over
    the three environments, as the setup cell compares them."""
    versions = {
        "Python": [PYTHON_MAIN, colab_python()],
        "TensorFlow": [TF_OLDEST, tf_newest(), pin("tensorflow", COLAB)],
        "Keras": [pin("keras"), pin("keras", COLAB)],
        "NumPy": [pin("numpy"), pin("numpy", COLAB)],
    }
    return {
        name: (min(map(minor, found)), max(map(minor, found)))
        for name, found in versions.items()
    }


def range_text(name: str) -> str:
    """'3.11 to 3.13': the tested range of one package in words."""
    (old_major, old_minor), (new_major, new_minor) = tested()[name]
    return f"{old_major}.{old_minor} to {new_major}.{new_minor}"


if __name__ == "__main__":
    choice = sys.argv[1] if len(sys.argv) == 2 else ""
    answers = {"oldest": lambda: TF_OLDEST, "newest": tf_newest}
    answers["colab-python"] = colab_python
    answers["colab-packages"] = lambda: "\n".join(colab_packages())
    if choice not in answers:
        raise SystemExit(
            f"usage: python tools/environments/versions.py {'|'.join(answers)}"
        )
    print(answers[choice]())
