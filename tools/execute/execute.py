"""Execute chapter notebooks in place and record where their outputs came from.

``python tools/execute/execute.py book/03_softmax_argmax.ipynb`` (or no argument:
every notebook in ``_toc.yml``) runs each notebook top to bottom in a fresh kernel,
offline, against the dataset mirror (the same set-up the tests use), saves the outputs
into the notebook and writes ``metadata.book.code_sha256``: a hash of its code cells.
``tests/test_provenance.py`` recomputes that hash, so a code edit that was not followed
by this command fails the tests. It also records ``metadata.book.machine``: the CPU
model and count and the versions that made the outputs (tools/execute/machine.py), so
the verification compares exactly on that kind of machine and within the measured
tolerances on any other.

``--out DIR`` writes executed copies into DIR instead (tools/execute/fresh_claims.sh).
``--colab`` runs each chapter's learner copy (learner/book/) the way Colab opens
it: alone in an empty folder, ``google.colab`` imported (a stand-in), the two
packages the setup cell installs on Colab uninstalled first so that its pip
installs really run, no network in the kernel, and demos as live widgets. Each run
must then show its quiz and its demos, write nothing beside itself, and report the
environment's own TensorFlow and Keras (tools/environments/colab.sh, the Colab profile).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import nbformat

from tools.book import ROOT
from tools.execute import figure_text
from tools.execute.machine import identity

# The kernels' IPython profile: its source (the config and the offline-data shim) is
# tools/execute/kernel/; kernels run with a copy in .offline-data/ipython/, so the
# folders IPython writes at run time (log, pid, security) stay out of the source tree.
PROFILE = ROOT / "tools" / "execute" / "kernel" / "profile_default"
IPYTHONDIR = ROOT / ".offline-data" / "ipython"
# The Colab profile's kernels: the same profile plus
# tools/execute/kernel/colab_startup.py.
COLAB_STARTUP = PROFILE.parent / "colab_startup.py"
COLAB_IPYTHONDIR = ROOT / ".offline-data" / "ipython-colab"
MIRROR = ROOT / ".offline-data" / "mirror"
TIMEOUT = 300  # seconds per cell; chapters are budgeted far below this


def kernel_profile(ipythondir: Path = IPYTHONDIR, extra: dict | None = None) -> Path:
    """IPYTHONDIR with the current copy of the profile (atomic writes: pytest's
    workers call this side by side); EXTRA maps more files (relative to the
    profile) to their sources."""
    files = {source.relative_to(PROFILE): source for source in PROFILE.rglob("*.py")}
    for relative, source in {**files, **(extra or {})}.items():
        target = ipythondir / "profile_default" / relative
        if not target.exists() or target.read_bytes() != source.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.{os.getpid()}")
            partial.write_bytes(source.read_bytes())
            os.replace(partial, target)
    return ipythondir


def offline_env() -> dict[str, str]:
    """Environment variables for kernels that must run like CI: offline, mirrored.

    With BOOK_ONLINE=1 (GitHub Actions' full-data jobs) the mirror is left out and
    the ordinary Keras loaders download the real datasets.
    """
    kernel_profile()
    env = {
        "IPYTHONDIR": str(IPYTHONDIR),
        "BOOK_DATA_MIRROR": str(MIRROR),
        "PYTHONHASHSEED": "0",
        "BOOK_STATIC_DEMOS": "1",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }
    if os.environ.get("BOOK_ONLINE") == "1":
        del env["BOOK_DATA_MIRROR"]
        os.environ.pop("BOOK_DATA_MIRROR", None)
    return env


def colab_env() -> dict[str, str]:
    """offline_env() as Colab starts a kernel: google.colab imported (a stand-in),
    no network in the kernel, and demos as live widgets, not static frames."""
    env = offline_env()
    del env["BOOK_STATIC_DEMOS"]
    os.environ.pop("BOOK_STATIC_DEMOS", None)
    startup = {Path("startup") / "10_colab.py": COLAB_STARTUP}
    env["IPYTHONDIR"] = str(kernel_profile(COLAB_IPYTHONDIR, startup))
    stand_in = COLAB_IPYTHONDIR / "stand_in"
    module = stand_in / "google" / "colab" / "__init__.py"  # google: a namespace
    module.parent.mkdir(parents=True, exist_ok=True)
    module.write_text(
        '"""A stand-in for Colab\'s google.colab (tools/execute/execute.py)."""\n'
    )
    # The kernel finds it on PYTHONPATH, as Colab's finds the real one installed.
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(stand_in), os.environ.get("PYTHONPATH")) if p
    )
    return env


QUIZ_VAR = re.compile(r"var questions(\w+)=")  # where jupyterquiz's output holds them
WIDGET = "application/vnd.jupyter.widget-view+json"


def shown_quiz(cell) -> list | None:
    """The questions a jupyterquiz output in CELL draws, or None."""
    for output in cell.get("outputs", []):
        js = output.get("data", {}).get("application/javascript", "")
        match = QUIZ_VAR.search(js)
        if match:
            return json.JSONDecoder().raw_decode(js, match.end())[0]
    return None


def colab_problems(notebook, folder: Path, versions: dict[str, str]) -> list[str]:
    """What a learner would miss in this run of a learner copy, as Colab opens it."""
    problems = []
    if any(folder.iterdir()):
        problems.append(f"it wrote files beside itself: {sorted(folder.iterdir())}")
    setup = next(c for c in notebook.cells if "setup" in c.metadata.get("tags", []))
    printed = "".join(o.get("text", "") for o in setup.get("outputs", []))
    expected = f"TensorFlow {versions['tensorflow']}, Keras {versions['keras']}"
    if expected not in printed:
        problems.append(f"the setup cell printed {printed!r}, not {expected!r}")
    quizzes = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if re.search(r"^display_quiz\(", cell.source, re.MULTILINE):
            quizzes += 1
            embedded = re.search(r'json\.loads\(r"""(.*?)"""\)', cell.source, re.S)
            shown = shown_quiz(cell)
            if shown is None:
                problems.append("its quiz cell shows no quiz")
            elif embedded is None or shown != json.loads(embedded[1]):
                problems.append("its quiz shows other questions than its cell holds")
        if re.search(r"^demo\(", cell.source, re.MULTILINE):
            if not any(WIDGET in o.get("data", {}) for o in cell.get("outputs", [])):
                first = cell.source.splitlines()[0]
                problems.append(f"a demo shows no slider widget: {first}")
    if quizzes != 1:
        problems.append(f"it has {quizzes} quiz cells, not 1")
    return problems


def run_in(notebook, folder: Path) -> float:
    """Execute NOTEBOOK top to bottom in a fresh kernel started in FOLDER; seconds."""
    from nbclient import NotebookClient

    client = NotebookClient(
        notebook,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
        record_timing=False,
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def installed(*names: str) -> str:
    """The version of the first of NAMES installed in this environment."""
    from importlib.metadata import PackageNotFoundError, version

    for name in names:
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    raise RuntimeError(f"none of {names} is installed in {sys.prefix}")


def execute_as_colab(nb_path: Path, out: Path) -> float:
    """Run NB_PATH's learner copy as Colab opens it; write it into OUT."""

    copy = ROOT / "learner" / nb_path.relative_to(ROOT)
    os.environ.update(colab_env())
    from tools.environments.versions import colab_installs

    installs = colab_installs()  # as on a new Colab runtime: not installed yet
    subprocess.run(
        [sys.executable, "-m", "pip", "uninstall", "--yes", "--quiet", *installs],
        check=True,
    )
    notebook = nbformat.read(copy, as_version=4)
    versions = {"tensorflow": installed("tensorflow", "tensorflow-cpu")}
    versions["keras"] = installed("keras")
    with tempfile.TemporaryDirectory() as empty:
        seconds = run_in(notebook, Path(empty))
        problems = colab_problems(notebook, Path(empty), versions)
    nbformat.write(notebook, out / nb_path.name)
    if problems:
        raise RuntimeError(f"{copy}, run as Colab opens it: " + "; ".join(problems))
    return seconds


def code_hash(notebook) -> str:
    """SHA-256 of the code cells' sources, in order (outputs and prose excluded)."""
    sources = [c.source for c in notebook.cells if c.cell_type == "code"]
    return hashlib.sha256(json.dumps(sources).encode()).hexdigest()


def provenance_problems(notebook) -> list[str]:
    """Why this notebook's saved outputs may not come from its current code."""
    problems = []
    recorded = notebook.metadata.get("book", {}).get("code_sha256")
    if recorded is None:
        problems.append(
            "no metadata.book.code_sha256: never run by tools/execute/execute.py"
        )
    elif recorded != code_hash(notebook):
        problems.append("code changed after the outputs were produced")
    counts = [c.get("execution_count") for c in notebook.cells if c.cell_type == "code"]
    if counts != list(range(1, len(counts) + 1)):
        problems.append(f"execution counts are {counts}, not 1..{len(counts)} in order")
    return problems


def execute(nb_path: Path, out: Path | None = None) -> float:
    """Run one notebook; save it in place (recording its code hash) or into OUT."""

    os.environ.update(offline_env())
    if "BOOK_DATA_MIRROR" in os.environ and not (MIRROR / "MANIFEST.json").exists():
        print(
            "warning: no offline mirror; run `python tools/data/make_mirror.py` first"
        )
    notebook = nbformat.read(nb_path, as_version=4)
    notebook.metadata.pop("widgets", None)  # stale widget state from an editor
    # Saved outputs carry each figure's Korean twin (tools/execute/figure_text.py).
    if out is None:
        os.environ["BOOK_FIGURES_KO"] = str(figure_text.CATALOG)
    else:
        os.environ.pop("BOOK_FIGURES_KO", None)
    seconds = run_in(notebook, nb_path.parent)
    for cell in notebook.cells:
        # Keep cell metadata to what authors set; drop what execution adds.
        cell.metadata.pop("execution", None)
    if out is not None:  # a fresh copy to check, not the chapter's committed outputs
        nbformat.write(notebook, out / nb_path.name)
        return seconds
    book = notebook.metadata.setdefault("book", {})
    book["code_sha256"] = code_hash(notebook)
    book["machine"] = identity()
    nbformat.write(notebook, nb_path)
    return seconds


def main(argv: list[str] | None = None) -> int:
    from tools.book import toc_notebooks

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument(
        "--out",
        type=Path,
        help="write the executed notebooks into this folder; book/ stays untouched",
    )
    parser.add_argument(
        "--colab",
        action="store_true",
        help="run the learner copies as Colab opens them (needs --out)",
    )
    args = parser.parse_args(argv)
    if args.colab and not args.out:
        parser.error("--colab writes fresh copies only: give --out DIR")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    failed = []
    for nb in args.notebooks or toc_notebooks():
        try:
            if args.colab:
                seconds = execute_as_colab(nb.resolve(), args.out)
            else:
                seconds = execute(nb.resolve(), args.out)
        except Exception:  # report every failing chapter, not only the first
            traceback.print_exc()
            print(f"{nb}: FAILED (traceback above)", flush=True)
            failed.append(str(nb))
            continue
        print(f"{nb}: executed in {seconds:.1f} s", flush=True)
    if failed:
        print(f"{len(failed)} notebook(s) failed: {' '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
