"""Execute chapter notebooks in place and record where their outputs came from.

``python tools/execute.py book/03_softmax_argmax.ipynb`` (or no argument: every
notebook in ``_toc.yml``) runs each notebook top to bottom in a fresh kernel,
offline, against the dataset mirror (the same set-up the tests use), saves the
outputs into the notebook and writes ``metadata.book.code_sha256``: a hash of
its code cells. ``tests/test_provenance.py`` recomputes that hash, so a code
edit that was not followed by this command fails the tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
import traceback
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
# The kernels' IPython profile: its source (the config and the offline-data shim) is
# tools/ipython/; kernels run with a copy in .offline-data/ipython/, so the folders
# IPython writes at run time (log, pid, security) stay out of the source tree.
PROFILE = ROOT / "tools" / "ipython" / "profile_default"
IPYTHONDIR = ROOT / ".offline-data" / "ipython"
MIRROR = ROOT / ".offline-data" / "mirror"
TIMEOUT = 300  # seconds per cell; chapters are budgeted far below this


def kernel_profile() -> Path:
    """IPYTHONDIR with the current copy of the profile (atomic writes: pytest's
    workers call this side by side)."""
    for source in PROFILE.rglob("*.py"):
        target = IPYTHONDIR / "profile_default" / source.relative_to(PROFILE)
        if not target.exists() or target.read_bytes() != source.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.{os.getpid()}")
            partial.write_bytes(source.read_bytes())
            os.replace(partial, target)
    return IPYTHONDIR


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


def code_hash(notebook) -> str:
    """SHA-256 of the code cells' sources, in order (outputs and prose excluded)."""
    sources = [c.source for c in notebook.cells if c.cell_type == "code"]
    return hashlib.sha256(json.dumps(sources).encode()).hexdigest()


def provenance_problems(notebook) -> list[str]:
    """Why this notebook's saved outputs may not come from its current code."""
    problems = []
    recorded = notebook.metadata.get("book", {}).get("code_sha256")
    if recorded is None:
        problems.append("no metadata.book.code_sha256: never run by tools/execute.py")
    elif recorded != code_hash(notebook):
        problems.append("code changed after the outputs were produced")
    counts = [c.get("execution_count") for c in notebook.cells if c.cell_type == "code"]
    if counts != list(range(1, len(counts) + 1)):
        problems.append(f"execution counts are {counts}, not 1..{len(counts)} in order")
    return problems


def execute(nb_path: Path, out: Path | None = None) -> float:
    """Run one notebook; save it in place (recording its code hash) or into OUT."""
    from nbclient import NotebookClient

    os.environ.update(offline_env())
    if "BOOK_DATA_MIRROR" in os.environ and not (MIRROR / "MANIFEST.json").exists():
        print("warning: no offline mirror; run `python tools/make_mirror.py` first")
    notebook = nbformat.read(nb_path, as_version=4)
    notebook.metadata.pop("widgets", None)  # stale widget state from an editor
    client = NotebookClient(
        notebook,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(nb_path.parent)}},
        record_timing=False,
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    for cell in notebook.cells:
        # Keep cell metadata to what authors set; drop what execution adds.
        cell.metadata.pop("execution", None)
    if out is not None:  # a fresh copy to check, not the chapter's committed outputs
        nbformat.write(notebook, out / nb_path.name)
        return seconds
    notebook.metadata.setdefault("book", {})["code_sha256"] = code_hash(notebook)
    nbformat.write(notebook, nb_path)
    return seconds


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from sync_cells import toc_notebooks

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument(
        "--out",
        type=Path,
        help="write the executed notebooks into this folder; book/ stays untouched",
    )
    args = parser.parse_args(argv)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    failed = []
    for nb in args.notebooks or toc_notebooks():
        try:
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
