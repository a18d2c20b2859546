#!/usr/bin/env bash
# tlschat next to nats-server (and openssl s_server), same machine, same certificates (ECDSA P-256,
# mutual TLS), everything on 127.0.0.1 and bounded in time. Prints a side-by-side table.
#   bench/compare.sh                 DURATION=10 WARMUP=3 SUBSCRIBERS=100 SIZE=128 RATE=20000 by default
# Needs: java 17, mvn (to build the jars once), python3, openssl; installs nats-server with apt.
set -euo pipefail
[ "${DEBUG:-}" = 1 ] && set -x
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}   # seconds of load first, dropped: JIT, TLS and pools warm on both sides
SUBSCRIBERS=${SUBSCRIBERS:-100}
SIZE=${SIZE:-128}
RATE=${RATE:-20000}
RATE_SUBSCRIBERS=${RATE_SUBSCRIBERS:-10}
TLSCHAT_PORT=17443 ADMIN_PORT=19090 NATS_PORT=14222 SSERVER_PORT=14443

command -v nats-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server; }
[ -f dist/target/tlschat.jar ] || mvn -B -q -o -pl dist -am package -DskipTests
[ -f benchmarks/target/benchmarks.jar ] || mvn -B -q -Pjmh -pl benchmarks -am package -DskipTests

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

java -Xms1g -Xmx1g -jar dist/target/tlschat.jar server --pki "$PKI" --node n1 --listen 127.0.0.1:$TLSCHAT_PORT \
    --admin 127.0.0.1:$ADMIN_PORT --rate-limit 0 >"$WORK/tlschat.log" 2>&1 & PIDS+=($!)
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
openssl s_server -quiet -accept 127.0.0.1:$SSERVER_PORT -cert "$PKI/nodes/n1.pem" -key "$PKI/nodes/n1.key" \
    -CAfile "$PKI/ca.pem" -Verify 1 -tls1_3 -naccept 1000000 >/dev/null 2>&1 & PIDS+=($!)
wait_port 127.0.0.1 $TLSCHAT_PORT; wait_port 127.0.0.1 $NATS_PORT; wait_port 127.0.0.1 $SSERVER_PORT

bench() { tlschat bench "$@" --server 127.0.0.1:$TLSCHAT_PORT --pki "$PKI" --duration "${DURATION}s" \
    --warmup "${WARMUP}s" --json 2>/dev/null; }
nats() { timeout $((WARMUP + DURATION + 240)) java -cp benchmarks/target/benchmarks.jar org.tlschat.benchmarks.NatsFanout \
    tls://127.0.0.1:$NATS_PORT "$PKI" alice "$@" "$DURATION" "$WARMUP"; }
s_time() { # handshakes/s of one openssl s_time client (new session each time) against HOST:PORT
    timeout $((DURATION + 30)) openssl s_time -connect "127.0.0.1:$1" -new -time "$DURATION" -CAfile "$PKI/ca.pem" \
        -cert "$PKI/users/alice.pem" -key "$PKI/users/alice.key" 2>/dev/null \
        | awk '/connections in/ && /real seconds/ {print $1/$4; exit}'
}

echo "fan-out 1 -> $SUBSCRIBERS subscribers, $SIZE B, as fast as accepted (${DURATION}s each)..." >&2
T_FANOUT=$(bench fanout -P 1 -S "$SUBSCRIBERS" --size "$SIZE")
N_FANOUT=$(nats "$SUBSCRIBERS" "$SIZE" 0 64) || { echo "nats fan-out failed or timed out" >&2; N_FANOUT=null; }
echo "fixed rate $RATE msg/s -> $RATE_SUBSCRIBERS subscribers..." >&2
T_RATE=$(bench fanout -P 1 -S "$RATE_SUBSCRIBERS" --size "$SIZE" --rate "$RATE")
N_RATE=$(nats "$RATE_SUBSCRIBERS" "$SIZE" "$RATE" 10000) || { echo "nats fixed rate failed or timed out" >&2; N_RATE=null; }
echo "handshakes..." >&2
T_CONNECT=$(bench connect -C 8)
T_STIME=$(s_time $TLSCHAT_PORT)
O_STIME=$(s_time $SSERVER_PORT)

python3 - "$T_FANOUT" "$N_FANOUT" "$T_RATE" "$N_RATE" "$T_CONNECT" "$T_STIME" "$O_STIME" <<'PY'
import json, sys
tf, nf, tr, nr, tc = (json.loads(a) or {} for a in sys.argv[1:6])
nan = float("nan")
def get(r, *path):
    for key in path:
        r = r.get(key, {}) if isinstance(r, dict) else {}
    return r if isinstance(r, (int, float)) else nan
ts, os_ = float(sys.argv[6] or 0), float(sys.argv[7] or 0)
rows = [
    ("fan-out delivered msg/s (higher is better)", get(tf, "delivered_per_second"), get(nf, "delivered_per_second"), "nats"),
    ("fan-out publisher msg/s", get(tf, "published_per_second"), get(nf, "published_per_second"), "nats"),
    ("fan-out latency p99 us (lower is better)", get(tf, "latency_us", "p99"), get(nf, "latency_us", "p99"), "nats"),
    ("fixed-rate delivered msg/s", get(tr, "delivered_per_second"), get(nr, "delivered_per_second"), "nats"),
    ("fixed-rate latency p50 us", get(tr, "latency_us", "p50"), get(nr, "latency_us", "p50"), "nats"),
    ("fixed-rate latency p99 us (lower is better)", get(tr, "latency_us", "p99"), get(nr, "latency_us", "p99"), "nats"),
    ("handshakes/s, one openssl s_time client", ts, os_, "openssl s_server"),
]
print(f"{'metric':46} {'tlschat':>14} {'other':>14} {'ratio':>7}  other")
for name, t, o, who in rows:
    ratio = t / o if o else float("nan")
    print(f"{name:46} {t:14,.1f} {o:14,.1f} {ratio:7.2f}  {who}")
print(f"{'handshakes/s, tlschat bench connect -C 8':46} {get(tc, 'handshakes_per_second'):14,.1f}")
for label, r in (("tlschat fan-out", tf), ("nats fan-out", nf), ("tlschat rate", tr), ("nats rate", nr)):
    if r:
        print(f"{label}: published {r['published']:,}, delivered {r['delivered']:,} of {r['expected_deliveries']:,} expected, errors {r.get('errors', {})}")
PY
