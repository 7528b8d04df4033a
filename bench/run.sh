#!/usr/bin/env bash
# Sodam benchmarks (issue 8): Sodam, the bare Netty reference relay and the peers, interleaved in one run.
#
#   bench/run.sh                    scenarios a (idle connections), b (latency), c (closed-loop CPU per message), d (bot end to end), e (cold start)
#   SCENARIOS="b" ROUNDS=5 bench/run.sh
#
# Settings (environment): ROUNDS (3), IDLE_CONNS (19000 idle WebSockets for scenario a), CHATS (1000), CHATS_PER_AGENT (5), RATE (1000 msg/s),
# WARMUP (20 s: until the JIT is done, see server_jit_pct in results.jsonl), DURATION (20 s), CAPACITY_CHATS (200), CAPACITY_DURATION (15 s), COLD_RUNS (5), JAVA25 (a JDK 25 java for the AOT-cache runs of e; default: /usr/lib/jvm/*25*; empty: none),
# BOT_RATES ("100 1000 2000" questions/s for scenario d), BOT_VISITORS (200), BOT_WARMUP (60 s: the bot's path
# keeps a pinned core's C2 compiler busy for about 40 s),
# STEP_RATES ("2000 4000 8000 12000 16000 20000" msg/s: scenario b's step-up on the same chats, until p99 > STEP_STOP_P99_MS (10);
# empty: no step-up), STEP_DURATION (10 s measured per step, after 2 s of warm-up),
# SODAM_REV (unset: the working tree; else a commit to export with git archive and build apart, so the
# figures belong to one commit while others edit the tree), SODAM_JAR (server/target-bench/sodam.jar), OUT_DIR (bench/target-bench/results/<time>),
# SERVER_CPU (1), CLIENT_CPU (0), BENCH_NETNS (1: run inside `unshare -n` when root),
# BASE_REV (unset; else scenarios b, c and d also run that commit, built apart like SODAM_REV, interleaved with the
# measured one in every round and labelled sodam-base (sodam-base-<rate> in d): a before/after in one run),
# BENCH_TARGET (target-bench: the build directory name, -Dsodam.target),
# PEERS (default "ws uws vertx soketi", less the Node ones when node or their npm modules are missing, and
# less soketi outside a network namespace of its own): the peers beside Sodam and the reference in
# scenarios a, b, c and e — ws (Node ws 8), uws (uWebSockets.js, the npm republish), vertx (Vert.x 4,
# one verticle per core) — and soketi (the product peer, Pusher protocol: scenarios b and c only);
# PEERS="" runs none. The Node modules come from npm on bench/peers/package-lock.json and
# bench/peers/soketi/package-lock.json into bench/$BENCH_TARGET/peers, before the run enters its
# network namespace; once installed, later runs need no network.
# GATES (0: report only; 1: exit 1 when one of issue 8's gates fails — see the end of summary.txt).
# Order in each round: sodam, reference, then the peers; reversed in even rounds, so a drift of the
# neighbours' load does not always favour the same server. Ratios are taken within a round.
# Everything runs on loopback; each server process and each load run is bounded by `timeout`.
# Results: $OUT_DIR/results.jsonl (one JSON line per round, server, phase), summary.txt and plot-<scenario>.png.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

ROUNDS=${ROUNDS:-3}
SCENARIOS=${SCENARIOS:-"a b c d e"}
IDLE_CONNS=${IDLE_CONNS:-19000}
CHATS=${CHATS:-1000}
CHATS_PER_AGENT=${CHATS_PER_AGENT:-5}
RATE=${RATE:-1000}
# Every JSON line of b, c and d says what share of the server's CPU in its phase went to its JIT compilers
# (server_jit_pct). After 5 s of load Sodam's was 22-41 % of its measured CPU in b, c and d and the
# reference relay's under 1 % in c: ratios after a short warm-up compare Sodam's warm-up with the relay's
# steady state (docs/benchmarks.md, "Warm-up").
WARMUP=${WARMUP:-20}
BOT_WARMUP=${BOT_WARMUP:-60}
DURATION=${DURATION:-20}
CAPACITY_CHATS=${CAPACITY_CHATS:-200}
CAPACITY_DURATION=${CAPACITY_DURATION:-15}
COLD_RUNS=${COLD_RUNS:-5}
BOT_RATES=${BOT_RATES:-"100 1000 2000"}
STEP_RATES=${STEP_RATES-"2000 4000 8000 12000 16000 20000"}
STEP_DURATION=${STEP_DURATION:-10}
STEP_STOP_P99_MS=${STEP_STOP_P99_MS:-10}
BOT_VISITORS=${BOT_VISITORS:-200}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
BENCH_TARGET=${BENCH_TARGET:-target-bench}
SODAM_JAR=${SODAM_JAR:-$ROOT/server/$BENCH_TARGET/sodam.jar}
SODAM_HOME=$ROOT   # Sodam runs from here, so its config/ is found
BENCH_JAR=$ROOT/bench/$BENCH_TARGET/sodam-bench.jar
# The same flags for both servers. A JVM pinned to one CPU would otherwise pick SerialGC.
SERVER_JVM=${SERVER_JVM:-"-XX:+UseG1GC -Xms512m -Xmx512m"}
CLIENT_JVM=${CLIENT_JVM:-"-XX:+UseG1GC -Xms512m -Xmx1g"}
# A JDK 25 for scenario (e)'s AOT-cache runs: JAVA25 (a java binary; empty: none), else the first under /usr/lib/jvm.
if [ -z "${JAVA25+set}" ]; then
  JAVA25=$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1 || true)
fi

# 0. The Node peers' modules (outside the namespace: npm needs the registry the first time only).
PEERS_DIR=$ROOT/bench/$BENCH_TARGET/peers
install_node_peers() { # → 0 when bench/peers is installed in $PEERS_DIR for the committed lock file
  command -v node >/dev/null && command -v npm >/dev/null || return 1
  mkdir -p "$PEERS_DIR"
  cp "$ROOT"/bench/peers/package.json "$ROOT"/bench/peers/package-lock.json "$ROOT"/bench/peers/*.mjs "$PEERS_DIR"/
  if ! cmp -s "$PEERS_DIR/package-lock.json" "$PEERS_DIR/node_modules/.sodam-lock" 2>/dev/null; then
    [ -n "${BENCH_IN_NETNS:-}" ] && return 1   # no network in here: the outer run installs
    echo "bench: npm ci in $PEERS_DIR" >&2
    (cd "$PEERS_DIR" && timeout 300 npm ci --no-audit --no-fund --prefer-offline >&2) || return 1
    cp "$PEERS_DIR/package-lock.json" "$PEERS_DIR/node_modules/.sodam-lock"
  fi
}
install_soketi() { # soketi's lock lacks other platforms' optional packages, which npm ci refuses: install --no-save
  install_node_peers || return 1
  mkdir -p "$PEERS_DIR/soketi"
  cp "$ROOT"/bench/peers/soketi/package.json "$ROOT"/bench/peers/soketi/package-lock.json "$ROOT"/bench/peers/soketi/soketi.sh "$PEERS_DIR/soketi/"
  if ! cmp -s "$PEERS_DIR/soketi/package-lock.json" "$PEERS_DIR/soketi/node_modules/.sodam-lock" 2>/dev/null; then
    [ -n "${BENCH_IN_NETNS:-}" ] && return 1
    echo "bench: npm install in $PEERS_DIR/soketi" >&2
    (cd "$PEERS_DIR/soketi" && timeout 400 npm install --no-save --no-audit --no-fund --prefer-offline >&2) || return 1
    cp "$PEERS_DIR/soketi/package-lock.json" "$PEERS_DIR/soketi/node_modules/.sodam-lock"
  fi
}
# soketi broadcasts UDP discovery: only inside the run's own network namespace.
confined() { [ -n "${BENCH_IN_NETNS:-}" ] || { [ "${BENCH_NETNS:-1}" = 1 ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; }; }
has_peer() { [[ " $PEERS " == *" $1 "* ]]; }
if [ -z "${PEERS+set}" ]; then
  PEERS="ws uws vertx"
  if ! install_node_peers; then
    echo "bench: node, npm or the peers' npm modules are missing: running without the Node peers (ws, uws, soketi)" >&2
    PEERS="vertx"
  elif confined && install_soketi; then
    PEERS="$PEERS soketi"
  else
    echo "bench: soketi left out (it needs its own network namespace — root and unshare — and its npm modules)" >&2
  fi
  export PEERS
else
  if has_peer ws || has_peer uws; then
    install_node_peers || { echo "bench: PEERS=\"$PEERS\" needs node and the npm modules of bench/peers (npm ci failed)"; exit 2; }
  fi
  if has_peer soketi; then
    confined || { echo "bench: soketi runs only inside the run's own network namespace (BENCH_NETNS=1, as root)"; exit 2; }
    install_soketi || { echo "bench: the npm modules of bench/peers/soketi could not be installed"; exit 2; }
  fi
fi

# 1. Build when a jar is missing or older than its sources (never touching the default target/).
newer() { [ ! -f "$1" ] || [ -n "$(cd "$ROOT" && find "${@:2}" -newer "$1" \( -name '*.java' -o -name 'pom.xml' -o -name '*.sql' -o -name '*.js' -o -name '*.json' \) -not -path '*/target*' -print -quit)" ]; }
if { [ -z "${SODAM_REV:-}" ] && newer "$SODAM_JAR" pom.xml bot server widget; } || newer "$BENCH_JAR" pom.xml bench; then
  echo "bench: building (mvn -Dsodam.target=$BENCH_TARGET)"
  mvn -B -q -Dsodam.target="$BENCH_TARGET" -Dmaven.test.skip=true -Dexec.skip=true package
fi
build_rev() { # commit → the directory it is exported to and built in (its jar: server/$BENCH_TARGET/sodam.jar)
  local home=${TMPDIR:-/tmp}/sodam-bench-src-$1
  if [ ! -f "$home/server/$BENCH_TARGET/sodam.jar" ]; then
    echo "bench: building Sodam $1 in $home" >&2
    rm -rf "$home" && mkdir -p "$home"
    git archive "$1" | tar -x -C "$home"
    (cd "$home" && mvn -B -q -Dsodam.target="$BENCH_TARGET" -Dmaven.test.skip=true -Dexec.skip=true -pl server -am package) >&2
  fi
  echo "$home"
}
if [ -n "${SODAM_REV:-}" ]; then
  SODAM_REV=$(git rev-parse --short "$SODAM_REV")   # resolved once: others may commit meanwhile
  SODAM_HOME=$(build_rev "$SODAM_REV")
  SODAM_JAR=$SODAM_HOME/server/$BENCH_TARGET/sodam.jar
fi
if [ -n "${BASE_REV:-}" ]; then
  BASE_REV=$(git rev-parse --short "$BASE_REV")
  BASE_HOME=$(build_rev "$BASE_REV")
  BASE_JAR=$BASE_HOME/server/$BENCH_TARGET/sodam.jar
fi

# 2. Our own network namespace: loopback only, our own port range, no TIME_WAIT from other jobs. Entered
# after the builds, which may need Maven Central (a fresh machine's repository is empty); the re-run in
# the namespace finds the jars built and skips them.
if [ "${BENCH_NETNS:-1}" = 1 ] && [ -z "${BENCH_IN_NETNS:-}" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
  export BENCH_IN_NETNS=1
  exec unshare -n -- "$0" "$@"
fi
if [ -n "${BENCH_IN_NETNS:-}" ]; then
  ip link set lo up
  sysctl -q -w net.ipv4.ip_local_port_range="20000 65000" net.core.somaxconn=8192 || true
fi
ulimit -n 20000 2>/dev/null || true

OUT_DIR=${OUT_DIR:-$ROOT/bench/$BENCH_TARGET/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT_DIR"
RESULTS=$OUT_DIR/results.jsonl
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  if [ -n "${BASE_REV:-}" ]; then echo "sodam-base (scenarios b, c, d): commit $BASE_REV (exported and built apart)"; fi
  if [ -n "${SODAM_REV:-}" ]; then echo "sodam: commit $SODAM_REV (exported and built apart in $SODAM_HOME)"
  else echo "sodam: working tree at $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- server bot widget config || echo ', with uncommitted changes in server/bot/widget/config')"; fi
  echo "bench: commit $(git rev-parse --short HEAD)"
  echo "nproc: $(nproc); loadavg: $(cat /proc/loadavg)"
  echo "java: $(java -version 2>&1 | head -1)${JAVA25:+; JDK 25 for (e): $("$JAVA25" -version 2>&1 | head -1)}"
  echo "peers: ${PEERS:-none}$([[ " $PEERS " == *" ws "* || " $PEERS " == *" uws "* ]] && echo "; node $(node --version)")"
  echo "settings: rounds=$ROUNDS idle_conns=$IDLE_CONNS chats=$CHATS chats_per_agent=$CHATS_PER_AGENT rate=$RATE warmup=$WARMUP bot_warmup=$BOT_WARMUP duration=$DURATION capacity_chats=$CAPACITY_CHATS cold_runs=$COLD_RUNS step_rates=${STEP_RATES// /,} netns=${BENCH_IN_NETNS:-0}"
  echo "server jvm: $SERVER_JVM (taskset -c $SERVER_CPU); client jvm: $CLIENT_JVM (taskset -c $CLIENT_CPU)"
} | tee "$OUT_DIR/machine.txt"
# What a durable commit costs this disk without SQLite (the wait and the CPU, kernel included): Sodam's
# ratios to the relays include one per batch. Same file system as Sodam's data directories.
PROBE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/sodam-bench-disk.XXXXXX")
java -cp "$BENCH_JAR" dev.sodam.bench.DiskProbe "$PROBE_DIR" 1 | tee -a "$OUT_DIR/machine.txt"
rm -rf "$PROBE_DIR"

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

start_sodam() { # port, log[, jar] → SERVER_PID, SODAM_DATA
  SODAM_DATA=$(mktemp -d "${TMPDIR:-/tmp}/sodam-bench-data.XXXXXX")
  # Each build reads the config/sodam.yaml it was built with (an older server refuses a newer key); the FAQ
  # and bot files are the measured commit's for both (sodam_env), so both answer from the same data.
  local home=$SODAM_HOME
  if [ -n "${BASE_JAR:-}" ] && [ "${3:-}" = "$BASE_JAR" ]; then home=$BASE_HOME; fi
  # shellcheck disable=SC2046
  (cd "$home" && exec env $(sodam_env "$SODAM_DATA" "$1") timeout 900 taskset -c "$SERVER_CPU" java $SERVER_JVM -jar "${3:-$SODAM_JAR}") >"$2" 2>&1 &
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

start_peer() { # name, port, log → SERVER_PID: a peer relay pinned like the others
  case $1 in
    ws|uws) timeout 900 taskset -c "$SERVER_CPU" node "$PEERS_DIR/$1-relay.mjs" "$2" >"$3" 2>&1 & ;;
    vertx) timeout 900 taskset -c "$SERVER_CPU" java $SERVER_JVM -cp "$BENCH_JAR" dev.sodam.bench.VertxRelay "$2" 0 >"$3" 2>&1 & ;;
    soketi) timeout 900 taskset -c "$SERVER_CPU" "$PEERS_DIR/soketi/soketi.sh" "$2" >"$3" 2>&1 & ;;   # exec's node
    *) echo "bench: unknown peer $1 (ws, uws, vertx, soketi)"; exit 2 ;;
  esac
  SERVER_PID=$!
  local ready="listening"; [ "$1" = soketi ] && ready="up and running"
  for _ in $(seq 300); do grep -q "$ready" "$3" && break; sleep 0.1; done
  grep -q "$ready" "$3" || { echo "bench: the $1 relay did not start"; cat "$3"; exit 1; }
  SERVER_PID=$(java_pid "$SERVER_PID")
}

start_server() { # name, port, log: Sodam, the base commit's Sodam, the reference or a peer
  case $1 in
    sodam) start_sodam "$2" "$3" ;;
    sodam-base) start_sodam "$2" "$3" "$BASE_JAR" ;;
    reference) start_reference "$2" "$3" ;;
    *) start_peer "$1" "$2" "$3" ;;
  esac
}

# The servers of one round, in order: forward in odd rounds, reversed in even ones. soketi speaks
# Pusher: it has no idle client (a) and no hello to cold-start against (e); it runs in b and c only.
servers_of() { # round[, scenario]
  local list=(sodam reference) peer
  if [ -n "${BASE_REV:-}" ] && { [ "${2:-}" = b ] || [ "${2:-}" = c ]; }; then list=(sodam sodam-base reference); fi
  for peer in $PEERS; do [ "$peer" = soketi ] && [ "${2:-}" != b ] && [ "${2:-}" != c ] && continue; list+=("$peer"); done
  if [ $(($1 % 2)) = 0 ]; then
    local i; for ((i = ${#list[@]} - 1; i >= 0; i--)); do printf '%s ' "${list[i]}"; done
  else printf '%s ' "${list[@]}"; fi
}
# The frame shape a server speaks: Sodam's protocol, or the reference relay's (which the peers copy).
shape() { case $1 in sodam|sodam-base) echo sodam ;; soketi) echo pusher ;; *) echo reference ;; esac; }

# `timeout` forks the JVM: CPU figures must come from the java process itself.
java_pid() { local child; child=$(pgrep -P "$1" | head -1); echo "${child:-$1}"; }

load() { # target, label, port, round, scenario, extra args...
  local target=$1 label=$2 port=$3 round=$4 scenario=$5; shift 5
  local extra=()
  case $target in sodam|sodam-base) extra=(--sodam-db "$SODAM_DATA/sodam.db") ;; esac
  timeout 600 taskset -c "$CLIENT_CPU" java $CLIENT_JVM -cp "$BENCH_JAR" dev.sodam.bench.LoadGenerator \
    --target "$(shape "$target")" --label "$label" --port "$port" --round "$round" --scenario "$scenario" \
    --server-pid "$SERVER_PID" --chats-per-agent "$CHATS_PER_AGENT" --out "$RESULTS" "${extra[@]}" "$@" \
    2>>"$OUT_DIR/loadgen.log" | grep '"phase":"measure"' || true
}

PORT=9200
next_port() { PORT=$((PORT + 1)); }

COLD_JAVA=java   # the server's java in (e); the JDK 25 runs set it to $JAVA25
cold() { # target, label, run, results file, extra JVM flags...: one cold start of scenario (e)
  local target=$1 label=$2 run=$3 out=$4; shift 4
  if [ "$target" = ws ] || [ "$target" = uws ] || [ "$target" = vertx ]; then
    local command=(taskset -c "$SERVER_CPU" node "$PEERS_DIR/$target-relay.mjs" $PORT)
    [ "$target" = vertx ] && command=(taskset -c "$SERVER_CPU" "$COLD_JAVA" $SERVER_JVM "$@" -cp "$BENCH_JAR" dev.sodam.bench.VertxRelay $PORT 0)
    timeout 300 taskset -c "$CLIENT_CPU" java -cp "$BENCH_JAR" dev.sodam.bench.ColdStart \
      --label "$label" --target reference --port $PORT --round "$run" --out "$out" --log "$OUT_DIR/e-$run-$label.log" \
      -- "${command[@]}"
  elif [ "$target" = sodam ]; then
    # shellcheck disable=SC2046
    (cd "$SODAM_HOME" && exec env $(sodam_env "$COLD_DATA" $PORT) timeout 300 taskset -c "$CLIENT_CPU" java -cp "$BENCH_JAR" dev.sodam.bench.ColdStart \
      --label "$label" --target sodam --port $PORT --round "$run" --out "$out" --log "$OUT_DIR/e-$run-$label.log" \
      -- taskset -c "$SERVER_CPU" "$COLD_JAVA" $SERVER_JVM "$@" -jar "$SODAM_JAR")
  else
    timeout 300 taskset -c "$CLIENT_CPU" java -cp "$BENCH_JAR" dev.sodam.bench.ColdStart \
      --label "$label" --target reference --port $PORT --round "$run" --out "$out" --log "$OUT_DIR/e-$run-$label.log" \
      -- taskset -c "$SERVER_CPU" "$COLD_JAVA" $SERVER_JVM "$@" -cp "$BENCH_JAR" dev.sodam.bench.ReferenceRelay $PORT 0
  fi
}

for scenario in $SCENARIOS; do
  for round in $(seq "$ROUNDS"); do
    case $scenario in
      a)
        # Idle connections: each says hello and holds; heap and RSS per connection after a full GC.
        # Both heaps pre-touched: otherwise RSS grows with the heap pages the set-up's garbage first
        # touches (a server that makes more garbage per hello shows more), not with what connections keep.
        PLAIN_SERVER_JVM=$SERVER_JVM
        SERVER_JVM="$SERVER_JVM -XX:+AlwaysPreTouch"
        for server in $(servers_of "$round" a); do
          next_port
          echo "bench: scenario a round $round: $server, $IDLE_CONNS idle connections (port $PORT)"
          start_server $server $PORT "$OUT_DIR/a-$round-$server.log"
          timeout 600 taskset -c "$CLIENT_CPU" java $CLIENT_JVM -cp "$BENCH_JAR" dev.sodam.bench.IdleConnections \
            --target "$(shape $server)" --label $server --port $PORT --conns "$IDLE_CONNS" --round "$round" \
            --server-pid "$SERVER_PID" --out "$RESULTS" 2>>"$OUT_DIR/loadgen.log" || true
          stop_server
          [ $server = sodam ] && rm -rf "$SODAM_DATA"
        done
        SERVER_JVM=$PLAIN_SERVER_JVM
        ;;
      b|c)
        if [ "$scenario" = b ]; then
          args=(--mode open --chats "$CHATS" --rate "$RATE" --warmup "$WARMUP" --duration "$DURATION")
          # the step-up, on the same chats: each rate is scenario b-step-<rate> in the summary
          [ -z "$STEP_RATES" ] || args+=(--step-rates "${STEP_RATES// /,}" --step-duration "$STEP_DURATION" --step-stop-p99-ms "$STEP_STOP_P99_MS")
        else
          args=(--mode closed --chats "$CAPACITY_CHATS" --window 1 --warmup "$WARMUP" --duration "$CAPACITY_DURATION")
        fi
        for server in $(servers_of "$round" "$scenario"); do
          next_port
          echo "bench: scenario $scenario round $round: $server (port $PORT)"
          start_server $server $PORT "$OUT_DIR/$scenario-$round-$server.log"
          load $server $server $PORT "$round" "$scenario" "${args[@]}"
          stop_server
          case $server in sodam|sodam-base) rm -rf "$SODAM_DATA" ;; esac
        done
        ;;
      d)
        # Bot answers end to end: the seed FAQ's questions over WebSocket at each rate in BOT_RATES.
        # There is no reference here (the relay has no bot): the target is absolute (docs/benchmarks.md).
        # With BASE_REV, that commit runs beside the measured one at each rate, in alternating order.
        variants="current"
        if [ -n "${BASE_REV:-}" ]; then
          if [ $((round % 2)) = 1 ]; then variants="base current"; else variants="current base"; fi
        fi
        for rate in $BOT_RATES; do
          for variant in $variants; do
            jar=$SODAM_JAR; label=sodam-$rate
            if [ "$variant" = base ]; then jar=$BASE_JAR; label=sodam-base-$rate; fi
            next_port
            echo "bench: scenario d round $round: $label at $rate questions/s (port $PORT)"
            start_sodam $PORT "$OUT_DIR/d-$round-$label.log" "$jar"
            timeout 300 taskset -c "$CLIENT_CPU" java $CLIENT_JVM -cp "$BENCH_JAR" dev.sodam.bench.BotLoad \
              --port $PORT --visitors "$BOT_VISITORS" --rate "$rate" --warmup "$BOT_WARMUP" --duration "$DURATION" \
              --faq "$SODAM_HOME/config/faq/seed-ko.json" --round "$round" --label "$label" \
              --server-pid "$SERVER_PID" --out "$RESULTS" 2>>"$OUT_DIR/loadgen.log" || true
            stop_server
            rm -rf "$SODAM_DATA"
          done
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
        # AppCDS (JDK 17 dynamic archive): one training start per server dumps the classes it loaded up
        # to its first welcome; the "-cds" runs map that archive. Same flags for both servers.
        SODAM_JSA=$OUT_DIR/sodam.jsa
        REFERENCE_JSA=$OUT_DIR/reference.jsa
        if [ "$round" = 1 ] && [ ! -f "$SODAM_JSA" ]; then
          next_port; cold sodam sodam-train 0 /dev/null -XX:ArchiveClassesAtExit="$SODAM_JSA"
          next_port; cold reference reference-train 0 /dev/null -XX:ArchiveClassesAtExit="$REFERENCE_JSA"
        fi
        # JDK 25's AOT cache (JEPs 483 and 514: classes loaded and linked ahead of time), when a JDK 25
        # is here: a training start records what each server loaded up to its first welcome, a create
        # step writes the cache, the "-aot" runs map it; "-25" runs are JDK 25 without it.
        SODAM_AOT=$OUT_DIR/sodam.aot
        REFERENCE_AOT=$OUT_DIR/reference.aot
        if [ -n "$JAVA25" ] && [ "$round" = 1 ] && [ ! -f "$SODAM_AOT" ]; then
          COLD_JAVA=$JAVA25
          next_port; cold sodam sodam-aot-train 0 /dev/null -XX:AOTMode=record -XX:AOTConfiguration="$SODAM_AOT.conf"
          next_port; cold reference reference-aot-train 0 /dev/null -XX:AOTMode=record -XX:AOTConfiguration="$REFERENCE_AOT.conf"
          # shellcheck disable=SC2086
          (cd "$SODAM_HOME" && "$JAVA25" $SERVER_JVM -XX:AOTMode=create -XX:AOTConfiguration="$SODAM_AOT.conf" \
            -XX:AOTCache="$SODAM_AOT" -jar "$SODAM_JAR") >>"$OUT_DIR/e-aot-create.log" 2>&1
          # shellcheck disable=SC2086
          "$JAVA25" $SERVER_JVM -XX:AOTMode=create -XX:AOTConfiguration="$REFERENCE_AOT.conf" -XX:AOTCache="$REFERENCE_AOT" \
            -cp "$BENCH_JAR" dev.sodam.bench.ReferenceRelay >>"$OUT_DIR/e-aot-create.log" 2>&1
          COLD_JAVA=java
        fi
        for run in $(seq "$COLD_RUNS"); do
          [ "$round" = 1 ] || break
          next_port; cold sodam sodam "$run" "$RESULTS"
          next_port; cold reference reference "$run" "$RESULTS"
          next_port; cold sodam sodam-cds "$run" "$RESULTS" -XX:SharedArchiveFile="$SODAM_JSA"
          next_port; cold reference reference-cds "$run" "$RESULTS" -XX:SharedArchiveFile="$REFERENCE_JSA"
          if [ -f "$SODAM_AOT" ] && [ -f "$REFERENCE_AOT" ]; then
            COLD_JAVA=$JAVA25
            next_port; cold sodam sodam-25 "$run" "$RESULTS"
            next_port; cold reference reference-25 "$run" "$RESULTS"
            next_port; cold sodam sodam-aot "$run" "$RESULTS" -XX:AOTCache="$SODAM_AOT"
            next_port; cold reference reference-aot "$run" "$RESULTS" -XX:AOTCache="$REFERENCE_AOT"
            COLD_JAVA=java
          fi
          for peer in $(servers_of 1 e); do
            [ "$peer" = sodam ] || [ "$peer" = reference ] || { next_port; cold "$peer" "$peer" "$run" "$RESULTS"; }
          done
        done
        ;;
      *) echo "bench: unknown scenario $scenario (a, b, c, d, e)"; exit 2 ;;
    esac
  done
done

# shellcheck disable=SC2086
java -cp "$BENCH_JAR" dev.sodam.bench.Summary "$RESULTS" sodam reference $PEERS | tee "$OUT_DIR/summary.txt"
if grep -q '"server":"sodam-base"' "$RESULTS"; then
  echo; echo "this commit against $BASE_REV (sodam / sodam-base in the same rounds):" | tee -a "$OUT_DIR/summary.txt"
  java -cp "$BENCH_JAR" dev.sodam.bench.Summary "$RESULTS" sodam sodam-base | tee -a "$OUT_DIR/summary.txt"
fi
if grep -q '"scenario":"d"' "$RESULTS"; then
  grep '"scenario":"d"' "$RESULTS" >"$OUT_DIR/d.jsonl"
  for rate in $BOT_RATES; do
    echo; echo "bot end to end at $rate questions/s (no reference: absolute figures):"
    if [ -n "${BASE_REV:-}" ]; then
      echo "(ratios: sodam / sodam-base = this commit against $BASE_REV in the same rounds)" | tee -a "$OUT_DIR/summary.txt"
      java -cp "$BENCH_JAR" dev.sodam.bench.Summary "$OUT_DIR/d.jsonl" "sodam-$rate" "sodam-base-$rate" | tee -a "$OUT_DIR/summary.txt"
    else
      java -cp "$BENCH_JAR" dev.sodam.bench.Summary "$OUT_DIR/d.jsonl" "sodam-$rate" none | tee -a "$OUT_DIR/summary.txt"
    fi
  done
fi
if grep -q '"server":"sodam-cds"' "$RESULTS"; then
  echo; echo "with AppCDS (both servers):"
  java -cp "$BENCH_JAR" dev.sodam.bench.Summary "$RESULTS" sodam-cds reference-cds | tee -a "$OUT_DIR/summary.txt"
fi
if grep -q '"server":"sodam-aot"' "$RESULTS"; then
  echo; echo "JDK 25 ($JAVA25), without and with its AOT cache (both servers):"
  java -cp "$BENCH_JAR" dev.sodam.bench.Summary "$RESULTS" sodam-25 reference-25 | tee -a "$OUT_DIR/summary.txt"
  java -cp "$BENCH_JAR" dev.sodam.bench.Summary "$RESULTS" sodam-aot reference-aot | tee -a "$OUT_DIR/summary.txt"
fi
# shellcheck disable=SC2086
java -Djava.awt.headless=true -cp "$BENCH_JAR" dev.sodam.bench.Plots "$RESULTS" "$OUT_DIR" sodam ${BASE_REV:+sodam-base} reference $PEERS | tee -a "$OUT_DIR/summary.txt"
# Issue 8's targets: PASS / FAIL / SKIP per gate; with GATES=1 a failed gate fails the command.
gates_rc=0
java -cp "$BENCH_JAR" dev.sodam.bench.Summary --gates "$RESULTS" | tee -a "$OUT_DIR/summary.txt" || gates_rc=$?
echo "bench: results in $OUT_DIR"
if [ "${GATES:-0}" = 1 ] && [ "$gates_rc" != 0 ]; then
  echo "bench: a gate failed (GATES=1)"
  exit 1
fi
