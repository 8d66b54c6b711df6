"""The lab's nodes: QEMU machines behind ipmi_sim BMCs.

Each node has two NICs, taps on the lab switch: a boot NIC on the
provisioning VLAN (set here, unknown to hil-os's switch inventory) and a
data NIC whose port hil-os manages. Its BMC is an ipmi_sim on 127.0.0.1
whose chassis control starts QEMU (TCG only: KVM here cannot run iPXE)
on power-on and kills it on power-off; Serial-over-LAN reaches QEMU's
serial port through the lab's serial hub (hil_os/lab/serialhub.py). A
node directory holds its state: ``qemu.pid`` while it runs, ``boot``
(the BMC's boot device), ``serial.log`` (everything the node printed),
``events`` (every chassis request).
"""

import json
import os
import sys

from hil_os.lab import state as lab_state
from hil_os.lab import switch
from hil_os.lab import system

BMC_PORTS = (18600, 19000)
SERIAL_PORTS = (18400, 18600)
MEMORY_MB = 256

CHASSISCTL = r'''#!/bin/bash
# chassis_control of a hil-os lab node's ipmi_sim:
#   chassisctl.sh NODEDIR get parm... | set parm val ... | check
PATH=/usr/sbin:/usr/bin:/sbin:/bin
d=$1; op=$2; shift 2
[ -f "$d/boot" ] || echo default > "$d/boot"
alive() { [ -f "$d/qemu.pid" ] && kill -0 "$(cat "$d/qemu.pid")" 2>/dev/null; }
hmp() { %(python)s - "$d/monitor.sock" "$1" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.settimeout(2); s.connect(sys.argv[1])
time.sleep(0.05); s.recv(4096); s.sendall(sys.argv[2].encode() + b"\n")
time.sleep(0.1); s.close()
PY
}
start() {
  # In the background: ipmi_sim answers nothing while this script runs,
  # and QEMU under TCG on a busy machine may take seconds to start.
  alive && return 0
  (
    flock -n 9 || exit 0
    alive && exit 0
    rm -f "$d/qemu.pid"
    %(python)s -m hil_os.lab.vmstart "$d"
  ) 9>"$d/start.lock" </dev/null >>"$d/qemu.out" 2>&1 &
}
stop() {
  (
    flock -w 30 9  # a start under way finishes first
    alive || exit 0
    pid=$(cat "$d/qemu.pid"); kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    rm -f "$d/qemu.pid"
  ) 9>"$d/start.lock"
}
case $op in
  get) for p in "$@"; do case $p in
         power) if alive; then echo "power:1"; else echo "power:0"; fi ;;
         boot) echo "boot:$(cat "$d/boot")" ;;
         *) echo "Invalid parameter: $p"; exit 1 ;;
       esac; done ;;
  set) while [ $# -gt 0 ]; do p=$1; v=$2; shift 2
         echo "$(date +%%s.%%N) set $p $v" >> "$d/events"
         case $p in
           power) if [ "$v" = 1 ]; then start; else stop; fi ;;
           reset) if alive; then hmp system_reset; fi ;;
           shutdown) if alive; then hmp system_powerdown; fi ;;
           boot) echo "$v" > "$d/boot" ;;
           identify) shift ;;
           *) echo "Invalid parameter: $p"; exit 1 ;;
         esac
       done ;;
  check) exit 1 ;;
  *) echo "Unknown operation: $op"; exit 1 ;;
esac
'''

LAN_CONF = '''name "%(name)s"
set_working_mc 0x20
  startlan 1
    addr 127.0.0.1 %(port)d
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid %(guid)s
  endlan
  chassis_control "%(chassisctl)s %(node_dir)s"
  sol "tcp:127.0.0.1:%(serial)d" 115200
  user 2 true "%(user)s" "%(password)s" admin 10 none md2 md5 straight
'''

EMU = ('mc_setbmc 0x20\n'
       'mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 '
       'persist_sdr\n'
       'sel_enable 0x20 1000 0x0a\n'
       'mc_enable 0x20\n')


def node_dir(state, index):
    return state.path_of('node%d' % index)


def start(state, count):
    """Make ``count`` nodes: taps, QEMU arguments and a BMC each."""
    chassisctl = state.path_of('chassisctl.sh')
    with open(chassisctl, 'w') as f:
        f.write(CHASSISCTL % {'python': sys.executable})
    os.chmod(chassisctl, 0o755)
    sercon = state.path_of('sercon-port.bin')
    with open(sercon, 'wb') as f:
        f.write(b'\xf8\x03')  # SeaBIOS and iPXE print on COM1 (0x3f8)
    emu = state.path_of('node.emu')
    with open(emu, 'w') as f:
        f.write(EMU)
    bmc_ports = []
    serial_ports = []
    for index in range(1, count + 1):
        name = 'node%d' % index
        d = node_dir(state, index)
        os.makedirs(os.path.join(d, 'ipmi'), exist_ok=True)
        boot_tap, data_tap = state.tap(index, 'b'), state.tap(index, 'd')
        switch.add_tap(state, boot_tap, lab_state.PROV_VLAN)
        switch.add_tap(state, data_tap, lab_state.PARKING_VLAN)
        serial = _free(system.free_tcp_port, SERIAL_PORTS, serial_ports)
        serial_ports.append(serial)
        bmc = system.free_udp_port(*BMC_PORTS, taken=bmc_ports)
        bmc_ports.append(bmc)
        args = [
            '-fw_cfg', 'name=etc/sercon-port,file=%s' % sercon,
            '-netdev', 'tap,id=boot,ifname=%s,script=no,downscript=no,'
                       'vnet_hdr=off' % boot_tap,
            '-device', 'virtio-net-pci,netdev=boot,mac=%s,addr=0x3,'
                       'bootindex=1' % lab_state.mac(index, 0),
            '-netdev', 'tap,id=data,ifname=%s,script=no,downscript=no,'
                       'vnet_hdr=off' % data_tap,
            '-device', 'virtio-net-pci,netdev=data,mac=%s,addr=0x4,'
                       'romfile=' % lab_state.mac(index, 1)]
        with open(os.path.join(d, 'vm.json'), 'w') as f:
            json.dump({'name': name, 'netns': state.switch_ns,
                       'memory': MEMORY_MB,
                       'args': args}, f, indent=1)
        with open(os.path.join(d, 'lan.conf'), 'w') as f:
            f.write(LAN_CONF % {
                'name': name, 'port': bmc, 'guid': 'a1ab%028x' % index,
                'chassisctl': chassisctl, 'node_dir': d, 'serial': serial,
                'user': lab_state.USER, 'password': lab_state.PASSWORD})
        state.data['nodes'][name] = {
            'index': index, 'bmc_port': bmc, 'serial_port': serial,
            'dir': d, 'boot_mac': lab_state.mac(index, 0),
            'data_mac': lab_state.mac(index, 1), 'boot_port': boot_tap,
            'data_port': data_tap}
        state.add_pidfile('qemu-%s' % name, os.path.join(d, 'qemu.pid'))
    state.add_pid('serialhub', system.spawn(
        [sys.executable, '-m', 'hil_os.lab.serialhub', state.run_dir],
        state.path_of('serialhub.log')))
    # ipmi_sim connects to its serial port once at start and retries only
    # every ~10 s: started before the hub listens, a BMC would miss what
    # its node prints for the first seconds (SOL stays silent).
    for name, node in state['nodes'].items():
        system.wait_for('the serial port of %s' % name, lambda: system.run(
            'ss', '-Hltn', 'sport = :%d' % node['serial_port']).strip(), 10)
    for name, node in state['nodes'].items():
        d = node['dir']
        pid = system.spawn(['ipmi_sim', '-c', os.path.join(d, 'lan.conf'),
                            '-f', emu, '-s', os.path.join(d, 'ipmi'), '-n'],
                           os.path.join(d, 'ipmi_sim.log'))
        state.add_pid('ipmi_sim-%s' % name, pid)
    for name, node in state['nodes'].items():
        system.wait_for('the BMC of %s' % name, lambda: system.run(
            'ss', '-Hlun', 'sport = :%d' % node['bmc_port']).strip(), 10)
        system.wait_for(
            'the BMC of %s to connect to its serial port' % name,
            lambda: system.run('ss', '-Htn', 'state', 'established',
                               'sport = :%d' % node['serial_port']).strip(),
            30)


def _free(find, ports, taken):
    start, end = ports
    while True:
        port = find(start, end)
        if port not in taken:
            return port
        start = port + 1


def power_state(node):
    """'on' or 'off', as the node's QEMU PID says."""
    pid = system.read_pidfile(os.path.join(node['dir'], 'qemu.pid'))
    return 'on' if system.pid_alive(pid) else 'off'
