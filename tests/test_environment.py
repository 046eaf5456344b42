"""Every environment variable the tools read is in CONTRIBUTING's one table
("Environment variables"), and every row of that table is read by some tool: a
variable added without a row, or a row left behind after its variable went, fails.

Read means read from outside: `os.environ.get("X")`, `os.getenv("X")`,
`os.environ["X"]`, `"X" in os.environ`, `os.environ.setdefault("X", ...)` in Python
(tools/, conftest.py and the tests' helpers and tests), and in shell scripts a
`${X...}` or `$X` that the script never assigns itself.
"""

import ast
import re
from pathlib import Path

import pytest

from chapters import ROOT

# Variables the shell sets for every script; reading them is not configuration.
SHELL_OWN = {"SECONDS", "HOME", "PATH", "PWD", "UID", "RANDOM", "BASH_SOURCE", "IFS"}
TABLE_HEADING = "## Environment variables"


def is_environ(node) -> bool:
    """os.environ (or environ imported from os)."""
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def python_reads(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        key = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            func = node.func
            reader = (
                is_environ(func.value) and func.attr in {"get", "setdefault"}
            ) or (func.attr == "getenv")
            if reader and node.args:
                key = node.args[0]
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            if is_environ(node.value):
                key = node.slice
        elif isinstance(node, ast.Compare) and len(node.ops) == 1:
            if isinstance(node.ops[0], (ast.In, ast.NotIn)) and is_environ(
                node.comparators[0]
            ):
                key = node.left
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.add(key.value)
    return names


SHELL_USE = re.compile(r"\$\{?([A-Z][A-Z0-9_]*)")
SHELL_SET = re.compile(
    r"(?:^|[\s;(])(?:export\s+|local\s+|readonly\s+)?([A-Z][A-Z0-9_]*)=|"
    r"\b(?:for|read)\s+([A-Z][A-Z0-9_]*)\b",
    re.M,
)


def shell_reads(source: str) -> set[str]:
    code = "\n".join(
        line.split(" #")[0]
        for line in source.splitlines()
        if not line.lstrip().startswith("#")
    )
    used = set(SHELL_USE.findall(code))
    assigned = {a or b for a, b in SHELL_SET.findall(code)}
    # `X="${X:-default}"` reads X from outside although it assigns it too
    defaulted = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*):?[-?]", code))
    return (used - assigned - SHELL_OWN) | defaulted


def sources(root: Path) -> list[Path]:
    files = [*(root / "tools").rglob("*.py"), *(root / "tools").rglob("*.sh")]
    files += [root / "conftest.py", *sorted((root / "tests").glob("*.py"))]
    files += [root / ".ci" / "run"]
    return [f for f in files if f.exists()]


def reads(root: Path) -> dict[str, set[str]]:
    """variable -> the files (relative to ROOT) that read it."""
    found: dict[str, set[str]] = {}
    for path in sources(root):
        text = path.read_text(encoding="utf-8")
        names = python_reads(text) if path.suffix == ".py" else shell_reads(text)
        if path.name == "test_environment.py":
            names = set()  # this file's planted examples are not reads
        for name in names:
            found.setdefault(name, set()).add(str(path.relative_to(root)))
    return found


def table(markdown: str) -> dict[str, str]:
    """The rows of the section TABLE_HEADING: variable -> what it does."""
    if TABLE_HEADING not in markdown:
        raise AssertionError(f"CONTRIBUTING.md has no section {TABLE_HEADING!r}")
    section = markdown.split(TABLE_HEADING, 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        m = re.match(r"\|\s*`([A-Z][A-Z0-9_]*)`\s*\|(.*)\|\s*$", line)
        if m:
            rows[m[1]] = m[2]
    return rows


def table_problems(root: Path) -> list[str]:
    found = reads(root)
    rows = table((root / "CONTRIBUTING.md").read_text(encoding="utf-8"))
    problems = [
        f"{name} is read by {', '.join(sorted(files))} but not in CONTRIBUTING's table"
        for name, files in sorted(found.items())
        if name not in rows
    ]
    problems += [
        f"CONTRIBUTING's table lists {name}, which no tool reads"
        for name in sorted(rows)
        if name not in found
    ]
    return problems


def test_every_variable_read_is_in_the_one_table_and_no_other_row():
    assert table_problems(ROOT) == []


def test_python_reads_are_found():
    source = (
        "import os\nfrom os import environ\n"
        "a = os.environ.get('A')\nb = os.getenv('B', '1')\nc = os.environ['C']\n"
        "d = 'D' in os.environ\nos.environ.setdefault('E', 'x')\n"
        "os.environ['SET_ONLY'] = '1'\nf = environ.get('F')\n"
    )
    assert python_reads(source) == {"A", "B", "C", "D", "E", "F"}


def test_shell_reads_are_found():
    source = (
        'VENV="${VENV:-.venv}"\nOUT=/tmp/x\necho "$OUT" "$CHROMIUM" "${SECONDS}"\n'
        "for NB in a b; do echo $NB; done\n# $COMMENTED\n"
    )
    assert shell_reads(source) == {"VENV", "CHROMIUM"}


@pytest.mark.parametrize(
    "tool, rows, expected",
    [
        (  # a planted variable read by a tool but not in the table
            "import os\nos.environ.get('BOOK_PLANTED')\n",
            "",
            # (split: test_hygiene checks every tools path the repository names)
            "BOOK_PLANTED is read by tools" + "/x.py but not in CONTRIBUTING's table",
        ),
        (  # a planted row for a variable no tool reads any more
            "",
            "| `BOOK_GONE` | x | y |\n",
            "CONTRIBUTING's table lists BOOK_GONE, which no tool reads",
        ),
    ],
    ids=["unlisted", "stale-row"],
)
def test_the_table_check_finds_a_planted_fault(tmp_path, tool, rows, expected):
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "x.py").write_text(tool)
    (tmp_path / "CONTRIBUTING.md").write_text(
        f"{TABLE_HEADING}\n\n| variable | read by | what |\n|---|---|---|\n{rows}"
    )
    assert expected in table_problems(tmp_path)
