"""The README's demo tour against a real ``hil-os --demo`` process."""

import os
import time

import fixtures
import requests

from tests import base
from tests.functional import api_process

A = {'X-Project-Id': 'research-a', 'X-Roles': 'member'}


class TestDemoTour(base.TestCase):

    use_db = False

    def setUp(self):
        super().setUp()
        state = self.useFixture(fixtures.TempDir()).path
        self.port = api_process.free_port()
        config = os.path.join(state, 'hil-os.conf')
        api_process.write_config(
            config, DEFAULT={'state_path': state},
            api={'host_ip': '127.0.0.1', 'port': self.port},
            conductor={'sync_interval': 0.2})
        self.url = self.useFixture(api_process.ApiProcess(
            config, self.port, command='hil-os', args=['--demo'])).url

    def _call(self, method, path, status, body=None, headers=None):
        resp = requests.request(method, self.url + path, json=body,
                                headers=headers or {}, timeout=10)
        self.assertEqual(status, resp.status_code, resp.text)
        return resp.json() if resp.content else None

    def _wait(self, action_uuid, headers):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            action = self._call('GET', '/v1/actions/' + action_uuid, 200,
                                headers=headers)
            if action['status'] in ('succeeded', 'failed'):
                return action
            time.sleep(0.1)
        self.fail('action %s did not finish' % action_uuid)

    def test_tour(self):
        nodes = self._call('GET', '/v1/nodes', 200)['nodes']
        self.assertEqual(['node%d' % i for i in range(1, 7)],
                         [n['name'] for n in nodes])
        self.assertEqual(['node1', 'node2'], [
            n['name'] for n in self._call('GET', '/v1/nodes', 200,
                                          headers=A)['nodes']])
        self._call('GET', '/v1/nodes/node3', 404, headers=A)
        net = self._call('POST', '/v1/networks', 201, {'name': 'lab-net'},
                         headers=A)
        self.assertEqual(1000, net['vlan'])
        action = self._call('POST', '/v1/nodes/node1/nics/eth0/attachments',
                            202, {'network': 'lab-net'}, headers=A)
        self.assertEqual('succeeded',
                         self._wait(action['uuid'], A)['status'])
        self._call('POST', '/v1/networks', 201, {'name': 'storage'},
                   headers=A)
        action = self._call('POST', '/v1/nodes/node1/nics/eth0/attachments',
                            202, {'network': 'storage', 'channel': 'tagged'},
                            headers=A)
        self.assertEqual('succeeded',
                         self._wait(action['uuid'], A)['status'])
        attachments = self._call('GET',
                                 '/v1/nodes/node1/nics/eth0/attachments',
                                 200, headers=A)['attachments']
        self.assertEqual({('lab-net', 'access', 'active'),
                          ('storage', 'tagged', 'active')},
                         {(a['network_name'], a['channel'], a['status'])
                          for a in attachments})
        for name in ('storage', 'lab-net'):
            action = self._call(
                'DELETE', '/v1/nodes/node1/nics/eth0/attachments/' + name,
                202, headers=A)
            self.assertEqual('succeeded',
                             self._wait(action['uuid'], A)['status'])
        self._call('PUT', '/v1/networks/lab-net/access/research-b', 204,
                   headers=A)
        self._call('PUT', '/v1/nodes/node4/project', 200,
                   {'project_id': 'research-b'})
        action = self._call('DELETE', '/v1/nodes/node4/project', 202)
        self.assertEqual('succeeded', self._wait(action['uuid'], {})[
            'status'])
        node4 = self._call('GET', '/v1/nodes/node4', 200)
        self.assertEqual(('free', None), (node4['state'],
                                          node4['project_id']))
        port = self._call('POST', '/v1/switches/demo-switch/ports', 201,
                          {'name': 'Gi1/0/3'})
        self.assertEqual(port['uuid'], self._call(
            'GET', '/v1/switches/demo-switch/ports/Gi1%2F0%2F3', 200)['uuid'])
        error = self._call('POST', '/v1/networks', 403,
                           {'name': 'x', 'vlan': 3000}, headers=A)
        self.assertEqual('Policy does not allow hil:network:create:vlan.',
                         error['error']['message'])
