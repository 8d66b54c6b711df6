"""The node-action mechanism: claims, turns, resume, handler results."""

import datetime

from oslo_db import exception as db_exc
from oslo_utils import timeutils
import sqlalchemy as sa
import testscenarios

from hil_os.common import exception
from hil_os.common import states
from hil_os.conductor import node_actions
from hil_os.conductor import power
from hil_os.db import api as dbapi
from hil_os.db import models
from hil_os.drivers.power import fake as fake_power
from tests import base
from tests import factories

load_tests = testscenarios.load_tests_apply_scenarios

ENGINES = [('sqlite', {'db_engine': 'sqlite'}),
           ('mysql', {'db_engine': 'mysql'}),
           ('postgresql', {'db_engine': 'postgresql'})]
FUTURE = datetime.datetime(2100, 1, 1)
PAST = datetime.datetime(2000, 1, 1)


class TestClaims(base.TestCase):
    """On every engine: the claims are compare-and-swaps and constraints."""

    scenarios = ENGINES

    def setUp(self):
        super().setUp()
        self.node = factories.create_test_node()

    def _queue(self, kind=states.ACTION_POWER_ON):
        return dbapi.node_action_create(self.node.id, kind, 'tester')

    def test_oldest_pending_action_runs_first(self):
        first, second = self._queue(), self._queue()
        action, resumed = dbapi.node_action_claim(self.node.uuid, 'c1', PAST)
        self.assertEqual((first.uuid, False), (action.uuid, resumed))
        self.assertEqual(states.RUNNING, action.status)
        self.assertEqual('c1', action.claimed_by)
        dbapi.node_action_finish(action.id, 'c1', states.SUCCEEDED, 'ok')
        action, _ = dbapi.node_action_claim(self.node.uuid, 'c1', PAST)
        self.assertEqual(second.uuid, action.uuid)

    def test_one_running_action_per_node(self):
        self._queue()
        self._queue()
        action, _ = dbapi.node_action_claim(self.node.uuid, 'c1', PAST)
        self.assertIsNotNone(action)
        self.assertEqual((None, False),
                         dbapi.node_action_claim(self.node.uuid, 'c2', PAST))

    def test_database_refuses_a_second_running_action(self):
        self._queue()
        second = self._queue()
        dbapi.node_action_claim(self.node.uuid, 'c1', PAST)
        # Even a conductor that skipped the check cannot start another.
        self.assertRaises(
            db_exc.DBDuplicateEntry, _update_action, second.id,
            running_node_uuid=self.node.uuid)

    def test_expired_claim_is_taken_over_and_resumed(self):
        queued = self._queue()
        dbapi.node_action_claim(self.node.uuid, 'dead', PAST)
        self.assertEqual((None, False),
                         dbapi.node_action_claim(self.node.uuid, 'c2', PAST))
        action, resumed = dbapi.node_action_claim(self.node.uuid, 'c2',
                                                  FUTURE)
        self.assertEqual((queued.uuid, True), (action.uuid, resumed))
        self.assertEqual('c2', action.claimed_by)
        self.assertIsNone(dbapi.node_action_finish(
            action.id, 'dead', states.SUCCEEDED, 'late'))
        self.assertFalse(dbapi.node_action_progress(action.id, 'dead',
                                                    {'step': 'x'}))

    def test_restarted_conductor_resumes_its_actions(self):
        self._queue()
        dbapi.node_action_claim(self.node.uuid, 'c1', PAST)
        self.assertEqual(1, dbapi.node_actions_unclaim_all('c1'))
        self.assertEqual([self.node.uuid],
                         dbapi.nodes_with_actions_due(PAST))
        action, resumed = dbapi.node_action_claim(self.node.uuid, 'c1', PAST)
        self.assertTrue(resumed)

    def test_finish_records_node_values_and_event(self):
        self._queue()
        action, _ = dbapi.node_action_claim(self.node.uuid, 'c1', PAST)
        previous = dbapi.node_action_finish(
            action.id, 'c1', states.SUCCEEDED, 'Powered on.',
            node_values={'power_state': 'on'})
        self.assertEqual({'power_state': None}, previous)
        self.assertEqual('on', dbapi.node_get(self.node.uuid).power_state)
        done = dbapi.action_get(action.uuid)
        self.assertEqual((states.SUCCEEDED, 'Powered on.', None, None),
                         (done.status, done.message, done.running_node_uuid,
                          done.claimed_by))
        events = [e.event_type for e in
                  dbapi.event_list(resource_uuid=self.node.uuid)]
        self.assertIn('node.power_on_requested', events)
        self.assertIn('node.power_on_done', events)

    def test_releasing_node_refuses_actions(self):
        node = factories.create_test_node(project_id=base.PROJECT_A)
        dbapi.node_release_begin(node.id, 'admin')
        self.assertRaises(exception.NodeBusy, dbapi.node_action_create,
                          node.id, states.ACTION_POWER_ON, 'user')

    def test_hand_back_cancels_queued_actions_and_queues_release(self):
        node = factories.create_test_node(project_id=base.PROJECT_A)
        queued = dbapi.node_action_create(node.id, states.ACTION_POWER_ON,
                                          'user')
        dbapi.node_release_begin(node.id, 'admin')
        cancelled = dbapi.action_get(queued.uuid)
        self.assertEqual(states.FAILED, cancelled.status)
        self.assertIn('handed back', cancelled.message)
        active = dbapi.node_actions_active(node.uuid)
        self.assertEqual([(states.ACTION_RELEASE, states.PENDING)],
                         [(a.kind, a.status) for a in active])


class TestQueue(base.TestCase):

    def setUp(self):
        super().setUp()
        self.config.config(poll_interval=0.01, power_timeout=0.2,
                           group='power')
        self.node = factories.create_test_node()
        self.fake = fake_power.bmc('127.0.0.1', 623)
        self.drivers = power.PowerDrivers()
        self.addCleanup(self.drivers.close_all)
        self.finished = []
        self.queue = node_actions.NodeActionQueue(
            'c1', _Inline(), self.drivers,
            on_finished=lambda task, prev: self.finished.append(prev))

    def _run(self, kind, **details):
        action = dbapi.node_action_create(self.node.id, kind, 'tester',
                                          details)
        self.queue.submit(self.node.uuid)
        return dbapi.action_get(action.uuid)

    def test_power_on_verified(self):
        action = self._run(states.ACTION_POWER_ON)
        self.assertEqual(states.SUCCEEDED, action.status, action.message)
        self.assertEqual('on', self.fake.power)
        self.assertEqual('on', dbapi.node_get(self.node.uuid).power_state)
        self.assertEqual([{'power_state': None, 'power_error': None,
                           'power_updated_at': None}], self.finished)

    def test_state_that_never_comes_fails_the_action(self):
        self.fake.power = 'on'
        self.fake.ignores_soft_off = True
        self.config.config(soft_off_timeout=0.1, group='power')
        action = self._run(states.ACTION_SOFT_OFF)
        self.assertEqual(states.FAILED, action.status)
        self.assertIn('did not reach power state off', action.message)
        self.assertIn('target "off"', action.message)

    def test_unreachable_bmc_fails_with_clear_message(self):
        self.fake.reachable = False
        action = self._run(states.ACTION_POWER_OFF)
        self.assertEqual(states.FAILED, action.status)
        self.assertIn('unreachable', action.message)
        self.assertIsNone(action.running_node_uuid)

    def test_unknown_kind_fails(self):
        action = self._run('frobnicate')
        self.assertEqual(states.FAILED, action.status)
        self.assertIn('No conductor handler', action.message)

    def test_unexpected_error_fails_with_generic_message(self):
        self.drivers.get = None     # a bug in the conductor
        action = self._run(states.ACTION_POWER_ON)
        self.assertEqual(states.FAILED, action.status)
        self.assertIn('internal error', action.message)

    def test_reboot_resumes_after_the_off_step(self):
        """A conductor died after powering off: the new one powers on."""
        self.fake.power = 'on'
        action = dbapi.node_action_create(self.node.id, states.ACTION_REBOOT,
                                          'tester')
        dbapi.node_action_claim(self.node.uuid, 'dead', PAST)
        dbapi.node_action_progress(action.id, 'dead',
                                   {'step': 'powered_off'})
        self.fake.power = 'off'
        self.config.config(claim_timeout=5, group='conductor')
        _update_action(
            action.id, claimed_at=timeutils.utcnow() -
            datetime.timedelta(seconds=60))
        self.queue.sweep()
        done = dbapi.action_get(action.uuid)
        self.assertEqual(states.SUCCEEDED, done.status, done.message)
        self.assertEqual(['on'], self.fake.requests)

    def test_reboot_powers_off_then_on(self):
        self.fake.power = 'on'
        action = self._run(states.ACTION_REBOOT)
        self.assertEqual(states.SUCCEEDED, action.status, action.message)
        self.assertEqual(['off', 'on'], self.fake.requests)
        self.assertEqual('on_requested', action.details['step'])

    def test_handler_registry(self):
        self.assertEqual(
            sorted([states.ACTION_POWER_ON, states.ACTION_POWER_OFF,
                    states.ACTION_SOFT_OFF, states.ACTION_REBOOT,
                    states.ACTION_SET_BOOT_DEVICE]),
            [k for k in node_actions.kinds() if k in (
                states.ACTION_POWER_ON, states.ACTION_POWER_OFF,
                states.ACTION_SOFT_OFF, states.ACTION_REBOOT,
                states.ACTION_SET_BOOT_DEVICE)])
        self.assertRaises(ValueError, node_actions.handler(
            states.ACTION_POWER_ON), lambda task: None)


def _update_action(action_id, **values):
    with dbapi.get_engine().begin() as conn:
        conn.execute(sa.update(models.Action).where(
            models.Action.id == action_id).values(**values))


class _Inline:
    def submit(self, func, *args):
        func(*args)
