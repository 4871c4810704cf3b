#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Creates, where it is missing, the audit trail's keystore in DIR (mode 700):
#   audit-keys.p12   alias pseudonym: HmacSHA256 key of patient pseudonyms; alias checkpoint: EC P-256 key pair that
#                    signs the chain's checkpoints (export its certificate to verify checkpoints elsewhere)
#   password         the keystore's password (random, mode 600)
# Never put these keys in the database: they are what a database-only attacker must not have. Back the keystore up
# with the server's configuration: without the pseudonym key, old pseudonyms can no longer be searched by patient id.
set -euo pipefail
dir=${1:?usage: audit-keys.sh DIR}
mkdir -p "$dir"
chmod 700 "$dir"
cd "$dir"
[ -f audit-keys.p12 ] && exit 0
if [ ! -s password ]; then
  (umask 077; head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 > password)
fi
pw=$(cat password)
echo "audit-keys: creating the audit keystore in $dir"
keytool -genseckey -alias pseudonym -keyalg HmacSHA256 -keysize 256 -keystore audit-keys.p12.tmp -storetype PKCS12 -storepass "$pw" 2>/dev/null
keytool -genkeypair -alias checkpoint -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA -dname "CN=PHIGate audit checkpoints" \
  -validity 3650 -keystore audit-keys.p12.tmp -storetype PKCS12 -storepass "$pw" 2>/dev/null
mv audit-keys.p12.tmp audit-keys.p12
chmod 600 audit-keys.p12 password
