#!/usr/bin/env bash
# A real Keystone for the tests: peer-keystone.sh up|down WORKDIR
#
# `up` runs Keystone (SQLite, fernet tokens) under gunicorn on 127.0.0.1, on
# the first free port of 15000-15099, bootstraps it and creates the fixtures
# below with openstacksdk; it writes WORKDIR/peer-keystone.env. `down` stops
# gunicorn by the pid in WORKDIR/keystone/gunicorn.pid.
#
# Keystone and openstacksdk live in their own venv, built with
# upper-constraints.txt and cached in
# $HIL_OS_TEST_CACHE/keystone-venv-<key> (default ~/.cache/hil-os-test; the
# key changes with the Keystone pin, the constraints and Python), so re-runs
# on one machine take ~8 s. With CI=true the venv is built afresh inside
# WORKDIR instead (~30 s), so CI proves the install step.
#
# WORKDIR/peer-keystone.env (shell syntax; tools/test-all exports it):
#   HIL_OS_TEST_KEYSTONE_URL          identity v3 URL, http://127.0.0.1:PORT/v3
#   HIL_OS_TEST_KEYSTONE_REGION       RegionOne
#   HIL_OS_TEST_KEYSTONE_DOMAIN       Default: domain of every user and project
#   HIL_OS_TEST_KEYSTONE_PASSWORD     password of every user below (random)
#   HIL_OS_TEST_KEYSTONE_PROJECT_A, _PROJECT_A_ID   hil-proj-a and its ID
#   HIL_OS_TEST_KEYSTONE_PROJECT_B, _PROJECT_B_ID   hil-proj-b and its ID
#   HIL_OS_TEST_KEYSTONE_ADMIN_USER, _ADMIN_PROJECT
#       admin / admin: the bootstrap cloud admin (role admin in project
#       admin and on the system)
#   HIL_OS_TEST_KEYSTONE_A_MANAGER, _A_MEMBER, _A_READER
#       hil-a-manager / hil-a-member / hil-a-reader: that role in hil-proj-a
#   HIL_OS_TEST_KEYSTONE_B_MEMBER, _B_READER
#       hil-b-member / hil-b-reader: that role in hil-proj-b
#   HIL_OS_TEST_KEYSTONE_SYSTEM_READER
#       hil-system-reader: role reader on the system (system scope)
#   HIL_OS_TEST_KEYSTONE_DOMAIN_READER
#       hil-domain-reader: role reader on domain Default (domain scope)
#   HIL_OS_TEST_KEYSTONE_SERVICE_USER, _SERVICE_PROJECT
#       hil-os / service: roles service and admin in project service, the
#       service user of hil-os's [keystone_authtoken]
# Member implies reader (Keystone's bootstrap role inference). Tests create
# what else they need (endpoints, more users) with the admin user.
set -euo pipefail
shopt -s inherit_errexit

KEYSTONE_VERSION=30.0.0
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)

usage() { echo "usage: $0 up|down WORKDIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
ACTION=$1
WORKDIR=$(mkdir -p "$2" && cd "$2" && pwd)
D=$WORKDIR/keystone
ENV_FILE=$WORKDIR/peer-keystone.env

log() { echo "[peer-keystone $(date +%H:%M:%S)] $*"; }

stop() {
  local pid
  [ -f "$D/gunicorn.pid" ] || return 0
  pid=$(cat "$D/gunicorn.pid")
  # gunicorn leads its own process group (setsid): after a graceful stop,
  # kill the whole group, so that no worker outlives a killed master.
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  kill -9 -- "-$pid" 2>/dev/null || true
  rm -f "$D/gunicorn.pid"
}

# The venv with Keystone, gunicorn and openstacksdk (path on stdout).
ensure_venv() {
  local key venv
  if [ "${CI:-}" = true ] && [ -z "${HIL_OS_TEST_CACHE:-}" ]; then
    venv=$D/venv
  else
    key=$( { echo "keystone==$KEYSTONE_VERSION"; python3 --version;
             cat "$TOP/upper-constraints.txt"; } | sha256sum | cut -c1-12)
    venv=${HIL_OS_TEST_CACHE:-$HOME/.cache/hil-os-test}/keystone-venv-$key
  fi
  mkdir -p "$(dirname "$venv")"
  (
    flock 9
    if [ ! -f "$venv/.complete" ]; then
      log "building $venv" >&2
      rm -rf "$venv"
      python3 -m venv "$venv"
      "$venv/bin/pip" install -q -c "$TOP/upper-constraints.txt" \
        "keystone==$KEYSTONE_VERSION" gunicorn openstacksdk 2>&1 \
        | grep -v '^WARNING: Location' >&2 || true
      "$venv/bin/python" -c 'import keystone, gunicorn, openstack' >&2
      touch "$venv/.complete"
    fi
  ) 9>"$venv.lock"
  echo "$venv"
}

port_free() {
  python3 - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(('127.0.0.1', int(sys.argv[1])))
except OSError:
    sys.exit(1)
EOF
}

# Start gunicorn on $1; succeed once it listens there, fail if it cannot.
start_gunicorn() {
  local port=$1 pid
  : > "$D/gunicorn.log"
  OS_KEYSTONE_CONFIG_FILES=$D/keystone.conf setsid "$VENV/bin/gunicorn" \
    --chdir "$D" -b "127.0.0.1:$port" -w 2 --timeout 60 --graceful-timeout 5 \
    --pid "$D/gunicorn.pid" ks_wsgi:application \
    >> "$D/gunicorn.log" 2>&1 < /dev/null &
  pid=$!
  for _ in $(seq 300); do
    # Exited (a zombie until reaped) when it could not bind the port.
    [[ $(ps -o stat= -p "$pid" 2>/dev/null) == [^Z]* ]] || return 1
    # Another server may answer on a port we lost the race for: wait for
    # our own gunicorn to say it listens.
    if grep -q "Listening at: http://127.0.0.1:$port " "$D/gunicorn.log" &&
       curl -sf --max-time 2 "http://127.0.0.1:$port/v3" >/dev/null; then
      echo "$pid" > "$D/gunicorn.pid"
      return 0
    fi
    sleep 0.2
  done
  kill "$pid" 2>/dev/null || true
  return 1
}

up() {
  local started=$SECONDS port url password
  stop
  rm -rf "$D" "$ENV_FILE"
  mkdir -p "$D"
  VENV=$(ensure_venv)
  password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
  cat > "$D/keystone.conf" <<EOF
[DEFAULT]
log_file = $D/keystone.log
[database]
connection = sqlite:///$D/keystone.db
[identity]
# Test users only: cheap hashes keep token requests fast.
password_hash_rounds = 4
[token]
provider = fernet
[fernet_tokens]
key_repository = $D/fernet-keys
[fernet_receipts]
key_repository = $D/fernet-receipts
[credential]
key_repository = $D/credential-keys
EOF
  km() { "$VENV/bin/keystone-manage" --config-file "$D/keystone.conf" "$@" \
           >> "$D/manage.log" 2>&1; }
  # Independent steps of ~2-3 s each: run them side by side.
  km db_sync & local sync=$!
  km fernet_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)" &
  local fernet=$!
  km credential_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)"
  wait "$sync" && wait "$fernet"
  # keystone.wsgi.api parses sys.argv: hide gunicorn's arguments from it.
  printf 'import sys\nsys.argv = sys.argv[:1]\nfrom keystone.wsgi.api import application  # noqa\n' \
    > "$D/ks_wsgi.py"
  for port in $(seq 15000 15099); do
    port_free "$port" || continue
    url=http://127.0.0.1:$port/v3
    km bootstrap --bootstrap-password "$password" \
      --bootstrap-region-id RegionOne --bootstrap-admin-url "$url/" \
      --bootstrap-internal-url "$url/" --bootstrap-public-url "$url/"
    if start_gunicorn "$port"; then
      break
    fi
    log "port $port was taken meanwhile; trying the next"
    url=
    # The catalog names the lost port: start over from an empty database.
    rm -f "$D/keystone.db"
    km db_sync
  done
  [ -n "${url:-}" ] || { log "no free port in 15000-15099" >&2; exit 1; }
  log "Keystone $KEYSTONE_VERSION on $url (pid $(cat "$D/gunicorn.pid"))"
  "$VENV/bin/python" "$HERE/keystone_fixtures.py" "$url" "$password" \
    > "$ENV_FILE.tmp"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
  log "fixtures written to $ENV_FILE ($((SECONDS - started)) s in all)"
}

case $ACTION in
  up) up ;;
  # A venv built inside WORKDIR (CI) is not worth keeping.
  down) stop; rm -rf "$D/venv" ;;
  *) usage ;;
esac
