"""The book's tools, laid out as its pipeline: author, execute, derive, publish,
measure, with book.py, environments, data and lint beside them (CONTRIBUTING.md: the
pipeline; tests/test_layout.py keeps every import pointing down it).

A regular package, not a namespace one, so that no installed distribution with a
top-level ``tools`` can take its place on ``sys.path``.
"""
