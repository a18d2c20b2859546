#!/usr/bin/env bash
# CI checks of docker/ that need no Docker engine (.ci/run calls this before the Maven build):
#   - compose.yml parsed by Compose itself: docker-compose v1 (Debian); v1 predates the top-level
#     `name:` of Compose v2, so that one line is given to it as `-p` instead
#   - compose.yml validated against the Compose Specification schema (dclint, given as $1)
#   - the scripts pass shellcheck
#   - the image runs the jar it builds: Maven's output, the COPY, TLSCHAT_JAR and the entrypoint
#     all name the same file, and the build stage copies every Maven module
#   - the admin port (no TLS, no authentication) is on loopback in compose.yml, the image's ENV,
#     the entrypoint's and the healthcheck's defaults, and is neither exposed nor published
set -euo pipefail
cd "$(dirname "$0")"
dclint="$1"

fail() {
  echo "docker/ci-check: $1" >&2
  exit 1
}

project="$(sed -n 's/^name: *//p' compose.yml)"
grep -v '^name:' compose.yml | docker-compose -p "$project" -f - config -q
# publishing on every interface is the point: clients on other machines connect
"$dclint" compose.yml --quiet --color false --disable-rule no-unbound-port-interfaces
shellcheck entrypoint.sh pki-init.sh healthcheck.sh ci-check.sh

final_name="$(sed -n 's|.*<finalName>\(.*\)</finalName>.*|\1|p' ../dist/pom.xml)"
workdir="$(awk '/^FROM .* AS build/ { build = 1 } build && /^WORKDIR / { print $2; exit }' Dockerfile)"
built="$workdir/dist/target/$final_name.jar"
copied_from="$(sed -n 's|^COPY --from=build \([^ ]*\) [^ ]*$|\1|p' Dockerfile)"
copied_to="$(sed -n 's|^COPY --from=build [^ ]* \([^ ]*\)$|\1|p' Dockerfile)"
env_jar="$(sed -n 's|^ENV TLSCHAT_JAR=\([^ ]*\).*|\1|p' Dockerfile)"
# shellcheck disable=SC2016 # the $ is text to find in entrypoint.sh
run_jar="$(sed -n 's|^jar="${TLSCHAT_JAR:-\(.*\)}"$|\1|p' entrypoint.sh)"
[ "$copied_from" = "$built" ] || fail "the Dockerfile copies '$copied_from' but Maven builds '$built'"
if [ -z "$copied_to" ] || [ "$copied_to" != "$env_jar" ] || [ "$copied_to" != "$run_jar" ]; then
  fail "jar paths differ: COPY to '$copied_to', ENV TLSCHAT_JAR '$env_jar', entrypoint.sh '$run_jar'"
fi
grep -q "\"-jar\", \"$copied_to\"" compose.yml || fail "compose.yml's client does not run $copied_to"
# the default build's modules: the first <modules> block (profiles have their own)
awk -F'[<>]' '/<modules>/ { n++ } n == 1 && $2 == "module" { print $3 } /<\/modules>/ && n == 1 { exit }' ../pom.xml |
while read -r module; do
  grep -qx "COPY $module $module" Dockerfile || fail "the build stage does not copy the Maven module '$module'"
done
admin="127.0.0.1:9090"
grep -qx "      TLSCHAT_ADMIN: $admin" compose.yml || fail "compose.yml's server must set TLSCHAT_ADMIN: $admin (loopback)"
grep -q "^ *TLSCHAT_ADMIN=$admin\$" Dockerfile || fail "the Dockerfile must set ENV TLSCHAT_ADMIN=$admin (loopback)"
for script in entrypoint.sh healthcheck.sh; do
  grep -qF "\${TLSCHAT_ADMIN:-$admin}" "$script" || fail "$script must default TLSCHAT_ADMIN to $admin (loopback)"
done
! grep -q '^EXPOSE.*9090' Dockerfile || fail "the Dockerfile must not EXPOSE the admin port 9090"
! grep -q '^ *- .*:9090"\?$' compose.yml || fail "compose.yml must not publish the admin port 9090"
echo "docker/: admin port on loopback"
echo "docker/: compose.yml valid (docker-compose $(docker-compose version --short), dclint), scripts shellcheck-clean, image runs $copied_to"
