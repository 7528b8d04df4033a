#!/usr/bin/env bash
# Issue 11's soak: Sodam under a steady, realistic load for MINUTES (30) minutes; every SAMPLE (60) s a
# full GC is forced (jcmd GC.run) and the heap used after it, the RSS and the open file descriptors of
# the server are recorded. Pass: heap after GC and descriptors flat — the median of the last third of
# the samples within 10 % (heap) and 5 descriptors of the median of the first third (after warm-up).
#
#   bench/soak.sh                      30 minutes, 500 chats, 200 msg/s
#   MINUTES=5 RATE=100 bench/soak.sh
#
# Output: bench/target-bench/soak-<time>/samples.jsonl and one summary JSON line (also in soak.jsonl).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
MINUTES=${MINUTES:-30}
SAMPLE=${SAMPLE:-60}
CHATS=${CHATS:-500}
RATE=${RATE:-200}
SODAM_JAR=${SODAM_JAR:-$ROOT/server/target-bench/sodam.jar}
BENCH_JAR=$ROOT/bench/target-bench/sodam-bench.jar
OUT=${OUT:-$ROOT/bench/target-bench/soak-$(date +%Y%m%d-%H%M%S)}
PORT=${PORT:-9300}
mkdir -p "$OUT"
ulimit -n 20000 2>/dev/null || true

newer() { [ ! -f "$1" ] || [ -n "$(cd "$ROOT" && find "${@:2}" -newer "$1" \( -name '*.java' -o -name 'pom.xml' -o -name '*.sql' -o -name '*.js' -o -name '*.json' \) -not -path '*/target*' -print -quit)" ]; }
if newer "$SODAM_JAR" pom.xml bot server widget || newer "$BENCH_JAR" pom.xml bench; then
  echo "soak: building (mvn -Dsodam.target=target-bench)"
  mvn -B -q -Dsodam.target=target-bench -Dmaven.test.skip=true -Dexec.skip=true package
fi

DATA=$(mktemp -d "${TMPDIR:-/tmp}/sodam-soak-data.XXXXXX")
env SODAM_PORT="$PORT" SODAM_HOST=127.0.0.1 SODAM_DATA_DIR="$DATA" \
  SODAM_BOOTSTRAP_ADMIN=soak@sodam.test:soak-password-1 \
  SODAM_RATE_PER_SECOND=100000 SODAM_RATE_BURST=100000 SODAM_MAX_CHATS_PER_AGENT=100 SODAM_IDLE_SECONDS=3600 \
  SODAM_FAQ_SEED_DIR="$ROOT/config/faq" SODAM_BOT_INTENTS_FILE="$ROOT/config/bot/intents.json" \
  SODAM_BOT_OUT_OF_SCOPE_FILE="$ROOT/config/bot/out-of-scope.json" \
  java -XX:+UseG1GC -Xms512m -Xmx512m -jar "$SODAM_JAR" >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
LOAD_PID=
cleanup() { [ -z "$LOAD_PID" ] || kill "$LOAD_PID" 2>/dev/null || true; kill "$SERVER_PID" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT
for _ in $(seq 1200); do grep -q "bot: trained" "$OUT/server.log" && break; kill -0 "$SERVER_PID" || { cat "$OUT/server.log"; exit 1; }; sleep 0.1; done

SECONDS_TOTAL=$((MINUTES * 60))
java -XX:+UseG1GC -Xmx1g -cp "$BENCH_JAR" dev.sodam.bench.LoadGenerator --target sodam --label soak --port "$PORT" \
  --round 1 --scenario soak --server-pid "$SERVER_PID" --chats "$CHATS" --chats-per-agent 5 --mode open --rate "$RATE" \
  --warmup 10 --duration "$SECONDS_TOTAL" --sodam-db "$DATA/sodam.db" --out "$OUT/load.jsonl" >"$OUT/load.log" 2>&1 &
LOAD_PID=$!

start=$(date +%s)
while kill -0 "$LOAD_PID" 2>/dev/null; do
  sleep "$SAMPLE"
  kill -0 "$SERVER_PID" || { echo "soak: the server died"; tail -50 "$OUT/server.log"; exit 1; }
  jcmd "$SERVER_PID" GC.run >/dev/null
  heap_kb=$(jcmd "$SERVER_PID" GC.heap_info | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1)
  fds=$(ls "/proc/$SERVER_PID/fd" | wc -l)
  rss_kb=$(sed -n 's/^VmRSS:[^0-9]*\([0-9]*\).*/\1/p' "/proc/$SERVER_PID/status")
  echo "{\"t\":$(( $(date +%s) - start )),\"heapAfterGcKb\":$heap_kb,\"fds\":$fds,\"rssKb\":$rss_kb,\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\"}" \
    | tee -a "$OUT/samples.jsonl"
done
wait "$LOAD_PID" || { echo "soak: the load generator failed"; tail -20 "$OUT/load.log"; exit 1; }

# Flat means: the last third's median within 10 % (heap) and 5 descriptors (fds) of the first third's.
summary=$(python3 - "$OUT/samples.jsonl" "$OUT/load.jsonl" "$MINUTES" "$CHATS" "$RATE" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
warm = [r for r in rows if r["t"] >= 120] or rows
third = max(1, len(warm) // 3)
first, last = warm[:third], warm[-third:]
h0, h1 = statistics.median(r["heapAfterGcKb"] for r in first), statistics.median(r["heapAfterGcKb"] for r in last)
f0, f1 = statistics.median(r["fds"] for r in first), statistics.median(r["fds"] for r in last)
measure = [json.loads(l) for l in open(sys.argv[2]) if '"measure"' in l]
m = measure[-1] if measure else {}
out = {"drill": "soak", "minutes": int(sys.argv[3]), "chats": int(sys.argv[4]), "rate": int(sys.argv[5]), "samples": len(rows),
       "heapAfterGcKbFirst": h0, "heapAfterGcKbLast": h1, "heapGrowthPct": round((h1 - h0) * 100 / h0, 1),
       "fdsFirst": f0, "fdsLast": f1, "rssKbLast": rows[-1]["rssKb"],
       "p99Ms": m.get("p99_ms"), "relaysPerSecond": m.get("relays_per_s"), "sent": m.get("sent"), "lost": m.get("lost"),
       "flat": (h1 - h0) <= 0.10 * h0 and (f1 - f0) <= 5}
print(json.dumps(out))
PY
)
echo "$summary" | tee -a "$ROOT/bench/target-bench/soak.jsonl"
echo "$summary" | grep -q '"flat": true'
