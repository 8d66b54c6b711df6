"""A lease of N nodes on one Open vSwitch starts, then expires.

usage: python benchmarks/lease_expiry.py [--nodes 50] [--database URL]

Each node has a fake BMC and one NIC on its own port of the OVS peer of
the tests (tests/lab/peer-ovs.sh; started in a scratch directory unless
its variables are in the environment), attached to a network of the
project. A threaded conductor (in this process, SQLite unless --database
names MariaDB or PostgreSQL) runs the lease engine on the real clock.
Figures, all printed to stdout:

1. start: from the lease's start until every node is held by the project;
2. hand-back: from the lease's end until the lease is expired with every
   node back in the free pool: powered off, its port parked and read back
   from the switch, console revoked (the hand-back's steps);
3. the sweep interval bounds the delay before each phase begins
   ([conductor] sync_interval, 0.2 s here).
"""

import argparse
import atexit
import datetime
import os
import shutil
import sys
import tempfile
import time
import uuid

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, 'benchmarks'))
sys.path.insert(0, TOP)

import switch_bulk  # noqa: E402

KEY = switch_bulk.KEY


def _wait(done, timeout=900):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done():
            return
        time.sleep(0.05)
    raise RuntimeError('timed out')


def bench(ovs, ports, database, node_workers):
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
    CONF([], project='hil-os', default_config_files=[])
    CONF.set_override('key', KEY, 'secrets')
    CONF.set_override('auth_strategy', 'noauth', 'api')
    CONF.set_override('enabled_drivers', ['ngs'], 'switch')
    CONF.set_override('sync_interval', 0.2, 'conductor')
    CONF.set_override('node_workers', node_workers, 'conductor')
    CONF.set_override('handback_poll_interval', 0.05, 'lease')
    CONF.set_override('poll_interval', 0.01, 'power')
    url = database
    if not url:
        workdir = tempfile.mkdtemp(prefix='hil-os-bench-db-')
        atexit.register(shutil.rmtree, workdir, True)
        url = 'sqlite:///%s/bench.sqlite' % workdir
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
    tag = uuid.uuid4().hex[:6]
    switch = app.post_json('/v1/switches', {
        'name': 'bench-ovs-%s' % tag, 'driver': 'ngs',
        'device_type': 'netmiko_ovs_linux', 'address': '127.0.0.1',
        'ssh_port': int(ovs['ssh_port']), 'username': 'root',
        'options': {'key_file': ovs['key'], 'use_keys': True,
                    'ngs_ovs_bridge': ovs['bridge']}}, headers=admin).json
    switch_row = dbapi.switch_get(switch['uuid'])
    nics = []
    for i, port in enumerate(ports):
        port_row = dbapi.port_create(switch_row.id, port)
        node = dbapi.node_create({'name': 'bench-%s-%d' % (tag, i),
                                  'bmc_driver': 'fake', 'bmc_port': 40000 + i,
                                  'bmc_address': '127.0.0.1',
                                  'bmc_password': secrets.encrypt('x')})
        nic = dbapi.nic_create(node.id, {
            'name': 'eth0',
            'mac': '52:54:04:00:%02x:%02x' % (i >> 8, i & 255),
            'port_id': port_row.id})
        nics.append((node.uuid, nic.uuid))
    _wait(lambda: all(p.sync_state == 'in_sync' for p in dbapi.port_list(
        switch_row.id, limit=10000)))

    start = datetime.datetime.utcnow()
    lease = app.post_json('/v1/leases', {
        'project_id': 'bench', 'count': len(ports),
        'filter': {'name': 'bench-%s-*' % tag},
        'end': (start + datetime.timedelta(hours=1)).isoformat() + 'Z'},
        headers=admin).json
    t0 = time.monotonic()
    _wait(lambda: dbapi.lease_get(lease['uuid']).state == 'active')
    started = time.monotonic() - t0
    net = app.post_json('/v1/networks', {'name': 'bench-net-%s' % tag},
                        headers=member).json
    actions = [app.post_json('/v1/nodes/%s/nics/%s/attachments' % nic,
                             {'network': net['uuid']}, headers=member,
                             status=202).json['uuid'] for nic in nics]
    _wait(lambda: all(dbapi.action_get(a).status == 'succeeded'
                      for a in actions))
    for node_uuid, _nic in nics:
        app.put_json('/v1/nodes/%s/power' % node_uuid, {'target': 'on'},
                     headers=member, status=202)

    app.patch_json('/v1/leases/%s' % lease['uuid'],
                   {'end': datetime.datetime.utcnow().isoformat() + 'Z'},
                   headers=member)
    t0 = time.monotonic()
    _wait(lambda: dbapi.lease_get(lease['uuid']).message.endswith(
        'back in the free pool.'))
    handed_back = time.monotonic() - t0
    tags = switch_bulk.vsctl(ovs, '--format=csv', '--no-headings',
                             '--columns=tag', 'list', 'port',
                             *ports).split()
    assert tags == ['4000'] * len(ports), tags
    assert all(dbapi.node_get(n).state == 'free' for n, _ in nics)
    conductor.stop()
    return started, handed_back, url.split(':', 1)[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--nodes', type=int, default=50)
    parser.add_argument('--node-workers', type=int, default=8,
                        help='[conductor] node_workers: hand-backs run at '
                             'once')
    parser.add_argument('--database', help='a MariaDB or PostgreSQL URL '
                                           '(default: a new SQLite file)')
    args = parser.parse_args()
    ovs = switch_bulk.peer()
    ports = switch_bulk.make_ports(ovs, 'l%s' % uuid.uuid4().hex[:4],
                                   args.nodes)
    try:
        started, handed_back, engine = bench(ovs, ports, args.database,
                                             args.node_workers)
    finally:
        switch_bulk.drop_ports(ovs, ports)
    n = args.nodes
    print('lease_expiry: one lease of %d nodes (fake BMCs, one NIC each on '
          'a real Open vSwitch over SSH; %s; %d node workers)' % (
              n, engine, args.node_workers))
    print('  start: all nodes held      : %6.2f s' % started)
    print('  end: all nodes handed back : %6.2f s  (%.1f ms/node: powered '
          'off, port parked and read back, console revoked)' %
          (handed_back, 1000 * handed_back / n))


if __name__ == '__main__':
    main()
