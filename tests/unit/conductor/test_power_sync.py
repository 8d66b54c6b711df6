"""The power-state sync: changes recorded once, notified, bounded."""

import oslo_messaging as messaging
from oslo_messaging.notify import _impl_test
import testscenarios

from hil_os.conductor import power
from hil_os.conductor import power_sync
from hil_os import conf
from hil_os.db import api as dbapi
from hil_os.drivers.power import fake as fake_power
from tests import base
from tests import factories

load_tests = testscenarios.load_tests_apply_scenarios
CONF = conf.CONF


class TestPowerSync(base.TestCase):

    def setUp(self):
        super().setUp()
        messaging.get_notification_transport(CONF)
        self.config.config(driver=['test'],
                           group='oslo_messaging_notifications')
        _impl_test.reset()
        self.addCleanup(_impl_test.reset)
        self.nodes = [factories.create_test_node(project_id=base.PROJECT_A,
                                                 bmc_port=7000 + i)
                      for i in range(3)]
        self.drivers = power.PowerDrivers()
        self.addCleanup(self.drivers.close_all)
        self.sync = power_sync.PowerSync('c1', self.drivers)
        self.addCleanup(self.sync.close)

    def test_changes_are_recorded_as_events_and_notified(self):
        fake_power.bmc('127.0.0.1', 7000).power = 'on'
        fake_power.bmc('127.0.0.1', 7001).reachable = False
        summary = self.sync.run()
        self.assertEqual({'nodes': 3, 'changed': 3, 'errors': 1},
                         {k: summary[k] for k in ('nodes', 'changed',
                                                  'errors')})
        states = {n.name: (n.power_state, n.power_error)
                  for n in map(lambda n: dbapi.node_get(n.uuid),
                               self.nodes)}
        self.assertEqual(('on', None), states[self.nodes[0].name])
        self.assertEqual('error', states[self.nodes[1].name][0])
        self.assertIn('unreachable', states[self.nodes[1].name][1])
        self.assertEqual(('off', None), states[self.nodes[2].name])
        sent = [(m['event_type'], m['payload']['node_name'],
                 m['payload']['power_state'])
                for _ctx, m, _prio, _retry in _impl_test.NOTIFICATIONS]
        self.assertIn(('hil_os.node.power_state.changed',
                       self.nodes[0].name, 'on'), sent)
        self.assertEqual(3, len(sent))
        events = dbapi.event_list(event_type='node.power_state.changed')
        self.assertEqual(3, len(events))
        self.assertEqual(base.PROJECT_A, events[0].project_id)

    def test_second_sync_records_nothing_new(self):
        self.sync.run()
        _impl_test.reset()
        summary = self.sync.run()
        self.assertEqual(0, summary['changed'])
        self.assertEqual([], _impl_test.NOTIFICATIONS)
        self.assertIsNotNone(dbapi.node_get(
            self.nodes[0].uuid).power_updated_at)

    def test_concurrent_conductor_records_a_change_once(self):
        """Also on MariaDB and PostgreSQL: see TestPowerStateCas."""
        self.sync.run()
        fake_power.bmc('127.0.0.1', 7000).power = 'on'
        stale = [n for n in dbapi.nodes_for_power_sync()]
        self.sync.run()
        # A second conductor read the same node from the same old state.
        self.assertIsNone(dbapi.node_power_state_update(
            stale[0].id, stale[0].power_state, 'on'))

    def test_nodes_are_spread_over_live_conductors(self):
        hosts = ['a', 'b', 'c']
        owners = [[h for h in hosts if power_sync.mine(n.uuid, h, hosts)]
                  for n in self.nodes * 10]
        self.assertTrue(all(len(o) == 1 for o in owners))
        self.assertTrue(power_sync.mine(self.nodes[0].uuid, 'new', hosts))


class TestPowerStateCas(base.TestCase):
    """node_power_state_update is a compare-and-swap on every engine."""

    scenarios = [('sqlite', {'db_engine': 'sqlite'}),
                 ('mysql', {'db_engine': 'mysql'}),
                 ('postgresql', {'db_engine': 'postgresql'})]

    def test_one_of_two_writers_records_the_change(self):
        node = factories.create_test_node()
        self.assertIsNotNone(dbapi.node_power_state_update(node.id, None,
                                                           'on'))
        self.assertIsNone(dbapi.node_power_state_update(node.id, None, 'on'))
        self.assertIsNone(dbapi.node_power_state_update(node.id, 'on', 'on'))
        changed = dbapi.node_power_state_update(node.id, 'on', 'error',
                                                'unreachable')
        self.assertEqual(('error', 'unreachable'),
                         (changed.power_state, changed.power_error))
        self.assertEqual(2, len(dbapi.event_list(
            event_type='node.power_state.changed')))
