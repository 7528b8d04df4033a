#!/usr/bin/env bash
# Profiles one scenario (d) BotLoad run (docs/benchmarks.md, "(d) end to end: profile"): JFR (profile
# settings, 8 s of the measured phase), CPU per thread from /proc/<pid>/task/*/stat, syscalls of the
# domain thread (`strace -c`, 5 s; STRACE=0 to skip) and the bot-answer counters from /metrics.
#
#   bench/profile-bot.sh <sodam.jar> <out dir> [questions/s (1000)]
#
# Same set-up as bench/run.sh: own network namespace when root, server on CPU 1, load generator on CPU 0,
# bounded by `timeout`. BENCH_TARGET (target-bench) names the build directory of the bench jar.
set -euo pipefail
JAR=$(realpath "$1"); OUT=$2; RATE=${3:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_JAR=$ROOT/bench/${BENCH_TARGET:-target-bench}/sodam-bench.jar
if [ "$(id -u)" = 0 ] && [ -z "${BENCH_IN_NETNS:-}" ]; then export BENCH_IN_NETNS=1; exec unshare -n -- "$0" "$@"; fi
[ -z "${BENCH_IN_NETNS:-}" ] || ip link set lo up
ulimit -n 20000 2>/dev/null || true
mkdir -p "$OUT"; DATA=$(mktemp -d "${TMPDIR:-/tmp}/sodam-profile-data.XXXXXX"); PORT=9411
(cd "$ROOT" && exec env SODAM_PORT=$PORT SODAM_HOST=127.0.0.1 SODAM_DATA_DIR="$DATA" \
  SODAM_BOOTSTRAP_ADMIN=bench@sodam.test:bench-password-1 SODAM_RATE_PER_SECOND=100000 SODAM_RATE_BURST=100000 \
  SODAM_MAX_CHATS_PER_AGENT=100 SODAM_IDLE_SECONDS=3600 SODAM_FAQ_SEED_DIR="$ROOT/config/faq" \
  SODAM_BOT_INTENTS_FILE="$ROOT/config/bot/intents.json" SODAM_BOT_OUT_OF_SCOPE_FILE="$ROOT/config/bot/out-of-scope.json" \
  timeout 300 taskset -c 1 java -XX:+UseG1GC -Xms512m -Xmx512m -jar "$JAR") >"$OUT/server.log" 2>&1 &
TIMEOUT_PID=$!
for _ in $(seq 1200); do grep -q "bot: trained" "$OUT/server.log" && break; sleep 0.1; done
PID=$(pgrep -P "$TIMEOUT_PID" | head -1)
threads() { for t in /proc/$PID/task/*; do echo "$(basename "$t") $(tr ' ' _ <"$t/comm") $(awk '{print $14 + $15}' "$t/stat")"; done; }
timeout 120 taskset -c 0 java -XX:+UseG1GC -Xms512m -Xmx1g -cp "$BENCH_JAR" dev.sodam.bench.BotLoad --port $PORT \
  --visitors 200 --rate "$RATE" --warmup 4 --duration 12 --faq "$ROOT/config/faq/seed-ko.json" --round 1 \
  --label "profile-$RATE" --server-pid "$PID" --out "$OUT/results.jsonl" >"$OUT/load.out" 2>"$OUT/load.err" &
LOAD_PID=$!
sleep 6
threads >"$OUT/threads0.txt"
jcmd "$PID" JFR.start name=p settings=profile duration=8s filename="$OUT/server.jfr" >/dev/null
DOMAIN=$(for t in /proc/$PID/task/*; do if [ "$(cat "$t/comm")" = sodam-domain ]; then basename "$t"; fi; done)
if [ "${STRACE:-1}" = 1 ]; then timeout 5 strace -c -p "$DOMAIN" -o "$OUT/strace-domain.txt" || true; else sleep 5; fi
sleep 3
threads >"$OUT/threads1.txt"
wait $LOAD_PID || true
curl -s "http://127.0.0.1:$PORT/metrics" | grep -E '^sodam_(bot_answers|store_commit_seconds_(count|sum)|messages)' >"$OUT/metrics.txt" || true
kill "$PID"; wait "$TIMEOUT_PID" || true; rm -rf "$DATA"
echo "CPU per thread over the 8 s profile (ms):"
join <(sort "$OUT/threads0.txt") <(sort "$OUT/threads1.txt") | awk '{d = ($5 - $3) * 10; if (d > 0) print "  " d " " $2}' | sort -rn | head -8
cat "$OUT/load.out" "$OUT/metrics.txt"
