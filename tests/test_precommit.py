"""pre-commit runs clean on the repository and refuses an unexecuted notebook edit."""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from chapters import CHAPTERS, ROOT

# What these tests need beyond the repository (pytest.ini: the markers).
pytestmark = pytest.mark.slow

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)


def make_repo(tmp_path):
    """A throwaway git repository holding the files the hooks look at."""
    repo = tmp_path / "repo"
    repo.mkdir()
    names = [".pre-commit-config.yaml", "ruff.toml", "_config.yml", "_toc.yml"]
    requirements = [
        "requirements.txt",
        "requirements-chapters.txt",
        "requirements-colab.txt",
    ]
    for name in [*names, *requirements]:  # versions.py
        shutil.copy(ROOT / name, repo / name)
    shutil.copytree(
        ROOT / "tools",
        repo / "tools",
        ignore=shutil.ignore_patterns("__pycache__", "log", "pid", "security"),
    )
    (repo / "book").mkdir()
    for chapter in CHAPTERS:
        shutil.copy(chapter, repo / "book" / chapter.name)
    (repo / ".venv").symlink_to(ROOT / ".venv")
    run(["git", "init", "-q"], repo)
    run(["git", "config", "user.email", "test@example.invalid"], repo)
    run(["git", "config", "user.name", "test"], repo)
    return repo


def test_hooks_pass_on_the_repository(tmp_path):
    repo = make_repo(tmp_path)
    run(["git", "add", "-A"], repo)
    result = run([str(PRE_COMMIT), "run", "--all-files"], repo)
    assert result.returncode == 0, result.stdout + result.stderr


def test_commit_of_an_unexecuted_edit_is_refused(tmp_path):
    repo = make_repo(tmp_path)
    run(["git", "add", "-A"], repo)
    assert run([str(PRE_COMMIT), "install"], repo).returncode == 0
    first = run(["git", "commit", "-qm", "start"], repo)
    assert first.returncode == 0, first.stdout + first.stderr
    target = repo / "book" / CHAPTERS[0].name
    notebook = nbformat.read(target, as_version=4)
    cell = next(
        c
        for c in notebook.cells
        if c.cell_type == "code" and "setup" not in c.metadata.get("tags", [])
    )
    cell.source += "\nprint('edited, never run')"
    nbformat.write(notebook, target)
    run(["git", "add", "-A"], repo)
    result = run(["git", "commit", "-qm", "edit without re-running"], repo)
    assert result.returncode != 0
    assert (
        "code changed after the outputs were produced" in result.stdout + result.stderr
    )
    assert (
        f"tools/execute/execute.py book/{CHAPTERS[0].name}"
        in result.stdout + result.stderr
    )
