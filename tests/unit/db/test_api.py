"""The DB API on SQLite, MariaDB and PostgreSQL: claims, generations,
the VLAN pool and compare-and-swap assignment."""

import datetime

from oslo_utils import timeutils
import testscenarios

from hil_os.common import exception
from hil_os.common import states
from hil_os.db import api as dbapi
from tests import base
from tests import factories

load_tests = testscenarios.load_tests_apply_scenarios

ENGINES = [('sqlite', {'db_engine': 'sqlite'}),
           ('mysql', {'db_engine': 'mysql'}),
           ('postgresql', {'db_engine': 'postgresql'})]


def _ago(seconds):
    return timeutils.utcnow() - datetime.timedelta(seconds=seconds)


class TestSwitchClaims(base.TestCase):

    scenarios = ENGINES

    def setUp(self):
        super().setUp()
        self.switch = factories.create_test_switch()
        for host in ('c1', 'c2'):
            dbapi.conductor_heartbeat(host)

    def test_live_claim_excludes_others(self):
        self.assertTrue(dbapi.switch_claim(self.switch.id, 'c1', _ago(60)))
        self.assertFalse(dbapi.switch_claim(self.switch.id, 'c2', _ago(60)))
        self.assertTrue(dbapi.switch_claim(self.switch.id, 'c1', _ago(60)))

    def test_expired_claim_is_taken_over(self):
        self.assertTrue(dbapi.switch_claim(self.switch.id, 'c1', _ago(60)))
        # Everything older than "now + 1 s" counts as expired.
        future = timeutils.utcnow() + datetime.timedelta(seconds=1)
        self.assertTrue(dbapi.switch_claim(self.switch.id, 'c2', future))
        self.assertEqual('c2', dbapi.switch_get(self.switch.id).claimed_by)

    def test_claim_of_a_dead_conductor_is_taken_over(self):
        self.assertTrue(dbapi.switch_claim(self.switch.id, 'c1', _ago(60)))
        dbapi.conductor_unregister('c1')
        self.assertTrue(dbapi.switch_claim(self.switch.id, 'c2', _ago(60)))

    def test_release_only_drops_own_claim(self):
        dbapi.switch_claim(self.switch.id, 'c1', _ago(60))
        dbapi.switch_release(self.switch.id, 'c2')
        self.assertEqual('c1', dbapi.switch_get(self.switch.id).claimed_by)
        self.assertEqual(1, dbapi.switch_release_all('c1'))
        self.assertIsNone(dbapi.switch_get(self.switch.id).claimed_by)

    def test_switches_with_work_skips_live_claims(self):
        factories.create_test_port(self.switch)
        now = timeutils.utcnow()
        self.assertEqual([self.switch.id],
                         dbapi.switches_with_work(now, _ago(60)))
        dbapi.switch_claim(self.switch.id, 'c1', _ago(60))
        self.assertEqual([], dbapi.switches_with_work(now, _ago(60)))

    def test_claim_of_conductor_without_heartbeat_is_taken_over(self):
        self.assertTrue(dbapi.switch_claim(self.switch.id, 'c1', _ago(60)))
        dbapi.conductor_unregister('c1')
        self.assertTrue(dbapi.switch_claim(self.switch.id, 'c2', _ago(60)))
        self.assertEqual('c2', dbapi.switch_get(self.switch.id).claimed_by)


class TestPortGenerations(base.TestCase):

    scenarios = ENGINES

    def setUp(self):
        super().setUp()
        switch = factories.create_test_switch()
        self.node, self.nic, self.port = factories.create_cabled_node(
            project_id=base.PROJECT_A, switch=switch)
        self.network = factories.create_test_network(base.PROJECT_A)

    def _port(self):
        return dbapi.port_get(self.port.switch_id, self.port.uuid)

    def test_success_at_an_older_generation_keeps_port_dirty(self):
        _att, first = dbapi.attachment_create(
            self.nic.id, self.network.id, states.ACCESS, base.PROJECT_A)
        second = dbapi.attachment_delete(self.nic.id, self.network.id)
        done = dbapi.port_sync_succeeded(self.port.id,
                                         first.target_generation)
        self.assertEqual([first.uuid], [a.uuid for a in done])
        self.assertEqual(states.SYNC_PENDING, self._port().sync_state)
        self.assertEqual(states.PENDING,
                         dbapi.action_get(second.uuid).status)
        dbapi.port_sync_succeeded(self.port.id, second.target_generation)
        self.assertEqual(states.IN_SYNC, self._port().sync_state)
        self.assertEqual([], dbapi.attachment_list(nic_id=self.nic.id))

    def test_final_failure_fails_pending_actions(self):
        _att, action = dbapi.attachment_create(
            self.nic.id, self.network.id, states.ACCESS, base.PROJECT_A)
        gen = action.target_generation
        dbapi.port_sync_failed(self.port.id, gen, 'timeout',
                               timeutils.utcnow())
        port = self._port()
        self.assertEqual((1, states.SYNC_PENDING, 'timeout'),
                         (port.attempts, port.sync_state, port.last_error))
        failed = dbapi.port_sync_failed(self.port.id, gen, 'still down',
                                        None)
        self.assertEqual([action.uuid], [a.uuid for a in failed])
        self.assertEqual(states.SYNC_FAILED, self._port().sync_state)
        stored = dbapi.action_get(action.uuid)
        self.assertEqual((states.FAILED, 'still down'),
                         (stored.status, stored.message))

    def test_failure_of_superseded_generation_is_ignored(self):
        _att, action = dbapi.attachment_create(
            self.nic.id, self.network.id, states.ACCESS, base.PROJECT_A)
        dbapi.attachment_delete(self.nic.id, self.network.id)
        self.assertEqual([], dbapi.port_sync_failed(
            self.port.id, action.target_generation, 'old news', None))
        self.assertEqual(0, self._port().attempts)

    def test_new_intent_resets_a_failed_port(self):
        _att, action = dbapi.attachment_create(
            self.nic.id, self.network.id, states.ACCESS, base.PROJECT_A)
        dbapi.port_sync_failed(self.port.id, action.target_generation,
                               'broken', None)
        dbapi.attachment_delete(self.nic.id, self.network.id)
        port = self._port()
        self.assertEqual((states.SYNC_PENDING, 0),
                         (port.sync_state, port.attempts))

    def test_dirty_ports_exclude_detaching_attachments(self):
        other = factories.create_test_network(base.PROJECT_A)
        dbapi.attachment_create(self.nic.id, self.network.id, states.ACCESS,
                                base.PROJECT_A)
        dbapi.attachment_create(self.nic.id, other.id, states.TAGGED,
                                base.PROJECT_A)
        dbapi.attachment_delete(self.nic.id, self.network.id)
        [(port, wanted)] = dbapi.dirty_ports(self.port.switch_id,
                                             timeutils.utcnow())
        self.assertEqual(self.port.id, port.id)
        self.assertEqual([(states.TAGGED, other.vlan)], wanted)


class TestVlanPoolAndAssignment(base.TestCase):

    scenarios = ENGINES

    def test_pool_sync_keeps_vlans_in_use(self):
        net = factories.create_test_network(base.PROJECT_A)
        self.assertEqual(1000, net.vlan)
        dbapi.vlan_pool_sync([1500, 1501])
        self.assertEqual([1500, 1501], [
            factories.create_test_network(base.PROJECT_A).vlan
            for _ in range(2)])
        self.assertRaises(exception.VlanPoolExhausted,
                          factories.create_test_network, base.PROJECT_A)
        self.assertEqual(1000, dbapi.network_get(net.uuid).vlan)
        dbapi.network_delete(net.id, pool_vlans={1500, 1501})
        # VLAN 1000 left the ranges: it does not come back to the pool.
        self.assertRaises(exception.VlanPoolExhausted,
                          factories.create_test_network, base.PROJECT_A)

    def test_assign_is_compare_and_swap(self):
        node = factories.create_test_node()
        dbapi.node_assign(node.id, base.PROJECT_A)
        error = self.assertRaises(exception.NodeBusy, dbapi.node_assign,
                                  node.id, base.PROJECT_B)
        self.assertIn('held by project %s' % base.PROJECT_A, error.message)

    def test_attach_requires_the_project_to_hold_the_node(self):
        switch = factories.create_test_switch()
        _node, nic, _port = factories.create_cabled_node(
            project_id=base.PROJECT_B, switch=switch)
        network = factories.create_test_network(base.PROJECT_A)
        self.assertRaises(exception.NodeBusy, dbapi.attachment_create,
                          nic.id, network.id, states.ACCESS, base.PROJECT_A)

    def test_attach_requires_access_to_the_network(self):
        switch = factories.create_test_switch()
        _node, nic, _port = factories.create_cabled_node(
            project_id=base.PROJECT_A, switch=switch)
        network = factories.create_test_network(base.PROJECT_B)
        self.assertRaises(exception.NetworkNotFound, dbapi.attachment_create,
                          nic.id, network.id, states.ACCESS, base.PROJECT_A)
        dbapi.access_grant(network.id, base.PROJECT_A)
        _att, action = dbapi.attachment_create(
            nic.id, network.id, states.ACCESS, base.PROJECT_A)
        self.assertEqual(states.PENDING, action.status)
