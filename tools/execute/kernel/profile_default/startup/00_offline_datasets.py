"""CI/offline shim: make the unmodified Keras dataset loaders read the local mirror.

Active only in kernels started with this profile (tools/execute/execute.py copies it
into .offline-data/ipython/ and sets IPYTHONDIR there) and with BOOK_DATA_MIRROR naming
a mirror built by tools/data/make_mirror.py (the tests and tools/execute/execute.py
set both). Learners in Colab or at home never load this file; their loaders download as
usual.

``keras.datasets.mnist.load_data`` and ``fashion_mnist.load_data`` fetch files with
``get_file``. When Keras imports those two modules, this hook swaps the module's
``get_file`` for one that returns the mirror's copy after checking its SHA-256
against the manifest, and prints one line saying what was loaded and from where.
It never reaches for the network: a missing or corrupt file is a clear error.
"""


def _install_offline_dataset_shim():
    import hashlib
    import importlib.abc
    import json
    import os
    import sys
    from pathlib import Path

    if not os.environ.get("BOOK_DATA_MIRROR"):
        return
    targets = {"keras.src.datasets.mnist", "keras.src.datasets.fashion_mnist"}

    def how_to_fix(mirror):
        return (
            "This kernel runs in offline mode (BOOK_DATA_MIRROR is set), so datasets "
            f"come from the mirror in {mirror}, not the internet.\n"
            "Fix: build the mirror with `python tools/data/make_mirror.py` (it needs "
            "Debian's dataset-fashion-mnist and npm; `bash tools/test.sh` does it "
            "all), or run the notebook with internet and without BOOK_DATA_MIRROR "
            "(as in Colab) to download the real files."
        )

    class OfflineDatasetError(RuntimeError):
        """The offline mirror cannot serve the file a Keras loader asked for."""

    def sha256(path):
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()

    def mirror_get_file(fname=None, origin=None, *args, **kwargs):
        mirror = Path(os.environ.get("BOOK_DATA_MIRROR", "(BOOK_DATA_MIRROR unset)"))
        subdir = Path(kwargs.get("cache_subdir") or "datasets")
        key = fname if subdir == Path("datasets") else f"{subdir.name}/{fname}"
        manifest_path = mirror / "MANIFEST.json"
        if not manifest_path.exists():
            raise OfflineDatasetError(
                f"No offline copy of {key!r}: the mirror has not been built.\n"
                + how_to_fix(mirror)
            )
        entry = json.loads(manifest_path.read_text())["files"].get(key)
        path = mirror / key
        if entry is None or not path.exists():
            raise OfflineDatasetError(
                f"No offline copy of {key!r} (wanted from {origin}).\n"
                + how_to_fix(mirror)
            )
        actual = sha256(path)
        if actual != entry["sha256"]:
            raise OfflineDatasetError(
                f"The offline copy {path} is corrupt or truncated: its SHA-256 is "
                f"{actual}, expected {entry['sha256']}. It was not used.\n"
                + how_to_fix(mirror)
            )
        if entry.get("notice"):
            print(entry["notice"])
        return str(path)

    class WrappingLoader(importlib.abc.Loader):
        def __init__(self, inner):
            self.inner = inner

        def create_module(self, spec):
            return self.inner.create_module(spec)

        def exec_module(self, module):
            self.inner.exec_module(module)
            module.get_file = mirror_get_file

    class MirrorFinder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name not in targets:
                return None
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(name, path, target)
                if spec is not None:
                    spec.loader = WrappingLoader(spec.loader)
                    return spec
            return None

    sys.meta_path.insert(0, MirrorFinder())


_install_offline_dataset_shim()
del _install_offline_dataset_shim
