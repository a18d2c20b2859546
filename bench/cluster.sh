#!/usr/bin/env bash
# tlschat as a 3-node cluster on 127.0.0.1 (three server processes, mutual TLS between them), one
# `tlschat bench` spreading its clients over the three nodes: fan-out as fast as accepted, a fixed
# rate, and direct messages. Prints each result; everything bounded in time.
#   bench/cluster.sh                 DURATION=10 WARMUP=15 RATE=20000 by default
# Ports (127.0.0.1, must be free): 37441-37443 (clients), 37800-37802 (cluster), 39091-39093 (admin).
# Needs: java 17, mvn (to build the jar once), curl.
set -euo pipefail
[ "${DEBUG:-}" = 1 ] && set -x
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-15}   # as in compare.sh: the JIT settles only after 10-13 s of load on 2 cores
RATE=${RATE:-20000}
NODES=(1 2 3)
PEERS=127.0.0.1:37800,127.0.0.1:37801,127.0.0.1:37802
SERVERS=127.0.0.1:37441,127.0.0.1:37442,127.0.0.1:37443
for port in 37441 37442 37443 37800 37801 37802 39091 39092 39093; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "error: 127.0.0.1:$port is already in use (another run?)" >&2; exit 1
    fi
done
[ -f dist/target/tlschat.jar ] || mvn -B -q -o -pl dist -am package -DskipTests

WORK=$(mktemp -d /tmp/tlschat-cluster.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
tlschat() { java -jar dist/target/tlschat.jar "$@"; }

PKI=$WORK/pki
tlschat pki init --dir "$PKI" --key ec >/dev/null
for n in "${NODES[@]}"; do tlschat pki node --dir "$PKI" --name "n$n" >/dev/null; done
for u in alice bob carol; do tlschat pki user --dir "$PKI" --name "$u" >/dev/null; done

for n in "${NODES[@]}"; do
    java -Xms512m -Xmx512m -jar dist/target/tlschat.jar server --pki "$PKI" --node "n$n" --rate-limit 0 \
        --request-rate 0 --max-sessions-per-user 0 --max-connections-per-address 0 \
        --listen "127.0.0.1:3744$n" --admin "127.0.0.1:3909$n" \
        --cluster-listen "127.0.0.1:$((37799 + n))" --cluster-peers "$PEERS" >"$WORK/n$n.log" 2>&1 & PIDS+=($!)
done
for n in "${NODES[@]}"; do # ready = joined the cluster and serving: up to 60 s
    for _ in $(seq 600); do curl -sf "http://127.0.0.1:3909$n/readyz" >/dev/null && continue 2; sleep 0.1; done
    echo "error: node n$n not ready within 60 s; its log:" >&2; cat "$WORK/n$n.log" >&2; exit 1
done
members=$(curl -sf http://127.0.0.1:39091/metrics | awk '/^tlschat_cluster_members / {print $2}')
echo "cluster of ${members%.*} nodes ready; warm-up ${WARMUP}s, then ${DURATION}s each"

for scenario in "fanout -P 1 -S 100 --size 128" "fanout -P 1 -S 10 --size 128 --rate $RATE" "direct --pairs 10"; do
    echo
    # shellcheck disable=SC2086 # the scenario is words on purpose
    timeout $((WARMUP + DURATION + 120)) java -jar dist/target/tlschat.jar bench $scenario --server "$SERVERS" \
        --pki "$PKI" --duration "${DURATION}s" --warmup "${WARMUP}s" 2>/dev/null
done
