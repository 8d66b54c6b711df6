"""up, status and down of a lab (``hil-os lab ...``)."""

import contextlib
import fcntl
import os
import shutil
import time

from hil_os.lab import images
from hil_os.lab import nodes
from hil_os.lab import packages
from hil_os.lab import payloads
from hil_os.lab import provisioning
from hil_os.lab import register
from hil_os.lab import service
from hil_os.lab import state as lab_state
from hil_os.lab import switch
from hil_os.lab import system

DEFAULT_URL = 'http://127.0.0.1:6390'
LOCK = '/run/lock/hil-os-lab.lock'


@contextlib.contextmanager
def _machine_lock():
    """Labs starting at once take turns until their ports are bound."""
    os.makedirs(os.path.dirname(LOCK), exist_ok=True)
    with open(LOCK, 'w') as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield


def _processes(state):
    """{label: pid} of every process the lab started (0: none)."""
    found = dict(state['pids'])
    for label, path in state['pidfiles'].items():
        found[label] = system.read_pidfile(path)
    return found


def _alive(state):
    return [label for label, pid in _processes(state).items()
            if system.pid_alive(pid)]


def up(directory, count=3, url=DEFAULT_URL, install=True, linux=True,
       cache_dir=None, say=print):
    """Bring a lab up and register it in hil-os; the lab's State."""
    started = time.monotonic()
    if os.geteuid() != 0:
        raise system.LabError('hil-os lab up needs root (network '
                              'namespaces, taps, tgtd)')
    if not 1 <= count <= lab_state.MAX_NODES:
        raise system.LabError('--nodes must be 1 to %d'
                              % lab_state.MAX_NODES)
    packages.ensure(install, say=say)
    state = lab_state.State(directory)
    if state.exists():
        if _alive(state):
            raise system.LabError(
                'the lab in %s is up (%s); run "hil-os lab down" first'
                % (state.directory, ', '.join(sorted(_alive(state)))))
        teardown(state)
        shutil.rmtree(state.run_dir)
        state = lab_state.State(directory)
    state.data.update({'nodes_count': count, 'url': url.rstrip('/'),
                       'started': time.time()})
    state.save()
    try:
        with _machine_lock():
            _start_network(state, count, say)
        if service.answers(state['url']):
            say('registering into the hil-os at %s; it needs these '
                'settings:\n%s' % (state['url'],
                                   service.config_lines(state,
                                                        state['url'])))
        else:
            service.start(state, state['url'])
            say('hil-os started at %s (config %s, log %s)' % (
                state['url'], state.path_of('hil-os.conf'),
                state.path_of('hil-os.log')))
        api = register.Api(state['url'])
        try:
            register.register(api, state)
        except system.LabError as e:
            if state.get('own_hil_os'):
                raise
            raise system.LabError(
                '%s\nThe hil-os at %s needs the settings above; or give '
                '--url a free port, where the lab starts its own.'
                % (e, state['url']))
        say('registered in hil-os: switch %s, nodes %s' % (
            register.SWITCH, ', '.join(sorted(state['nodes']))))
        images.build_and_import(
            api, state, cache_dir or payloads.DEFAULT_CACHE_DIR, linux=linux,
            say=say)
    except BaseException:
        teardown(state)
        raise
    state.set('up_seconds', round(time.monotonic() - started, 1))
    say('lab up in %.1f s' % state['up_seconds'])
    return state


def _start_network(state, count, say):
    switch.start(state)
    say('switch up: OVS bridge %s in netns %s, sshd 127.0.0.1:%d' % (
        switch.BRIDGE, state.switch_ns, state['ssh_port']))
    provisioning.start(state, state['url'])
    say('provisioning network up in netns %s: dnsmasq, tgtd (control %d, '
        'portal %s:%d), boot relay to %s' % (
            state.prov_ns, state['tgt_control'], lab_state.PROV_ADDRESS,
            lab_state.PORTAL_PORT, state['url']))
    nodes.start(state, count)
    say('%d nodes with their BMCs (ipmi_sim, 127.0.0.1 UDP %s)' % (
        count, ', '.join(str(n['bmc_port'])
                         for n in state['nodes'].values())))


def status(directory, say=print):
    """Print each process, each node's power and its registration."""
    state = lab_state.State(directory)
    if not state.exists():
        say('no lab in %s' % state.directory)
        return False
    say('hil-os at %s (%s)' % (state['url'], 'started by the lab'
                               if state.get('own_hil_os') else 'external'))
    for label, pid in sorted(_processes(state).items()):
        say('%-22s %-6s %s' % (label, 'alive' if system.pid_alive(pid)
                               else 'dead', pid or '-'))
    try:
        reg = register.registered(register.Api(state['url']), state)
    except system.LabError as e:
        reg = {name: 'unknown (%s)' % e for name in state['nodes']}
    for name, node in sorted(state['nodes'].items(),
                             key=lambda item: item[1]['index']):
        say('%-8s power %-3s  BMC 127.0.0.1:%d  boot %s  data %s on port '
            '%s  registered: %s' % (
                name, nodes.power_state(node), node['bmc_port'],
                node['boot_mac'], node['data_mac'], node['data_port'],
                reg[name]))
    return True


def teardown(state):
    """Stop the lab's processes, remove its namespaces and devices.

    First those in the state file, then whatever carries the lab's tag.
    """
    processes = _processes(state)
    order = (['hil-os'] + sorted(p for p in processes if p.startswith(
        'qemu-')) + sorted(p for p in processes if p.startswith(
            'ipmi_sim-')))
    for label in order:
        system.stop_pid(processes.get(label))
    provisioning.stop_tgtd(state)
    for label, pid in processes.items():
        system.stop_pid(pid)
    namespaces = set(state['netns']) | {
        ns for ns in system.netns_list() if ns.startswith(state.tag + '-')}
    for ns in namespaces:
        for pid in system.run('ip', 'netns', 'pids', ns,
                              check=False).split():
            system.stop_pid(int(pid), grace=2)
        # Deleting the devices first: a namespace can outlive "ip netns
        # del" while orphaned TCP sockets in it retransmit.
        for link in system.links(ns):
            if link != 'lo':
                system.link_del(link, netns=ns)
        system.run('ip', 'netns', 'del', ns, check=False)
    for link in system.links():
        if link.startswith(state.tag + '-'):
            system.link_del(link)
    for pid in system.pids_referencing(state.run_dir):
        system.stop_pid(pid, grace=2)


def leftovers(state):
    """What of the lab still exists (empty when down left nothing)."""
    found = ['netns %s' % ns for ns in system.netns_list()
             if ns.startswith(state.tag + '-')]
    found += ['link %s' % link for link in system.links()
              if link.startswith(state.tag + '-')]
    found += ['process %d' % pid
              for pid in system.pids_referencing(state.run_dir)]
    socket_left = provisioning.tgt_leftover(state)
    if socket_left:
        found.append(socket_left)
    return found


def down(directory, say=print):
    """Tear the lab down; what is left over (nothing, normally)."""
    state = lab_state.State(directory)
    teardown(state)
    left = leftovers(state)
    if not left and os.path.isdir(state.run_dir):
        shutil.rmtree(state.run_dir)
    say('lab in %s is down%s' % (
        state.directory, '' if not left else '; left over: ' +
        ', '.join(left)))
    return left
