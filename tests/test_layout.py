"""The tools' layout is the book's pipeline (CONTRIBUTING: where the tools are): each
stage imports only itself and earlier stages, nothing imports in a cycle, no tool
imports test code, and no Python file of the repository edits ``sys.path``."""

import ast
from pathlib import Path

import pytest

from chapters import ROOT

# The pipeline, in order. A module may import its own stage and earlier ones; the
# base (book.py and the folders beside the pipeline) imports only the base.
BASE = 0
STAGES = {
    "book.py": BASE,
    "environments": BASE,
    "data": BASE,
    "lint": BASE,
    "author": 1,
    "execute": 2,
    "derive": 3,
    "publish": 4,
    "measure": 5,
    "grade": 6,
}
# What the tests' helpers are called when imported (pytest.ini's pythonpath).
TEST_MODULES = {"tests", "conftest", "chapters", "site_browser"}


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import in TREE, function-level ones included."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
            # `from tools.execute import tolerance` imports tools.execute.tolerance
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


def sys_path_edits(tree: ast.AST) -> list[int]:
    """Lines that change sys.path: a call of one of its methods or an assignment."""

    def is_sys_path(node) -> bool:
        return (
            isinstance(node, ast.Attribute)
            and node.attr == "path"
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
        )

    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if is_sys_path(node.func.value):
                lines.append(node.lineno)
        targets = []
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if is_sys_path(target) or (
                isinstance(target, ast.Subscript) and is_sys_path(target.value)
            ):
                lines.append(node.lineno)
    return lines


def stage_of(module: str) -> str | None:
    """The stage (a key of STAGES) of a module of the package `tools`."""
    parts = module.split(".")
    if parts[0] != "tools" or len(parts) < 2:
        return None
    return "book.py" if parts[1] == "book" else parts[1]


def layout_problems(root: Path) -> list[str]:
    """Everything wrong with the import graph of ROOT/tools (a repository's root)."""
    tools = root / "tools"
    problems = []
    graph: dict[str, set[str]] = {}
    for path in sorted(tools.rglob("*.py")):
        where = path.relative_to(root)
        module = module_name(path, root)
        stage = stage_of(module)
        if stage is None:  # tools/__init__.py
            graph[module] = set()
            continue
        if stage not in STAGES:
            problems.append(f"{where}: tools/{stage} is in no stage of the pipeline")
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        edges = graph.setdefault(module, set())
        for line, name in imports(tree):
            top = name.split(".")[0]
            if top in TEST_MODULES:
                problems.append(f"{where}:{line} imports test code ({name})")
                continue
            target = stage_of(name)
            if target is None:
                continue
            if target not in STAGES:
                problems.append(f"{where}:{line} imports {name}, in no stage")
                continue
            if STAGES[target] > STAGES[stage] or (
                STAGES[stage] == BASE
                and STAGES[target] == BASE
                and stage != target
                and target != "book.py"
            ):
                problems.append(
                    f"{where}:{line} imports {name}: {stage} may not import the "
                    f"later stage {target}"
                )
            if (tools / Path(*name.split(".")[1:])).with_suffix(".py").exists():
                edges.add(name)
    problems += [f"import cycle: {' -> '.join(c)}" for c in cycles(graph)]
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each module that is on one (depth-first search)."""
    found, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(trail[trail.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def python_files(root: Path) -> list[Path]:
    skip = {".venv", ".git", "_build", "ko", "learner", "practice", "node_modules"}
    return [
        p
        for p in root.rglob("*.py")
        if not any(part in skip or part.startswith(".venv") for part in p.parts)
        and ".offline-data" not in p.parts
        and "test-artifacts" not in p.parts
    ]


def sys_path_problems(root: Path) -> list[str]:
    problems = []
    for path in python_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line in sys_path_edits(tree):
            problems.append(f"{path.relative_to(root)}:{line} edits sys.path")
    return problems


def test_the_tools_import_down_the_pipeline_only():
    assert layout_problems(ROOT) == []


def test_every_folder_of_tools_is_a_stage():
    folders = {p.name for p in (ROOT / "tools").iterdir() if p.is_dir()}
    folders.discard("__pycache__")
    assert folders <= set(STAGES), folders - set(STAGES)


def test_no_python_file_edits_sys_path():
    assert sys_path_problems(ROOT) == []


@pytest.mark.parametrize(
    "files, expected",
    [
        (  # an upward import: the benchmark's stage imported by a derive tool
            {"derive/a.py": "from tools.measure import b\n", "measure/b.py": ""},
            "derive may not import the later stage measure",
        ),
        (  # the same, imported inside a function
            {
                "author/a.py": "def f():\n    import tools.publish.b\n",
                "publish/b.py": "",
            },
            "author may not import the later stage publish",
        ),
        (  # a cycle within one stage
            {
                "derive/a.py": "from tools.derive import b\n",
                "derive/b.py": "from tools.derive.a import x\n",
            },
            "import cycle: tools.derive.a -> tools.derive.b -> tools.derive.a",
        ),
        (  # a tool importing the tests' helpers
            {"publish/a.py": "from site_browser import visit_page\n"},
            "imports test code (site_browser)",
        ),
        (  # a folder outside the pipeline
            {"misc/a.py": ""},
            # (split so that test_hygiene's check of tools paths named in the
            # repository does not take this planted folder for a stale mention)
            "tools" + "/misc is in no stage",
        ),
        (  # one base folder importing another (only book.py is shared)
            {
                "data/a.py": "from tools.environments import b\n",
                "environments/b.py": "",
            },
            "data may not import the later stage environments",
        ),
    ],
    ids=["upward", "upward-in-function", "cycle", "test-code", "folder", "base"],
)
def test_the_layout_check_finds_a_planted_fault(tmp_path, files, expected):
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "__init__.py").write_text("")
    (tmp_path / "tools" / "book.py").write_text("")
    for name, text in files.items():
        path = tmp_path / "tools" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    problems = layout_problems(tmp_path)
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize(
    "source",
    [
        "import sys\nsys.path.insert(0, '.')\n",
        "import sys\nsys.path.append('x')\n",
        "import sys\nsys.path[:0] = ['a']\n",
        "import sys\nsys.path += ['a']\n",
        "import sys\nsys.path = ['a']\n",
    ],
)
def test_the_sys_path_check_finds_a_planted_edit(tmp_path, source):
    (tmp_path / "x.py").write_text(source)
    assert sys_path_problems(tmp_path) == ["x.py:2 edits sys.path"]
