#!/usr/bin/env bash
# The test command of the README: installs what the tests need, then runs every test project.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
dotnet build DlBook.MLNet.sln -c Release -nologo -v q
rm -rf "$ROOT/TestResults"
status=0
dotnet test DlBook.MLNet.sln -c Release --no-build -nologo -v q \
  --logger "trx" --results-directory "$ROOT/TestResults" || status=$?
# One plain closing line over all test projects: "N passed, N failed".
python3 - "$ROOT/TestResults" <<'PY' || true
import sys, glob, re
p = f = s = 0
for t in glob.glob(sys.argv[1] + "/*.trx"):
    x = open(t, encoding="utf-8").read()
    m = re.search(r'<Counters [^>]*>', x)
    if not m: continue
    c = dict(re.findall(r'(\w+)="(\d+)"', m.group(0)))
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)); s += int(c.get("notExecuted", 0))
print(f"tests: {p} passed, {f} failed, {s} skipped")
PY
exit $status
