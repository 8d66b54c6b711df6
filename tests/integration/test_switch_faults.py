"""Bad input and faults on real switches: clear errors, no secret logged.

Every test captures the logs at DEBUG (NGS, netmiko and paramiko
included) and checks that no credential appears in any line.
"""

import logging
import socket
import threading
import uuid

import fixtures

from tests import base
from tests.integration import switch_api
from tests.integration import switch_peers


class TestSwitchFaults(switch_api.SwitchApiTestCase):

    def setUp(self):
        super().setUp()
        self.debug_log = self.useFixture(fixtures.FakeLogger(
            level=logging.DEBUG, format='%(levelname)s %(name)s %(message)s'))
        self.config.config(retry_backoff=0, switch_max_attempts=2,
                           group='conductor')
        self.config.config(connect_retry_timeout=0, group='switch')
        self.secrets = []

    def tearDown(self):
        output = self.debug_log.output
        for secret in self.secrets:
            self.assertNotIn(secret, output)
        super().tearDown()

    def secret(self, label):
        value = '%s-%s' % (label, uuid.uuid4().hex)
        self.secrets.append(value)
        return value

    def failed_attach(self, body, port='FastEthernet0/1'):
        switch = self.register_switch(body)
        node, nic = self.cabled_node(switch, port)
        action = self.action(self.attach(node, nic, self.network()))
        self.assertEqual('failed', action['status'])
        return switch, action

    def test_wrong_credentials(self):
        cisco = switch_peers.Cisco(self, second=True)
        body = cisco.switch_body(password=self.secret('wrong-password'))
        body['enable_secret'] = self.secret('enable')
        switch, action = self.failed_attach(body)
        self.assertIn('Switch %s' % switch['name'], action['message'])
        self.assertIn('authentication as admin failed', action['message'])
        self.assertIn('giving up after attempt 1', self.debug_log.output)

    def test_unreachable_switch(self):
        with socket.socket() as sock:
            sock.bind(('127.0.0.1', 0))
            closed_port = sock.getsockname()[1]
        body = switch_peers.Ovs(self).switch_body()
        body.update(ssh_port=closed_port, password=self.secret('pw'))
        switch, action = self.failed_attach(body, port='p1')
        self.assertIn('Switch %s is unreachable' % switch['name'],
                      action['message'])
        self.assertIn('attempt 1 of 2 failed, retrying',
                      self.debug_log.output)

    def test_ssh_timeout(self):
        self.config.config(ssh_timeout=1, connect_retry_timeout=0,
                           group='switch')
        listener = socket.socket()
        listener.bind(('127.0.0.1', 0))
        listener.listen(8)
        self.addCleanup(listener.close)
        accepted = []

        def accept_and_say_nothing():
            while True:
                try:
                    accepted.append(listener.accept()[0])
                except OSError:
                    return
        threading.Thread(target=accept_and_say_nothing, daemon=True).start()
        self.addCleanup(lambda: [s.close() for s in accepted])
        body = switch_peers.Cisco(self).switch_body(
            password=self.secret('pw'))
        body['ssh_port'] = listener.getsockname()[1]
        switch, action = self.failed_attach(body)
        self.assertIn('unreachable', action['message'])
        self.assertIn('SSH timeout', action['message'])

    def test_switch_answering_errors(self):
        cisco = switch_peers.Cisco(self)
        body = cisco.switch_body()
        self.secrets += [body['password']]
        switch, action = self.failed_attach(body, port='GigabitEthernet9/9')
        self.assertIn('Invalid input', action['message'])
        self.assertIn('answered errors for port GigabitEthernet9/9',
                      self.debug_log.output)

    def test_deleting_a_network_in_use_is_409(self):
        ovs = switch_peers.Ovs(self)
        switch = self.register_switch(ovs.switch_body())
        node, nic = self.cabled_node(switch, ovs.add_port())
        net = self.network()
        self.assertSucceeded(self.attach(node, nic, net))
        resp = self.request('delete', '/v1/networks/%s' % net['uuid'],
                            status=409, headers=base.A_MEMBER)
        self.assertIn('detach them first', resp.json['error']['message'])

    def test_vlan_already_used(self):
        net = self.network(headers=base.ADMIN, project_id=base.PROJECT_A,
                           vlan=3000)
        resp = self.request('post', '/v1/networks', {
            'name': 'again', 'project_id': base.PROJECT_B, 'vlan': 3000},
            status=409)
        self.assertIn('VLAN 3000', resp.json['error']['message'])
        resp = self.request('post', '/v1/networks', {
            'name': 'parking', 'project_id': base.PROJECT_B, 'vlan': 4000},
            status=400)
        self.assertIn('parking VLAN', resp.json['error']['message'])
        self.assertEqual(3000, net['vlan'])
