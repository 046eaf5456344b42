"""Fixtures of the test suite (the root conftest.py sets up the chapters' kernels)."""

import pytest

from chapters import CHAPTERS


@pytest.fixture(params=CHAPTERS, ids=lambda p: p.stem)
def chapter(request):
    """Each chapter of _toc.yml (or of BOOK_CHAPTERS), one test each."""
    return request.param
