"""The tested versions have one definition (tools/environments/versions.py: the oldest
TensorFlow in one line, the newest as requirements.txt pins it, Colab's as
requirements-colab.txt pins them), and everything states it."""

import re
import subprocess
import sys
import warnings

import pytest

from chapters import ROOT
from tools.author.sync_cells import SETUP_SOURCE
from tools.environments import versions
from tools.environments.versions import (
    PYTHON_MAIN,
    TF_OLDEST,
    colab_packages,
    colab_python,
    range_text,
    tf_newest,
    tf_range,
    tf_range_text,
)

README = ROOT / "README.md"


def readme_problems(text: str) -> list[str]:
    """Where README.md's statements of the range differ from
    tools/environments/versions.py."""
    oldest = tf_range_text().split(" to ")[0]
    statements = {
        # "tested on Python X to Y with TensorFlow OLDEST to NEWEST, Keras ..."
        r"with TensorFlow (\d+\.\d+ to \d+\.\d+)": tf_range_text(),
        # "executed afresh on the oldest supported TensorFlow, OLDEST, in a second venv"
        r"oldest supported TensorFlow,? (\d+\.\d+)": oldest,
        r"tested on Python (\d+\.\d+ to \d+\.\d+)": range_text("Python"),
        r"Keras (\d+\.\d+ to \d+\.\d+)": range_text("Keras"),
        r"NumPy (\d+\.\d+ to \d+\.\d+)": range_text("NumPy"),
        r"Colab's Python (\d+\.\d+)": colab_python(),
        r"a fresh Debian or Ubuntu machine with Python (\d+\.\d+)": PYTHON_MAIN,
    }
    problems = []
    for pattern, expected in statements.items():
        found = re.findall(pattern, re.sub(r"\s+", " ", text))
        if not found:
            problems.append(f"README.md no longer says /{pattern}/: update this test")
        problems += [
            f"README.md says {value!r} where tools/environments/versions.py "
            f"gives {expected!r}"
            for value in found
            if value != expected
        ]
    return problems


def test_readme_states_the_supported_range():
    assert readme_problems(README.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "right, wrong",
    [
        (f"TensorFlow {tf_range_text()}", "TensorFlow 2.0 to 9.99"),
        (
            f"oldest supported TensorFlow, {tf_range_text()[:4]}",
            "oldest supported TensorFlow, 1.0",
        ),
        (f"Python {range_text('Python')}", "Python 3.8 to 3.13"),
        (f"Keras {range_text('Keras')}", "Keras 3.0 to 3.15"),
        (f"NumPy {range_text('NumPy')}", "NumPy 1.26 to 2.4"),
        (f"Colab's Python {colab_python()}", "Colab's Python 3.12"),
    ],
)
def test_a_wrong_range_in_the_readme_is_caught(right, wrong):
    text = re.sub(r"\s+", " ", README.read_text(encoding="utf-8"))
    assert right in text
    assert len(readme_problems(text.replace(right, wrong, 1))) == 1


def test_setup_cell_guards_the_tested_ranges():
    """The generated setup cell compares with the same ranges."""
    assert "TESTED = {" in SETUP_SOURCE
    assert "__" + "TESTED__" not in SETUP_SOURCE  # every placeholder filled in
    namespace = guard_namespace(versions={})
    assert namespace["TESTED"] == versions.tested()


class Module:
    def __init__(self, version):
        self.__version__ = version


def guard_namespace(versions: dict) -> dict:
    """Run the setup cell's version guard with stand-in modules of VERSIONS."""
    start = SETUP_SOURCE.index("TESTED = {")
    end = SETUP_SOURCE.index("QUIZ_URL =")
    python = versions.get("Python", "3.11.7")
    namespace = {
        "sys": type("Sys", (), {"version": f"{python} (main, Jan 1 2026) [GCC]"}),
        "tf": Module(versions.get("TensorFlow", tf_newest())),
        "keras": Module(versions.get("Keras", "3.15.1")),
        "np": Module(versions.get("NumPy", "2.4.6")),
        "warnings": warnings,
    }
    exec(SETUP_SOURCE[start:end], namespace)
    return namespace


@pytest.mark.parametrize(
    "name, version",
    [
        ("Python", "3.10.13"),
        ("TensorFlow", "2.17.1"),
        ("TensorFlow", "2.22.0rc1"),
        ("Keras", "3.12.0"),
        ("NumPy", "1.26.4"),
    ],
)
def test_the_guard_warns_outside_the_tested_ranges(name, version):
    with pytest.warns(
        UserWarning, match=rf"not tested with {name} {version} \(tested: "
    ):
        guard_namespace({name: version})


def test_the_guard_is_quiet_inside_them():
    colab = {"Python": "3.13.15", "TensorFlow": "2.20.0", "Keras": "3.13.2"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        guard_namespace({**colab, "NumPy": "2.1.3"})
        guard_namespace({"TensorFlow": TF_OLDEST})


def test_the_colab_profile_installs_colabs_own_packages():
    """Colab's TensorFlow (not -cpu) and torch; not what the setup cell installs
    there (the profile must see those installs run)."""
    packages = colab_packages()
    assert "tensorflow" in packages and "keras" in packages
    assert not any(p.startswith(("koreanize", "jupyterquiz")) for p in packages)
    assert [p for p in packages if p.startswith("torch")] == ["torch==2.11.0"]


def colab_gaps(chapter_packages, colab_text, setup_installs, torch) -> list[str]:
    """The chapters' packages Colab would lack: neither pinned in Colab's runtime
    (requirements-colab.txt), nor installed by the setup cell's Colab branch, nor the
    torch its header names."""
    pinned = set(re.findall(r"^([\w.-]+)==", colab_text.lower(), flags=re.MULTILINE))
    gaps = []
    for name in chapter_packages:
        name = name.lower().removesuffix("-cpu")  # Colab has tensorflow, not -cpu
        if name in pinned or name in setup_installs or (name == "torch" and torch):
            continue
        gaps.append(name)
    return gaps


def test_colab_has_every_package_the_chapters_need():
    """A chapter opened in Colab finds each package it imports: Colab's runtime has it
    (its version is the one the Colab profile tests), or the setup cell installs it."""
    colab = versions.COLAB.read_text(encoding="utf-8")
    gaps = colab_gaps(
        versions.chapter_packages(),
        colab,
        versions.colab_installs(),
        versions.colab_header("torch"),
    )
    assert gaps == [], f"Colab lacks {gaps}: pin it in the setup cell's Colab branch"


def test_a_package_colab_lacks_is_found():
    """Planted: a chapter package Colab does not have, and one the setup cell drops."""
    colab = versions.COLAB.read_text(encoding="utf-8")
    installs = versions.colab_installs()
    packages = [*versions.chapter_packages(), "planted-package"]
    torch = versions.colab_header("torch")
    assert colab_gaps(packages, colab, installs, torch) == ["planted-package"]
    assert colab_gaps(versions.chapter_packages(), colab, installs[1:], torch) == [
        installs[0]
    ]


def test_newest_is_the_pinned_version():
    pins = re.findall(
        r"^tensorflow(?:-cpu)?==(\S+)",
        (ROOT / "requirements-chapters.txt").read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    assert pins and set(pins) == {tf_newest()}
    assert tf_range()[0] <= tf_range()[1]


def test_shell_scripts_read_the_definition():
    """tools/environments/tf_version.sh (the version matrix) asks
    tools/environments/versions.py."""
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "environments" / "versions.py"),
            "oldest",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == TF_OLDEST
    assert (
        "tools/environments/versions.py oldest"
        in (ROOT / "tools" / "environments" / "tf_version.sh").read_text()
    )


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
    definition = f'tools/environments/versions.py: TF_OLDEST = "{TF_OLDEST}"'
    assert len(hits) == 1 and hits[0].startswith(definition), hits


def test_the_workflow_runs_the_main_python():
    workflow = (ROOT / ".github" / "workflows" / "book.yml").read_text()
    assert set(re.findall(r"container: python:(\d+\.\d+)-", workflow)) == {PYTHON_MAIN}


LOCK = ROOT / "requirements.lock"


def lock_problems(requirements: list[str], lock: str) -> list[str]:
    """Where requirements.lock (tools/environments/lock.sh) disagrees with the
    requirements files it was made from (their texts, in lock.sh's order)."""
    import hashlib

    problems = []
    digest = hashlib.sha256("".join(requirements).encode()).hexdigest()
    made_from = re.search(r"^# from: (\w+)$", lock, flags=re.MULTILINE)
    if not made_from or made_from[1] != digest:
        problems.append("made from other requirements files")
    locked = dict(re.findall(r"^([\w.-]+)==(\S+)", lock, flags=re.MULTILINE))
    locked = {name.lower().replace("_", "-"): v for name, v in locked.items()}
    for text in requirements:
        for name, version in re.findall(r"^([\w.-]+)==([^\s;]+)", text, re.MULTILINE):
            name = name.lower().replace("_", "-")
            if name == "torch":  # installed by its pin after the lock (lock.sh)
                continue
            if name == "tensorflow" and "tensorflow-cpu" in locked:
                continue  # the macOS/Windows line; Linux installs tensorflow-cpu
            if locked.get(name) != version:
                problems.append(f"{name}=={version} is locked as {locked.get(name)}")
    return problems


def requirement_texts() -> list[str]:
    return [
        (ROOT / name).read_text(encoding="utf-8")
        for name in ("requirements.txt", "requirements-chapters.txt")
    ]


def test_the_lock_is_made_from_the_requirements():
    assert lock_problems(requirement_texts(), LOCK.read_text(encoding="utf-8")) == [], (
        "run `bash tools/environments/lock.sh` (uv pip compile) after changing a pin"
    )


def test_a_pin_changed_without_a_new_lock_is_found():
    texts = requirement_texts()
    planted = [texts[0], texts[1].replace("keras==3.15.1", "keras==3.14.0")]
    problems = lock_problems(planted, LOCK.read_text(encoding="utf-8"))
    assert problems == [
        "made from other requirements files",
        "keras==3.14.0 is locked as 3.15.1",
    ]


def colab_pin_problems(template: str, chapters: str) -> list[str]:
    """Where a pin of the setup cell's Colab branch differs from the chapters' pin."""
    problems = []
    for name, version in re.findall(r'"([\w.-]+)==([\w.]+)"', template):
        pinned = re.search(rf"^{re.escape(name)}==(\S+)", chapters, re.MULTILINE)
        if not pinned or pinned[1] != version:
            got = pinned[1] if pinned else "not pinned"
            problems.append(f"{name}: Colab installs {version}, the chapters pin {got}")
    return problems


def test_colab_installs_the_versions_the_chapters_pin():
    template = (ROOT / "tools" / "author" / "setup_cell.py").read_text("utf-8")
    chapters = versions.CHAPTERS.read_text(encoding="utf-8")
    assert re.findall(r'"([\w.-]+)==', template) == versions.colab_installs()
    assert colab_pin_problems(template, chapters) == []
    planted = chapters.replace("jupyterquiz==2.9.6.4", "jupyterquiz==2.9.7")
    assert colab_pin_problems(template, planted) == [
        "jupyterquiz: Colab installs 2.9.6.4, the chapters pin 2.9.7"
    ]
