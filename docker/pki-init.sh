#!/bin/sh
# The compose `pki` service: creates the CA, the node certificate every replica shares, and the
# users, in TLSCHAT_PKI (default /pki; the old name TLSCHAT_PKI_DIR still works, with a warning). Each step is skipped when its file already exists, so
# running it again changes nothing (and adds only users newly listed in TLSCHAT_PKI_USERS).
#   TLSCHAT_NODE       node certificate name (default server)
#   TLSCHAT_PKI_DNS    its DNS names, comma-separated (default server; localhost is always added)
#   TLSCHAT_PKI_IP     its IP addresses, comma-separated (default none; 127.0.0.1 is always added)
#   TLSCHAT_PKI_USERS  user certificates, space-separated (default "alice bob carol")
#   TLSCHAT_JAR, TLSCHAT_JAVA  the jar and the java to run (defaults /app/tlschat.jar, java)
set -eu

if [ -z "${TLSCHAT_PKI:-}" ] && [ -n "${TLSCHAT_PKI_DIR:-}" ]; then
  echo "warning: TLSCHAT_PKI_DIR is deprecated, set TLSCHAT_PKI" >&2
  TLSCHAT_PKI="$TLSCHAT_PKI_DIR"
fi
export TLSCHAT_PKI="${TLSCHAT_PKI:-/pki}"
node="${TLSCHAT_NODE:-server}"
dns="${TLSCHAT_PKI_DNS:-server}"
ips="${TLSCHAT_PKI_IP:-}"
users="${TLSCHAT_PKI_USERS:-alice bob carol}"

tlschat() {
  "${TLSCHAT_JAVA:-java}" -jar "${TLSCHAT_JAR:-/app/tlschat.jar}" "$@"
}

if [ -f "$TLSCHAT_PKI/ca.pem" ]; then
  echo "CA already in $TLSCHAT_PKI: kept"
else
  tlschat pki init
fi
if [ -f "$TLSCHAT_PKI/nodes/$node.pem" ]; then
  echo "node certificate $node already issued: kept"
else
  tlschat pki node --name "$node" --dns "$dns" ${ips:+--ip "$ips"}
fi
for user in $users; do
  if [ ! -f "$TLSCHAT_PKI/users/$user.pem" ]; then
    tlschat pki user --name "$user"
  fi
done
