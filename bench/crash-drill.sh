#!/usr/bin/env bash
# Issue 11's scripted fault drills against a real Sodam process (never part of mvn verify):
#   crash under load: VISITORS visitors send in a closed loop; kill -9 at a random moment, restart,
#                     resume; CYCLES times; then every conversation is replayed and checked
#                     (acked lost, stored twice, seq gaps: all must be 0)
#   reconnect storm:  STORM visitors with a conversation each; kill -9, restart, all reconnect at once
#
#   bench/crash-drill.sh                         20 cycles × 50 visitors, then a 5,000-visitor storm
#   CYCLES=5 VISITORS=20 STORM=0 bench/crash-drill.sh
#
# Prints one JSON line per drill (also appended to bench/target-bench/drills.jsonl); exit 1 on any loss.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CYCLES=${CYCLES:-20}
VISITORS=${VISITORS:-50}
STORM=${STORM:-5000}
SODAM_JAR=${SODAM_JAR:-$ROOT/server/target-bench/sodam.jar}
BENCH_JAR=$ROOT/bench/target-bench/sodam-bench.jar
ulimit -n 20000 2>/dev/null || true

newer() { [ ! -f "$1" ] || [ -n "$(cd "$ROOT" && find "${@:2}" -newer "$1" \( -name '*.java' -o -name 'pom.xml' -o -name '*.sql' -o -name '*.js' -o -name '*.json' \) -not -path '*/target*' -print -quit)" ]; }
if newer "$SODAM_JAR" pom.xml bot server widget || newer "$BENCH_JAR" pom.xml bench; then
  echo "drill: building (mvn -Dsodam.target=target-bench)"
  mvn -B -q -Dsodam.target=target-bench -Dmaven.test.skip=true -Dexec.skip=true package
fi
echo "drill: commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
timeout 3600 java -XX:+UseG1GC -Xmx1g -cp "$BENCH_JAR" dev.sodam.bench.CrashDrill \
  --jar "$SODAM_JAR" --home "$ROOT" --cycles "$CYCLES" --visitors "$VISITORS" --storm "$STORM" \
  | tee -a "$ROOT/bench/target-bench/drills.jsonl"
