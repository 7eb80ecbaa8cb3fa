#!/usr/bin/env bash
# GEMM, DlBook.Engine next to PyTorch 1.13 + OpenBLAS (OpenMP build, OPENBLAS_CORETYPE unset), back to back.
# Each round runs our gemm workload, then bench_torch.py --only gemm (squares) and peers/skinny_torch.py (book shapes);
# ratios are taken within a round, so the machine's ±30 % drift between rounds cancels.
# Usage: bench/run-gemm-vs-torch.sh [rounds=2] [outdir=/tmp/gemm-vs-torch]
# Needs: apt-get install -y python3-torch python3-numpy libopenblas0-openmp  (see ../shared/peers/README.md)
ROUNDS=${1:-2}
OUT=${2:-/tmp/gemm-vs-torch}
source "$(dirname "$0")/common.sh"

for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r: load $(cut -d' ' -f1-3 /proc/loadavg)"
  dotnet "$BENCH" gemm --json "$OUT/ours_$r.json" 2>/dev/null | grep '^| gemm' || true
  rm -f "$OUT/torch_$r.json"
  "${TORCH_ENV[@]}" /usr/bin/python3 "$PEERS/bench_torch.py" --only gemm --tag "round$r" --out "$OUT/torch_$r.json" --target 0.5 --repeats 7 | grep '^| gemm' || true
  "${TORCH_ENV[@]}" /usr/bin/python3 "$HERE/peers/skinny_torch.py" --out "$OUT/skinny_$r.json"
done

/usr/bin/python3 - "$OUT" "$ROUNDS" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
table = {}
for r in range(1, rounds + 1):
    ours = {x["Workload"]: x for x in json.load(open(f"{out}/ours_{r}.json"))["results"]}
    peer = {x["workload"]: x for x in json.load(open(f"{out}/torch_{r}.json"))[f"round{r}"]["results"]}
    peer.update({x["workload"]: x for x in json.load(open(f"{out}/skinny_{r}.json"))["results"]})
    for name, o in ours.items():
        if name in peer:
            table.setdefault(name, []).append((o["Median"], peer[name]["median"], o["MedianMicroseconds"], peer[name].get("median_us")))
print(f"\n| shape | DlBook GFLOP/s | OpenBLAS GFLOP/s | ratio (per round) | µs/call DlBook / OpenBLAS |")
print("|---|---|---|---|---|")
for name, rows in table.items():
    ratios = [o / p for o, p, _, _ in rows]
    us = "" if rows[0][3] is None else " / ".join([f"{statistics.median(r[2] for r in rows):.2f}", f"{statistics.median(r[3] for r in rows):.2f}"])
    print(f"| {name} | {statistics.median(r[0] for r in rows):.1f} | {statistics.median(r[1] for r in rows):.1f} | "
          f"**{statistics.median(ratios):.2f}×** ({', '.join(f'{x:.2f}' for x in ratios)}) | {us} |")
PY
