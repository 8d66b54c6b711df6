"""Reconciliation: verification, failures, claims and their fencing."""

import datetime

from oslo_utils import timeutils

from hil_os.common import exception
from hil_os.common import states
from hil_os.conductor import switch_queue
from hil_os.db import api as dbapi
from hil_os.drivers.switch import base as switch_base
from hil_os.drivers.switch import fake as fake_switch
from tests import base
from tests import factories


class TestReconcile(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.switch = factories.create_test_switch()
        self.node, self.nic, self.port = factories.create_cabled_node(
            project_id=base.PROJECT_A, switch=self.switch)
        self.request('post', '/v1/networks', {'name': 'net'}, status=201,
                     headers=base.A_MEMBER)
        self.path = '/v1/nodes/%s/nics/%s/attachments' % (self.node.name,
                                                          self.nic.name)

    def _attach(self):
        return self.request('post', self.path, {'network': 'net'},
                            status=202, headers=base.A_MEMBER).json

    def _action(self, uuid):
        return self.request('get', '/v1/actions/%s' % uuid, status=200).json

    def test_missing_port_fails_with_clear_message(self):
        fake_switch.remove_port(self.switch.name, self.port.name)
        action = self._action(self._attach()['uuid'])
        self.assertEqual('failed', action['status'])
        self.assertIn('Switch %s has no port %s' % (self.switch.name,
                                                    self.port.name),
                      action['message'])
        self.assertIn('no such interface', action['message'])

    def test_read_back_mismatch_names_switch_port_and_difference(self):
        orig_apply = fake_switch.FakeSwitchDriver.apply

        def sloppy_apply(driver, configs):
            # Like an NGS driver that "succeeds" without doing anything.
            orig_apply(driver, {name: switch_base.PortConfig.access(1)
                                for name in configs})
            return {}
        self.patch(fake_switch.FakeSwitchDriver, 'apply', sloppy_apply)
        action = self._action(self._attach()['uuid'])
        self.assertEqual('failed', action['status'])
        self.assertIn('Switch %s port %s does not hold' % (
            self.switch.name, self.port.name), action['message'])
        self.assertIn('read back access VLAN 1', action['message'])
        self.assertIn('wanted access VLAN 1000', action['message'])

    def test_transient_errors_back_off_then_fail(self):
        self.config.config(retry_backoff=0, switch_max_attempts=3,
                           group="conductor")
        fake_switch.inject_fault(self.switch.name,
                                 exception.SwitchUnreachable, times=3)
        uuid = self._attach()['uuid']
        action = self._action(uuid)
        self.assertEqual('failed', action['status'])
        self.assertIn('unreachable', action['message'])
        self.assertEqual(3, dbapi.port_get(self.switch.id,
                                           self.port.name).attempts)
        self.assertIn('attempt 2 of 3 failed, retrying', self.log.output)
        self.assertIn('giving up after attempt 3', self.log.output)

    def test_backoff_delays_the_next_attempt(self):
        self.config.config(retry_backoff=60, group='conductor')
        fake_switch.inject_fault(self.switch.name,
                                 exception.SwitchUnreachable)
        uuid = self._attach()['uuid']
        self.conductor.manager.sweep()
        self.assertEqual('pending', self._action(uuid)['status'])
        port = dbapi.port_get(self.switch.id, self.port.name)
        self.assertEqual(1, port.attempts)
        self.assertGreater(port.next_attempt_at, timeutils.utcnow())

    def test_lost_claim_records_nothing(self):
        uuid = None
        orig_apply = fake_switch.FakeSwitchDriver.apply

        def stolen(driver, configs):
            # A live conductor takes the switch over mid-apply.
            dbapi.conductor_heartbeat('other')
            dbapi.switch_release(self.switch.id, 'test-conductor')
            self.assertTrue(dbapi.switch_claim(
                self.switch.id, 'other', timeutils.utcnow()))
            return orig_apply(driver, configs)
        self.patch(fake_switch.FakeSwitchDriver, 'apply', stolen)
        uuid = self._attach()['uuid']
        self.assertEqual('pending', self._action(uuid)['status'])
        port = dbapi.port_get(self.switch.id, self.port.name)
        self.assertEqual(states.SYNC_PENDING, port.sync_state)
        self.assertIn('lost its claim', self.log.output)

    def test_claim_of_dead_conductor_is_taken_over(self):
        now = timeutils.utcnow()
        dbapi.conductor_heartbeat('dead')
        self.assertTrue(dbapi.switch_claim(self.switch.id, 'dead',
                                           now - datetime.timedelta(60)))
        # Claim fresh, holder alive: refused.
        self.assertFalse(switch_queue.claim(self.switch.id, 'me'))
        self.assertFalse(dbapi.switch_claim(
            self.switch.id, 'me', now - datetime.timedelta(seconds=60),
            now - datetime.timedelta(seconds=60)))
        # Holder's heartbeat older than dead_before: taken over.
        self.assertTrue(dbapi.switch_claim(
            self.switch.id, 'me', now - datetime.timedelta(seconds=60),
            now + datetime.timedelta(seconds=1)))

    def test_claims_renewed_only_for_holder(self):
        self.assertTrue(switch_queue.claim(self.switch.id, 'me'))
        self.assertEqual(1, dbapi.switch_claims_renew([self.switch.id],
                                                      'me'))
        self.assertEqual(0, dbapi.switch_claims_renew([self.switch.id],
                                                      'other'))
