#!/usr/bin/env bash
# Scoring the book's [784,30,10] MLP on the 10,000 MNIST test images at batch 1, 32, 256 and 10,000, back to back:
#   - `dlbook score` (ONNX Runtime 1.30 CPU through our binding, IDX in, predictions CSV out; its own rows/s figure),
#   - our onnx workload: the binding's bare Run, the engine's own Predict, the batch scorer, and the per-Run overhead,
#   - PyTorch 1.13 inference of the same network (bench/peers/mlp_infer_torch.py).
# Usage: bench/run-onnx-vs-torch.sh [rounds=2] [outdir=/tmp/onnx-vs-torch]
# Needs: bash scripts/setup.sh (ONNX Runtime in .native/), and PyTorch as in ../shared/peers/README.md.
ROUNDS=${1:-2}
OUT=${2:-/tmp/onnx-vs-torch}
source "$(dirname "$0")/common.sh"

dotnet build -c Release "$REPO/src/Cli" -v q -nologo >/dev/null
DLBOOK=(dotnet "$REPO/src/Cli/bin/Release/net10.0/dlbook.dll")

# A book network to score (one epoch is enough: the weights do not change the speed).
"${DLBOOK[@]}" train mlp --preset "$REPO/models/book-mlp.json" --epochs 1 --out "$OUT/mlp.zip" --quiet >/dev/null
"${DLBOOK[@]}" export --model "$OUT/mlp.zip" --out "$OUT/mlp.onnx" --quiet >/dev/null

for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r: load $(cut -d' ' -f1-3 /proc/loadavg)"
  for b in 1 32 256 10000; do
    best=0
    for rep in 1 2 3; do
      rate=$("${DLBOOK[@]}" score --model "$OUT/mlp.onnx" --data mnist --split test --batch "$b" --threads 2 \
             --out "$OUT/predictions.csv" --json | /usr/bin/python3 -c 'import json,sys; print(round(json.load(sys.stdin)["rowsPerSecond"]))')
      best=$(( rate > best ? rate : best ))
    done
    echo "| dlbook score batch $b (best of 3) | rows/s | $best |" | tee -a "$OUT/cli_$r.md"
  done
  dotnet "$BENCH" onnx --repeats 5 --threads 2 --json "$OUT/ours_$r.json" 2>/dev/null | grep '^| ' | grep -v '^| workload\|^|---' || true
  "${TORCH_ENV[@]}" /usr/bin/python3 "$HERE/peers/mlp_infer_torch.py" --repeats 5 --out "$OUT/torch_$r.json"
done
