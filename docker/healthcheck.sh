#!/bin/bash
# The image's HEALTHCHECK: exit 0 when this container's server answers 200 on /readyz of its admin
# port (TLSCHAT_ADMIN, default 127.0.0.1:9090, as in the entrypoint). It runs inside the container,
# so it dials loopback also when the admin port listens on every interface (0.0.0.0, opt-in).
# Plain bash (/dev/tcp): the image needs no curl.
set -eu

admin="${TLSCHAT_ADMIN:-127.0.0.1:9090}"
host="${admin%:*}"
port="${admin##*:}"
case "$host" in
  "" | 0.0.0.0 | "[::]") host=127.0.0.1 ;;
esac

exec 3<>"/dev/tcp/$host/$port"
printf 'GET /readyz HTTP/1.0\r\nHost: %s\r\n\r\n' "$host" >&3
IFS= read -r -t 5 status <&3
case "$status" in
  *" 200 "*) exit 0 ;;
  *) echo "unhealthy: /readyz answered '${status%$'\r'}'" >&2; exit 1 ;;
esac
