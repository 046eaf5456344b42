"""Notebook hygiene: what every chapter file must look like before it is committed."""

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from chapters import CHAPTERS, ROOT
from tools.author.sync_cells import synced
from tools.execute.check_notebooks import CELL_METADATA, NOTEBOOK_METADATA
from tools.execute.tolerance import VARIES

TAGS = {
    "setup",
    "hide-input",
    "hide-output",
    "hide-cell",
    "remove-input",
    "remove-output",
    "remove-cell",
    "nbval-ignore-output",
    "raises-exception",
    VARIES,  # exact only on the machine kind that made it (tools/execute/tolerance.py)
}
# Absolute paths and user names that would leak from the author's machine.
LEAKS = re.compile(r"(/home/|/root/|/Users/|/work/|/tmp/|[A-Z]:\\\\|site-packages)")


def outputs_text(cell):
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            yield out.text
        elif out.output_type == "error":
            yield "\n".join(out.traceback)
        else:
            for mime, data in out.get("data", {}).items():
                if mime.startswith("text/") or mime.endswith("json"):
                    yield data if isinstance(data, str) else json.dumps(data)


def test_every_book_notebook_is_in_the_toc():
    listed = {p.resolve() for p in CHAPTERS}
    on_disk = {p.resolve() for p in (ROOT / "book").glob("*.ipynb")}
    assert on_disk - listed == set(), "notebooks missing from _toc.yml"
    toc = (ROOT / "_toc.yml").read_text()
    for name in re.findall(r"file:\s*(\S+)", toc):
        assert list(ROOT.glob(name + ".*")), (
            f"_toc.yml lists {name}, which does not exist"
        )


def test_kernelspec_is_python3(chapter):
    nb = nbformat.read(chapter, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["kernelspec"]["language"] == "python"


def test_no_stray_metadata(chapter):
    nb = nbformat.read(chapter, as_version=4)
    assert set(nb.metadata) <= NOTEBOOK_METADATA, set(nb.metadata) - NOTEBOOK_METADATA
    for i, cell in enumerate(nb.cells):
        extra = set(cell.metadata) - CELL_METADATA
        assert not extra, f"cell {i}: unexpected metadata {extra}"
        unknown = set(cell.metadata.get("tags", [])) - TAGS
        assert not unknown, f"cell {i}: unknown tags {unknown}"


def test_no_leaks_or_noise_in_outputs(chapter):
    nb = nbformat.read(chapter, as_version=4)
    for i, cell in enumerate(nb.cells):
        for text in outputs_text(cell):
            assert not LEAKS.search(text), f"cell {i}: a local path in the output"
            assert "missing from font" not in text, f"cell {i}: a glyph is missing"
            assert "Warning" not in text, f"cell {i}: a warning in the output"
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                assert out.name == "stdout", f"cell {i}: stderr output:\n{out.text}"
            if out.output_type == "error":
                tags = cell.metadata.get("tags", [])
                assert "raises-exception" in tags, f"cell {i}: unexpected error output"


def expected_buttons(chapter) -> dict[str, str]:
    """The button row's links, built here from _config.yml and the notebook's path in
    the repository, not with tools/author/sync_cells.py (which writes them)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]
    github = repo["url"].rstrip("/")  # https://github.com/OWNER/NAME
    owner_name = github.removeprefix("https://github.com/")
    branch = repo.get("branch", "main")
    book = repo.get("path_to_book", "").strip("/")  # the learner copies' folder
    rel = chapter.relative_to(ROOT).as_posix()
    path = "/".join(filter(None, [book, rel]))
    colab = config.get("launch_buttons", {}).get(
        "colab_url", "https://colab.research.google.com"
    )
    return {
        "Open in Colab": f"{colab}/github/{owner_name}/blob/{branch}/{path}",
        "Practice in Colab": (
            f"{colab}/github/{owner_name}/blob/{branch}/practice/{rel}"
        ),
        "View on GitHub": f"{github}/blob/{branch}/{path}",
        "Download the notebook": (
            f"https://raw.githubusercontent.com/{owner_name}/{branch}/{path}"
        ),
    }


def button_problems(chapter, first_source: str) -> list[str]:
    return [
        f"no [{label}]({url})"
        for label, url in expected_buttons(chapter).items()
        if f"[{label}]({url})" not in first_source
    ]


def test_first_cell_has_title_and_buttons(chapter):
    nb = nbformat.read(chapter, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    number = int(chapter.name.split("_")[0])
    assert re.match(rf"# {number}\. \S", first.source), "title must be '# N. Title'"
    assert button_problems(chapter, first.source) == []


def test_button_check_catches_wrong_links():
    chapter = CHAPTERS[0]
    first = nbformat.read(chapter, as_version=4).cells[0].source
    assert button_problems(chapter, first) == []
    branch = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["branch"]
    other_branch = first.replace(f"/{branch}/", "/some-other-branch/")
    no_folder = first.replace(f"/book/{chapter.name}", f"/{chapter.name}")
    for wrong in (other_branch, no_folder):
        assert wrong != first
        assert len(button_problems(chapter, wrong)) == 4, wrong


def test_setup_cell_is_in_sync(chapter):
    _, changed = synced(chapter)
    assert not changed, (
        "run: python tools/author/sync_cells.py, then tools/execute/execute.py"
    )


def test_setup_cell_comes_before_other_code(chapter):
    nb = nbformat.read(chapter, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "setup" in code[0].metadata.get("tags", [])


@pytest.mark.parametrize("cmd", [["format", "--check"], ["check"]])
def test_ruff(cmd):
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *cmd, "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# A path under tools/ as prose, code, scripts and configuration name it: `tools/x.py`,
# tools/publish/, tools/execute/kernel/profile_default/startup/ (not tools/*.py globs).
TOOLS_PATH = re.compile(r"(?<![\w./-])tools/[\w./-]*[\w/]")


def tools_paths_named(text: str) -> set[str]:
    return {m.rstrip(".") for m in TOOLS_PATH.findall(text)}


def test_tools_path_finder_reads_what_the_repository_writes():
    text = (
        "`bash tools/publish/vendor_assets.sh`; tools/execute/kernel/ (tools/book.py)."
    )
    assert tools_paths_named(text) == {
        "tools/publish/vendor_assets.sh",
        "tools/execute/kernel/",
        "tools/book.py",
    }


def stale_tools_paths(files: list[str]) -> list[str]:
    stale = []
    for name in files:
        try:
            text = (ROOT / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, IsADirectoryError, FileNotFoundError):
            continue
        stale += [
            f"{name}: {p}"
            for p in sorted(tools_paths_named(text))
            if not (ROOT / p).exists()
        ]
    return stale


def tracked_files() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return out.split()


def test_every_tools_path_named_in_the_repository_exists(tmp_path):
    """Docs, notebooks (and their Korean, learner and practice copies), scripts and
    configuration name the tools by path: after a tool moves, every stale mention
    fails here. A planted stale path is caught."""
    this = Path(__file__).relative_to(ROOT).as_posix()  # it plants stale paths
    assert stale_tools_paths([f for f in tracked_files() if f != this]) == []
    planted = tmp_path / "doc.md"
    planted.write_text("run tools/execute.py, then tools/execute/execute.py")
    assert stale_tools_paths([str(planted)]) == [f"{planted}: tools/execute.py"]
