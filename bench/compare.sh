#!/usr/bin/env bash
# tlschat next to nats-server and Redis pub/sub (and openssl s_server), same machine, same certificates
# (ECDSA P-256, mutual TLS), everything on 127.0.0.1 and bounded in time. Prints a side-by-side table.
#   bench/compare.sh                 DURATION=10 WARMUP=15 SUBSCRIBERS=100 SIZE=128 RATE=20000 by default
# Ports (127.0.0.1, must be free): TLSCHAT_PORT=17443 ADMIN_PORT=19090 NATS_PORT=14222 SSERVER_PORT=14443 REDIS_PORT=16379
# Needs: java 17, mvn (to build the jars once), python3, openssl; installs nats-server and redis-server with apt.
set -euo pipefail
[ "${DEBUG:-}" = 1 ] && set -x
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
# Seconds of load first, dropped, the same for every server: TLS, pools and the JIT warm up. On 2 cores
# shared with the load, HotSpot's C2 still recompiles tlschat's and Netty's hot methods 10-13 s into a
# fan-out run (JFR jdk.Compilation/Deoptimization events; see docs/performance.md), hence 15.
WARMUP=${WARMUP:-15}
SUBSCRIBERS=${SUBSCRIBERS:-100}
SIZE=${SIZE:-128}
RATE=${RATE:-20000}
RATE_SUBSCRIBERS=${RATE_SUBSCRIBERS:-10}
TLSCHAT_PORT=${TLSCHAT_PORT:-17443} ADMIN_PORT=${ADMIN_PORT:-19090} NATS_PORT=${NATS_PORT:-14222}
SSERVER_PORT=${SSERVER_PORT:-14443} REDIS_PORT=${REDIS_PORT:-16379}
# A server already on one of these ports would be measured instead of ours (ours would exit): refuse.
for port in "$TLSCHAT_PORT" "$ADMIN_PORT" "$NATS_PORT" "$SSERVER_PORT" "$REDIS_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "error: 127.0.0.1:$port is already in use (another run?); set the *_PORT variables to free ports" >&2; exit 1
    fi
done

MISSING=()
command -v nats-server >/dev/null || MISSING+=(nats-server)
command -v redis-server >/dev/null || MISSING+=(redis-server)   # Debian bookworm: 7.0.15, built with TLS
if [ ${#MISSING[@]} -gt 0 ]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${MISSING[@]}"; } >/dev/null \
        || { echo "error: could not install ${MISSING[*]} with apt-get" >&2; exit 1; }
fi
[ -f dist/target/tlschat.jar ] || mvn -B -q -o -pl dist -am package -DskipTests
if [ ! -f benchmarks/target/benchmarks.jar ] \
    || [ -n "$(find benchmarks/pom.xml benchmarks/src -newer benchmarks/target/benchmarks.jar -print -quit)" ]; then
    mvn -B -q -Pjmh -pl benchmarks -am package -DskipTests   # missing or older than its sources (no RedisFanout yet)
fi

WORK=$(mktemp -d /tmp/tlschat-compare.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

tlschat() { java -jar dist/target/tlschat.jar "$@"; }
wait_port() { # HOST PORT: up to 30 s
    for _ in $(seq 300); do (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0; sleep 0.1; done
    echo "error: nothing listens on $1:$2" >&2; return 1
}

PKI=$WORK/pki
tlschat pki init --dir "$PKI" --key ec >/dev/null
tlschat pki node --dir "$PKI" --name n1 >/dev/null
for u in alice bob carol; do tlschat pki user --dir "$PKI" --name "$u" >/dev/null; done

java -Xms1g -Xmx1g -jar dist/target/tlschat.jar server --pki "$PKI" --node n1 --listen 127.0.0.1:"$TLSCHAT_PORT" \
    --admin 127.0.0.1:"$ADMIN_PORT" --rate-limit 0 \
    --request-rate 0 --max-sessions-per-user 0 --max-connections-per-address 0 >"$WORK/tlschat.log" 2>&1 & PIDS+=($!)
cat >"$WORK/nats.conf" <<CONF
listen: 127.0.0.1:$NATS_PORT
tls {
  cert_file: "$PKI/nodes/n1.pem"
  key_file: "$PKI/nodes/n1.key"
  ca_file: "$PKI/ca.pem"
  verify: true
}
CONF
nats-server -c "$WORK/nats.conf" >"$WORK/nats.log" 2>&1 & PIDS+=($!)
# Redis: TLS only (port 0 = no plain TCP), client certificates required, TLS 1.3, no persistence.
mkdir "$WORK/redis"
cat >"$WORK/redis.conf" <<CONF
bind 127.0.0.1
port 0
tls-port $REDIS_PORT
tls-cert-file "$PKI/nodes/n1.pem"
tls-key-file "$PKI/nodes/n1.key"
tls-ca-cert-file "$PKI/ca.pem"
tls-auth-clients yes
tls-protocols "TLSv1.3"
save ""
appendonly no
dir "$WORK/redis"
logfile ""
CONF
redis-server "$WORK/redis.conf" >"$WORK/redis.log" 2>&1 & PIDS+=($!)
openssl s_server -quiet -accept 127.0.0.1:"$SSERVER_PORT" -cert "$PKI/nodes/n1.pem" -key "$PKI/nodes/n1.key" \
    -CAfile "$PKI/ca.pem" -Verify 1 -tls1_3 -naccept 1000000 >/dev/null 2>&1 & PIDS+=($!)
wait_port 127.0.0.1 "$TLSCHAT_PORT"; wait_port 127.0.0.1 "$NATS_PORT"; wait_port 127.0.0.1 "$SSERVER_PORT"
wait_port 127.0.0.1 "$REDIS_PORT"

bench() { tlschat bench "$@" --server 127.0.0.1:"$TLSCHAT_PORT" --pki "$PKI" --duration "${DURATION}s" \
    --warmup "${WARMUP}s" --json 2>/dev/null; }
nats() { timeout $((WARMUP + DURATION + 240)) java -cp benchmarks/target/benchmarks.jar org.tlschat.benchmarks.NatsFanout \
    tls://127.0.0.1:"$NATS_PORT" "$PKI" alice "$@" "$DURATION" "$WARMUP"; }
redis() { timeout $((WARMUP + DURATION + 240)) java -cp benchmarks/target/benchmarks.jar org.tlschat.benchmarks.RedisFanout \
    rediss://127.0.0.1:"$REDIS_PORT" "$PKI" alice "$@" "$DURATION" "$WARMUP"; }
s_time() { # handshakes/s of one openssl s_time client (new session each time) against HOST:PORT
    timeout $((DURATION + 30)) openssl s_time -connect "127.0.0.1:$1" -new -time "$DURATION" -CAfile "$PKI/ca.pem" \
        -cert "$PKI/users/alice.pem" -key "$PKI/users/alice.key" 2>/dev/null \
        | awk '/connections in/ && /real seconds/ {print $1/$4; exit}'
}

echo "fan-out 1 -> $SUBSCRIBERS subscribers, $SIZE B, as fast as accepted (${DURATION}s each)..." >&2
T_FANOUT=$(bench fanout -P 1 -S "$SUBSCRIBERS" --size "$SIZE")
N_FANOUT=$(nats "$SUBSCRIBERS" "$SIZE" 0 64) || { echo "nats fan-out failed or timed out" >&2; N_FANOUT=null; }
R_FANOUT=$(redis "$SUBSCRIBERS" "$SIZE" 0 64) || { echo "redis fan-out failed or timed out" >&2; R_FANOUT=null; }
echo "fixed rate $RATE msg/s -> $RATE_SUBSCRIBERS subscribers..." >&2
T_RATE=$(bench fanout -P 1 -S "$RATE_SUBSCRIBERS" --size "$SIZE" --rate "$RATE")
N_RATE=$(nats "$RATE_SUBSCRIBERS" "$SIZE" "$RATE" 10000) || { echo "nats fixed rate failed or timed out" >&2; N_RATE=null; }
R_RATE=$(redis "$RATE_SUBSCRIBERS" "$SIZE" "$RATE" 10000) || { echo "redis fixed rate failed or timed out" >&2; R_RATE=null; }
echo "handshakes..." >&2
T_CONNECT=$(bench connect -C 8)
T_STIME=$(s_time "$TLSCHAT_PORT")
O_STIME=$(s_time "$SSERVER_PORT")
# Redis pub/sub has no flow control: it disconnects a subscriber that falls behind (client-output-buffer-limit)
if grep -q 'output buffer limits' "$WORK/redis.log"; then
    echo "warning: redis closed subscribers that fell behind (client-output-buffer-limit pubsub): see its deliveries" >&2
fi

python3 - "$T_FANOUT" "$N_FANOUT" "$R_FANOUT" "$T_RATE" "$N_RATE" "$R_RATE" "$T_CONNECT" "$T_STIME" "$O_STIME" <<'PY'
import json, sys
tf, nf, rf, tr, nr, rr, tc = (json.loads(a) or {} for a in sys.argv[1:8])
nan = float("nan")
def get(r, *path):
    for key in path:
        r = r.get(key, {}) if isinstance(r, dict) else {}
    return r if isinstance(r, (int, float)) else nan
def ratio(t, o):
    return t / o if o else nan
ts, os_ = float(sys.argv[8] or 0), float(sys.argv[9] or 0)
rows = [
    ("fan-out delivered msg/s (higher is better)", (tf, nf, rf), ("delivered_per_second",)),
    ("fan-out publisher msg/s", (tf, nf, rf), ("published_per_second",)),
    ("fan-out latency p99 us (lower is better)", (tf, nf, rf), ("latency_us", "p99")),
    ("fixed-rate delivered msg/s", (tr, nr, rr), ("delivered_per_second",)),
    ("fixed-rate latency p50 us", (tr, nr, rr), ("latency_us", "p50")),
    ("fixed-rate latency p99 us (lower is better)", (tr, nr, rr), ("latency_us", "p99")),
]
print(f"{'metric':46} {'tlschat':>14} {'nats':>14} {'redis':>14} {'t/nats':>7} {'t/redis':>7}")
for name, runs, path in rows:
    t, n, r = (get(x, *path) for x in runs)
    print(f"{name:46} {t:14,.1f} {n:14,.1f} {r:14,.1f} {ratio(t, n):7.2f} {ratio(t, r):7.2f}")
print()
print(f"{'metric':46} {'tlschat':>14} {'other':>14} {'ratio':>7}  other")
print(f"{'handshakes/s, one openssl s_time client':46} {ts:14,.1f} {os_:14,.1f} {ratio(ts, os_):7.2f}  openssl s_server")
print(f"{'handshakes/s, tlschat bench connect -C 8':46} {get(tc, 'handshakes_per_second'):14,.1f}")
for label, r in (("tlschat fan-out", tf), ("nats fan-out", nf), ("redis fan-out", rf),
                 ("tlschat rate", tr), ("nats rate", nr), ("redis rate", rr)):
    if r:
        print(f"{label}: published {r['published']:,}, delivered {r['delivered']:,} of {r['expected_deliveries']:,} expected, errors {r.get('errors', {})}")
PY
