"""The book's tools, grouped by what each serves (CONTRIBUTING.md: where the tools are).

A regular package, not a namespace one, so that no installed distribution with a
top-level ``tools`` can take its place on ``sys.path``.
"""
