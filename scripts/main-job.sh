#!/usr/bin/env bash
# The README's main job: the book's [784,30,10] network trained on real MNIST (chapter 34 settings),
# evaluated, saved, exported to ONNX and batch-scored with ONNX Runtime. Installs what it needs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
dotnet build src/Cli -c Release -nologo -v q
DLBOOK="dotnet $ROOT/src/Cli/bin/Release/net10.0/dlbook.dll"
OUT="${OUT:-$ROOT/runs/book-mlp}"
mkdir -p "$OUT"

echo "== 1. data: locate and verify MNIST"
$DLBOOK data verify mnist

echo "== 2. train: [784,30,10] sigmoid, cross-entropy, N(0,1/n_in), mini-batch 10, eta 0.1, lambda 5.0, 30 epochs"
echo "      (train on the first 50,000 MNIST training images, validate on the last 10,000)"
$DLBOOK train mlp --preset models/book-mlp.json --out "$OUT/mnist.zip" --report "$OUT" ${EPOCHS:+--epochs $EPOCHS}

echo "== 3. evaluate on the 10,000 MNIST test images"
$DLBOOK evaluate --model "$OUT/mnist.zip" --data mnist --split test

echo "== 4. learning speed per layer (chapter 34), from the run's gradient monitor"
$DLBOOK diagnose --sizes 784,30,30,10 --seeds 3

echo "== 5. export to ONNX and score the test set with ONNX Runtime"
$DLBOOK export --model "$OUT/mnist.zip" --out "$OUT/mnist.onnx"
$DLBOOK score --model "$OUT/mnist.onnx" --data mnist --split test --out "$OUT/predictions.csv" --batch 256 --device cpu
echo "== done: $OUT"
ls -l "$OUT"
