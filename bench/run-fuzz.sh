#!/usr/bin/env bash
# The long run of the fuzzing harness (tests/Fuzz; the CI-sized run is FuzzHarnessTests in tests/Cli.Tests):
# seeded mutations of IDX, CSV/TSV, JPEG/PNG, model zips and ONNX files through the CLI in-process and the library,
# round-robin over the formats until the cases or the time run out. Every case must end in exit 0 with sane output or
# exit 2 naming the file; a hang (--case-timeout), exit 1 or 3, an unnamed file or peak RSS above --max-rss-mib fails it.
# Usage: bench/run-fuzz.sh [seed=1] [minutes=20] [cases-per-format=100000] [outdir=/tmp/dlbook-fuzz-long]
# Writes OUTDIR/summary.json (per format: cases, outcomes per target; failures with the command that reproduces each)
# and OUTDIR/log.txt; exits nonzero when a case failed. A native crash leaves OUTDIR/work/current-case.txt.
set -euo pipefail
SEED=${1:-1}
MINUTES=${2:-20}
CASES=${3:-100000}
OUT=${4:-/tmp/dlbook-fuzz-long}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$OUT"
dotnet build -c Release "$REPO/tests/Fuzz" -v q -nologo >/dev/null
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, .NET $(dotnet --version); seed $SEED, $MINUTES min"
status=0
dotnet "$REPO/tests/Fuzz/bin/Release/net10.0/DlBook.Fuzz.dll" --seed "$SEED" --cases-per-format "$CASES" \
  --time-limit $((MINUTES * 60)) --case-timeout 20 --max-rss-mib 2048 --json "$OUT/summary.json" --work "$OUT/work" \
  >"$OUT/log.txt" 2>&1 || status=$?
/usr/bin/python3 - "$OUT/summary.json" <<'PY' || true
import json, sys
s = json.load(open(sys.argv[1]))
print(f"seed {s['seed']}: {s['cases']:,} cases, {s['runs']:,} runs in {s['wallSeconds'] / 60:.1f} min; "
      f"peak RSS {s['peakRssMiB']:,} MiB (bound {s['maxRssMiB']:,}); {s['failureCount']} failures")
print("| format | cases | runs | accepted (exit 0) | rejected (exit 2, file named) | other | slowest run |")
print("|---|---|---|---|---|---|---|")
for name, f in s["formats"].items():
    o = f["outcomes"]
    other = {k: v for k, v in o.items() if k not in ("Accepted", "Rejected")}
    print(f"| {name} | {f['cases']:,} | {f['runs']:,} | {o.get('Accepted', 0):,} | {o.get('Rejected', 0):,} | "
          f"{', '.join(f'{k} {v}' for k, v in other.items()) or '0'} | {f['slowestRunSeconds']} s |")
for x in s["failures"][:20]:
    print(f"FAIL {x['format']} #{x['case']} {x.get('target', '')}: {x['outcome']} {x['message'][:200]}")
PY
exit $status
