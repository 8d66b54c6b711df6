"""A conductor killed with SIGKILL in the middle of a lease's hand-backs.

A lease of several nodes (fake BMCs, NICs on a real Open vSwitch over
SSH, attached to a network) expires; the hil-os-conductor handing them
back is killed while some hand-backs are done and others are not. A
second conductor takes the dead one's release actions over once their
claims expire and finishes them after the last recorded step: every
node ends free with its port parked, and every step of every hand-back
was recorded exactly once.
"""

import datetime
import random
import signal
import time
import uuid

from oslo_utils import timeutils

from hil_os.common import states
from hil_os.db import api as dbapi
from tests import base
from tests.integration import test_conductor_crash

NODES = 10
PARKED = ('access', 4000, [])
CONDUCTOR = ['[lease]', 'handback_poll_interval = 0.05',
             '[conductor]', 'claim_timeout = 5', 'node_workers = 4']


def iso(when):
    return when.isoformat(timespec='seconds') + 'Z'


class TestLeaseHandbackSigkill(test_conductor_crash.ConductorProcessTestCase):

    def released(self, nodes):
        return sum(dbapi.node_get(n['uuid']).state == states.NODE_FREE
                   for n, _nic, _port in nodes)

    def test_handbacks_resume_after_sigkill(self):
        switch = self.request('post', '/v1/switches',
                              self.ovs.switch_body(), status=201)
        prefix = 'lc%s' % uuid.uuid4().hex[:6]
        nodes = []
        for i in range(NODES):
            port = self.ovs.add_port()
            self.request('post', '/v1/switches/%s/ports' % switch['uuid'],
                         {'name': port}, status=201)
            node = self.request('post', '/v1/nodes', {
                'name': '%s-%d' % (prefix, i),
                'bmc': {'driver': 'fake', 'address': '127.0.0.1',
                        'port': 41000 + i}}, status=201)
            nic = self.request('post', '/v1/nodes/%s/nics' % node['uuid'], {
                'name': 'eth0', 'mac': '52:54:05:%02x:%02x:%02x' % (
                    random.randrange(256), random.randrange(256), i),
                'switch': switch['uuid'], 'port': port}, status=201)
            nodes.append((node, nic, port))
        first = self.start_conductor('lease-a-%s' % uuid.uuid4().hex[:6],
                                     CONDUCTOR)
        lease = self.request('post', '/v1/leases', {
            'project_id': base.PROJECT_A, 'count': NODES,
            'filter': {'name': '%s-*' % prefix},
            'end': iso(timeutils.utcnow() + datetime.timedelta(hours=1))},
            status=201)
        self.wait_for(lambda: dbapi.lease_get(lease['uuid']).state ==
                      'active', what='the lease to start')
        network = self.request('post', '/v1/networks', {
            'name': '%s-net' % prefix, 'project_id': base.PROJECT_A},
            status=201)
        attaches = [self.request(
            'post', '/v1/nodes/%s/nics/%s/attachments' % (
                node['uuid'], nic['uuid']), {'network': network['uuid']},
            status=202) for node, nic, _port in nodes]
        self.wait_for(lambda: all(
            dbapi.action_get(a['uuid']).status == 'succeeded'
            for a in attaches), what='the attaches')
        for _node, _nic, port in nodes:
            self.assertEqual(('access', network['vlan'], []),
                             self.ovs.port_vlans(port))

        self.request('patch', '/v1/leases/%s' % lease['uuid'],
                     {'end': iso(timeutils.utcnow())}, status=200)
        self.wait_for(lambda: self.released(nodes) >= 1, what='the first '
                      'hand-back to finish')
        time.sleep(random.uniform(0, 0.5))
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed_at = timeutils.utcnow()
        killed_with = self.released(nodes)
        self.assertLess(killed_with, NODES, 'the kill came after every '
                        'hand-back was done')

        self.start_conductor('lease-b-%s' % uuid.uuid4().hex[:6], CONDUCTOR)
        self.wait_for(lambda: (dbapi.lease_get(lease['uuid']).message or
                               '').endswith('back in the free pool.'),
                      timeout=120, what='every hand-back to finish')
        shown = self.request('get', '/v1/leases/%s' % lease['uuid'],
                             status=200)
        self.assertEqual(('expired', {'released'}),
                         (shown['state'], {n['state']
                                           for n in shown['nodes']}))
        resumed = 0
        for node, _nic, port in nodes:
            self.assertEqual(PARKED, self.ovs.port_vlans(port))
            row = dbapi.node_get(node['uuid'])
            self.assertEqual((states.NODE_FREE, None),
                             (row.state, row.project_id))
            rows = dbapi.event_list(resource_uuid=node['uuid'], limit=1000)
            events = [e.event_type for e in rows]
            times = {e.event_type: e.created_at for e in rows}
            # Steps recorded by the dead conductor, finished by the new one.
            if times['node.release_done'] > killed_at and any(
                    times.get('node.handback_%s_done' % step,
                              killed_at) < killed_at
                    for step in states.HANDBACK_STEPS):
                resumed += 1
            for step in states.HANDBACK_STEPS:
                self.assertEqual(1, events.count(
                    'node.handback_%s_done' % step), (node['name'], events))
            self.assertEqual(1, events.count('node.release_done'))
        self.assertGreater(resumed, 0, 'no hand-back was under way at the '
                           'kill')
        print('killed with %d of %d nodes handed back; %d hand-back(s) '
              'resumed after their last recorded step' % (
                  killed_with, NODES, resumed))
