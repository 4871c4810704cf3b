#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Creates, only where they are missing, a private CA and the certificates it signs, in DIR:
#   ca.pem            the CA certificate: give it to clients (curl --cacert DIR/ca.pem)
#   server.p12        the gateway's TLS key and certificate (SAN 127.0.0.1, localhost, and PHIGATE_TLS_SANS)
#   backend.p12       a certificate for the demo backends
#   truststore.p12    the CA alone: what the gateway trusts when it calls backends
#   password          the password of the .p12 files (random, mode 600)
# With "client NAME", also a client certificate for a service identity (mutual TLS on the data plane):
#   clients/NAME.p12  key and certificate (CN=NAME, extended key usage clientAuth); its SHA-256 fingerprint,
#                     the value to register as the identity's fingerprint, is printed and kept in clients/NAME.sha256
# Only for a first start, a demo or the tests. A hospital gives the gateway certificates from its own PKI.
set -euo pipefail
usage="usage: pki.sh DIR [client NAME]"
dir=${1:?$usage}
client=""
if [ $# -ge 2 ]; then
  [ "$2" = client ] && [ -n "${3:-}" ] || { echo "$usage" >&2; exit 2; }
  [[ "$3" =~ ^[a-z0-9][a-z0-9-]{0,63}$ ]] || { echo "pki.sh: a client name is 1-64 of a-z, 0-9 and '-'" >&2; exit 2; }
  client=$3
fi
mkdir -p "$dir"
chmod 700 "$dir"
cd "$dir"
kt() { keytool "$@" 2>/dev/null; }

if [ ! -s password ]; then
  (umask 077; head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 > password)
fi
pw=$(cat password)
sans="ip:127.0.0.1,ip:0:0:0:0:0:0:0:1,dns:localhost${PHIGATE_TLS_SANS:+,$PHIGATE_TLS_SANS}"

if [ ! -f ca.p12 ]; then
  echo "pki: creating a private CA in $dir"
  kt -genkeypair -alias ca -keyalg EC -groupname secp384r1 -sigalg SHA384withECDSA -dname "CN=PHIGate local CA" \
     -ext bc:c -ext ku:c=keyCertSign,cRLSign -validity 3650 -keystore ca.p12 -storetype PKCS12 -storepass "$pw"
  kt -exportcert -rfc -alias ca -keystore ca.p12 -storepass "$pw" > ca.pem
fi

issue() {
  local name=$1
  [ -f "$name.p12" ] && return 0
  echo "pki: issuing $name certificate ($sans)"
  kt -genkeypair -alias "$name" -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA -dname "CN=localhost, OU=PHIGate $name" \
     -validity 397 -keystore "$name.p12.tmp" -storetype PKCS12 -storepass "$pw"
  kt -certreq -alias "$name" -keystore "$name.p12.tmp" -storepass "$pw" \
    | kt -gencert -alias ca -keystore ca.p12 -storepass "$pw" -sigalg SHA384withECDSA -validity 397 -rfc \
         -ext "san=$sans" -ext ku:c=digitalSignature -ext eku=serverAuth,clientAuth > "$name.crt"
  kt -importcert -alias ca -file ca.pem -keystore "$name.p12.tmp" -storepass "$pw" -noprompt
  kt -importcert -alias "$name" -file "$name.crt" -keystore "$name.p12.tmp" -storepass "$pw" -noprompt
  kt -delete -alias ca -keystore "$name.p12.tmp" -storepass "$pw"
  mv "$name.p12.tmp" "$name.p12"
}
issue server
issue backend

if [ ! -f truststore.p12 ]; then
  kt -importcert -alias phigate-local-ca -file ca.pem -keystore truststore.p12 -storetype PKCS12 -storepass "$pw" -noprompt
fi
chmod 600 ./*.p12 password

if [ -n "$client" ]; then
  mkdir -p clients
  chmod 700 clients
  p12="clients/$client.p12"
  if [ ! -f "$p12" ]; then
    echo "pki: issuing client certificate $client" >&2
    work=$(mktemp -d)
    (
      umask 077
      openssl pkcs12 -in ca.p12 -nocerts -nodes -passin "pass:$pw" -out "$work/ca.key" 2>/dev/null
      openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/client.key" \
        -subj "/OU=PHIGate service/CN=$client" -out "$work/client.csr" 2>/dev/null
      printf 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' > "$work/ext"
      openssl x509 -req -in "$work/client.csr" -CA ca.pem -CAkey "$work/ca.key" -CAcreateserial -CAserial "$work/serial" \
        -days 397 -sha384 -extfile "$work/ext" -out "clients/$client.crt" 2>/dev/null
      openssl pkcs12 -export -name "$client" -inkey "$work/client.key" -in "clients/$client.crt" -certfile ca.pem \
        -passout "pass:$pw" -out "$p12.tmp"
    )
    rm -rf "$work"
    mv "$p12.tmp" "$p12"
    openssl x509 -in "clients/$client.crt" -outform DER | sha256sum | cut -d' ' -f1 > "clients/$client.sha256"
  fi
  cat "clients/$client.sha256"
fi
