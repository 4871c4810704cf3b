#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A real syslog-over-TLS receiver for the integration tests: rsyslog (imtcp with the GnuTLS driver, RFC 5425
# octet counting) on 127.0.0.1, writing what it parsed of each RFC 5424 message to DIR/received.log.
#   syslog-receiver.sh start DIR PORT PKI_DIR   PKI_DIR is the test server's phigate-tls: the receiver presents
#                                               its backend certificate (SAN 127.0.0.1), signed by the private CA
#   syslog-receiver.sh stop DIR
# Without rsyslogd (Debian packages rsyslog and rsyslog-gnutls) it says so and exits 0: the test is then skipped.
set -euo pipefail
usage="usage: syslog-receiver.sh start DIR PORT PKI_DIR | stop DIR"
command=${1:?$usage}
dir=${2:?$usage}

stop() {
  if [ -f "$dir/rsyslogd.pid" ]; then
    local pid
    pid=$(cat "$dir/rsyslogd.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/rsyslogd.pid"
    echo "syslog-receiver: stopped ($dir)"
  fi
}

case "$command" in
  stop) stop; exit 0 ;;
  start) ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
port=${3:?$usage}
pki=${4:?$usage}
rsyslogd=$(command -v rsyslogd || echo /usr/sbin/rsyslogd)
if [ ! -x "$rsyslogd" ] || [ -z "$(ls /usr/lib/*/rsyslog/lmnsd_gtls.so /usr/lib/rsyslog/lmnsd_gtls.so 2>/dev/null || true)" ]; then
  echo "syslog-receiver: rsyslogd with its GnuTLS driver is not installed (apt-get install rsyslog rsyslog-gnutls); the syslog test will be skipped"
  exit 0
fi
stop
mkdir -p "$dir/work"
dir=$(cd "$dir" && pwd)
pki=$(cd "$pki" && pwd)
pw=$(cat "$pki/password")
# Taken from PKI_DIR at every start: a server configured anew has a new CA.
(umask 077
 openssl pkcs12 -in "$pki/backend.p12" -passin "pass:$pw" -nocerts -nodes 2>/dev/null | openssl ec -out "$dir/receiver.key" 2>/dev/null
 openssl pkcs12 -in "$pki/backend.p12" -passin "pass:$pw" -clcerts -nokeys 2>/dev/null | openssl x509 -out "$dir/receiver.crt")
cat > "$dir/rsyslog.conf" <<CONF
global(workDirectory="$dir/work"
       defaultNetstreamDriverCAFile="$pki/ca.pem"
       defaultNetstreamDriverCertFile="$dir/receiver.crt"
       defaultNetstreamDriverKeyFile="$dir/receiver.key")
module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
input(type="imtcp" address="127.0.0.1" port="$port")
template(name="parsed" type="string"
         string="%timereported:::date-rfc3339% %hostname% %app-name% %procid% %msgid% %structured-data% %msg%\n")
action(type="omfile" file="$dir/received.log" template="parsed")
CONF
"$rsyslogd" -N1 -f "$dir/rsyslog.conf" > "$dir/rsyslogd.check" 2>&1 || { cat "$dir/rsyslogd.check" >&2; exit 1; }
nohup "$rsyslogd" -n -f "$dir/rsyslog.conf" -i "$dir/rsyslogd.pid" > "$dir/rsyslogd.out" 2>&1 &
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "syslog-receiver: rsyslog listening on 127.0.0.1:$port (TLS), writing $dir/received.log"
    exit 0
  fi
  sleep 0.1
done
echo "syslog-receiver: rsyslog did not start listening on 127.0.0.1:$port:" >&2
cat "$dir/rsyslogd.out" >&2
stop
exit 1
