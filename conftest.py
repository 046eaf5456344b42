"""Shared test set-up (at the root so that its hooks also see book/).

Importing this file puts the kernels nbval starts in the same offline mode
tools/execute.py uses: the IPython startup shim serves datasets from the mirror,
never from the network. Only notebooks listed in _toc.yml are collected.
"""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))

from bookpaths import CHAPTERS  # noqa: E402  (also puts tools/ on sys.path)
from execute import MIRROR, offline_env  # noqa: E402

# BOOK_ONLINE=1 (GitHub Actions' full-data job): the real loaders download the real
# datasets; run it with --nbval-lax, since the saved outputs came from the mirror.
ONLINE = os.environ.get("BOOK_ONLINE") == "1"
os.environ.update(offline_env())
if ONLINE:
    os.environ.pop("BOOK_DATA_MIRROR")


def pytest_ignore_collect(collection_path, config):
    """nbval runs only the notebooks listed in _toc.yml."""
    if collection_path.suffix == ".ipynb":
        return collection_path.resolve() not in {p.resolve() for p in CHAPTERS}
    return None


# What each test needs beyond the repository and .venv (pytest.ini lists the
# markers). A test file or test not named here reads files only and is marked fast:
# `pytest -m fast -n 0` runs those in a fresh clone, without the dataset mirror, npm
# or Chromium (CONTRIBUTING: the fast path).
NEEDS = {
    "test_site.py": ["browser", "build", "npm"],
    "test_pdf.py": ["browser", "build", "npm"],
    "test_build.py": ["build", "npm"],
    "test_qna.py::test_every_link_resolves_to_an_existing_anchor": ["build", "npm"],
    "test_glossary.py::test_build_warns_on_an_undefined_term": ["build"],
    "test_offline_data.py": ["mirror", "npm"],
    "test_workflows.py": ["npm"],
    "test_determinism.py": ["notebooks", "mirror"],
    "test_perturbed.py::test_a_perturbation_that_changes_nothing_fails_the_canary": [
        "slow"
    ],
    "test_fresh_claims.py": ["slow"],
    "test_demo_frames.py::"
    "test_nbval_accepts_other_pixels_and_rejects_a_missing_frame": ["slow"],
    "test_provenance.py::test_nbval_fails_when_a_saved_output_differs": ["slow"],
    "test_precommit.py": ["slow"],
    "test_hangul.py": ["slow"],
    "test_status.py::test_a_failing_chapter_shows_its_traceback": ["slow"],
    "test_learner.py::test_a_learner_copy_runs_alone_as_colab_opens_it": [
        "slow",
        "mirror",
    ],
}


@pytest.hookimpl(tryfirst=True)  # before -m selects by these markers
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.suffix == ".ipynb":
            needs = ["notebooks", "mirror"]
        else:
            name = item.path.name
            function = f"{name}::{item.originalname}"
            needs = NEEDS.get(function, []) + NEEDS.get(name, [])
        for mark in needs or ["fast"]:
            item.add_marker(mark)


def pytest_collection_finish(session):
    """Refuse to start tests that need the dataset mirror when it is missing."""
    needs_mirror = any(item.get_closest_marker("mirror") for item in session.items)
    if needs_mirror and not ONLINE and not (MIRROR / "MANIFEST.json").exists():
        raise pytest.UsageError(
            f"The offline dataset mirror is missing ({MIRROR}). Run "
            "`bash tools/test.sh` (it builds the mirror first) or "
            "`python tools/make_mirror.py`; or run only the tests that do not need "
            "it: `pytest -m fast -n 0` (CONTRIBUTING: the fast path)."
        )


@pytest.fixture(params=CHAPTERS, ids=lambda p: p.stem)
def chapter(request):
    return request.param
