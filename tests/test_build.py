"""The site builds from the committed outputs, with zero warnings, in seconds."""

import html as html_lib
import re
import subprocess
import sys
from pathlib import Path

import nbformat

from bookpaths import CHAPTERS, ROOT


def test_site_builds_without_warnings(tmp_path):
    jb = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [
            str(jb),
            "build",
            "--warningiserror",
            "--nitpick",
            "--keep-going",
            "--path-output",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-5000:]
    assert not re.search(r"\bWARNING\b", log), log[-5000:]
    html = tmp_path / "_build" / "html"
    for chapter in CHAPTERS:
        page = html / chapter.relative_to(ROOT).with_suffix(".html")
        assert page.exists(), page
        # The page shows the outputs saved in the notebook (nothing re-executed).
        notebook = nbformat.read(chapter, as_version=4)
        printed = [
            o.text.splitlines()[0]
            for c in notebook.cells
            if c.cell_type == "code"
            for o in c.outputs
            if o.output_type == "stream" and o.text.strip()
        ]
        text = html_lib.unescape(page.read_text())
        for line in printed[1:4]:
            assert line.split(":")[0] in text, f"{page.name} lacks output {line!r}"
