#!/usr/bin/env bash
# The book's MLPs, DlBook.Engine next to PyTorch 1.13 + OpenBLAS (OpenMP build), back to back.
# Each round runs our mlp workload, then ../shared/peers/bench_torch.py --only "book-mlp 784-30" (the same two
# networks: one training epoch of 50,000 samples at mini-batch 10, inference at batch 10 and 10,000); ratios are
# taken within a round, so the machine's ±30 % drift between rounds cancels.
# Usage: bench/run-mlp-vs-torch.sh [rounds=3] [outdir=/tmp/mlp-vs-torch]
# Needs: apt-get install -y python3-torch python3-numpy libopenblas0-openmp  (see ../shared/peers/README.md)
ROUNDS=${1:-3}
OUT=${2:-/tmp/mlp-vs-torch}
source "$(dirname "$0")/common.sh"

for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r: load $(cut -d' ' -f1-3 /proc/loadavg)"
  dotnet "$BENCH" mlp --repeats 5 --json "$OUT/ours_$r.json" 2>/dev/null | grep '^| book-mlp' || true
  rm -f "$OUT/torch_$r.json"
  "${TORCH_ENV[@]}" /usr/bin/python3 "$PEERS/bench_torch.py" --only "book-mlp 784-30" --tag "round$r" --out "$OUT/torch_$r.json" --repeats 5 | grep '^| book-mlp' || true
done

/usr/bin/python3 - "$OUT" "$ROUNDS" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
rows = {}
for r in range(1, rounds + 1):
    ours = json.load(open(f"{out}/ours_{r}.json"))["results"]
    peer = {(x["workload"], x["mode"], x["batch"]): x["median"] for x in json.load(open(f"{out}/torch_{r}.json"))[f"round{r}"]["results"]}
    for o in ours:
        net = o["Workload"].split(":")[0]          # "book-mlp 784-30-10 sigmoid"
        what = o["Workload"].split(": ")[1]
        batch = int(what.rsplit(" ", 1)[1].replace(",", ""))
        key = (net, "infer" if what.startswith("infer") else "train", batch)
        if key in peer:
            rows.setdefault(o["Workload"], []).append((o["Median"], peer[key]))
print("\n| workload | DlBook samples/s | PyTorch samples/s | ratio (per round) |")
print("|---|---|---|---|")
for name, rs in rows.items():
    ratios = [a / b for a, b in rs]
    print(f"| {name} | {statistics.median(a for a, _ in rs):,.0f} | {statistics.median(b for _, b in rs):,.0f} | "
          f"**{statistics.median(ratios):.1f}×** ({', '.join(f'{x:.1f}' for x in ratios)}) |")
PY
