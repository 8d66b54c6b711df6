"""Driving real switches through the hil-os API in integration tests."""

from tests import base
from tests.integration import switch_peers


class SwitchApiTestCase(base.ApiTestCase):
    """The API with the ngs driver enabled and an inline conductor."""

    def setUp(self):
        super().setUp()
        self.config.config(enabled_drivers=['fake', 'ngs'], group='switch')
        self.config.config(ssh_timeout=5, connect_retry_timeout=3,
                           group='switch')

    def register_switch(self, body):
        return self.request('post', '/v1/switches', body, status=201).json

    def cabled_node(self, switch, port, project=base.PROJECT_A):
        """Register a port, a node with one NIC on it, held by ``project``."""
        self.request('post', '/v1/switches/%s/ports' % switch['uuid'],
                     {'name': port}, status=201)
        node = self.request('post', '/v1/nodes', {
            'name': switch_peers.unique('node-'),
            'bmc': {'driver': 'fake', 'address': '127.0.0.1'}},
            status=201).json
        nic = self.request('post', '/v1/nodes/%s/nics' % node['uuid'], {
            'name': 'eth0', 'mac': self.mac(),
            'switch': switch['uuid'], 'port': port}, status=201).json
        if project:
            self.request('put', '/v1/nodes/%s/project' % node['uuid'],
                         {'project_id': project}, status=200)
        return node, nic

    _macs = iter(range(1, 1 << 24))

    def mac(self):
        import uuid
        n = uuid.uuid4().int & 0xffffff
        return '52:54:01:%02x:%02x:%02x' % (n >> 16, (n >> 8) & 255, n & 255)

    def network(self, name=None, headers=base.A_MEMBER, **body):
        body['name'] = name or switch_peers.unique('net-')
        return self.request('post', '/v1/networks', body, status=201,
                            headers=headers).json

    def attach(self, node, nic, network, channel='access',
               headers=base.A_MEMBER):
        return self.request(
            'post', '/v1/nodes/%s/nics/%s/attachments' % (node['uuid'],
                                                          nic['uuid']),
            {'network': network['uuid'], 'channel': channel}, status=202,
            headers=headers).json

    def detach(self, node, nic, network, headers=base.A_MEMBER):
        return self.request(
            'delete', '/v1/nodes/%s/nics/%s/attachments/%s' % (
                node['uuid'], nic['uuid'], network['uuid']), status=202,
            headers=headers).json

    def action(self, action):
        return self.request('get', '/v1/actions/%s' % action['uuid'],
                            status=200).json

    def assertSucceeded(self, action):
        action = self.action(action)
        self.assertEqual('succeeded', action['status'], action['message'])
        return action
