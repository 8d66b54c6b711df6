"""100 NIC attaches on one Open vSwitch, beside naive NGS and the floor.

usage: python benchmarks/switch_bulk.py [--nics 100] [--naive 10]

Uses the OVS peer of the tests (tests/lab/peer-ovs.sh; its variables from
WORKDIR/peer-ovs.env in the environment) or starts one in a scratch
directory. Three figures, all for the same port changes:

1. hil-os: N attaches through the API (the WSGI app in this process, a
   threaded conductor, SQLite), timed from the first request until every
   action succeeded (read back and verified).
2. naive NGS: one NGS device operation per SSH connection (no reuse, NGS
   defaults otherwise), as an ML2-style caller would do it; measured on
   --naive ports and scaled to N.
3. floor: the same ovs-vsctl commands, one per port, written to one shell
   over one SSH session, with no verification and no read-back.
Everything prints to stdout.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY = 'x9FiV0rL2uFn3zPjXG0Df6oKQYVd3BgmNQtiq8EEHgA='


def peer():
    """The OVS peer's variables, starting one if none is given."""
    if 'HIL_OS_TEST_OVS_SSH_PORT' not in os.environ:
        workdir = tempfile.mkdtemp(prefix='hil-os-bench-')
        script = os.path.join(TOP, 'tests', 'lab', 'peer-ovs.sh')
        subprocess.run([script, 'up', workdir], check=True,
                       stdout=subprocess.DEVNULL)
        import atexit
        atexit.register(shutil.rmtree, workdir, True)
        atexit.register(subprocess.run, [script, 'down', workdir])
        with open(os.path.join(workdir, 'peer-ovs.env')) as f:
            for line in f:
                name, _, value = line.strip().partition('=')
                os.environ[name] = value
    return {k[len('HIL_OS_TEST_OVS_'):].lower(): v
            for k, v in os.environ.items()
            if k.startswith('HIL_OS_TEST_OVS_')}


def vsctl(ovs, *args):
    return subprocess.run(('ovs-vsctl',) + args, check=True,
                          capture_output=True, text=True,
                          env=dict(os.environ, OVS_RUNDIR=ovs['rundir'])
                          ).stdout


def make_ports(ovs, prefix, count):
    names = ['%s%d' % (prefix, i) for i in range(count)]
    args = []
    for name in names:
        args += ['--', 'add-port', ovs['bridge'], name, '--', 'set',
                 'interface', name, 'type=internal']
    vsctl(ovs, *args)
    return names


def drop_ports(ovs, names):
    args = []
    for name in names:
        args += ['--', '--if-exists', 'del-port', ovs['bridge'], name]
    vsctl(ovs, *args)


def bench_hil_os(ovs, ports):
    """Seconds from the first attach request to the last verified one."""
    import webtest

    from hil_os.api import app as api_app
    from hil_os.common import rpc
    from hil_os.common import secrets
    from hil_os.conductor import manager
    from hil_os.conductor import rpcapi
    from hil_os import conf
    from hil_os.conf import network
    from hil_os.db import api as dbapi
    from hil_os.db import migration

    CONF = conf.CONF
    rpc.set_defaults()
    state = tempfile.mkdtemp(prefix='hil-os-bench-db-')
    CONF([], project='hil-os', default_config_files=[])
    CONF.set_override('key', KEY, 'secrets')
    CONF.set_override('auth_strategy', 'noauth', 'api')
    CONF.set_override('enabled_drivers', ['ngs'], 'switch')
    CONF.set_override('sync_interval', 0.2, 'conductor')
    url = 'sqlite:///%s/bench.sqlite' % state
    CONF.set_override('connection', url, 'database')
    dbapi.configure(url)
    migration.upgrade()
    dbapi.vlan_pool_sync(network.vlan_ids(CONF))
    conductor = manager.ConductorManager(hostname='bench')
    conductor.start(rpc_server=False)
    app = webtest.TestApp(api_app.setup_app(
        rpcapi.LocalConductorAPI(conductor)))
    admin = {'X-Project-Id': 'admin', 'X-Roles': 'admin,member,reader'}
    member = {'X-Project-Id': 'bench', 'X-Roles': 'member,reader'}
    switch = app.post_json('/v1/switches', {
        'name': 'bench-ovs', 'driver': 'ngs',
        'device_type': 'netmiko_ovs_linux', 'address': '127.0.0.1',
        'ssh_port': int(ovs['ssh_port']), 'username': 'root',
        'options': {'key_file': ovs['key'], 'use_keys': True,
                    'ngs_ovs_bridge': ovs['bridge']}}, headers=admin).json
    nics = []
    for i, port in enumerate(ports):
        switch_row = dbapi.switch_get(switch['uuid'])
        port_row = dbapi.port_create(switch_row.id, port)
        node = dbapi.node_create({'name': 'bench-%d' % i,
                                  'bmc_driver': 'fake',
                                  'bmc_password': secrets.encrypt('x')})
        nic = dbapi.nic_create(node.id, {
            'name': 'eth0',
            'mac': '52:54:03:00:%02x:%02x' % (i >> 8, i & 255),
            'port_id': port_row.id})
        dbapi.node_assign(node.id, 'bench')
        nics.append((node.uuid, nic.uuid))
    net = app.post_json('/v1/networks', {'name': 'bench-net'},
                        headers=member).json
    _wait(dbapi, conductor, lambda: all(
        p.sync_state == 'in_sync' for p in dbapi.port_list(
            dbapi.switch_get(switch['uuid']).id, limit=10000)))
    start = time.monotonic()
    actions = [app.post_json('/v1/nodes/%s/nics/%s/attachments' % nic,
                             {'network': net['uuid']}, headers=member,
                             status=202).json['uuid'] for nic in nics]
    posted = time.monotonic() - start
    _wait(dbapi, conductor, lambda: all(
        dbapi.action_get(a).status == 'succeeded' for a in actions))
    elapsed = time.monotonic() - start
    tags = vsctl(ovs, '--format=csv', '--no-headings', '--columns=tag',
                 'list', 'port', *ports).split()
    assert tags == [str(net['vlan'])] * len(ports), tags
    conductor.stop()
    return elapsed, posted


def _wait(dbapi, conductor, done, timeout=600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done():
            return
        time.sleep(0.05)
    raise RuntimeError('timed out')


def bench_naive_ngs(ovs, ports, vlan):
    """Seconds for one NGS plug per port, each on a fresh connection."""
    import atexit

    from networking_generic_switch import batching
    from networking_generic_switch import devices
    atexit.unregister(batching._wait_for_threads)
    start = time.monotonic()
    for port in ports:
        device = devices.device_manager({
            'device_type': 'netmiko_ovs_linux', 'ip': '127.0.0.1',
            'port': ovs['ssh_port'], 'username': 'root',
            'key_file': ovs['key'], 'use_keys': 'true',
            'ngs_ovs_bridge': ovs['bridge']}, 'naive')
        device.plug_port_to_network(port, vlan)
    return time.monotonic() - start


def bench_floor(ovs, ports, vlan):
    """Seconds for the same commands over one SSH session kept open."""
    import paramiko
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect('127.0.0.1', port=int(ovs['ssh_port']), username='root',
                   key_filename=ovs['key'], allow_agent=False,
                   look_for_keys=False)
    start = time.monotonic()
    stdin, stdout, _stderr = client.exec_command('sh -s')
    for port in ports:
        stdin.write('ovs-vsctl set port %s vlan_mode=access tag=%d -- '
                    'clear port %s trunks\n' % (port, vlan, port))
    stdin.channel.shutdown_write()
    stdout.channel.recv_exit_status()
    elapsed = time.monotonic() - start
    client.close()
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--nics', type=int, default=100)
    parser.add_argument('--naive', type=int, default=10,
                        help='ports measured for naive NGS (scaled to N)')
    args = parser.parse_args()
    sys.path.insert(0, TOP)
    ovs = peer()
    tag = uuid.uuid4().hex[:4]
    ports = make_ports(ovs, 'b%s' % tag, args.nics)
    try:
        hil, posted = bench_hil_os(ovs, ports)
        naive = bench_naive_ngs(ovs, ports[:args.naive], 1234)
        naive_scaled = naive * args.nics / args.naive
        floor = bench_floor(ovs, ports, 1235)
    finally:
        drop_ports(ovs, ports)
    n = args.nics
    print('switch_bulk: %d NIC attaches on one Open vSwitch (userspace, '
          'behind sshd on 127.0.0.1)' % n)
    print('  hil-os API -> all actions succeeded : %7.2f s  (%.1f ms/NIC; '
          'requests took %.2f s; read back and verified)' %
          (hil, 1000 * hil / n, posted))
    print('  naive NGS, one op per connection    : %7.2f s  (%.1f ms/NIC; '
          'measured on %d ports: %.2f s)' %
          (naive_scaled, 1000 * naive_scaled / n, args.naive, naive))
    print('  floor, one reused SSH session       : %7.2f s  (%.1f ms/NIC; '
          'no verification)' % (floor, 1000 * floor / n))
    print('  ratios: naive/hil-os = %.1fx, hil-os/floor = %.1fx' %
          (naive_scaled / hil, hil / floor))


if __name__ == '__main__':
    main()
