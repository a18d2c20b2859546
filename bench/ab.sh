#!/usr/bin/env bash
# A/B of the server between two git revisions: the same `tlschat bench` (from B's jar) against a
# server built from A and one built from B, alternating A, B, A, B... so that drift of a shared
# machine hits both alike. Per run: delivered msg/s, p99 latency, and the server's CPU per million
# deliveries (utime + stime of the server process from /proc, all threads).
#   bench/ab.sh REV_A REV_B                 RUNS=3 DURATION=10 WARMUP=15 SUBSCRIBERS="1 100"
# Also the cores the server and the bench used (CPU over the bench's whole run, start-up and drain
# included, per measured second): on a 2-core machine a sum near 2 means the machine, not the
# server, was the limit.
# Ports (127.0.0.1, must be free): 37443 (client), 39090 (admin). Needs: git, java 17, mvn, jq, GNU time.
set -euo pipefail
[ "${DEBUG:-}" = 1 ] && set -x
cd "$(dirname "$0")/.."

if [ $# -ne 2 ]; then
    echo "usage: bench/ab.sh REV_A REV_B (e.g. bench/ab.sh HEAD~5 HEAD)" >&2
    exit 2
fi
RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-15}   # as in compare.sh: the JIT settles only after 10-13 s of load on 2 cores
SUBSCRIBERS=${SUBSCRIBERS:-1 100}
for port in 37443 39090; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "error: 127.0.0.1:$port is already in use (another run?)" >&2
        exit 1
    fi
done

WORK=$(mktemp -d /tmp/tlschat-ab.XXXXXX)
SERVER=
cleanup() {
    if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; fi
    wait 2>/dev/null || true
    for side in a b; do git worktree remove --force "$WORK/src-$side" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

# One jar per revision, each built in a worktree of its own (nothing of this checkout changes).
for side in a b; do
    rev=$([ "$side" = a ] && echo "$1" || echo "$2")
    git worktree add -q --detach "$WORK/src-$side" "$rev"
    (cd "$WORK/src-$side" && mvn -B -q -pl dist -am package -DskipTests -Dspotless.check.skip=true)
    cp "$WORK/src-$side/dist/target/tlschat.jar" "$WORK/$side.jar"
    echo "$side = $(git rev-parse --short "$rev") $(git log -1 --format=%s "$rev" | cut -c1-70)"
done

PKI=$WORK/pki
java -jar "$WORK/b.jar" pki init --dir "$PKI" >/dev/null
java -jar "$WORK/b.jar" pki node --dir "$PKI" --name n1 >/dev/null
for u in alice bob carol; do java -jar "$WORK/b.jar" pki user --dir "$PKI" --name "$u" >/dev/null; done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Limits off for a benchmark: the message rate, and the quotas on a revision that has them.
limits_off() {
    echo "--rate-limit 0"
    if java -jar "$WORK/$1.jar" server --help | grep -q -- --request-rate; then
        echo "--request-rate 0 --max-sessions-per-user 0 --max-connections-per-address 0"
    fi
}

run() { # side subscribers
    # shellcheck disable=SC2046 # the flags are words on purpose
    java -Xms512m -Xmx512m -jar "$WORK/$1.jar" server --pki "$PKI" --node n1 $(limits_off "$1") \
        --listen 127.0.0.1:37443 --admin 127.0.0.1:39090 >"$WORK/server-$1.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 300); do curl -sf http://127.0.0.1:39090/readyz >/dev/null && break; sleep 0.1; done
    java -jar "$WORK/b.jar" bench fanout -P 1 -S "$2" --size 128 --server 127.0.0.1:37443 --pki "$PKI" \
        --duration "${WARMUP}s" >/dev/null 2>&1
    local before after
    before=$(cpu_ticks "$SERVER")
    /usr/bin/time -f '%U %S' -o "$WORK/bench.cpu" java -jar "$WORK/b.jar" bench fanout -P 1 -S "$2" --size 128 \
        --server 127.0.0.1:37443 --pki "$PKI" --duration "${DURATION}s" --json 2>/dev/null >"$WORK/result.json"
    after=$(cpu_ticks "$SERVER")
    kill "$SERVER"
    wait "$SERVER" 2>/dev/null || true
    SERVER=
    # the bench's CPU over its whole run (start-up and drain included) per second measured: cores it used
    local bench_cpu
    bench_cpu=$(awk -v d="$DURATION" '{printf "%.2f", ($1 + $2) / d}' "$WORK/bench.cpu")
    jq -r --arg side "$1" --arg subs "$2" --argjson ticks "$((after - before))" --argjson hz "$(getconf CLK_TCK)" \
        --arg bench "$bench_cpu" \
        '[$side, $subs, (.delivered_per_second | floor), .latency_us.p99,
          (if .delivered > 0 then ($ticks / $hz) / (.delivered / 1e6) | . * 100 | floor / 100 else "-" end),
          ($ticks / $hz / .seconds | . * 100 | floor / 100), $bench]
         | @tsv' "$WORK/result.json"
}

printf 'side\tsubscribers\tdelivered/s\tp99 us\tserver CPU s per 1M deliveries\tserver cores\tbench cores\n'
for subscribers in $SUBSCRIBERS; do
    for _ in $(seq "$RUNS"); do
        run a "$subscribers"
        run b "$subscribers"
    done
done
