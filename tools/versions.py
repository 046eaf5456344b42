"""The TensorFlow versions the book supports, defined once.

The oldest is the line below; the newest is the version requirements.txt pins (the
one the committed outputs come from). tools/sync_cells.py writes the range into the
setup cell's version guard, tools/tf_version.sh installs the oldest for the version
matrix, and tests/test_versions.py checks that README.md states the same range.

Usage: python tools/versions.py oldest|newest   (prints that TensorFlow version)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TF_OLDEST = "2.18.1"  # the oldest supported TensorFlow (tools/matrix.sh runs it)

REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements.txt"


def tf_newest() -> str:
    """The TensorFlow requirements.txt pins (tensorflow-cpu and tensorflow agree)."""
    text = REQUIREMENTS.read_text(encoding="utf-8")
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


if __name__ == "__main__":
    choice = sys.argv[1] if len(sys.argv) == 2 else ""
    if choice not in ("oldest", "newest"):
        raise SystemExit("usage: python tools/versions.py oldest|newest")
    print(TF_OLDEST if choice == "oldest" else tf_newest())
