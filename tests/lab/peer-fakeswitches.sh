#!/bin/bash
# peer-fakeswitches.sh up|down WORKDIR
#
# fake-switches Cisco IOS simulators on 127.0.0.1, driven by NGS
# netmiko_cisco_ios. fake-switches pins an old Twisted, so it gets a venv
# of its own (WORKDIR/fakeswitches-venv) with the versions listed in
# fakeswitches-requirements.txt, and our launcher (fakeswitches_launcher.py)
# carries the fixes it needs. Writes WORKDIR/peer-fakeswitches.env.
set -euo pipefail
cmd=${1:?usage: peer-fakeswitches.sh up|down WORKDIR}
WORKDIR=${2:?usage: peer-fakeswitches.sh up|down WORKDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
D=$WORKDIR/fakeswitches
VENV=$WORKDIR/fakeswitches-venv
NPORTS=48

free_port() {  # a free TCP port on 127.0.0.1 in our range 22000-22999
  local p
  for _ in $(seq 200); do
    p=$((22000 + RANDOM % 1000))
    ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return; }
  done
  echo "no free port in 22000-22999" >&2; return 1
}

down() {
  if [ -f "$D/launcher.pid" ]; then
    pid=$(cat "$D/launcher.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$D/launcher.pid"
  fi
}

up() {
  down
  mkdir -p "$D"
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    # fake-switches declares Twisted<17 (no Python 3.11): install it alone,
    # then the pinned libraries it really needs.
    "$VENV/bin/pip" install -q --no-deps fake-switches==1.5.0 2>&1 | grep -v "^WARNING: Location" || true
    "$VENV/bin/pip" install -q -r "$HERE/fakeswitches-requirements.txt" 2>&1 |
      grep -v -e "^WARNING: Location" -e "dependency conflicts" -e "fake-switches 1.5.0 requires" || true
  fi
  P1=$(free_port); P2=$(free_port)
  while [ "$P2" = "$P1" ]; do P2=$(free_port); done
  setsid "$VENV/bin/python" "$HERE/fakeswitches_launcher.py" \
    "cisco_generic:$P1:$NPORTS" "cisco_generic:$P2:$NPORTS" \
    > "$D/launcher.log" 2>&1 < /dev/null &
  echo $! > "$D/launcher.pid"
  for p in $P1 $P2; do
    for _ in $(seq 100); do
      ss -Htln "sport = :$p" | grep -q . && break; sleep 0.1
    done
    ss -Htln "sport = :$p" | grep -q . ||
      { echo "fake-switches did not listen on $p" >&2; cat "$D/launcher.log" >&2; exit 1; }
  done
  cat > "$WORKDIR/peer-fakeswitches.env" <<ENV
HIL_OS_TEST_CISCO_SSH_PORT=$P1
HIL_OS_TEST_CISCO2_SSH_PORT=$P2
HIL_OS_TEST_CISCO_USER=admin
HIL_OS_TEST_CISCO_PASSWORD=secret
HIL_OS_TEST_CISCO_ENABLE=secret
HIL_OS_TEST_CISCO_PORTS=$NPORTS
ENV
  echo "fake-switches up: cisco_generic on 127.0.0.1:$P1 and :$P2"
}

case $cmd in
  up) up ;;
  down) down ;;
  *) echo "usage: peer-fakeswitches.sh up|down WORKDIR" >&2; exit 2 ;;
esac
