"""The provisioning network: dnsmasq, tgtd and the boot relay.

They live in the lab's provisioning namespace, whose eth0 is an access
port of the provisioning VLAN that every boot NIC is on. dnsmasq answers
DHCP (and sends IPv6 router advertisements: without them iPXE waits 13 s
for autoconfiguration) and serves one iPXE script over TFTP that chains
to hil-os's ``/v1/boot/${net0/mac}`` through the relay. tgtd's portal is
on this network; hil-os controls it through its own control socket.
"""

import os
import socket
import sys

from hil_os.lab import state as lab_state
from hil_os.lab import switch
from hil_os.lab import system

TGT_CONTROL = (14100, 14200)

CHAIN = '''#!ipxe
echo hil-lab: asking hil-os how to boot ${net0/mac}
chain http://%s:%d/v1/boot/${net0/mac} || goto failed
:failed
echo hil-lab: no boot script from hil-os
exit 1
'''


def start(state, hil_url):
    ns = state.prov_ns
    system.netns_add(ns)
    state.add_netns(ns)
    switch.add_host(state, ns, state.name('pv'), lab_state.PROV_VLAN,
                    lab_state.PROV_ADDRESS, lab_state.PROV_ADDRESS6)
    start_tgtd(state)
    start_dnsmasq(state)
    start_relay(state, hil_url)


def _tgt_socket(port):
    """The control socket tgtd -C ``port`` makes (and leaves behind)."""
    return '/var/run/tgtd/socket.%d' % port


def _tgt_free(port):
    return not os.path.exists(_tgt_socket(port))


def tgt_leftover(state):
    """The lab's tgtd control socket if it is still there, else None.

    A socket someone listens on while this lab's tgtd is gone is another
    lab's: a crashed lab's stale file is swept and its number reused.
    """
    control = state.get('tgt_control')
    path = _tgt_socket(control) if control else None
    if path and os.path.exists(path) and (
            system.pid_alive(state['pids'].get('tgtd')) or
            not _listening(path)):
        return path
    return None


def tgtadm(state, *args, check=True):
    return system.run('tgtadm', '-C', state['tgt_control'], *args,
                      check=check, timeout=30)


def start_tgtd(state, control=None):
    """Start tgtd on ``control`` (tgtd's -C), or on a free one."""
    control = control or next(
        (p for p in range(*TGT_CONTROL) if _tgt_free(p)), None)
    if control is None:
        raise system.LabError('no free tgtd control port in %d-%d'
                              % TGT_CONTROL)
    state.set('tgt_control', control)
    pid = system.spawn(
        ['tgtd', '-f', '-C', control, '--iscsi', 'portal=%s:%d' % (
            lab_state.PROV_ADDRESS, lab_state.PORTAL_PORT)],
        state.path_of('tgtd.log'), netns=state.prov_ns)
    state.add_pid('tgtd', pid)
    system.wait_for('tgtd', lambda: (
        _tgt_answers(state) or not system.pid_alive(pid)), 10)
    if not system.pid_alive(pid):
        raise system.LabError('tgtd exited; see %s'
                              % state.path_of('tgtd.log'))


def restart_tgtd(state):
    """Stop tgtd and start it again empty, as a crash and restart would."""
    control = state['tgt_control']
    stop_tgtd(state)
    start_tgtd(state, control)


def _tgt_answers(state):
    try:
        tgtadm(state, '--lld', 'iscsi', '--op', 'show', '--mode', 'target')
        return True
    except system.LabError:
        return False


def stop_tgtd(state):
    """tgtd ignores SIGTERM: delete its targets, then the system."""
    control = state.get('tgt_control')
    pid = state['pids'].get('tgtd')
    if control and system.pid_alive(pid):
        tgtadm(state, '--op', 'update', '--mode', 'sys', '--name', 'State',
               '-v', 'offline', check=False)
        out = tgtadm(state, '--lld', 'iscsi', '--op', 'show', '--mode',
                     'target', check=False)
        for line in out.splitlines():
            if line.startswith('Target '):
                tid = line.split()[1].rstrip(':')
                tgtadm(state, '--lld', 'iscsi', '--op', 'delete', '--force',
                       '--mode', 'target', '--tid', tid, check=False)
        tgtadm(state, '--op', 'delete', '--mode', 'system', check=False)
        try:
            system.wait_for('tgtd to exit',
                            lambda: not system.pid_alive(pid), 3)
        except system.LabError:
            pass
    system.stop_pid(pid, grace=0.5)
    # tgtd leaves its control socket behind; so does one killed in a
    # crash, when the state file may not know its number.
    for port in range(*TGT_CONTROL):
        path = _tgt_socket(port)
        if (port == control or os.path.exists(path)) and not _listening(
                path):
            for stale in (path, path + '.lock'):
                if os.path.exists(stale):
                    os.unlink(stale)


def _listening(path):
    """Whether a live process listens on the unix socket ``path``."""
    with socket.socket(socket.AF_UNIX) as s:
        try:
            s.connect(path)
            return True
        except OSError:
            return False


def start_dnsmasq(state):
    tftp = state.path_of('tftp')
    os.makedirs(tftp, exist_ok=True)
    with open(os.path.join(tftp, 'boot.ipxe'), 'w') as f:
        f.write(CHAIN % (lab_state.PROV_ADDRESS, lab_state.RELAY_PORT))
    net = lab_state.PROV_NET
    # As root: the lab directory may be closed to dnsmasq's usual nobody.
    argv = ['dnsmasq', '--keep-in-foreground', '--conf-file=/dev/null',
            '--user=root',
            '--port=0', '--interface=eth0', '--bind-interfaces',
            '--log-dhcp', '--log-facility=%s' % state.path_of('dnsmasq.log'),
            '--dhcp-range=%s.100,%s.199,255.255.255.0,1h' % (net, net),
            '--dhcp-leasefile=%s' % state.path_of('dnsmasq.leases'),
            '--enable-ra',
            '--dhcp-range=%s,ra-only,64' % (
                lab_state.PROV_ADDRESS6.rsplit('::', 1)[0] + '::'),
            '--enable-tftp', '--tftp-root=%s' % tftp,
            '--dhcp-userclass=set:ipxe,iPXE',
            '--dhcp-boot=tag:ipxe,boot.ipxe',
            '--pid-file=%s' % state.path_of('dnsmasq.pid')]
    for index in range(1, state['nodes_count'] + 1):
        argv.append('--dhcp-host=%s,%s.%d' % (
            lab_state.mac(index, 0), net, 100 + index))
    pid = system.spawn(argv, state.path_of('dnsmasq.out'),
                       netns=state.prov_ns)
    state.add_pid('dnsmasq', pid)


def start_relay(state, hil_url):
    pid = system.spawn(
        [sys.executable, '-m', 'hil_os.lab.relay', '--netns', state.prov_ns,
         '--listen', '%s:%d' % (lab_state.PROV_ADDRESS,
                                lab_state.RELAY_PORT),
         '--to', hil_url, '--pidfile', state.path_of('relay.pid')],
        state.path_of('relay.log'))
    state.add_pid('relay', pid)
    system.wait_for('the boot relay', lambda: system.run(
        'ss', '-Htln', 'sport = :%d' % lab_state.RELAY_PORT,
        netns=state.prov_ns).strip() or not system.pid_alive(pid), 10)
    if not system.pid_alive(pid):
        raise system.LabError('the boot relay exited; see %s'
                              % state.path_of('relay.log'))
