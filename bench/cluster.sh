#!/usr/bin/env bash
# Two Sodam nodes (issue 9) on one fresh PostgreSQL database (127.0.0.1:5432, user postgres) and the Redis on
# 127.0.0.1:6379; the load generator puts visitors on node A and agents on node AGENT_NODE (a: same node,
# b: every message crosses nodes over Redis). One open-loop round, 200 chats at 200 msg/s; prints the
# generator's JSON lines. Needs server/target-bench/sodam.jar and bench/target-bench/sodam-bench.jar
# (mvn -Dsodam.target=target-bench -DskipTests package). Usage: bench/cluster.sh b
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
AGENT_NODE=${1:-b}
DB=sodam_bench_$$_$AGENT_NODE
psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $DB"
URL=jdbc:postgresql://127.0.0.1:5432/$DB
start() {
  local port=$1
  local dir=/tmp/cluster-bench-$$-$port
  mkdir -p $dir
  (cd $ROOT && exec env SODAM_PORT=$port SODAM_HOST=127.0.0.1 SODAM_DATA_DIR=$dir SODAM_STORE_TYPE=postgresql \
     SODAM_STORE_POSTGRES_URL=$URL SODAM_STORE_POSTGRES_USER=postgres SODAM_CLUSTER_REDIS_URL=redis://127.0.0.1:6379 \
     SODAM_BOOTSTRAP_ADMIN=admin@sodam.test:bench-password-1 SODAM_RATE_PER_SECOND=100000 SODAM_RATE_BURST=100000 SODAM_MAX_CHATS_PER_AGENT=100 SODAM_IDLE_SECONDS=3600 \
     java -Xmx512m -jar server/target-bench/sodam.jar) > /tmp/cluster-bench-$port.log 2>&1 &
  echo $!
}
ready() { until curl -sf http://127.0.0.1:$1/api/health/ready >/dev/null; do sleep 1; done; }
A=$(start 18081); ready 18081
B=$(start 18082); ready 18082
AGENT_PORT=$([ "$AGENT_NODE" = a ] && echo 18081 || echo 18082)
java -cp $ROOT/bench/target-bench/sodam-bench.jar dev.sodam.bench.LoadGenerator --target sodam \
  --label "agents-on-$AGENT_NODE" --port 18081 --agent-port $AGENT_PORT --sodam-db $URL --sodam-db-user postgres \
  --chats 200 --chats-per-agent 5 --mode open --rate 200 --warmup 5 --duration 20 --scenario b || true
kill $A $B; wait $A $B 2>/dev/null || true
psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE $DB WITH (FORCE)"
