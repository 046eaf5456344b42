"""Shared test set-up (at the root so that its hooks also see book/).

Importing this file puts the kernels nbval starts in the same offline mode
tools/execute/execute.py uses: the IPython startup shim serves datasets from the
mirror, never from the network. Only notebooks listed in _toc.yml are collected.
"""

import json
import os
import time
from pathlib import Path

import pytest

# The tools are the installed package `tools` (pyproject.toml; installed editable
# by tools/environments/venv.sh); the tests' helpers (tests/chapters.py, ...) are on the
# path through pytest.ini's `pythonpath`.
from tools.book import ROOT, toc_notebooks
from tools.execute.execute import MIRROR, offline_env

# BOOK_ONLINE=1 (GitHub Actions' full-data job): the real loaders download the real
# datasets; run it with --nbval-lax, since the saved outputs came from the mirror.
ONLINE = os.environ.get("BOOK_ONLINE") == "1"
os.environ.update(offline_env())
if ONLINE:
    os.environ.pop("BOOK_DATA_MIRROR")


# nbval compares each chapter exactly on the kind of machine that made its outputs,
# within the measured tolerances elsewhere (tools/execute/nbval_tolerant.py).
pytest_plugins = ["tools.execute.nbval_tolerant"]

# BOOK_PERTURB=1: every chapter kernel nbval starts runs as if on another machine
# (tools/execute/perturbed.py: other threads, SIMD, BLAS and oneDNN kernels), to
# see a chapter's numbers move and its tolerances hold (with BOOK_VERIFY=tolerant).
PERTURB = os.environ.get("BOOK_PERTURB", "0") == "1"
# BOOK_TIMINGS=FILE (tools/measure/benchmark.py, serial runs only): record each
# notebook's run, from starting its kernel to its last cell's reply, its kernel's peak
# memory, what it printed and whether a cell failed, as JSON in FILE.
TIMINGS = os.environ.get("BOOK_TIMINGS")
RUNS: dict[str, dict] = {}


def is_cell(item) -> bool:
    from nbval.plugin import IPyNbCell

    return isinstance(item, IPyNbCell)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """nbval starts a chapter's kernel while it sets up the chapter's first cell: that
    kernel gets the perturbed environment (with BOOK_PERTURB=1), and the timing starts
    there."""
    starting = is_cell(item) and item.parent.kernel is None
    saved = dict(os.environ) if starting else {}
    if starting and PERTURB:
        from tools.execute import perturbed

        os.environ.update(perturbed.kernel_env())
    if starting and TIMINGS:
        path = str(item.path)
        RUNS[path] = {"start": time.perf_counter(), "printed": [], "failed": False}
    try:
        yield
    finally:
        if starting:
            os.environ.clear()
            os.environ.update(saved)


def kernel_peak_mb(item) -> int | None:
    """The kernel's peak resident memory so far (Linux's VmHWM), in MB."""
    try:
        pid = item.parent.kernel.km.provisioner.process.pid
        status = Path(f"/proc/{pid}/status").read_text()
    except (AttributeError, OSError):
        return None
    kib = next(int(line.split()[1]) for line in status.splitlines() if "VmHWM" in line)
    return round(kib / 1024)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield
    if TIMINGS and is_cell(item) and str(item.path) in RUNS:
        run = RUNS[str(item.path)]
        run["end"] = time.perf_counter()
        run["peak_memory_mb"] = kernel_peak_mb(item) or run.get("peak_memory_mb")
        for out in item.test_outputs or []:
            if out.get("output_type") == "stream":
                run["printed"].append({"name": out["name"], "text": out["text"]})


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    if report.failed and str(item.path) in RUNS:
        RUNS[str(item.path)]["failed"] = True


def pytest_configure(config):
    if TIMINGS and config.getoption("numprocesses", None):
        raise pytest.UsageError("BOOK_TIMINGS times a serial run: add -n 0")


def pytest_sessionfinish(session):
    if TIMINGS:
        Path(TIMINGS).write_text(json.dumps(RUNS, indent=1))


def pytest_ignore_collect(collection_path, config):
    """In the repository nbval runs only the notebooks listed in _toc.yml (not the
    generated copies in ko/, learner/, practice/, _build/); a notebook elsewhere runs
    when named (tests/test_status.py plants one)."""
    path = collection_path.resolve()
    if path.suffix == ".ipynb" and path.is_relative_to(ROOT):
        return path not in {p.resolve() for p in toc_notebooks()}
    return None


# What each test needs beyond the repository and .venv is declared where the test
# lives (`pytestmark` or a decorator: browser, build, npm, mirror, notebooks, slow;
# pytest.ini lists them). A test with none of them reads files only and is marked fast
# here: `pytest -m fast -n 0` runs those in a fresh clone, without the dataset mirror,
# npm or Chromium (CONTRIBUTING: the fast path).
NEEDS = {"browser", "build", "npm", "mirror", "notebooks", "slow"}


@pytest.hookimpl(tryfirst=True)  # before -m selects by these markers
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.suffix == ".ipynb":  # a chapter under nbval
            item.add_marker("notebooks")
            item.add_marker("mirror")
        if not any(item.get_closest_marker(need) for need in NEEDS):
            item.add_marker("fast")


def pytest_collection_finish(session):
    """Refuse to start tests that need the dataset mirror when it is missing."""
    needs_mirror = any(item.get_closest_marker("mirror") for item in session.items)
    if needs_mirror and not ONLINE and not (MIRROR / "MANIFEST.json").exists():
        raise pytest.UsageError(
            f"The offline dataset mirror is missing ({MIRROR}). Run "
            "`bash tools/test.sh` (it builds the mirror first) or "
            "`python tools/data/make_mirror.py`; or run only the tests that do not "
            "need it: `pytest -m fast -n 0` (CONTRIBUTING: the fast path)."
        )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, worker_id):
    """Both editions, built once for the whole test session
    (tools/publish/build_site.py), strictly: warnings are errors, but --keep-going
    still writes every page.
    test_build reads its warnings; the browser, PDF and link tests read its pages.
    Under xdist the first worker to ask builds it and the others wait and reuse it:
    a site build costs a minute, and four test files used to build their own."""
    from filelock import FileLock

    from tools.publish import build_site

    if worker_id == "master":  # no xdist: this process is the whole session
        return build_site.build(tmp_path_factory.mktemp("site"), strict=True)
    shared = tmp_path_factory.getbasetemp().parent  # one folder for all workers
    record = shared / "site.json"
    with FileLock(str(shared / "site.lock")):
        if record.exists():
            fields = json.loads(record.read_text())
            return build_site.Built(Path(fields.pop("html")), **fields)
        built = build_site.build(shared / "site", strict=True)
        fields = {"html": str(built.html), "logs": built.logs, "ok": built.ok}
        record.write_text(json.dumps(fields))
        return built


def pytest_generate_tests(metafunc):
    """A test taking `chapter` runs once for each chapter of _toc.yml (or of
    BOOK_CHAPTERS: tests/chapters.py)."""
    explicit = {
        name.strip()
        for mark in metafunc.definition.iter_markers("parametrize")
        for name in (
            mark.args[0].split(",") if isinstance(mark.args[0], str) else mark.args[0]
        )
    }
    if "chapter" in metafunc.fixturenames and "chapter" not in explicit:
        from chapters import CHAPTERS

        metafunc.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
