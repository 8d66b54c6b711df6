#!/bin/bash
# peer-ovs.sh up|down WORKDIR
#
# A real Open vSwitch for the switch tests: userspace datapath
# (datapath_type=netdev) with a private run directory, ovs-vswitchd in a
# network namespace of its own (its tap devices stay apart from any other
# OVS on the machine), and a private sshd on 127.0.0.1 with key
# authentication through which NGS netmiko_ovs_linux drives it.
# Writes WORKDIR/peer-ovs.env; everything is stopped by PID.
set -euo pipefail
cmd=${1:?usage: peer-ovs.sh up|down WORKDIR}
WORKDIR=${2:?usage: peer-ovs.sh up|down WORKDIR}
D=$WORKDIR/ovs
BRIDGE=br0

free_port() {  # a free TCP port on 127.0.0.1 in our range 22000-22999
  local p
  for _ in $(seq 200); do
    p=$((22000 + RANDOM % 1000))
    ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return; }
  done
  echo "no free port in 22000-22999" >&2; return 1
}

down() {
  [ -d "$D" ] || return 0
  # The PIDs are read once: the daemons remove their own pidfiles as they
  # exit, and a pidfile gone between a test and a read aborted this (set -e)
  # before the namespace was deleted.
  local pids=() name pid
  for name in sshd ovs-vswitchd ovsdb-server; do
    pid=$(cat "$D/run/$name.pid" 2>/dev/null) || continue
    pids+=("$pid")
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -f "$D"/run/*.pid
  if [ -f "$D/netns" ]; then
    ip netns del "$(cat "$D/netns")" 2>/dev/null || true
    rm -f "$D/netns"
  fi
}

up() {
  down
  rm -rf "$D"; mkdir -p "$D/run" "$D/log" "$D/db"
  export OVS_RUNDIR=$D/run OVS_LOGDIR=$D/log OVS_DBDIR=$D/db
  ovsdb-tool create "$D/db/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  ovsdb-server "$D/db/conf.db" --remote="punix:$D/run/db.sock" \
    --pidfile="$D/run/ovsdb-server.pid" --detach \
    --log-file="$D/log/ovsdb-server.log"
  ovs-vsctl --no-wait init
  NETNS=hilos-ovs-$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
  ip netns add "$NETNS"; echo "$NETNS" > "$D/netns"
  ip netns exec "$NETNS" ovs-vswitchd "unix:$D/run/db.sock" \
    --pidfile="$D/run/ovs-vswitchd.pid" --detach -vconsole:off \
    --log-file="$D/log/ovs-vswitchd.log"
  ovs-vsctl add-br $BRIDGE -- set bridge $BRIDGE datapath_type=netdev
  # A kernel-datapath bridge "succeeds" too: check that this one is real.
  ovs-vsctl add-port $BRIDGE hilos-probe -- set interface hilos-probe type=internal
  [ "$(ovs-vsctl get interface hilos-probe ofport)" -gt 0 ] ||
    { echo "OVS bridge $BRIDGE has no datapath" >&2; exit 1; }
  ovs-vsctl del-port $BRIDGE hilos-probe

  ssh-keygen -q -t ed25519 -N "" -C hil-os-ngs -f "$D/ngs_key"
  ssh-keygen -q -t ed25519 -N "" -C hil-os-ovs-host -f "$D/hostkey"
  cp "$D/ngs_key.pub" "$D/authorized_keys"
  chmod 600 "$D/authorized_keys"
  mkdir -p /run/sshd
  PORT=$(free_port)
  cat > "$D/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $PORT
HostKey $D/hostkey
PidFile $D/run/sshd.pid
AuthorizedKeysFile $D/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
MaxSessions 50
MaxStartups 50:30:100
SetEnv OVS_RUNDIR=$D/run
CONF
  /usr/sbin/sshd -f "$D/sshd_config" -E "$D/log/sshd.log"
  for _ in $(seq 50); do
    ss -Htln "sport = :$PORT" | grep -q . && break; sleep 0.1
  done
  ss -Htln "sport = :$PORT" | grep -q . || { echo "sshd did not start" >&2; exit 1; }
  cat > "$WORKDIR/peer-ovs.env" <<ENV
HIL_OS_TEST_OVS_SSH_PORT=$PORT
HIL_OS_TEST_OVS_KEY=$D/ngs_key
HIL_OS_TEST_OVS_RUNDIR=$D/run
HIL_OS_TEST_OVS_BRIDGE=$BRIDGE
HIL_OS_TEST_OVS_NETNS=$NETNS
ENV
  echo "OVS up: bridge $BRIDGE, sshd 127.0.0.1:$PORT, netns $NETNS"
}

case $cmd in
  up) up ;;
  down) down ;;
  *) echo "usage: peer-ovs.sh up|down WORKDIR" >&2; exit 2 ;;
esac
