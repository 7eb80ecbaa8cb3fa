# Sourced by the bench/run-*-vs-torch.sh scripts: strict mode, paths, the PyTorch/OpenBLAS environment of
# ../shared/peers/README.md (OpenMP OpenBLAS, OPENBLAS_CORETYPE unset), the Release build of the bench, and the
# machine line every report starts with. Expects ROUNDS and OUT to be set by the caller.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
PEERS=${PEERS:-$REPO/../shared/peers}
mkdir -p "$OUT"
TORCH_ENV=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp)
dotnet build -c Release "$REPO/bench/DlBook.Bench" -v q -nologo >/dev/null
BENCH="$REPO/bench/DlBook.Bench/bin/Release/net10.0/DlBook.Bench.dll"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, .NET $(dotnet --version)"
