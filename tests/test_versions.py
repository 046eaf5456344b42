"""The supported TensorFlow range has one definition (tools/versions.py: the oldest
in one line, the newest as requirements.txt pins it), and everything states it."""

import re
import subprocess
import sys

from bookpaths import ROOT
from sync_cells import SETUP_SOURCE
from versions import TF_OLDEST, tf_newest, tf_range, tf_range_text

README = ROOT / "README.md"


def readme_problems(text: str) -> list[str]:
    """Where README.md's statements of the range differ from tools/versions.py."""
    oldest = tf_range_text().split(" to ")[0]
    statements = {
        # "the chapters are tested with TensorFlow OLDEST to NEWEST (Keras 3)"
        r"tested with TensorFlow (\d+\.\d+ to \d+\.\d+)": tf_range_text(),
        # "executed afresh on the oldest supported TensorFlow, OLDEST, in a second venv"
        r"oldest supported TensorFlow,? (\d+\.\d+)": oldest,
    }
    problems = []
    for pattern, expected in statements.items():
        found = re.findall(pattern, re.sub(r"\s+", " ", text))
        if not found:
            problems.append(f"README.md no longer says /{pattern}/: update this test")
        problems += [
            f"README.md says {value!r} where tools/versions.py gives {expected!r}"
            for value in found
            if value != expected
        ]
    return problems


def test_readme_states_the_supported_range():
    assert readme_problems(README.read_text(encoding="utf-8")) == []


def test_a_wrong_range_in_the_readme_is_caught():
    text = README.read_text(encoding="utf-8")
    old, new = tf_range_text().split(" to ")
    stale = text.replace(f"TensorFlow {old} to {new}", f"TensorFlow {old} to 9.99")
    assert stale != text
    assert len(readme_problems(stale)) == 1
    older = text.replace(
        f"oldest supported TensorFlow, {old}", "oldest supported TensorFlow, 1.0"
    )
    assert older != text
    assert len(readme_problems(older)) == 1


def test_setup_cell_guards_the_supported_range():
    """The generated setup cell compares with, and names, the same range."""
    assert f"TESTED_TF = {tf_range()!r}  #" in SETUP_SOURCE
    assert f"tested with TensorFlow {tf_range_text()};" in SETUP_SOURCE
    assert "__" + "TESTED_TF__" not in SETUP_SOURCE  # every placeholder filled in
    assert "__" + "TF_RANGE__" not in SETUP_SOURCE


def test_newest_is_the_pinned_version():
    pins = re.findall(
        r"^tensorflow(?:-cpu)?==(\S+)",
        (ROOT / "requirements.txt").read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    assert pins and set(pins) == {tf_newest()}
    assert tf_range()[0] <= tf_range()[1]


def test_shell_scripts_read_the_definition():
    """tools/tf_version.sh (the version matrix) asks tools/versions.py."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "versions.py"), "oldest"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == TF_OLDEST
    assert "tools/versions.py oldest" in (ROOT / "tools" / "tf_version.sh").read_text()


CODE = {".py", ".sh", ".yml", ".yaml", ".cfg", ".toml", ".txt", ".ini", ""}


def code_files():
    """Code, scripts and configuration: everything but prose and notebooks."""
    files = [p for p in ROOT.iterdir() if p.is_file() and p.suffix in CODE]
    for folder in ("tools", "tests", ".ci", ".github"):
        files += [p for p in (ROOT / folder).rglob("*") if p.suffix in CODE]
    return [p for p in files if p.is_file() and "__pycache__" not in p.parts]


def test_the_oldest_appears_in_one_line_of_code():
    """No other code, script or configuration line names the oldest version, in any
    spelling (X.Y.Z, X.Y, (X, Y)); prose may (README.md's is checked above)."""
    major, minor = tf_range()[0]
    version = re.compile(rf"(?<![\d.]){major}\.{minor}(?!\d)|\({major}, {minor}\)")
    hits = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in code_files()
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
        if version.search(line) and re.search("tensorflow|tf", line, re.IGNORECASE)
    ]
    definition = f'tools/versions.py: TF_OLDEST = "{TF_OLDEST}"'
    assert len(hits) == 1 and hits[0].startswith(definition), hits
