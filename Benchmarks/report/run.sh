#!/bin/sh
# How long `shido report` takes over a program of N engagements (default 5,000), and how
# large the document is: a private daemon (release build) in a scratch directory, the
# program from generate.py imported and projected, then three reports made and timed one
# after another.
# Prints `seconds report_N_engagements S` for each and `bytes report_N_engagements B`.
set -eu
N=${1:-5000}
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=$(swift build -c release --show-bin-path)
SCRATCH=$(mktemp -d /tmp/shido-report-bench.XXXXXX)
chmod 755 "$SCRATCH"  # the embedded PostgreSQL runs as postgres when we are root
SOCKET="$SCRATCH/shidod.sock"
"$BIN/shidod" serve --state-directory "$SCRATCH/state" --socket "$SOCKET" >"$SCRATCH/shidod.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$SCRATCH"' EXIT INT TERM
for _ in $(seq 150); do "$BIN/shido" status --socket "$SOCKET" >/dev/null 2>&1 && break; sleep 0.2; done
python3 "$HERE/generate.py" "$N" >"$SCRATCH/program.ndjson"
"$BIN/shido" import "$SCRATCH/program.ndjson" --socket "$SOCKET" >/dev/null
# Off the clock: the projections catch up with the import (a query waits for your last write, 5 s at most).
until "$BIN/shido" query summary --output json --socket "$SOCKET" >/dev/null 2>&1; do sleep 0.5; done
for _ in 1 2 3; do
  start=$(date +%s%N)
  "$BIN/shido" report --lang ko --output "$SCRATCH/report.html" --socket "$SOCKET" 2>/dev/null
  end=$(date +%s%N)
  echo "seconds report_${N}_engagements $(( (end - start) / 1000000 ))e-3"
done
echo "bytes report_${N}_engagements $(wc -c <"$SCRATCH/report.html")"
