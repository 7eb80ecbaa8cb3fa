#!/usr/bin/env bash
# The CNN and recurrent workloads back to back with PyTorch 1.13 (../shared/peers/bench_torch.py, set up as
# ../shared/peers/README.md says): the book CNN at 64x64 and the 3-block net at 150x150 (train and infer, batch 32;
# infer 256), LSTM/GRU h128 T100 and the char-LSTM (train and infer, batch 32), alternating engine and peer per round.
# Usage: [ONLY=cnn|rnn] bench/run-cnn-rnn-vs-torch.sh [rounds=2] [outdir=/tmp/cnn-rnn-vs-torch]
ROUNDS=${1:-2}
ONLY=${ONLY:-}
case "$ONLY" in
  cnn) PEER_SET="book-cnn 64x64 32-32,book-cnn 150x150 32-64-128" ;;
  rnn) PEER_SET="rnn LSTM,rnn GRU,char-lstm" ;;
  *) PEER_SET="book-cnn 64x64 32-32,book-cnn 150x150 32-64-128,rnn LSTM,rnn GRU,char-lstm" ;;
esac
OUT=${2:-/tmp/cnn-rnn-vs-torch}
source "$(dirname "$0")/common.sh"
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r: load $(cut -d' ' -f1-3 /proc/loadavg) $(date +%T)"
  "${TORCH_ENV[@]}" /usr/bin/python3 "$PEERS/bench_torch.py" --tag "round$r" --only "$PEER_SET" \
    --repeats 3 --out "$OUT/torch_$r.json" 2>&1 | grep -v "^\s*$" | grep -v NHWC | tail -n 20 | tee "$OUT/torch_$r.txt"
  [ "$ONLY" = rnn ] || dotnet "$BENCH" cnn --repeats 3 --threads 2 --json "$OUT/cnn_$r.json" 2>/dev/null | grep '^| ' | grep -v '^| workload\|^|---' | tee "$OUT/cnn_$r.md"
  [ "$ONLY" = cnn ] || dotnet "$BENCH" rnn --repeats 3 --threads 2 --json "$OUT/rnn_$r.json" 2>/dev/null | grep '^| ' | grep -v '^| workload\|^|---' | tee "$OUT/rnn_$r.md"
done
