#!/usr/bin/env bash
# peer-ipmisim.sh up|down WORKDIR
#
# Several independent IPMI BMCs: OpenIPMI ipmi_sim processes on 127.0.0.1,
# each on its own free UDP port of 17000-17999, user admin / password pw,
# with a chassis-control script that keeps the power state and boot device
# in files, and a Serial-over-LAN "serial port" served by serial_hub.py
# (TCP, 16200-16299) that tests write node output into. Tests use the BMCs
# by index: 0-5 tests/integration/test_power_ipmi.py, 6-7
# tests/integration/test_lease_handback.py. Writes
# WORKDIR/peer-ipmisim.env:
#   HIL_OS_IPMISIM_BMCS      host:port of each BMC, comma-separated
#   HIL_OS_IPMISIM_CONSOLES  host:port where each node's serial output is
#                            written (and console input read), same order
#   HIL_OS_IPMISIM_DIR       per-BMC state: nodeI/{pid,chassis/power,
#                            chassis/boot,chassis/events}
#   HIL_OS_IPMISIM_USER, HIL_OS_IPMISIM_PASSWORD (admin / pw), and
#   HIL_OS_IPMISIM_SECRET_USER, HIL_OS_IPMISIM_SECRET (a second user with a
#   distinctive password, for tests that search logs for it)
set -euo pipefail
CMD=${1:?up or down}; WORKDIR=${2:?workdir}
N=${HIL_OS_IPMISIM_COUNT:-10}
D=$WORKDIR/ipmisim
HERE=$(dirname "$(realpath "$0")")
PY=${PYTHON:-python3}
SECRET=Zq7hilBMCs3cret9

udp_used() { ss -lunH "sport = :$1" | grep -q .; }

case $CMD in
up)
  mkdir -p "$D"
  setsid "$PY" "$HERE/serial_hub.py" "$D/serial-ports" 16200 16299 "$N" \
    > "$D/serial_hub.log" 2>&1 < /dev/null &
  echo $! > "$D/serial_hub.pid"
  for _ in $(seq 50); do [ -f "$D/serial-ports" ] && break; sleep 0.1; done
  [ -f "$D/serial-ports" ] || { echo "serial_hub did not start" >&2; exit 1; }
  mapfile -t SERIAL < "$D/serial-ports"
  printf '%s\n' 'mc_setbmc 0x20' \
    'mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr' \
    'sel_enable 0x20 1000 0x0a' 'mc_enable 0x20' > "$D/node.emu"
  bmcs=() consoles=() port=17000
  for i in $(seq 0 $((N - 1))); do
    # ipmi_sim starts silently on a used port and steals its requests.
    while udp_used "$port"; do port=$((port + 1)); done
    [ "$port" -le 17999 ] || { echo "no free UDP port in 17000-17999" >&2; exit 1; }
    read -r sol node_port <<< "${SERIAL[$i]}"
    nd=$D/node$i; mkdir -p "$nd/state" "$nd/chassis"
    cat > "$nd/lan.conf" <<EOT
name "node$i"
set_working_mc 0x20
  startlan 1
    addr 127.0.0.1 $port
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid $(printf 'a1234567%024x' "$i")
  endlan
  chassis_control "$HERE/chassisctl.sh $nd/chassis"
  sol "tcp:127.0.0.1:$sol" 115200
  user 2 true  "admin" "pw"   admin  10  none md2 md5 straight
  user 3 true  "hil" "$SECRET"   admin  10  none md2 md5 straight
EOT
    setsid ipmi_sim -c "$nd/lan.conf" -f "$D/node.emu" -s "$nd/state" -n \
      > "$nd/log" 2>&1 < /dev/null &
    echo $! > "$nd/pid"
    bmcs+=("127.0.0.1:$port"); consoles+=("127.0.0.1:$node_port")
    port=$((port + 1))
  done
  for i in $(seq 0 $((N - 1))); do
    p=${bmcs[$i]#*:}
    for _ in $(seq 50); do udp_used "$p" && break; sleep 0.1; done
    udp_used "$p" || { echo "ipmi_sim node$i did not start:" >&2; cat "$D/node$i/log" >&2; exit 1; }
  done
  ( IFS=,; printf 'HIL_OS_IPMISIM_BMCS=%s\nHIL_OS_IPMISIM_CONSOLES=%s\n' "${bmcs[*]}" "${consoles[*]}"
    printf 'HIL_OS_IPMISIM_DIR=%s\nHIL_OS_IPMISIM_USER=admin\nHIL_OS_IPMISIM_PASSWORD=pw\n' "$D"
    printf 'HIL_OS_IPMISIM_SECRET_USER=hil\nHIL_OS_IPMISIM_SECRET=%s\n' "$SECRET"
  ) > "$WORKDIR/peer-ipmisim.env"
  echo "ipmi_sim up: ${bmcs[*]}"
  ;;
down)
  [ -d "$D" ] || exit 0
  for f in "$D"/node*/pid "$D/serial_hub.pid"; do
    [ -f "$f" ] || continue
    pid=$(cat "$f"); kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true
    rm -f "$f"
  done
  rm -f "$D/serial-ports" "$WORKDIR/peer-ipmisim.env"
  ;;
*) echo "usage: $0 up|down WORKDIR" >&2; exit 2 ;;
esac
