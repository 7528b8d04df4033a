#!/usr/bin/env bash
# soketi 1.6.1 for bench/run.sh, on 127.0.0.1:<port>, from the node_modules next to this script (npm ci).
# One app (key sodam-bench-key, secret sodam-bench-secret) with client events on: the load generator's
# Pusher mode signs private-channel subscriptions with that secret and sends visitor → agent as client events.
# soketi always starts node-discover UDP discovery (a broadcast to 255.255.255.255:11002 every 500 ms by
# default): it is pointed at 127.0.0.1 here, and bench/run.sh also runs it inside `unshare -n`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
port=${1:?usage: soketi.sh <port>}
config=$here/config-$port.json   # next to the installed copy (the build directory), not in the sources
cat >"$config" <<JSON
{"host": "127.0.0.1", "port": $port, "debug": false,
 "cluster.hostname": "127.0.0.1", "cluster.broadcast": "127.0.0.1", "cluster.unicast": "127.0.0.1",
 "metrics.enabled": false, "metrics.host": "127.0.0.1", "metrics.port": $((port + 10000)),
 "appManager.array.apps": [{"id": "sodam-bench", "key": "sodam-bench-key", "secret": "sodam-bench-secret",
   "maxConnections": -1, "enableClientMessages": true, "enabled": true, "maxBackendEventsPerSecond": -1,
   "maxClientEventsPerSecond": -1, "maxReadRequestsPerSecond": -1, "webhooks": []}]}
JSON
exec node "$here/node_modules/@soketi/soketi/bin/server.js" start --config="$config"
