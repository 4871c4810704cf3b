#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A real Keycloak for the demo and the integration tests, on loopback, with the realm of phigate-realm.json:
#   keycloak.sh start DIST_ZIP HOME [PORT] [MANAGEMENT_PORT]   (defaults 8180, 8190)
#   keycloak.sh stop HOME
# Realms: phigate (the demo's) and elsewhere (a second issuer, whose tokens the gateway must refuse).
# start unpacks the Keycloak distribution into HOME once, builds it once (in-memory database: a fresh realm
# at every start), generates this installation's client secrets, passwords and the admin's TOTP secret once
# (HOME/credentials.json, mode 600; never committed), imports the realm, and waits until Keycloak is ready.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
say() { printf 'keycloak: %s\n' "$*"; }
fail() { printf 'keycloak: %s\n' "$*" >&2; exit 1; }

random() { head -c 64 /dev/urandom | base64 | tr -dc "$1" | head -c "$2"; }

# This installation's secrets, made once (HOME/credentials.json, mode 600): a value an older file lacks is added, the
# others are kept, so users and clients keep their passwords across upgrades of this script.
credentials() {
  local file=$1/credentials.json key kind length old entries=()
  local spec=(ehrSecret:A-Za-z0-9:32 opsSecret:A-Za-z0-9:32 consoleSecret:A-Za-z0-9:32 clinicianPassword:A-Za-z0-9:20
    erPassword:A-Za-z0-9:20 privacyPassword:A-Za-z0-9:20 privacyTotpSecret:A-Z2-7:32 adminPassword:A-Za-z0-9:20
    adminTotpSecret:A-Z2-7:32 auditorPassword:A-Za-z0-9:20 auditorTotpSecret:A-Z2-7:32 bootstrapAdminPassword:A-Za-z0-9:24
    elsewhereSecret:A-Za-z0-9:32)
  for entry in "${spec[@]}"; do
    IFS=: read -r key kind length <<< "$entry"
    old=$( [ -f "$file" ] && sed -n "s/.*\"$key\": \"\([^\"]*\)\".*/\1/p" "$file" || true)
    entries+=("  \"$key\": \"${old:-$(random "$kind" "$length")}\"")
  done
  (umask 077; { echo "{"; (IFS=$'\n'; echo "${entries[*]}") | sed '$!s/$/,/'; echo "}"; } > "$file.new" && mv "$file.new" "$file")
}

start() {
  local zip=$1 home=$2 port=${3:-8180} mgmt=${4:-8190}
  [ -f "$zip" ] || fail "distribution $zip not found"
  mkdir -p "$home"
  home=$(cd "$home" && pwd)
  local kc="$home/dist"
  if [ -f "$home/keycloak.pid" ] && kill -0 "$(cat "$home/keycloak.pid")" 2>/dev/null; then
    say "already running (pid $(cat "$home/keycloak.pid"))"
    return 0
  fi
  if [ ! -x "$kc/bin/kc.sh" ]; then
    say "unpacking $(basename "$zip")..."
    rm -rf "$home/unpack" && mkdir -p "$home/unpack"
    unzip -q "$zip" -d "$home/unpack"
    mv "$home/unpack"/keycloak-* "$kc" && rmdir "$home/unpack"
  fi
  if [ ! -f "$home/built" ]; then
    say "building the server once (in-memory database, health endpoints; about 30 s)..."
    "$kc/bin/kc.sh" build --db=dev-mem --health-enabled=true > "$home/build.log" 2>&1 || { cat "$home/build.log" >&2; fail "build failed"; }
    touch "$home/built"
  fi
  credentials "$home"
  value() { sed -n "s/.*\"$1\": \"\([^\"]*\)\".*/\1/p" "$home/credentials.json"; }
  mkdir -p "$kc/data/import"
  (umask 077; sed -e "s/@@EHR_SECRET@@/$(value ehrSecret)/" -e "s/@@OPS_SECRET@@/$(value opsSecret)/" \
      -e "s/@@CONSOLE_SECRET@@/$(value consoleSecret)/" \
      -e "s/@@CLINICIAN_PASSWORD@@/$(value clinicianPassword)/" -e "s/@@ER_PASSWORD@@/$(value erPassword)/" \
      -e "s/@@PRIVACY_PASSWORD@@/$(value privacyPassword)/" -e "s/@@PRIVACY_TOTP_SECRET@@/$(value privacyTotpSecret)/" \
      -e "s/@@ADMIN_PASSWORD@@/$(value adminPassword)/" -e "s/@@ADMIN_TOTP_SECRET@@/$(value adminTotpSecret)/" \
      -e "s/@@AUDITOR_PASSWORD@@/$(value auditorPassword)/" -e "s/@@AUDITOR_TOTP_SECRET@@/$(value auditorTotpSecret)/" \
      "$here/phigate-realm.json" > "$kc/data/import/phigate-realm.json"
    sed -e "s/@@ELSEWHERE_SECRET@@/$(value elsewhereSecret)/" "$here/elsewhere-realm.json" > "$kc/data/import/elsewhere-realm.json"
    # The console's side of its client: configure.sh --settings HOME/console.properties gives it to WildFly.
    printf '%s\n' "# The admin console's OIDC client in this Keycloak (written by keycloak/keycloak.sh; never commit)" \
      "phigate.console.provider-url=http://127.0.0.1:$port/realms/phigate" "phigate.console.client-id=phigate-console" \
      "phigate.console.client-secret=$(value consoleSecret)" > "$home/console.properties")
  say "starting on http://127.0.0.1:$port (realm phigate)..."
  KC_BOOTSTRAP_ADMIN_USERNAME=bootstrap-admin KC_BOOTSTRAP_ADMIN_PASSWORD=$(value bootstrapAdminPassword) \
    nohup "$kc/bin/kc.sh" start --optimized --http-enabled=true --http-host=127.0.0.1 --http-port="$port" \
      --hostname="http://127.0.0.1:$port" --http-management-port="$mgmt" --import-realm > "$home/keycloak.log" 2>&1 &
  echo $! > "$home/keycloak.pid"
  local deadline=$((SECONDS + 180))
  until curl -sf "http://127.0.0.1:$mgmt/health/ready" 2>/dev/null | grep -q UP \
      && curl -sf "http://127.0.0.1:$port/realms/phigate/.well-known/openid-configuration" >/dev/null 2>&1; do
    kill -0 "$(cat "$home/keycloak.pid")" 2>/dev/null || { tail -20 "$home/keycloak.log" >&2; fail "Keycloak stopped; see $home/keycloak.log"; }
    [ $SECONDS -lt $deadline ] || fail "Keycloak was not ready in 180 s; see $home/keycloak.log"
    sleep 1
  done
  say "ready: http://127.0.0.1:$port/realms/phigate"
}

stop() {
  local home=$1 pid
  [ -f "$home/keycloak.pid" ] || return 0
  pid=$(cat "$home/keycloak.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    say "stopped (pid $pid)"
  fi
  rm -f "$home/keycloak.pid"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop "${2:?HOME}" ;;
  *) echo "usage: keycloak.sh start DIST_ZIP HOME [PORT] [MANAGEMENT_PORT] | stop HOME" >&2; exit 2 ;;
esac
