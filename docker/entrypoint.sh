#!/bin/sh
# Entrypoint of the tlschat server image. `tlschat server` reads every TLSCHAT_* variable itself;
# this script only checks the mounted PKI, fills in what a replica knows only at run time (its
# node name and its own address), and execs java so that SIGTERM reaches the JVM (graceful stop:
# every client gets BYE). Extra arguments are passed on to `tlschat server`.
#   TLSCHAT_PKI   PKI directory, mounted read-only (default /pki)
#   TLSCHAT_NODE  node certificate name in it (default server)
#   TLSCHAT_ADMIN admin HTTP address (default 127.0.0.1:9090: loopback, for the healthcheck;
#                 0.0.0.0:9090 only when a scraper must reach it, behind a network policy)
#   TLSCHAT_JAR, TLSCHAT_JAVA  the jar and the java to run (defaults /app/tlschat.jar, java)
set -eu

jar="${TLSCHAT_JAR:-/app/tlschat.jar}"
java="${TLSCHAT_JAVA:-java}"
export TLSCHAT_PKI="${TLSCHAT_PKI:-/pki}"
export TLSCHAT_NODE="${TLSCHAT_NODE:-server}"
export TLSCHAT_ADMIN="${TLSCHAT_ADMIN:-127.0.0.1:9090}"

fail() {
  echo "error: $1" >&2
  exit 2
}

if [ ! -f "$TLSCHAT_PKI/ca.pem" ]; then
  fail "no PKI in $TLSCHAT_PKI (no ca.pem): mount the volume the pki service fills ('docker compose run --rm pki')"
fi
for file in crl.pem "nodes/$TLSCHAT_NODE.pem" "nodes/$TLSCHAT_NODE.key"; do
  if [ ! -r "$TLSCHAT_PKI/$file" ]; then
    fail "cannot read $TLSCHAT_PKI/$file: the PKI is incomplete (node certificate name: TLSCHAT_NODE=$TLSCHAT_NODE)"
  fi
done

# Replicas share one node certificate but each needs its own node name: the container's hostname
# (Docker puts it in HOSTNAME).
if [ -z "${TLSCHAT_NODE_NAME:-}" ]; then
  # shellcheck disable=SC3028
  TLSCHAT_NODE_NAME="$(printf '%s' "${HOSTNAME:-$(hostname)}" | tr '[:upper:]' '[:lower:]')"
  export TLSCHAT_NODE_NAME
fi

# Peers must dial this container's own address, not the 0.0.0.0 the cluster port binds to.
if [ -n "${TLSCHAT_CLUSTER_DNS:-}${TLSCHAT_CLUSTER_PEERS:-}" ] && [ -z "${TLSCHAT_CLUSTER_ADVERTISE:-}" ]; then
  TLSCHAT_CLUSTER_ADVERTISE="$(hostname -i 2>/dev/null | awk '{print $1}')"
  if [ -z "$TLSCHAT_CLUSTER_ADVERTISE" ]; then
    fail "cannot find this container's address ('hostname -i'): set TLSCHAT_CLUSTER_ADVERTISE"
  fi
  export TLSCHAT_CLUSTER_ADVERTISE
fi

# JAVA_OPTS comes last so that it can override the container defaults; it is split into words on purpose.
# shellcheck disable=SC2086
exec "$java" -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} -jar "$jar" server "$@"
