"""The lab's switch: userspace Open vSwitch behind a private sshd.

ovsdb-server keeps a private database and run directory; ovs-vswitchd
runs in the lab's switch namespace, where the node taps and the
provisioning veth live, so its devices never meet the machine's. hil-os
drives it like a real switch: NGS ``netmiko_ovs_linux`` over SSH (key
authentication, 127.0.0.1 only).
"""

import os

from hil_os.lab import system

BRIDGE = 'br0'
SSH_PORTS = (22100, 22200)


def _env(state):
    return dict(os.environ, OVS_RUNDIR=state.path_of('ovs'),
                OVS_LOGDIR=state.path_of('ovs'),
                OVS_DBDIR=state.path_of('ovs'))


def vsctl(state, *args, timeout=30):
    """ovs-vsctl against the lab's database."""
    return system.run('ovs-vsctl', '--timeout=%d' % timeout, *args,
                      env=_env(state), timeout=timeout + 5).strip()


def start(state):
    """Start OVS (bridge br0, netdev datapath) and its sshd."""
    d = state.path_of('ovs')
    os.makedirs(d, exist_ok=True)
    env = _env(state)
    db = os.path.join(d, 'conf.db')
    system.run('ovsdb-tool', 'create', db,
               '/usr/share/openvswitch/vswitch.ovsschema', env=env)
    state.add_pidfile('ovsdb-server', os.path.join(d, 'ovsdb-server.pid'))
    system.run('ovsdb-server', db, '--remote=punix:%s/db.sock' % d,
               '--pidfile=%s/ovsdb-server.pid' % d, '--detach',
               '--log-file=%s/ovsdb-server.log' % d, env=env)
    vsctl(state, '--no-wait', 'init')
    system.netns_add(state.switch_ns)
    state.add_netns(state.switch_ns)
    state.add_pidfile('ovs-vswitchd', os.path.join(d, 'ovs-vswitchd.pid'))
    system.run('ovs-vswitchd', 'unix:%s/db.sock' % d,
               '--pidfile=%s/ovs-vswitchd.pid' % d, '--detach',
               '-vconsole:off', '--log-file=%s/ovs-vswitchd.log' % d,
               netns=state.switch_ns, env=env)
    vsctl(state, 'add-br', BRIDGE, '--', 'set', 'bridge', BRIDGE,
          'datapath_type=netdev')
    # A bridge without a datapath is "created" too: check this one works.
    vsctl(state, 'add-port', BRIDGE, 'probe', '--', 'set', 'interface',
          'probe', 'type=internal')
    if int(vsctl(state, 'get', 'interface', 'probe', 'ofport')) <= 0:
        raise system.LabError('the OVS bridge has no datapath; see %s'
                              % os.path.join(d, 'ovs-vswitchd.log'))
    vsctl(state, 'del-port', BRIDGE, 'probe')
    _start_sshd(state, d)


def _start_sshd(state, d):
    for name in ('ngs_key', 'hostkey'):
        if not os.path.exists(os.path.join(d, name)):
            system.run('ssh-keygen', '-q', '-t', 'ed25519', '-N', '',
                       '-C', 'hil-os-lab', '-f', os.path.join(d, name))
    with open(os.path.join(d, 'ngs_key.pub')) as src:
        key = src.read()
    with open(os.path.join(d, 'authorized_keys'), 'w') as dst:
        dst.write(key)
    os.chmod(os.path.join(d, 'authorized_keys'), 0o600)
    os.makedirs('/run/sshd', exist_ok=True)
    port = system.free_tcp_port(*SSH_PORTS)
    with open(os.path.join(d, 'sshd_config'), 'w') as f:
        f.write('\n'.join([
            'ListenAddress 127.0.0.1', 'Port %d' % port,
            'HostKey %s/hostkey' % d, 'PidFile %s/sshd.pid' % d,
            'AuthorizedKeysFile %s/authorized_keys' % d,
            'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
            'PermitRootLogin prohibit-password', 'StrictModes no',
            'UsePAM no', 'MaxSessions 50', 'MaxStartups 50:30:100',
            'SetEnv OVS_RUNDIR=%s' % d, '']))
    state.add_pidfile('sshd', os.path.join(d, 'sshd.pid'))
    system.run(system.which('sshd') or '/usr/sbin/sshd', '-f',
               os.path.join(d, 'sshd_config'), '-E',
               os.path.join(d, 'sshd.log'))
    system.wait_for('sshd on 127.0.0.1:%d' % port, lambda: system.run(
        'ss', '-Htln', 'sport = :%d' % port).strip(), 10)
    state.set('ssh_port', port)


def add_tap(state, name, vlan):
    """A persistent tap in the switch namespace, an access port of br0."""
    ns = state.switch_ns
    if name not in system.links(ns):
        system.run('ip', 'tuntap', 'add', 'dev', name, 'mode', 'tap',
                   netns=ns)
    system.run('ip', 'link', 'set', name, 'up', netns=ns)
    vsctl(state, '--may-exist', 'add-port', BRIDGE, name, 'tag=%d' % vlan)


def add_host(state, netns, name, vlan, address, address6=None):
    """A veth "host" in ``netns`` (its eth0) on an access port of br0."""
    ns = state.switch_ns
    system.link_del(name, netns=ns)
    system.run('ip', 'link', 'add', name, 'type', 'veth', 'peer', 'name',
               'eth0', 'netns', netns, netns=ns)
    system.run('ip', 'link', 'set', name, 'up', netns=ns)
    if address6:
        system.run('sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=0',
                   'net.ipv6.conf.eth0.disable_ipv6=0', netns=netns)
        system.run('ip', '-6', 'addr', 'add', address6 + '/64', 'dev',
                   'eth0', 'nodad', netns=netns)
    system.run('ip', 'addr', 'add', address + '/24', 'dev', 'eth0',
               netns=netns)
    system.run('ip', 'link', 'set', 'eth0', 'up', netns=netns)
    # Userspace OVS forwards partial checksums as they are: TCP from a
    # veth would arrive with bad checksums.
    system.run('ethtool', '-K', 'eth0', 'tx', 'off', netns=netns)
    vsctl(state, '--may-exist', 'add-port', BRIDGE, name, 'tag=%d' % vlan)


def port_vlans(state, name):
    """(vlan_mode, tag, trunks) of a port, read from OVSDB."""
    mode, tag, trunks = vsctl(
        state, '--format=csv', '--data=bare', '--no-headings',
        '--columns=vlan_mode,tag,trunks', 'list', 'port', name).split(',')
    return (mode or None, int(tag) if tag else None,
            sorted(int(v) for v in trunks.split()) if trunks else [])


def ngs_body(state, name):
    """The POST /v1/switches body registering this switch in hil-os."""
    return {'name': name, 'driver': 'ngs',
            'device_type': 'netmiko_ovs_linux', 'address': '127.0.0.1',
            'ssh_port': state['ssh_port'], 'username': 'root',
            'options': {'key_file': state.path_of('ovs', 'ngs_key'),
                        'use_keys': True, 'ngs_ovs_bridge': BRIDGE}}
