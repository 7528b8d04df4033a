#!/usr/bin/env bash
# Sodam benchmarks (issue 8): Sodam and the bare Netty reference relay, interleaved in one run.
#
#   bench/run.sh                    scenarios b (latency), c (closed-loop CPU per message), e (cold start)
#   SCENARIOS="b" ROUNDS=5 bench/run.sh
#
# Settings (environment): ROUNDS (3), CHATS (1000), CHATS_PER_AGENT (5), RATE (1000 msg/s),
# WARMUP (5 s), DURATION (20 s), CAPACITY_CHATS (200), CAPACITY_DURATION (15 s), COLD_RUNS (5),
# SODAM_REV (unset: the working tree; else a commit to export with git archive and build apart, so the
# figures belong to one commit while others edit the tree), SODAM_JAR (server/target-bench/sodam.jar), OUT_DIR (bench/target-bench/results/<time>),
# SERVER_CPU (1), CLIENT_CPU (0), BENCH_NETNS (1: run inside `unshare -n` when root).
# Everything runs on loopback; each server process and each load run is bounded by `timeout`.
# Results: $OUT_DIR/results.jsonl (one JSON line per round, server, phase) and summary.txt.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

ROUNDS=${ROUNDS:-3}
SCENARIOS=${SCENARIOS:-"b c e"}
CHATS=${CHATS:-1000}
CHATS_PER_AGENT=${CHATS_PER_AGENT:-5}
RATE=${RATE:-1000}
WARMUP=${WARMUP:-5}
DURATION=${DURATION:-20}
CAPACITY_CHATS=${CAPACITY_CHATS:-200}
CAPACITY_DURATION=${CAPACITY_DURATION:-15}
COLD_RUNS=${COLD_RUNS:-5}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
SODAM_JAR=${SODAM_JAR:-$ROOT/server/target-bench/sodam.jar}
SODAM_HOME=$ROOT   # Sodam runs from here, so its config/ is found
BENCH_JAR=$ROOT/bench/target-bench/sodam-bench.jar
# The same flags for both servers. A JVM pinned to one CPU would otherwise pick SerialGC.
SERVER_JVM=${SERVER_JVM:-"-XX:+UseG1GC -Xms512m -Xmx512m"}
CLIENT_JVM=${CLIENT_JVM:-"-XX:+UseG1GC -Xms512m -Xmx1g"}

# 1. Our own network namespace: loopback only, our own port range, no TIME_WAIT from other jobs.
if [ "${BENCH_NETNS:-1}" = 1 ] && [ -z "${BENCH_IN_NETNS:-}" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
  export BENCH_IN_NETNS=1
  exec unshare -n -- "$0" "$@"
fi
if [ -n "${BENCH_IN_NETNS:-}" ]; then
  ip link set lo up
  sysctl -q -w net.ipv4.ip_local_port_range="20000 65000" net.core.somaxconn=8192 || true
fi
ulimit -n 20000 2>/dev/null || true

# 2. Build when a jar is missing or older than its sources (never touching the default target/).
newer() { [ ! -f "$1" ] || [ -n "$(cd "$ROOT" && find "${@:2}" -newer "$1" \( -name '*.java' -o -name 'pom.xml' -o -name '*.sql' -o -name '*.js' -o -name '*.json' \) -not -path '*/target*' -print -quit)" ]; }
if { [ -z "${SODAM_REV:-}" ] && newer "$SODAM_JAR" pom.xml bot server widget; } || newer "$BENCH_JAR" pom.xml bench; then
  echo "bench: building (mvn -Dsodam.target=target-bench)"
  mvn -B -q -Dsodam.target=target-bench -Dmaven.test.skip=true -Dexec.skip=true package
fi
if [ -n "${SODAM_REV:-}" ]; then
  SODAM_REV=$(git rev-parse --short "$SODAM_REV")   # resolved once: others may commit meanwhile
  SODAM_HOME=${TMPDIR:-/tmp}/sodam-bench-src-$SODAM_REV
  if [ ! -f "$SODAM_HOME/server/target-bench/sodam.jar" ]; then
    echo "bench: building Sodam $SODAM_REV in $SODAM_HOME"
    rm -rf "$SODAM_HOME" && mkdir -p "$SODAM_HOME"
    git archive "$SODAM_REV" | tar -x -C "$SODAM_HOME"
    (cd "$SODAM_HOME" && mvn -B -q -Dsodam.target=target-bench -Dmaven.test.skip=true -Dexec.skip=true -pl server -am package)
  fi
  SODAM_JAR=$SODAM_HOME/server/target-bench/sodam.jar
fi

OUT_DIR=${OUT_DIR:-$ROOT/bench/target-bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT_DIR"
RESULTS=$OUT_DIR/results.jsonl
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  if [ -n "${SODAM_REV:-}" ]; then echo "sodam: commit $SODAM_REV (exported and built apart in $SODAM_HOME)"
  else echo "sodam: working tree at $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- server bot widget config || echo ', with uncommitted changes in server/bot/widget/config')"; fi
  echo "bench: commit $(git rev-parse --short HEAD)"
  echo "nproc: $(nproc); loadavg: $(cat /proc/loadavg)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "settings: rounds=$ROUNDS chats=$CHATS chats_per_agent=$CHATS_PER_AGENT rate=$RATE warmup=$WARMUP duration=$DURATION capacity_chats=$CAPACITY_CHATS cold_runs=$COLD_RUNS netns=${BENCH_IN_NETNS:-0}"
  echo "server jvm: $SERVER_JVM (taskset -c $SERVER_CPU); client jvm: $CLIENT_JVM (taskset -c $CLIENT_CPU)"
} | tee "$OUT_DIR/machine.txt"

SERVER_PID=
COLD_DATA_CREATED=
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}
cleanup() { stop_server; [ -z "$COLD_DATA_CREATED" ] || rm -rf "$COLD_DATA_CREATED"; }
trap cleanup EXIT

# Rate limits at their maximum (100000: the config refuses more); agents may carry 100 chats.
# SODAM_IDLE_SECONDS: Sodam pings only after 20 s without *writing*, but closes after 60 s without
# *reading*: a receive-only agent on a busy connection is never pinged and is cut after 60 s
# (docs/benchmarks.md, findings). Unknown keys are ignored by older servers.
sodam_env() { # data dir, port
  echo SODAM_PORT="$2" SODAM_HOST=127.0.0.1 SODAM_DATA_DIR="$1" \
    SODAM_BOOTSTRAP_ADMIN=bench@sodam.test:bench-password-1 \
    SODAM_RATE_PER_SECOND=100000 SODAM_RATE_BURST=100000 SODAM_MAX_CHATS_PER_AGENT=100 \
    SODAM_IDLE_SECONDS=3600 \
    SODAM_FAQ_SEED_DIR="$SODAM_HOME/config/faq" SODAM_BOT_INTENTS_FILE="$SODAM_HOME/config/bot/intents.json" SODAM_BOT_OUT_OF_SCOPE_FILE="$SODAM_HOME/config/bot/out-of-scope.json"
}

start_sodam() { # port, log → SERVER_PID, SODAM_DATA
  SODAM_DATA=$(mktemp -d "${TMPDIR:-/tmp}/sodam-bench-data.XXXXXX")
  # shellcheck disable=SC2046
  (cd "$SODAM_HOME" && exec env $(sodam_env "$SODAM_DATA" "$1") timeout 900 taskset -c "$SERVER_CPU" java $SERVER_JVM -jar "$SODAM_JAR") >"$2" 2>&1 &
  SERVER_PID=$!
  # wait for the listener and for the bot (trained in the background; it must not eat the measured CPU)
  for _ in $(seq 1200); do grep -q "bot: trained" "$2" && break; kill -0 "$SERVER_PID" || { cat "$2"; exit 1; }; sleep 0.1; done
  grep -q "bot: trained" "$2" || { echo "bench: Sodam did not get ready"; cat "$2"; exit 1; }
  SERVER_PID=$(java_pid "$SERVER_PID")
}

start_reference() { # port, log → SERVER_PID
  timeout 900 taskset -c "$SERVER_CPU" java $SERVER_JVM -cp "$BENCH_JAR" dev.sodam.bench.ReferenceRelay "$1" 0 >"$2" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 300); do grep -q "listening" "$2" && break; sleep 0.1; done
  grep -q "listening" "$2" || { echo "bench: the reference relay did not start"; cat "$2"; exit 1; }
  SERVER_PID=$(java_pid "$SERVER_PID")
}

# `timeout` forks the JVM: CPU figures must come from the java process itself.
java_pid() { local child; child=$(pgrep -P "$1" | head -1); echo "${child:-$1}"; }

load() { # target, label, port, round, scenario, extra args...
  local target=$1 label=$2 port=$3 round=$4 scenario=$5; shift 5
  local extra=()
  [ "$target" = sodam ] && extra=(--sodam-db "$SODAM_DATA/sodam.db")
  timeout 600 taskset -c "$CLIENT_CPU" java $CLIENT_JVM -cp "$BENCH_JAR" dev.sodam.bench.LoadGenerator \
    --target "$target" --label "$label" --port "$port" --round "$round" --scenario "$scenario" \
    --server-pid "$SERVER_PID" --chats-per-agent "$CHATS_PER_AGENT" --out "$RESULTS" "${extra[@]}" "$@" \
    2>>"$OUT_DIR/loadgen.log" | grep '"phase":"measure"' || true
}

PORT=9200
next_port() { PORT=$((PORT + 1)); }

for scenario in $SCENARIOS; do
  for round in $(seq "$ROUNDS"); do
    case $scenario in
      b|c)
        if [ "$scenario" = b ]; then
          args=(--mode open --chats "$CHATS" --rate "$RATE" --warmup "$WARMUP" --duration "$DURATION")
        else
          args=(--mode closed --chats "$CAPACITY_CHATS" --window 1 --warmup "$WARMUP" --duration "$CAPACITY_DURATION")
        fi
        for server in sodam reference; do
          next_port
          echo "bench: scenario $scenario round $round: $server (port $PORT)"
          if [ $server = sodam ]; then start_sodam $PORT "$OUT_DIR/$scenario-$round-sodam.log"
          else start_reference $PORT "$OUT_DIR/$scenario-$round-reference.log"; fi
          load $server $server $PORT "$round" "$scenario" "${args[@]}"
          stop_server
          [ $server = sodam ] && rm -rf "$SODAM_DATA"
        done
        ;;
      e)
        # Sodam restarts on an existing database (migrations done, FAQ seeded); the index and the
        # bot model are built at every start.
        if [ -z "${COLD_DATA:-}" ]; then
          COLD_DATA=$(mktemp -d "${TMPDIR:-/tmp}/sodam-bench-cold.XXXXXX")
          COLD_DATA_CREATED=$COLD_DATA
        fi
        if [ ! -f "$COLD_DATA/sodam.db" ]; then
          next_port; start_sodam $PORT "$OUT_DIR/e-init-sodam.log"; stop_server
          cp -a "$SODAM_DATA/." "$COLD_DATA/"; rm -rf "$SODAM_DATA"
        fi
        for run in $(seq "$COLD_RUNS"); do
          [ "$round" = 1 ] || break
          for server in sodam reference; do
            next_port
            if [ $server = sodam ]; then
              # shellcheck disable=SC2046
              (cd "$SODAM_HOME" && exec env $(sodam_env "$COLD_DATA" $PORT) timeout 300 taskset -c "$CLIENT_CPU" java -cp "$BENCH_JAR" dev.sodam.bench.ColdStart \
                --label sodam --target sodam --port $PORT --round "$run" --out "$RESULTS" --log "$OUT_DIR/e-$run-sodam.log" \
                -- taskset -c "$SERVER_CPU" java $SERVER_JVM -jar "$SODAM_JAR")
            else
              timeout 300 taskset -c "$CLIENT_CPU" java -cp "$BENCH_JAR" dev.sodam.bench.ColdStart \
                --label reference --target reference --port $PORT --round "$run" --out "$RESULTS" --log "$OUT_DIR/e-$run-reference.log" \
                -- taskset -c "$SERVER_CPU" java $SERVER_JVM -cp "$BENCH_JAR" dev.sodam.bench.ReferenceRelay $PORT 0
            fi
          done
        done
        ;;
      *) echo "bench: unknown scenario $scenario (b, c, e)"; exit 2 ;;
    esac
  done
done

java -cp "$BENCH_JAR" dev.sodam.bench.Summary "$RESULTS" sodam reference | tee "$OUT_DIR/summary.txt"
echo "bench: results in $OUT_DIR"
