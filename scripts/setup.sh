#!/usr/bin/env bash
# Installs what DlBook.MLNet needs on a fresh Debian machine; safe to run again.
#  - Debian's python3-onnx (the ONNX checker the tests run).
#  - Debian's libturbojpeg0 (libjpeg-turbo's TurboJPEG, for the fast scaled JPEG decode).
# ML.NET and ONNX Runtime (its native libonnxruntime.so included) come from NuGet with the build.
set -euo pipefail
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

need_apt=()
/usr/bin/python3 -c "import onnx" 2>/dev/null || need_apt+=(python3-onnx)
# libjpeg-turbo's TurboJPEG: the fast scaled JPEG decode of LoadImagePixels (SkiaSharp decodes without it, slower).
[ -e /usr/lib/x86_64-linux-gnu/libturbojpeg.so.0 ] || need_apt+=(libturbojpeg0)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: apt-get install ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
echo "setup: ok"
