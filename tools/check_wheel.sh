#!/usr/bin/env bash
# Packaging check in a fresh virtual environment (minutes; needs the package index):
# build the wheel, install it (base install, no extras) into a new venv outside the source
# tree and run what a user runs first. Then add the `report` extra and write a run folder.
#
#   bash tools/check_wheel.sh [WORKDIR]      # default WORKDIR: a new temporary directory
#
# Exits non-zero at the first check that fails; prints the time of each step.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-$(mktemp -d -t alref-wheel-XXXXXX)}"
mkdir -p "$WORK" && cd "$WORK"
step() { printf '\n== %s\n' "$*"; }
timed() { local t0=$SECONDS; "$@"; echo "   ($((SECONDS - t0)) s)" >&2; }

step "build the wheel"
timed python -m pip wheel "$ROOT" --no-deps -q -w "$WORK/dist"
WHEEL="$(ls "$WORK"/dist/alref-*.whl)"

step "fresh venv, base install (no extras)"
python -m venv "$WORK/venv"
# shellcheck disable=SC1091
. "$WORK/venv/bin/activate"
timed pip install -q "$WHEEL"

step "alref validate (base install)"
timed alref validate > "$WORK/validate.txt"
tail -1 "$WORK/validate.txt"

step "alref scenarios export rusal-3ka-twitch (base install)"
alref scenarios export rusal-3ka-twitch > "$WORK/my.toml"
python - "$WORK/my.toml" <<'PY'
import sys, alref
a = alref.Scenario.preset("rusal-3ka-twitch").digest()
b = alref.Scenario.load(sys.argv[1]).digest()
assert a == b, (a, b)
print(f"   exported file loads with the preset's hash {a}")
PY

step "alref simulate (base install: the main job)"
timed alref simulate --json > "$WORK/simulate.json"
python -c "import json,sys; d=json.load(open(sys.argv[1])); print('   cycle', d['cycle_days'], 'd,', round(d['energy_kwh_per_kg'], 2), 'kWh/kg')" "$WORK/simulate.json"

step "alref simulate --out DIR (base install: needs the report extra)"
set +e
alref simulate --out "$WORK/run-base" > "$WORK/simulate-out-base.txt" 2> "$WORK/simulate-out-base.err"
rc=$?
set -e
echo "   exit code $rc: $(tail -1 "$WORK/simulate-out-base.err")"
if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then echo "FAIL: expected 0 or 2"; exit 1; fi
if [ "$rc" -eq 2 ] && ! grep -q 'pip install "alref\[report\]"' "$WORK/simulate-out-base.err"; then
  echo "FAIL: exit 2 without the pip install line"; exit 1
fi

step "add the report extra, alref simulate --out DIR"
timed pip install -q "$WHEEL[report]"
timed alref simulate --out "$WORK/run" > /dev/null
ls "$WORK/run"
echo
echo "OK: $WORK"
