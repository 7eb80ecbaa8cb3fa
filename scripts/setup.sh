#!/usr/bin/env bash
# Installs what DlBook.MLNet needs on a fresh Debian machine; safe to run again.
#  - ONNX Runtime's native library (from the npm package onnxruntime-node, without its install script)
#    into .native/onnxruntime/libonnxruntime.so.1
#  - Debian's python3-onnx (the ONNX checker the tests run)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ORT_VERSION=1.30.0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

need_apt=()
/usr/bin/python3 -c "import onnx" 2>/dev/null || need_apt+=(python3-onnx)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: apt-get install ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

LIB="$ROOT/.native/onnxruntime/libonnxruntime.so.1"
if [ ! -f "$LIB" ]; then
  echo "setup: onnxruntime-node@$ORT_VERSION (npm, --ignore-scripts) -> .native/onnxruntime/"
  NPMDIR="$ROOT/.native/npm"
  mkdir -p "$NPMDIR" "$ROOT/.native/onnxruntime"
  (cd "$NPMDIR" && [ -f package.json ] || (cd "$NPMDIR" && npm init -y >/dev/null))
  (cd "$NPMDIR" && npm install --silent --no-audit --no-fund --ignore-scripts "onnxruntime-node@$ORT_VERSION" >/dev/null)
  cp "$NPMDIR/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$LIB.tmp"
  mv "$LIB.tmp" "$LIB"
fi
echo "setup: ok (ONNX Runtime at $LIB)"
