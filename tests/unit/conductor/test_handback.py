"""The hand-back sequence, on the fake BMC, switch and image backend."""

import datetime

import oslo_messaging as messaging
from oslo_messaging.notify import _impl_test
from oslo_utils import timeutils
import sqlalchemy as sa

from hil_os.common import exception
from hil_os.common import states
from hil_os.conductor import handback
from hil_os.conductor import node_actions
from hil_os import conf
from hil_os.db import api as dbapi
from hil_os.db import models
from hil_os.drivers.image import fake as fake_image
from hil_os.drivers.switch import base as switch_base
from hil_os.drivers.switch import fake as fake_switch
from tests import base
from tests import factories
from tests.unit.imaging import test_provision

CONF = conf.CONF

STEP_EVENTS = ['node.handback_%s_done' % step
               for step in states.HANDBACK_STEPS]
PARKED = switch_base.PortConfig.access(4000)


class HandbackTestCase(test_provision.ProvisionTestCase):
    """A node in full use: on, attached, console open, disk exported."""

    def setUp(self):
        super().setUp()
        messaging.get_notification_transport(CONF)
        self.config.config(driver=['test'],
                           group='oslo_messaging_notifications')
        _impl_test.reset()
        self.addCleanup(_impl_test.reset)
        self.config.config(handback_poll_interval=0.01,
                           handback_switch_timeout=5, group='lease')
        self.switch = factories.create_test_switch()
        self.port = factories.create_test_port(self.switch)
        nic = dbapi.nic_list(self.node.id)[0]
        dbapi.nic_update(nic.id, {'port_id': self.port.id})
        network = self.request('post', '/v1/networks', {'name': 'work'},
                               status=201, headers=base.A_MEMBER).json
        self.request('post', '/v1/nodes/%s/nics/%s/attachments' % (
            self.node.name, nic.uuid), {'network': 'work'}, status=202,
            headers=base.A_MEMBER)
        self.vlan = network['vlan']
        self.assertEqual(self.provision()['status'], 'succeeded')
        self.token = self.request('post', '/v1/nodes/%s/console' %
                                  self.node.name, status=201,
                                  headers=base.A_MEMBER).json['token']
        self.assertEqual('on', self.bmc.power)
        self.assertEqual(switch_base.PortConfig.access(self.vlan),
                         self.switch_port())
        self.assertEqual(1, len(fake_image.exports()))

    def switch_port(self):
        return fake_switch.ports(self.switch.name).get(self.port.name)

    def release(self):
        return self.request('delete', '/v1/nodes/%s/project' %
                            self.node.name, status=202).json

    def node_state(self):
        node = dbapi.node_get(self.node.uuid)
        return node.state, node.project_id

    def handback_events(self):
        return [e.event_type for e in
                dbapi.event_list(resource_uuid=self.node.uuid)
                if e.event_type.startswith(('node.handback', 'node.release'))]

    def notified(self):
        return [m['event_type'] for _c, m, _p, _r in _impl_test.NOTIFICATIONS]

    def assertCleaned(self):
        """Everything the project had on the node is gone, disk kept."""
        self.assertEqual('off', self.bmc.power)
        self.assertEqual(PARKED, self.switch_port())
        self.assertEqual([], dbapi.attachment_list(network_id=dbapi.
                                                   network_get('work').id))
        self.assertEqual([], dbapi.console_tokens(self.node.id))
        self.request('get', '/v1/console', status=401,
                     headers={'X-Console-Token': self.token})
        self.assertEqual({}, fake_image.exports())
        disk, = self.disks()
        self.assertEqual(('available', None),
                         (disk['status'], disk['node_uuid']))


class TestHandback(HandbackTestCase):

    def test_every_step_runs_and_the_node_is_free(self):
        action = self.action(self.release()['uuid'])
        self.assertEqual(('release', 'succeeded'),
                         (action['kind'], action['status']),
                         action['message'])
        self.assertEqual({step: 'done' for step in states.HANDBACK_STEPS},
                         action['details']['steps'])
        self.assertEqual((states.NODE_FREE, None), self.node_state())
        self.assertCleaned()
        self.assertEqual(['node.handback_started'] + STEP_EVENTS +
                         ['node.release_done'], self.handback_events())
        self.assertEqual(STEP_EVENTS + ['node.release_done'],
                         [t[len('hil_os.'):] for t in self.notified()
                          if t.startswith(('hil_os.node.handback',
                                           'hil_os.node.release'))])
        detach, = [a for a in dbapi.action_list(node_uuid=self.node.uuid,
                                                kind='detach')]
        self.assertEqual('succeeded', detach.status)

    def test_a_failed_step_leaves_the_node_handback_failed(self):
        self.bmc.reachable = False
        action = self.action(self.release()['uuid'])
        self.assertEqual('failed', action['status'])
        self.assertIn('power_off', action['message'])
        self.assertIn('retry with DELETE /v1/nodes/%s/project' %
                      self.node.name, action['message'])
        self.assertEqual((states.NODE_RELEASE_FAILED, base.PROJECT_A),
                         self.node_state())
        # The later steps still took everything else away.
        self.assertEqual(PARKED, self.switch_port())
        self.assertEqual({}, fake_image.exports())
        self.assertIn('node.handback_power_off_failed',
                      self.handback_events())
        self.assertIn('hil_os.node.release_failed', self.notified())
        # The project can do nothing with it; the admin sees it and retries.
        self.request('put', '/v1/nodes/%s/power' % self.node.name,
                     {'target': 'on'}, status=409, headers=base.A_MEMBER)
        listed = self.request('get', '/v1/nodes?state=handback_failed',
                              status=200).json['nodes']
        self.assertEqual([self.node.uuid], [n['uuid'] for n in listed])
        self.bmc.reachable = True
        retry = self.action(self.release()['uuid'])
        self.assertEqual('succeeded', retry['status'], retry['message'])
        self.assertTrue(retry['details']['retry'])
        self.assertEqual((states.NODE_FREE, None), self.node_state())
        self.assertCleaned()

    def test_a_port_that_cannot_be_parked_fails_the_handback(self):
        fake_switch.inject_fault(self.switch.name, exception.SwitchError(
            switch=self.switch.name, reason='% Invalid input'))
        action = self.action(self.release()['uuid'])
        self.assertEqual('failed', action['status'])
        self.assertIn('detach_networks', action['message'])
        self.assertIn(self.port.name, action['message'])
        self.assertEqual(states.NODE_RELEASE_FAILED, self.node_state()[0])
        self.assertEqual(switch_base.PortConfig.access(self.vlan),
                         self.switch_port())
        retry = self.action(self.release()['uuid'])
        self.assertEqual('succeeded', retry['status'], retry['message'])
        self.assertEqual((states.NODE_FREE, None), self.node_state())
        self.assertCleaned()

    def test_a_switch_timeout_fails_the_step(self):
        self.config.config(handback_switch_timeout=1, group='lease')
        self.config.config(retry_backoff=30, group='conductor')
        fake_switch.inject_fault(self.switch.name, exception.SwitchUnreachable(
            switch=self.switch.name, reason='no route'))
        action = self.action(self.release()['uuid'])
        self.assertEqual('failed', action['status'])
        self.assertIn('not verifiably parked within 1', action['message'])
        self.assertEqual(states.NODE_RELEASE_FAILED, self.node_state()[0])


def _age_claim(action_id, seconds):
    with dbapi.get_engine().begin() as conn:
        conn.execute(sa.update(models.Action).where(
            models.Action.id == action_id).values(
            claimed_at=timeutils.utcnow() - datetime.timedelta(
                seconds=seconds)))


class TestResume(HandbackTestCase):

    def test_a_conductor_takes_over_after_the_power_off(self):
        action = dbapi.node_release_begin(self.node.id, 'admin')
        claimed, _ = dbapi.node_action_claim(self.node.uuid, 'dead',
                                             datetime.datetime(2000, 1, 1))
        self.assertEqual(action.uuid, claimed.uuid)
        task = node_actions.Task(claimed, dbapi.node_get(self.node.uuid),
                                 'dead', False,
                                 self.conductor.manager.power_drivers)
        message = handback._STEPS[states.HANDBACK_POWER_OFF](task)
        handback._record(task, states.HANDBACK_POWER_OFF, handback.DONE,
                         message)
        requests = list(self.bmc.requests)
        # The dead conductor's claim expires; another one resumes.
        self.config.config(claim_timeout=5, group='conductor')
        _age_claim(claimed.id, 60)
        self.conductor.manager.sweep()
        done = self.action(action.uuid)
        self.assertEqual('succeeded', done['status'], done['message'])
        self.assertEqual(requests, self.bmc.requests)
        self.assertEqual((states.NODE_FREE, None), self.node_state())
        self.assertCleaned()
        self.assertEqual(1, self.handback_events().count(
            'node.handback_power_off_done'))

    def test_releasing_node_refuses_console_tokens_at_once(self):
        dbapi.node_release_begin(self.node.id, 'admin')
        self.request('get', '/v1/console', status=401,
                     headers={'X-Console-Token': self.token})
