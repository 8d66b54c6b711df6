"""The isolation invariant under random API operations and crashes.

Random sequences of API operations (networks created and deleted, shared
and unshared, NICs attached and detached, nodes handed back and given to
other projects) interleave with conductor passes and conductor crashes
(mid-apply, after a random part of the ports were configured, or
mid-recording). The state read back from the real Open vSwitch must obey
DESIGN.md 3 at all times, and match the database exactly once converged:

  a port carries VLAN V only if the NIC on it belongs to a node of project
  P and P owns or may use the network backed by V; a port with nothing
  attached is parked; no trunk carries every VLAN.

HIL_OS_PROPERTY_SEQUENCES sets the number of sequences per test (CI runs
two tests of 150, about 1-2 s a sequence; a soak run sets thousands).
"""

import json
import os
import random
import uuid

import fixtures
import webtest

from hil_os.api import app as api_app
from hil_os.common import states
from hil_os.db import api as dbapi
from hil_os.drivers.switch import ngs
from tests import base
from tests.integration import switch_api
from tests.integration import switch_peers

PROJECTS = ('project-a', 'project-b', 'project-c')
NODES = 5
PARKING = 4000


class Crash(BaseException):
    """A conductor dying: nothing in hil-os catches it."""


class DeferredConductor:
    """Kicks are dropped: the test decides when a conductor runs."""

    def kick(self, ctx, port_id=None):
        pass

    def audit_switch(self, ctx, switch_id):
        raise AssertionError('not used')


def member(project):
    return base.identity(project, 'member', 'reader')


class IsolationProperty(switch_api.SwitchApiTestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.Timeout(900, gentle=True))
        self.ovs = switch_peers.Ovs(self)
        # The API must not run the conductor inline: kicks are dropped.
        self.app = webtest.TestApp(api_app.setup_app(DeferredConductor()))
        self.switch = self.register_switch(self.ovs.switch_body())
        self.nodes = []
        for _ in range(NODES):
            port = self.ovs.add_port()
            node, nic = self.cabled_node(self.switch, port, project=None)
            self.nodes.append((node, nic, port))
        self.manager = self.conductor.manager
        self.converge()

    # The API, as projects and the admin use it.

    def call(self, method, path, body=None, headers=base.ADMIN):
        resp = self.request(method, path, body, headers=headers)
        self.assertLess(resp.status_int, 500, '%s %s: %s' % (
            method, path, resp.text))
        return resp

    def op_create_network(self, rng):
        project = rng.choice(PROJECTS)
        self.call('post', '/v1/networks', {'name': 'n-%s' % uuid.uuid4().hex[
            :8]}, headers=member(project))

    def _networks(self):
        return self.call('get', '/v1/networks?limit=1000').json['networks']

    def op_delete_network(self, rng):
        nets = self._networks()
        if nets:
            net = rng.choice(nets)
            self.call('delete', '/v1/networks/%s' % net['uuid'],
                      headers=member(net['project_id']))

    def op_grant(self, rng):
        nets = self._networks()
        if nets:
            net = rng.choice(nets)
            self.call('put', '/v1/networks/%s/access/%s' % (
                net['uuid'], rng.choice(PROJECTS)),
                headers=member(net['project_id']))

    def op_revoke(self, rng):
        nets = self._networks()
        if nets:
            net = rng.choice(nets)
            self.call('delete', '/v1/networks/%s/access/%s' % (
                net['uuid'], rng.choice(PROJECTS)),
                headers=member(net['project_id']))

    def _held(self, rng):
        node, nic, _port = rng.choice(self.nodes)
        row = dbapi.node_get(node['uuid'])
        return row, nic

    def op_attach(self, rng):
        node, nic = self._held(rng)
        project = node.project_id or rng.choice(PROJECTS)
        visible = self.call('get', '/v1/networks',
                            headers=member(project)).json['networks']
        if visible:
            self.call('post', '/v1/nodes/%s/nics/%s/attachments' % (
                node.uuid, nic['uuid']), {
                'network': rng.choice(visible)['uuid'],
                'channel': rng.choice(states.CHANNELS)},
                headers=member(project))

    def op_detach(self, rng):
        node, nic = self._held(rng)
        if node.project_id is None:
            return
        attachments = self.call(
            'get', '/v1/nodes/%s/nics/%s/attachments' % (node.uuid,
                                                         nic['uuid']),
            headers=member(node.project_id)).json['attachments']
        if attachments:
            self.call('delete', '/v1/nodes/%s/nics/%s/attachments/%s' % (
                node.uuid, nic['uuid'],
                rng.choice(attachments)['network_uuid']),
                headers=member(node.project_id))

    def op_release(self, rng):
        node, _nic = self._held(rng)
        self.call('delete', '/v1/nodes/%s/project' % node.uuid)

    def op_assign(self, rng):
        node, _nic = self._held(rng)
        self.call('put', '/v1/nodes/%s/project' % node.uuid,
                  {'project_id': rng.choice(PROJECTS)})

    def op_conductor(self, rng):
        self.manager.sweep()

    def op_crash(self, rng):
        """A conductor pass that dies mid-apply or mid-recording."""
        real_apply = ngs.NgsSwitchDriver.apply
        real_record = dbapi.port_sync_succeeded
        where = rng.choice(('apply', 'record'))

        def partial_apply(driver, configs):
            names = sorted(configs)
            done = rng.randint(0, len(names))
            real_apply(driver, {n: configs[n] for n in names[:done]})
            raise Crash()

        recorded = []

        def crashing_record(*args, **kwargs):
            if recorded and rng.random() < 0.5:
                raise Crash()
            recorded.append(args)
            return real_record(*args, **kwargs)

        if where == 'apply':
            self.patch(ngs.NgsSwitchDriver, 'apply', partial_apply)
        else:
            self.patch(dbapi, 'port_sync_succeeded', crashing_record)
        try:
            self.manager.switches.reconcile(self.switch_id())
        except Crash:
            pass
        finally:
            ngs.NgsSwitchDriver.apply = real_apply
            dbapi.port_sync_succeeded = real_record
        # The conductor starts again: it drops the claims of its past life.
        dbapi.switch_release_all(self.manager.hostname)
        self.check_invariant(strict=False)

    def switch_id(self):
        return dbapi.switch_get(self.switch['uuid']).id

    def converge(self):
        for _ in range(20):
            self.manager.sweep()
            ports = dbapi.port_list(self.switch_id())
            if all(p.sync_state == states.IN_SYNC for p in ports) and \
                    not dbapi.nodes_releasing():
                return
        self.fail('no convergence: %s' % [(p.name, p.sync_state,
                                           p.last_error) for p in ports])

    # The invariant, from the switch's point of view.

    def carried(self):
        """{port: set of VLANs it carries (None: every VLAN)} from OVSDB."""
        table = json.loads(self.ovs.vsctl(
            '--format=json', '--columns=name,tag,trunks,vlan_mode', 'list',
            'port'))
        result = {}
        for name, tag, trunks, mode in table['data']:
            def values(v):
                return v[1] if isinstance(v, list) and v[0] == 'set' \
                    else [v]
            tag, trunks, mode = values(tag), values(trunks), values(mode)
            if mode == ['access']:
                result[name] = set(tag)
            elif not trunks:
                result[name] = None
            else:
                result[name] = set(tag) | set(trunks)
        return result

    def allowed(self, include_detaching):
        """{port: VLANs the DB lets it carry} per DESIGN.md 3."""
        allowed = {}
        for node, nic, port in self.nodes:
            row = dbapi.node_get(node['uuid'])
            vlans = {PARKING}
            if row.project_id is not None:
                for a in dbapi.attachment_list(nic_id=dbapi.nic_get(
                        row.id, nic['uuid']).id):
                    if a.status == states.DETACHING and not \
                            include_detaching:
                        continue
                    net = dbapi.network_get(a.network_uuid)
                    usable = (net.project_id == row.project_id or
                              row.project_id in {
                                  x.project_id for x in
                                  dbapi.access_list(net.id)})
                    if usable or (include_detaching and
                                  a.status == states.DETACHING):
                        vlans.add(a.vlan)
            allowed[port] = vlans
        return allowed

    def check_invariant(self, strict):
        carried = self.carried()
        allowed = self.allowed(include_detaching=not strict)
        for _node, _nic, port in self.nodes:
            self.assertIsNotNone(carried[port],
                                 'port %s carries every VLAN' % port)
            self.assertLessEqual(carried[port], allowed[port],
                                 'port %s carries VLANs its NIC may not '
                                 'use' % port)
            if strict:
                self.assertEqual(allowed[port], carried[port] | {PARKING},
                                 'port %s does not hold its attachments'
                                 % port)

    OPS = (('create_network', 3), ('delete_network', 1), ('grant', 2),
           ('revoke', 1), ('attach', 6), ('detach', 3), ('release', 1),
           ('assign', 2), ('conductor', 3), ('crash', 2))

    def run_sequences(self, seed):
        count = int(os.environ.get('HIL_OS_PROPERTY_SEQUENCES', '150'))
        rng = random.Random(seed)
        names = [name for name, weight in self.OPS for _ in range(weight)]
        stats = {}
        for sequence in range(count):
            for _ in range(rng.randint(4, 12)):
                op = rng.choice(names)
                stats[op] = stats.get(op, 0) + 1
                getattr(self, 'op_' + op)(rng)
            self.converge()
            self.check_invariant(strict=True)
        self.assertFalse([a for a in dbapi.action_list()
                          if a.status in (states.PENDING, states.RUNNING)])
        print('seed %s: %d sequences, operations %s' % (seed, count, stats))
        return stats


class TestIsolationPropertyOne(IsolationProperty):

    def test_random_sequences(self):
        self.run_sequences(seed=int(os.environ.get(
            'HIL_OS_PROPERTY_SEED', random.randrange(1 << 30))))


class TestIsolationPropertyTwo(IsolationProperty):

    def test_random_sequences(self):
        self.run_sequences(seed=random.randrange(1 << 30))
