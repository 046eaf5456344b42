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


def pytest_sessionstart(session):
    if not ONLINE and not (MIRROR / "MANIFEST.json").exists():
        raise pytest.UsageError(
            f"The offline dataset mirror is missing ({MIRROR}). Run "
            "`bash tools/test.sh` (it builds the mirror first) or "
            "`python tools/make_mirror.py`."
        )


@pytest.fixture(params=CHAPTERS, ids=lambda p: p.stem)
def chapter(request):
    return request.param
