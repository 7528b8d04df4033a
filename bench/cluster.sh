#!/usr/bin/env bash
# What a message costs on PostgreSQL and across nodes (issue 9's cluster), beside Sodam on SQLite, in one
# interleaved run — the figures behind docs/benchmarks.md's "What a cluster would carry".
#
#   ROUNDS=3 bench/cluster.sh
#
# Each round runs three set-ups, in alternating order (reversed in even rounds):
#   sqlite   one node on its embedded SQLite (the default; what bench/run.sh measures as "sodam")
#   pg       one node on PostgreSQL (127.0.0.1:5432, user postgres, a fresh database per run), no Redis
#   cluster  two nodes on one fresh PostgreSQL database and the Redis at 127.0.0.1:6379; visitors on node A,
#            agents on node B, so every message is committed on A and reaches its agent through Redis and B
# through the scenarios in SCENARIOS: c (closed loop, CAPACITY_CHATS chats, one message in flight each:
# messages/s and CPU per message) and b (open loop, CHATS chats at RATE msg/s: latency).
# CPU per delivered message: nodes_cpu_us_per_relay (every Sodam JVM), backing_cpu_us_per_relay (postgres and
# redis-server processes, found by name: PostgreSQL's backends, writer and WAL writer, and Redis) and
# total_cpu_us_per_relay (the sqlite set-up counts them too: what the idle services spend beside it). The Sodam nodes are pinned to SERVER_CPU (both nodes of the cluster share it), the
# load generator to CLIENT_CPU; PostgreSQL and Redis are the machine's services and run where the kernel puts
# them. On two cores the set-ups compete for the same CPU, so compare CPU per message, not messages/s.
# No network namespace (PostgreSQL and Redis are the host's). Needs server/$BENCH_TARGET/sodam.jar and
# bench/$BENCH_TARGET/sodam-bench.jar (built here when missing). Results: $OUT_DIR/results.jsonl, summary.txt.
#
# Settings: ROUNDS (3), SCENARIOS ("c b"), CAPACITY_CHATS (200), CHATS (1000), CHATS_PER_AGENT (5), RATE (1000),
# WARMUP (20 s), DURATION (20 s), CAPACITY_DURATION (15 s), SETUPS ("sqlite pg cluster"; a set-up named
# <setup>-base runs BASE_JAR, another build's server jar, for a before/after in one run), SUMMARY ("cluster
# sqlite pg": the set-up compared, the one it is divided by, the others; e.g. "pg pg-base cluster-base"), SERVER_CPU (1),
# CLIENT_CPU (0), PGHOST (127.0.0.1), REDIS_URL (redis://127.0.0.1:6379), BENCH_TARGET (target-bench), OUT_DIR.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

ROUNDS=${ROUNDS:-3}
SCENARIOS=${SCENARIOS:-"c b"}
SETUPS=${SETUPS:-"sqlite pg cluster"}
SUMMARY=${SUMMARY:-"cluster sqlite pg"}   # Summary's arguments: ours, the reference, the others
CAPACITY_CHATS=${CAPACITY_CHATS:-200}
CHATS=${CHATS:-1000}
CHATS_PER_AGENT=${CHATS_PER_AGENT:-5}
RATE=${RATE:-1000}
WARMUP=${WARMUP:-20}
DURATION=${DURATION:-20}
CAPACITY_DURATION=${CAPACITY_DURATION:-15}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
PGHOST=${PGHOST:-127.0.0.1}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
BENCH_TARGET=${BENCH_TARGET:-target-bench}
SODAM_JAR=$ROOT/server/$BENCH_TARGET/sodam.jar
BENCH_JAR=$ROOT/bench/$BENCH_TARGET/sodam-bench.jar
SERVER_JVM=${SERVER_JVM:-"-XX:+UseG1GC -Xms512m -Xmx512m"}
CLIENT_JVM=${CLIENT_JVM:-"-XX:+UseG1GC -Xms512m -Xmx1g"}

command -v psql >/dev/null || { echo "cluster: psql is missing (Debian: postgresql-client)"; exit 2; }
psql -q -h "$PGHOST" -U postgres -d postgres -c 'SELECT 1' >/dev/null \
  || { echo "cluster: no PostgreSQL at $PGHOST:5432 for user postgres"; exit 2; }
if [[ " $SETUPS " == *" cluster "* ]]; then
  command -v redis-cli >/dev/null && redis-cli -u "$REDIS_URL" ping >/dev/null \
    || { echo "cluster: no Redis at $REDIS_URL (and redis-cli to check it)"; exit 2; }
fi
if [ ! -f "$SODAM_JAR" ] || [ ! -f "$BENCH_JAR" ]; then
  echo "cluster: building (mvn -Dsodam.target=$BENCH_TARGET)"
  mvn -B -q -Dsodam.target="$BENCH_TARGET" -Dmaven.test.skip=true -Dexec.skip=true package
fi

OUT_DIR=${OUT_DIR:-$ROOT/bench/$BENCH_TARGET/results/cluster-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT_DIR"
RESULTS=$OUT_DIR/results.jsonl
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "sodam: working tree at $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- server bot || echo ', with uncommitted changes in server/bot')${BASE_JAR:+; *-base set-ups: $BASE_JAR}"
  echo "nproc: $(nproc); loadavg: $(cat /proc/loadavg)"
  echo "postgresql: $(psql -At -h "$PGHOST" -U postgres -d postgres -c 'SHOW server_version') (synchronous_commit $(psql -At -h "$PGHOST" -U postgres -d postgres -c 'SHOW synchronous_commit'), fsync $(psql -At -h "$PGHOST" -U postgres -d postgres -c 'SHOW fsync')); redis: $(redis-cli -u "$REDIS_URL" info server 2>/dev/null | grep -m1 redis_version | tr -d '\r' || echo none)"
  echo "settings: rounds=$ROUNDS scenarios=$SCENARIOS setups=$SETUPS capacity_chats=$CAPACITY_CHATS chats=$CHATS rate=$RATE warmup=$WARMUP duration=$DURATION"
  echo "server jvm: $SERVER_JVM (taskset -c $SERVER_CPU); client jvm: $CLIENT_JVM (taskset -c $CLIENT_CPU)"
} | tee "$OUT_DIR/machine.txt"

NODE_PIDS=()
DATA_DIRS=()
DATABASE=
stop_all() {
  local pid
  for pid in "${NODE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${NODE_PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  NODE_PIDS=()
  for dir in "${DATA_DIRS[@]}"; do rm -rf "$dir"; done
  DATA_DIRS=()
  if [ -n "$DATABASE" ]; then
    psql -q -h "$PGHOST" -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" || true
    DATABASE=
  fi
}
trap stop_all EXIT

# `timeout` forks the JVM: CPU figures must come from the java process itself.
java_pid() { local child; child=$(pgrep -P "$1" | head -1); echo "${child:-$1}"; }

start_node() { # jar, port, log, extra environment... → appends to NODE_PIDS
  local jar=$1 port=$2 log=$3; shift 3
  local dir; dir=$(mktemp -d "${TMPDIR:-/tmp}/sodam-cluster-data.XXXXXX")
  DATA_DIRS+=("$dir")
  (exec env SODAM_PORT="$port" SODAM_HOST=127.0.0.1 SODAM_DATA_DIR="$dir" \
     SODAM_BOOTSTRAP_ADMIN=bench@sodam.test:bench-password-1 \
     SODAM_RATE_PER_SECOND=100000 SODAM_RATE_BURST=100000 SODAM_MAX_CHATS_PER_AGENT=100 SODAM_IDLE_SECONDS=3600 \
     SODAM_FAQ_SEED_DIR="$ROOT/config/faq" SODAM_BOT_INTENTS_FILE="$ROOT/config/bot/intents.json" \
     SODAM_BOT_OUT_OF_SCOPE_FILE="$ROOT/config/bot/out-of-scope.json" "$@" \
     timeout 900 taskset -c "$SERVER_CPU" java $SERVER_JVM -jar "$jar") >"$log" 2>&1 &
  local pid=$!
  # the listener, and the bot trained in the background (it must not eat the measured CPU)
  for _ in $(seq 1200); do grep -q "bot: trained" "$log" && break; kill -0 "$pid" || { cat "$log"; exit 1; }; sleep 0.1; done
  grep -q "bot: trained" "$log" || { echo "cluster: the node on port $port did not get ready"; cat "$log"; exit 1; }
  NODE_PIDS+=("$(java_pid "$pid")")
  LAST_DATA_DIR=$dir
}

PORT=18300
run_setup() { # setup, scenario, round, load generator args...
  local setup=$1 scenario=$2 round=$3; shift 3
  local log=$OUT_DIR/$scenario-$round-$setup
  local db_args=() agent_port node_args=() pg_env=() jar=$SODAM_JAR
  if [[ $setup == *-base ]]; then
    [ -f "${BASE_JAR:-}" ] || { echo "cluster: set-up $setup needs BASE_JAR, a server jar"; exit 2; }
    jar=$BASE_JAR
  fi
  PORT=$((PORT + 2))
  agent_port=$PORT
  if [ "${setup%-base}" != sqlite ]; then
    DATABASE=sodam_cluster_bench_$$_${round}_${scenario}_${setup//-/_}
    psql -q -h "$PGHOST" -U postgres -d postgres -c "CREATE DATABASE $DATABASE"
    local url=jdbc:postgresql://$PGHOST:5432/$DATABASE
    pg_env=(SODAM_STORE_TYPE=postgresql SODAM_STORE_POSTGRES_URL="$url" SODAM_STORE_POSTGRES_USER=postgres)
    db_args=(--sodam-db "$url" --sodam-db-user postgres)
  fi
  echo "cluster: scenario $scenario round $round: $setup (port $PORT)"
  case ${setup%-base} in
    sqlite)
      start_node "$jar" $PORT "$log-a.log"
      db_args=(--sodam-db "$LAST_DATA_DIR/sodam.db")
      ;;
    pg) start_node "$jar" $PORT "$log-a.log" "${pg_env[@]}" ;;
    cluster)
      start_node "$jar" $PORT "$log-a.log" "${pg_env[@]}" SODAM_CLUSTER_REDIS_URL="$REDIS_URL"
      start_node "$jar" $((PORT + 1)) "$log-b.log" "${pg_env[@]}" SODAM_CLUSTER_REDIS_URL="$REDIS_URL"
      agent_port=$((PORT + 1))
      node_args=(--node-pids "${NODE_PIDS[1]}")
      ;;
    *) echo "cluster: unknown set-up $setup (sqlite, pg, cluster, each also as <setup>-base)"; exit 2 ;;
  esac
  timeout 600 taskset -c "$CLIENT_CPU" java $CLIENT_JVM -cp "$BENCH_JAR" dev.sodam.bench.LoadGenerator \
    --target sodam --label "$setup" --port $PORT --agent-port $agent_port --round "$round" --scenario "$scenario" \
    --server-pid "${NODE_PIDS[0]}" "${node_args[@]}" --backing-processes postgres,redis-server --chats-per-agent "$CHATS_PER_AGENT" --out "$RESULTS" \
    "${db_args[@]}" "$@" 2>>"$OUT_DIR/loadgen.log" | grep '"phase":"measure"' || true
  stop_all
}

for scenario in $SCENARIOS; do
  case $scenario in
    b) args=(--mode open --chats "$CHATS" --rate "$RATE" --warmup "$WARMUP" --duration "$DURATION") ;;
    c) args=(--mode closed --chats "$CAPACITY_CHATS" --window 1 --warmup "$WARMUP" --duration "$CAPACITY_DURATION") ;;
    *) echo "cluster: unknown scenario $scenario (b, c)"; exit 2 ;;
  esac
  for round in $(seq "$ROUNDS"); do
    order=($SETUPS)
    if [ $((round % 2)) = 0 ]; then
      reversed=(); for ((i = ${#order[@]} - 1; i >= 0; i--)); do reversed+=("${order[i]}"); done; order=("${reversed[@]}")
    fi
    for setup in "${order[@]}"; do run_setup "$setup" "$scenario" "$round" "${args[@]}"; done
  done
done

# shellcheck disable=SC2086
java -cp "$BENCH_JAR" dev.sodam.bench.Summary "$RESULTS" $SUMMARY | tee "$OUT_DIR/summary.txt"
