"""The lease engine, driven by a controllable clock.

``timeutils.set_time_override`` is the clock of the API, the DB API and
the conductor alike; each ``tick`` moves it and runs one pass of the
conductor's periodic sweep, as the periodic thread would.
"""

import datetime

import fixtures
import oslo_messaging as messaging
from oslo_messaging.notify import _impl_test
from oslo_utils import timeutils

from hil_os import conf
from hil_os.db import api as dbapi
from hil_os.drivers.power import fake as fake_power
from hil_os.drivers.switch import base as switch_base
from hil_os.drivers.switch import fake as fake_switch
from tests import base
from tests import factories

CONF = conf.CONF
T0 = datetime.datetime(2026, 12, 1, 9, 0, 0)


def iso(when):
    return when.isoformat() + 'Z'


class Clock(fixtures.Fixture):
    """The hil-os clock, set to ``start`` and moved by the test."""

    def __init__(self, start):
        super().__init__()
        self.start = start

    def _setUp(self):
        timeutils.set_time_override(self.start)
        self.addCleanup(timeutils.clear_time_override)

    def advance(self, **delta):
        timeutils.advance_time_delta(datetime.timedelta(**delta))

    def now(self):
        return timeutils.utcnow()


class LeaseTestCase(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.clock = self.useFixture(Clock(T0))
        messaging.get_notification_transport(CONF)
        self.config.config(driver=['test'],
                           group='oslo_messaging_notifications')
        _impl_test.reset()
        self.addCleanup(_impl_test.reset)
        self.config.config(power_timeout=1, poll_interval=0.01,
                           group='power')
        self.config.config(handback_poll_interval=0.01, group='lease')
        self.switch = factories.create_test_switch()
        self.ports = {}

    def node(self, name, project_id=None):
        """A free node with its own fake BMC and a cabled NIC."""
        node, _nic, port = factories.create_cabled_node(
            project_id=project_id, switch=self.switch)
        dbapi.node_update(node.id, {'name': name,
                                    'bmc_port': 30000 + node.id})
        self.ports[name] = port.name
        return dbapi.node_get(node.uuid)

    def bmc(self, node):
        return fake_power.bmc('127.0.0.1', dbapi.node_get(node).bmc_port)

    def create(self, status=201, **body):
        body.setdefault('project_id', base.PROJECT_A)
        return self.request('post', '/v1/leases', body, status=status).json

    def lease(self, ident, headers=base.ADMIN):
        return self.request('get', '/v1/leases/%s' % ident, status=200,
                            headers=headers).json

    def tick(self, **delta):
        if delta:
            self.clock.advance(**delta)
        self.conductor.manager.sweep()

    def holder(self, name):
        return dbapi.node_get(name).project_id

    def notified(self, prefix='hil_os.lease.'):
        return [(m['event_type'], m['payload'].get('lease_uuid'))
                for _c, m, _p, _r in _impl_test.NOTIFICATIONS
                if m['event_type'].startswith(prefix)]


class TestNodeLease(LeaseTestCase):

    def test_lease_starts_and_expires_on_the_clock(self):
        self.node('n1')
        lease = self.create(name='week', node='n1',
                            start=iso(T0 + datetime.timedelta(hours=1)),
                            end=iso(T0 + datetime.timedelta(hours=3)))
        self.assertEqual(('created', [('n1', 'reserved')]),
                         (lease['state'], [(n['name'], n['state'])
                                           for n in lease['nodes']]))
        self.tick(minutes=59)
        self.assertEqual('created', self.lease('week')['state'])
        self.assertIsNone(self.holder('n1'))

        self.tick(minutes=1)
        lease = self.lease('week', headers=base.A_READER)
        self.assertEqual(('active', [('n1', 'held')]),
                         (lease['state'], [(n['name'], n['state'])
                                           for n in lease['nodes']]))
        self.assertEqual(base.PROJECT_A, self.holder('n1'))
        self.request('put', '/v1/nodes/n1/power', {'target': 'on'},
                     status=202, headers=base.A_MEMBER)
        self.assertEqual('on', self.bmc('n1').power)

        self.tick(hours=1, minutes=59, seconds=59)
        self.assertEqual('active', self.lease('week')['state'])
        self.tick(seconds=1)
        lease = self.lease('week')
        self.assertEqual(('expired', [('n1', 'released')]),
                         (lease['state'], [(n['name'], n['state'])
                                           for n in lease['nodes']]))
        self.assertIn('back in the free pool', lease['message'])
        node = dbapi.node_get('n1')
        self.assertEqual((None, 'free'), (node.project_id, node.state))
        self.assertEqual('off', self.bmc('n1').power)
        self.assertEqual(switch_base.PortConfig.access(4000),
                         fake_switch.ports(self.switch.name)[
                             self.ports['n1']])
        self.assertEqual([('hil_os.lease.start', lease['uuid']),
                          ('hil_os.lease.end', lease['uuid']),
                          ('hil_os.lease.released', lease['uuid'])],
                         self.notified())
        events = [e.event_type for e in dbapi.event_list(
            resource_uuid=lease['uuid'])]
        self.assertEqual(['lease.created', 'lease.started', 'lease.expired',
                          'lease.released'], events)
        # The project's members see the lease's story in their events.
        mine = self.request('get', '/v1/events?resource=%s' % lease['uuid'],
                            status=200, headers=base.A_READER).json
        self.assertEqual(events, [e['event_type'] for e in mine['events']])

    def test_back_to_back_leases_of_one_node(self):
        self.node('n1')
        first = self.create(node='n1', start=iso(T0),
                            end=iso(T0 + datetime.timedelta(hours=1)))
        second = self.create(node='n1', project_id=base.PROJECT_B,
                             start=iso(T0 + datetime.timedelta(hours=1)),
                             end=iso(T0 + datetime.timedelta(hours=2)))
        self.assertEqual('active', self.lease(first['uuid'])['state'])
        self.assertEqual(base.PROJECT_A, self.holder('n1'))
        # At the boundary the first ends (hand-back) and the second waits
        # for the node within its grace, then starts.
        self.clock.advance(hours=1)
        self.conductor.manager.leases.start(
            dbapi.lease_get(second['uuid']).id, self.clock.now())
        self.assertIn('Waiting to start: node n1 is not free',
                      self.lease(second['uuid'])['message'])
        self.tick()
        self.assertEqual('expired', self.lease(first['uuid'])['state'])
        self.tick()
        self.assertEqual('active', self.lease(second['uuid'])['state'])
        self.assertEqual(base.PROJECT_B, self.holder('n1'))

    def test_a_lease_whose_node_stays_busy_goes_to_error(self):
        self.config.config(start_grace=60, group='lease')
        self.node('n1', project_id=base.PROJECT_B)
        lease = self.create(node='n1', start=iso(T0),
                            end=iso(T0 + datetime.timedelta(hours=1)))
        self.assertEqual('created', self.lease(lease['uuid'])['state'])
        self.tick(seconds=61)
        lease = self.lease(lease['uuid'])
        self.assertEqual('error', lease['state'])
        self.assertIn('node n1 is not free (allocated, held by project '
                      'project-b)', lease['message'])
        self.assertEqual([('hil_os.lease.error', lease['uuid'])],
                         self.notified())
        self.assertEqual(base.PROJECT_B, self.holder('n1'))

    def test_failed_handback_puts_the_lease_in_error(self):
        self.node('n1')
        lease = self.create(node='n1', start=iso(T0),
                            end=iso(T0 + datetime.timedelta(hours=1)))
        self.bmc('n1').reachable = False
        self.tick(hours=1)
        self.tick()
        lease = self.lease(lease['uuid'])
        self.assertEqual('error', lease['state'])
        self.assertEqual([('n1', 'failed')], [(n['name'], n['state'])
                                              for n in lease['nodes']])
        self.assertIn('Hand-back failed: node n1', lease['message'])
        self.assertIn('power_off', lease['message'])
        node = dbapi.node_get('n1')
        self.assertEqual((base.PROJECT_A, 'handback_failed'),
                         (node.project_id, node.state))
        self.assertIn(('hil_os.lease.error', lease['uuid']), self.notified())

    def test_cancelling_an_active_lease_hands_the_node_back(self):
        self.node('n1')
        lease = self.create(node='n1', start=iso(T0),
                            end=iso(T0 + datetime.timedelta(days=1)))
        self.request('delete', '/v1/leases/%s' % lease['uuid'], status=403,
                     headers=base.A_MEMBER)
        cancelled = self.request('delete', '/v1/leases/%s' % lease['uuid'],
                                 status=202).json
        self.assertEqual('cancelled', cancelled['state'])
        self.assertIsNone(self.holder('n1'))
        self.tick()
        self.assertEqual([('n1', 'released')], [
            (n['name'], n['state'])
            for n in self.lease(lease['uuid'])['nodes']])
        self.request('delete', '/v1/leases/%s' % lease['uuid'], status=409)

    def test_member_gives_a_lease_back_early(self):
        self.node('n1')
        lease = self.create(node='n1', start=iso(T0),
                            end=iso(T0 + datetime.timedelta(days=1)))
        self.tick(hours=2)
        # An end already past ends the lease now.
        changed = self.request('patch', '/v1/leases/%s' % lease['uuid'],
                               {'end': iso(T0 + datetime.timedelta(
                                   hours=1))}, status=200,
                               headers=base.A_MEMBER).json
        self.assertEqual('2026-12-01T11:00:00', changed['end'])
        self.tick()
        self.assertEqual('expired', self.lease(lease['uuid'])['state'])
        self.assertIsNone(self.holder('n1'))

    def test_extending_an_active_lease_updates_its_message(self):
        self.node('n1')
        lease = self.create(node='n1', start=iso(T0),
                            end=iso(T0 + datetime.timedelta(days=1)))
        self.tick()
        self.assertEqual('Active: project %s holds n1 until '
                         '2026-12-02T09:00:00.' % base.PROJECT_A,
                         self.lease(lease['uuid'])['message'])
        changed = self.request('patch', '/v1/leases/%s' % lease['uuid'],
                               {'end': iso(T0 + datetime.timedelta(
                                   days=2))}, status=200,
                               headers=base.A_MEMBER).json
        self.assertEqual('Active: project %s holds n1 until '
                         '2026-12-03T09:00:00.' % base.PROJECT_A,
                         changed['message'])

    def test_a_node_handed_back_by_hand_is_dropped_from_the_lease(self):
        self.node('n1')
        lease = self.create(node='n1', start=iso(T0),
                            end=iso(T0 + datetime.timedelta(hours=1)))
        self.request('delete', '/v1/nodes/n1/project', status=202)
        self.assertIsNone(self.holder('n1'))
        self.tick(hours=1)
        lease = self.lease(lease['uuid'])
        self.assertEqual(('expired', [('n1', 'dropped')]),
                         (lease['state'], [(n['name'], n['state'])
                                           for n in lease['nodes']]))


class TestCountLease(LeaseTestCase):

    def test_free_matching_nodes_are_chosen_at_start(self):
        for name in ('gpu-1', 'gpu-2', 'gpu-3', 'cpu-1'):
            self.node(name)
        self.node('gpu-4', project_id=base.PROJECT_B)
        # gpu-1 is promised to another lease overlapping this one.
        self.create(node='gpu-1', project_id=base.PROJECT_B,
                    start=iso(T0 + datetime.timedelta(hours=2)),
                    end=iso(T0 + datetime.timedelta(hours=4)))
        lease = self.create(count=2, filter={'name': 'gpu-*'},
                            start=iso(T0 + datetime.timedelta(hours=1)),
                            end=iso(T0 + datetime.timedelta(hours=3)))
        self.assertEqual([], lease['nodes'])
        self.tick(hours=1)
        lease = self.lease(lease['uuid'])
        self.assertEqual('active', lease['state'])
        self.assertEqual(['gpu-2', 'gpu-3'],
                         sorted(n['name'] for n in lease['nodes']))
        self.assertEqual([base.PROJECT_A] * 2,
                         [self.holder(n) for n in ('gpu-2', 'gpu-3')])
        self.tick(hours=2)
        self.assertEqual('expired', self.lease(lease['uuid'])['state'])
        self.assertEqual([None, None],
                         [self.holder(n) for n in ('gpu-2', 'gpu-3')])

    def test_too_few_free_nodes_waits_then_errors(self):
        self.config.config(start_grace=120, group='lease')
        self.node('gpu-1')
        lease = self.create(count=2, filter={'name': 'gpu-*'},
                            end=iso(T0 + datetime.timedelta(hours=1)))
        self.assertIn('only 1 of the 2 node(s) it asks for (named like '
                      'gpu-*) are free', self.lease(lease['uuid'])['message'])
        self.assertIsNone(self.holder('gpu-1'))
        self.node('gpu-2')
        self.tick(seconds=30)
        self.assertEqual('active', self.lease(lease['uuid'])['state'])

    def test_node_quota_is_checked_at_start(self):
        self.config.config(start_grace=0, group='lease')
        self.request('put', '/v1/quotas/%s' % base.PROJECT_A, {'nodes': 1},
                     status=200)
        self.node('n1', project_id=base.PROJECT_A)
        self.node('n2')
        lease = self.create(count=1, end=iso(T0 + datetime.timedelta(
            hours=1)))
        lease = self.lease(lease['uuid'])
        self.assertEqual('error', lease['state'])
        self.assertIn('Quota exceeded: project project-a may have at most 1 '
                      'node', lease['message'])
        self.assertIsNone(self.holder('n2'))
