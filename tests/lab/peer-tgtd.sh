#!/usr/bin/env bash
# peer-tgtd.sh up|down WORKDIR
#
# A user-space iSCSI target (tgtd) on 127.0.0.1, on a free port of
# 13000-13049 with its own control socket (-C = the port), for the local
# image backend tests. Writes WORKDIR/peer-tgtd.env:
#   HIL_OS_TGTD_PORT, HIL_OS_TGTD_CONTROL
# tgtd ignores SIGTERM: "down" deletes its targets, then the system.
set -euo pipefail
CMD=${1:?up or down}; WORKDIR=${2:?workdir}
D=$WORKDIR/tgtd
mkdir -p "$D"

port_used() { ss -ltnH "sport = :$1" | grep -q .; }

case $CMD in
up)
  for port in $(seq 13000 13049); do
    port_used "$port" && continue
    [ -e "/var/run/tgtd/socket.$port" ] && tgtadm -C "$port" --op show --mode sys >/dev/null 2>&1 && continue
    setsid tgtd -f -C "$port" --iscsi portal=127.0.0.1:"$port" > "$D/tgtd.log" 2>&1 < /dev/null &
    echo $! > "$D/tgtd.pid"
    echo "$port" > "$D/control"
    for _ in $(seq 50); do
      if tgtadm -C "$port" --lld iscsi --op show --mode target >/dev/null 2>&1 && port_used "$port"; then
        printf 'HIL_OS_TGTD_PORT=%s\nHIL_OS_TGTD_CONTROL=%s\n' "$port" "$port" > "$WORKDIR/peer-tgtd.env"
        echo "tgtd up on 127.0.0.1:$port (control $port)"
        exit 0
      fi
      kill -0 "$(cat "$D/tgtd.pid")" 2>/dev/null || break
      sleep 0.1
    done
    kill "$(cat "$D/tgtd.pid")" 2>/dev/null || true
  done
  echo "tgtd did not start; see $D/tgtd.log" >&2
  exit 1
  ;;
down)
  [ -f "$D/control" ] || exit 0
  C=$(cat "$D/control")
  tgtadm -C "$C" --op update --mode sys --name State -v offline >/dev/null 2>&1 || true
  for tid in $(tgtadm -C "$C" --lld iscsi --op show --mode target 2>/dev/null | sed -n 's/^Target \([0-9]*\):.*/\1/p'); do
    tgtadm -C "$C" --lld iscsi --op delete --force --mode target --tid "$tid" || true
  done
  tgtadm -C "$C" --op delete --mode system >/dev/null 2>&1 || true
  pid=$(cat "$D/tgtd.pid")
  for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "/var/run/tgtd/socket.$C" "/var/run/tgtd/socket.$C.lock" "$D/control"
  ;;
*) echo "usage: $0 up|down WORKDIR" >&2; exit 2 ;;
esac
