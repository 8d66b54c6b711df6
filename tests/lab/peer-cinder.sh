#!/usr/bin/env bash
# A real Cinder for the tests: peer-cinder.sh up|down WORKDIR
#
# Cinder API (gunicorn), scheduler and volume service on 127.0.0.1, in their
# own venv, with the machine's RabbitMQ (rabbit://guest:guest@127.0.0.1:5672/,
# a private control exchange) and the Keystone of peer-keystone.sh (started
# here if WORKDIR has none yet, and then stopped here too). The volume
# service runs tests/lab/cinder/filedrv.py: sparse files exported by
# Cinder's TgtAdm through a tgtd of its own (default control socket, as
# TgtAdm knows no other, on a free port of 13080-13099).
#
# The venv is cached in $HIL_OS_TEST_CACHE/cinder-venv-<key> (default
# ~/.cache/hil-os-test); with CI=true it is built inside WORKDIR (~40 s).
#
# WORKDIR/peer-cinder.env:
#   HIL_OS_TEST_CINDER_URL       http://127.0.0.1:PORT/v3
#   HIL_OS_TEST_CINDER_TGT_PORT  the iSCSI portal port of Cinder's tgtd
# plus the peer-keystone.env variables (service user hil-os in project
# service is the user hil-os's [cinder] section logs in as).
set -euo pipefail
shopt -s inherit_errexit

CINDER_VERSION=29.0.0
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
[ $# -eq 2 ] || { echo "usage: $0 up|down WORKDIR" >&2; exit 2; }
ACTION=$1
WORKDIR=$(mkdir -p "$2" && cd "$2" && pwd)
D=$WORKDIR/cinder
ENV_FILE=$WORKDIR/peer-cinder.env
RABBIT=${HIL_OS_TEST_RABBIT_URL:-rabbit://guest:guest@127.0.0.1:5672/}
# Three Cinder processes write at once: SQLite would lock; the machine's
# MariaDB holds a database of this run (dropped by "down").
MYSQL=${HIL_OS_TEST_MYSQL_URL:-mysql+pymysql://root@127.0.0.1:3306/}

log() { echo "[peer-cinder $(date +%H:%M:%S)] $*"; }

port_free() {
  python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null
}

ensure_venv() {
  local key venv
  if [ "${CI:-}" = true ] && [ -z "${HIL_OS_TEST_CACHE:-}" ]; then
    venv=$D/venv
  else
    key=$( { echo "cinder==$CINDER_VERSION gunicorn PyMySQL"; python3 --version;
             cat "$TOP/upper-constraints.txt"; } | sha256sum | cut -c1-12)
    venv=${HIL_OS_TEST_CACHE:-$HOME/.cache/hil-os-test}/cinder-venv-$key
  fi
  mkdir -p "$(dirname "$venv")"
  (
    flock 9
    if [ ! -f "$venv/.complete" ]; then
      log "building $venv" >&2
      rm -rf "$venv"
      python3 -m venv "$venv"
      "$venv/bin/pip" install -q -c "$TOP/upper-constraints.txt" \
        "cinder==$CINDER_VERSION" python-cinderclient gunicorn PyMySQL 2>&1 \
        | grep -v '^WARNING: Location' >&2 || true
      "$venv/bin/python" -c 'import cinder, cinderclient, gunicorn, pymysql' >&2
      touch "$venv/.complete"
    fi
  ) 9>"$venv.lock"
  echo "$venv"
}

stop_pid() {
  local f=$1 pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

stop_tgtd() {
  [ -f "$D/tgtd.pid" ] || return 0
  tgtadm --op update --mode sys --name State -v offline >/dev/null 2>&1 || true
  for tid in $(tgtadm --lld iscsi --op show --mode target 2>/dev/null | sed -n 's/^Target \([0-9]*\):.*/\1/p'); do
    tgtadm --lld iscsi --op delete --force --mode target --tid "$tid" || true
  done
  tgtadm --op delete --mode system >/dev/null 2>&1 || true
  stop_pid "$D/tgtd.pid"
  rm -f /var/run/tgtd/socket.0 /var/run/tgtd/socket.0.lock
}

mysql_exec() {
  "${VENV:-$(ensure_venv)}/bin/python" - "$MYSQL" "$1" <<'EOP'
import sys
import sqlalchemy as sa
engine = sa.create_engine(sys.argv[1], isolation_level='AUTOCOMMIT')
with engine.connect() as conn:
    conn.execute(sa.text(sys.argv[2]))
EOP
}

down() {
  for svc in api volume scheduler; do stop_pid "$D/$svc.pid"; done
  stop_tgtd
  if [ -f "$D/dbname" ]; then
    mysql_exec "DROP DATABASE IF EXISTS $(cat "$D/dbname")" || true
    rm -f "$D/dbname"
  fi
  if [ -f "$D/own-keystone" ]; then
    "$HERE/peer-keystone.sh" down "$WORKDIR" || true
    rm -f "$D/own-keystone" "$WORKDIR/peer-keystone.env"
  fi
  rm -rf "$D/venv" "$ENV_FILE"
}

up() {
  local started=$SECONDS port tgt_port
  down
  rm -rf "$D" "$ENV_FILE"
  mkdir -p "$D/bin" "$D/state" "$D/log" "$D/volumes" "$D/tgt-volumes" "$D/locks"
  if [ -f "$WORKDIR/peer-keystone.env" ]; then
    set -a
    # shellcheck disable=SC1091
    . "$WORKDIR/peer-keystone.env"
    set +a
  fi
  if ! curl -sf --max-time 2 "${HIL_OS_TEST_KEYSTONE_URL:-http://127.0.0.1:1/}" >/dev/null; then
    log "no Keystone in $WORKDIR: starting one"
    "$HERE/peer-keystone.sh" up "$WORKDIR"
    touch "$D/own-keystone"
    set -a
    # shellcheck disable=SC1091
    . "$WORKDIR/peer-keystone.env"
    set +a
  fi
  VENV=$(ensure_venv)

  # Cinder's tgtd: the default control socket must be free.
  if tgtadm --op show --mode sys >/dev/null 2>&1; then
    log "a tgtd already answers on the default control socket" >&2; exit 1
  fi
  for tgt_port in $(seq 13080 13099); do port_free "$tgt_port" && break; done
  setsid tgtd -f --iscsi portal=127.0.0.1:"$tgt_port" > "$D/tgtd.log" 2>&1 < /dev/null &
  echo $! > "$D/tgtd.pid"
  for _ in $(seq 50); do tgtadm --op show --mode sys >/dev/null 2>&1 && break; sleep 0.1; done
  echo "include $D/tgt-volumes/*" > "$D/targets.conf"
  printf '#!/bin/sh\nexec /usr/sbin/tgt-admin -c %s "$@"\n' "$D/targets.conf" > "$D/bin/tgt-admin"
  chmod +x "$D/bin/tgt-admin"

  for port in $(seq 18776 18799); do port_free "$port" && break; done
  local url=http://127.0.0.1:$port/v3
  "$VENV/bin/python" "$HERE/cinder/keystone_setup.py" "$HIL_OS_TEST_KEYSTONE_URL" \
    "$HIL_OS_TEST_KEYSTONE_PASSWORD" "$url"
  local helper="$VENV/bin/privsep-helper --config-file $D/cinder.conf"
  cat > "$D/cinder.conf" <<EOC
[DEFAULT]
host = hil-test-cinder
my_ip = 127.0.0.1
state_path = $D/state
log_dir = $D/log
transport_url = $RABBIT
control_exchange = hil-test-cinder-$$-$RANDOM
api_paste_config = $VENV/etc/cinder/api-paste.ini
resource_query_filters_file = $VENV/etc/cinder/resource_filters.json
rootwrap_config = $VENV/etc/cinder/rootwrap.conf
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = $port
auth_strategy = keystone
enabled_backends = file
report_interval = 2
periodic_interval = 10
[database]
connection = sqlite:///$D/cinder.db
[oslo_concurrency]
lock_path = $D/locks
[oslo_messaging_notifications]
driver = noop
[keystone_authtoken]
www_authenticate_uri = $HIL_OS_TEST_KEYSTONE_URL
auth_url = $HIL_OS_TEST_KEYSTONE_URL
auth_type = password
username = cinder
password = $HIL_OS_TEST_KEYSTONE_PASSWORD
project_name = service
user_domain_name = Default
project_domain_name = Default
[cinder_sys_admin]
helper_command = $helper
[privsep_osbrick]
helper_command = $helper
[file]
volume_driver = filedrv.FileTgtDriver
volume_backend_name = file
file_volume_dir = $D/volumes
target_helper = tgtadm
target_protocol = iscsi
target_ip_address = 127.0.0.1
target_port = $tgt_port
volumes_dir = $D/tgt-volumes
EOC
  local dbname=hil_test_cinder_$(python3 -c 'import secrets; print(secrets.token_hex(6))')
  mysql_exec "CREATE DATABASE $dbname"
  echo "$dbname" > "$D/dbname"
  sed -i "s|^connection = sqlite.*|connection = ${MYSQL%/}/$dbname?charset=utf8mb4|" "$D/cinder.conf"
  "$VENV/bin/cinder-manage" --config-file "$D/cinder.conf" db sync > "$D/log/db-sync.log" 2>&1
  export PATH=$D/bin:$VENV/bin:$PATH PYTHONPATH=$HERE/cinder
  for svc in scheduler volume; do
    setsid "$VENV/bin/cinder-$svc" --config-file "$D/cinder.conf" \
      > "$D/log/$svc.out" 2>&1 < /dev/null &
    echo $! > "$D/$svc.pid"
  done
  printf 'import sys\nsys.argv = [sys.argv[0], "--config-file", "%s"]\nfrom cinder.wsgi.wsgi import initialize_application\napplication = initialize_application()\n' \
    "$D/cinder.conf" > "$D/cinder_wsgi.py"
  setsid "$VENV/bin/gunicorn" --chdir "$D" -b "127.0.0.1:$port" -w 1 --timeout 120 \
    --pid "$D/api.pid.gunicorn" cinder_wsgi:application > "$D/log/api.out" 2>&1 < /dev/null &
  echo $! > "$D/api.pid"
  # Up when the volume service reports in through the API.
  "$VENV/bin/python" - "$url" <<'EOP'
import os, sys, time
from cinderclient import client
from keystoneauth1.identity import v3
from keystoneauth1 import session
sess = session.Session(auth=v3.Password(
    auth_url=os.environ['HIL_OS_TEST_KEYSTONE_URL'], username='admin',
    password=os.environ['HIL_OS_TEST_KEYSTONE_PASSWORD'], project_name='admin',
    user_domain_id='default', project_domain_id='default'))
c = client.Client('3.0', session=sess, endpoint_override=sys.argv[1])
deadline = time.monotonic() + 90
while True:
    try:
        services = c.services.list()
        if any(s.binary == 'cinder-volume' and s.state == 'up' for s in services):
            break
    except Exception as e:
        error = e
    if time.monotonic() > deadline:
        sys.exit('Cinder did not come up')
    time.sleep(0.5)
EOP
  printf 'HIL_OS_TEST_CINDER_URL=%s\nHIL_OS_TEST_CINDER_TGT_PORT=%s\n' "$url" "$tgt_port" > "$ENV_FILE.tmp"
  if [ -f "$D/own-keystone" ]; then cat "$WORKDIR/peer-keystone.env" >> "$ENV_FILE.tmp"; fi
  mv "$ENV_FILE.tmp" "$ENV_FILE"
  log "Cinder $CINDER_VERSION on $url, tgtd on 127.0.0.1:$tgt_port ($((SECONDS - started)) s)"
}

case $ACTION in
  up) export -f log; up ;;
  down) down ;;
  *) echo "usage: $0 up|down WORKDIR" >&2; exit 2 ;;
esac
