#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Configures a WildFly 27+ / JBoss EAP 8 server for PHIGate, offline (the server must be stopped):
#   configure.sh --server JBOSS_HOME [--settings FILE]... [--server-config standalone.xml]
# Reads phigate.properties (beside this script), then each FILE in order (later values win), and applies phigate.cli,
# client-certificates.cli (mutual TLS, when a client CA truststore is set), the datasource script and console.cli (the
# admin console's OIDC login, when phigate.console.client-secret is set).
# Each step runs once per server: a configured server is left alone (markers: configuration/.phigate-configured and
# .phigate-console-configured), so the console can be added to a server configured before it existed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
server="" settings=() server_config="standalone.xml"
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server=$2; shift 2 ;;
    --settings) settings+=("$2"); shift 2 ;;
    --server-config) server_config=$2; shift 2 ;;
    *) echo "configure.sh: unknown argument $1 (see the header of this script)" >&2; exit 2 ;;
  esac
done
[ -n "$server" ] && [ -x "$server/bin/jboss-cli.sh" ] || { echo "configure.sh: --server must name a WildFly/EAP home (bin/jboss-cli.sh not found in '$server')" >&2; exit 2; }
server=$(cd "$server" && pwd)
config_dir="$server/standalone/configuration"
marker="$config_dir/.phigate-configured"
console_marker="$config_dir/.phigate-console-configured"
if [ -f "$marker" ] && [ -f "$console_marker" ]; then
  echo "configure: $server is already configured for PHIGate ($marker); nothing to do"
  exit 0
fi

declare -A p
load() {
  local line key
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    key=${line%%=*}
    p[$key]=${line#*=}
  done < "$1"
}
load "$here/phigate.properties"
for file in "${settings[@]}"; do
  [ -f "$file" ] || { echo "configure.sh: settings file $file not found" >&2; exit 2; }
  load "$file"
done

abs() { case "$1" in /*) echo "$1" ;; *) echo "$config_dir/$1" ;; esac; }

if [ ! -f "$marker" ]; then
  if [ -z "${p[phigate.tls.keystore]}" ]; then
    tls_dir=$(abs "${p[phigate.tls.dir]}")
    "$here/pki.sh" "$tls_dir"
    p[phigate.tls.keystore]="$tls_dir/server.p12"
    p[phigate.tls.keystore.password]=$(cat "$tls_dir/password")
    if [ -z "${p[phigate.backend.truststore]}" ]; then
      p[phigate.backend.truststore]="$tls_dir/truststore.p12"
      p[phigate.backend.truststore.password]=$(cat "$tls_dir/password")
    fi
    for use in clients audit.syslog; do
      if [ "${p[phigate.$use.truststore]}" = private-ca ]; then
        p[phigate.$use.truststore]="$tls_dir/truststore.p12"
        p[phigate.$use.truststore.password]=$(cat "$tls_dir/password")
      fi
    done
    echo "configure: server certificate $tls_dir/server.p12, its CA certificate $tls_dir/ca.pem"
  fi
  if [ -z "${p[phigate.audit.keystore]}" ]; then
    audit_dir=$(abs "${p[phigate.audit.dir]}")
    "$here/audit-keys.sh" "$audit_dir"
    p[phigate.audit.keystore]="$audit_dir/audit-keys.p12"
    p[phigate.audit.keystore.password]=$(cat "$audit_dir/password")
  fi
  if [ -z "${p[phigate.keys.keystore]}" ]; then
    keys_dir=$(abs "${p[phigate.keys.dir]}")
    mkdir -p "$keys_dir"
    chmod 700 "$keys_dir"
    [ -s "$keys_dir/password" ] || (umask 077; head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 > "$keys_dir/password")
    p[phigate.keys.keystore]="$keys_dir/keys.p12"
    p[phigate.keys.keystore.password]=$(cat "$keys_dir/password")
  fi
  for use in clients audit.syslog; do
    [ "${p[phigate.$use.truststore]}" != private-ca ] || { echo "configure.sh: phigate.$use.truststore=private-ca needs the private CA (leave phigate.tls.keystore empty)" >&2; exit 2; }
  done
  [ -n "${p[phigate.backend.truststore]}" ] || { echo "configure.sh: set phigate.backend.truststore (the CAs of your backends)" >&2; exit 2; }
  p[phigate.db.h2.file]="$server/standalone/data/phigate/registry"
fi
p[phigate.server.config]=$server_config
# One I/O thread per core by default: Undertow's own default is two per core; on two cores bench/run measured the same
# requests/s with two threads and a lower p99 at saturation.
[ -n "${p[phigate.listener.io-threads]}" ] || p[phigate.listener.io-threads]=$(nproc)
# The data listener accepts a little more than the documented limits: the data plane refuses what is over them with a
# PHIG code and an audit record, which the container's own 400 would not have.
p[phigate.listener.container.max-header-size]=$(( ${p[phigate.listener.max-header-size]} + 8192 ))
p[phigate.listener.container.max-headers]=$(( ${p[phigate.listener.max-headers]} + 50 ))
p[phigate.listener.container.max-parameters]=$(( ${p[phigate.listener.max-parameters]} + 100 ))
resolved=$(mktemp)
trap 'rm -f "$resolved"' EXIT
chmod 600 "$resolved"
for key in "${!p[@]}"; do printf '%s=%s\n' "$key" "${p[$key]}"; done > "$resolved"

cli() {
  echo "configure: applying $(basename "$1")"
  JAVA_OPTS="-Djboss.server.config.dir=$config_dir" "$server/bin/jboss-cli.sh" --resolve-parameter-values \
    --properties="$resolved" --file="$1" > "$resolved.log" 2>&1 || { cat "$resolved.log" >&2; rm -f "$resolved.log"; exit 1; }
  rm -f "$resolved.log"
}
if [ ! -f "$marker" ]; then
  cli "$here/phigate.cli"
  if [ -n "${p[phigate.clients.truststore]}" ]; then
    cli "$here/client-certificates.cli"
  else
    echo "configure: phigate.clients.truststore is empty: the data plane asks for no client certificates (no mutual TLS)"
  fi
  case "${p[phigate.db.kind]}" in
    h2) cli "$here/datasource-h2.cli" ;;
    postgresql)
      [ -f "${p[phigate.db.postgresql.driver]}" ] || { echo "configure.sh: phigate.db.postgresql.driver must name the PostgreSQL JDBC jar" >&2; exit 2; }
      cli "$here/datasource-postgresql.cli" ;;
    *) echo "configure.sh: phigate.db.kind must be h2 or postgresql, not '${p[phigate.db.kind]}'" >&2; exit 2 ;;
  esac
  date -u +%FT%TZ > "$marker"
fi
if [ -n "${p[phigate.console.client-secret]}" ]; then
  cli "$here/console.cli"
  date -u +%FT%TZ > "$console_marker"
  echo "configure: console https://${p[phigate.admin.bind]}:${p[phigate.admin.port]}/console signs in at ${p[phigate.console.provider-url]} as client ${p[phigate.console.client-id]}"
else
  echo "configure: phigate.console.client-secret is empty: the console is not configured (its pages answer 403); set it and run configure.sh again"
fi
echo "configure: done; data plane https://${p[phigate.data.bind]}:${p[phigate.data.port]}, admin https://${p[phigate.admin.bind]}:${p[phigate.admin.port]}"
