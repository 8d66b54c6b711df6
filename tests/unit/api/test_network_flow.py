"""The attach/detach path: API -> DB intent -> conductor -> driver."""

from hil_os.drivers.switch import base as switch_base
from hil_os.drivers.switch import fake as fake_switch
from tests import base
from tests import factories


class TestAttachDetach(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.switch = factories.create_test_switch()
        self.node, self.nic, self.port = factories.create_cabled_node(
            project_id=base.PROJECT_A, switch=self.switch)

    def _network(self, name='net', headers=base.A_MEMBER):
        return self.request('post', '/v1/networks', {'name': name},
                            status=201, headers=headers).json

    def test_attach_configures_switch_and_action_succeeds(self):
        net = self._network()
        resp = self.request(
            'post', '/v1/nodes/%s/nics/%s/attachments' % (
                self.node.name, self.nic.name),
            {'network': 'net'}, status=202, headers=base.A_MEMBER)
        self.assertTrue(resp.location.endswith(
            '/v1/actions/%s' % resp.json['uuid']))
        action = self.request('get', '/v1/actions/%s' % resp.json['uuid'],
                              status=200, headers=base.A_MEMBER).json
        self.assertEqual('succeeded', action['status'])
        self.assertEqual(switch_base.PortConfig.access(net['vlan']),
                         fake_switch.ports(self.switch.name)[self.port.name])
        attachments = self.request(
            'get', '/v1/nodes/%s/nics/%s/attachments' % (
                self.node.name, self.nic.name),
            status=200, headers=base.A_MEMBER).json['attachments']
        self.assertEqual([('net', 'active', 'access')],
                         [(a['network_name'], a['status'], a['channel'])
                          for a in attachments])

    def test_detach_parks_port(self):
        self._network()
        path = '/v1/nodes/%s/nics/%s/attachments' % (self.node.name,
                                                     self.nic.name)
        self.request('post', path, {'network': 'net'}, status=202,
                     headers=base.A_MEMBER)
        resp = self.request('delete', path + '/net', status=202,
                            headers=base.A_MEMBER)
        self.assertEqual('detach', resp.json['kind'])
        self.assertEqual(switch_base.PortConfig.access(4000),
                         fake_switch.ports(self.switch.name)[self.port.name])
        self.assertEqual([], self.request('get', path, status=200,
                                          headers=base.A_MEMBER
                                          ).json['attachments'])

    def test_tagged_and_access_make_a_trunk(self):
        native = self._network('native')
        tagged = self._network('tagged')
        path = '/v1/nodes/%s/nics/%s/attachments' % (self.node.name,
                                                     self.nic.name)
        self.request('post', path, {'network': 'native'}, status=202,
                     headers=base.A_MEMBER)
        self.request('post', path, {'network': 'tagged',
                                    'channel': 'tagged'},
                     status=202, headers=base.A_MEMBER)
        self.assertEqual(
            switch_base.PortConfig.trunk(native['vlan'], [tagged['vlan']]),
            fake_switch.ports(self.switch.name)[self.port.name])

    def test_second_access_network_is_refused(self):
        self._network('one')
        self._network('two')
        path = '/v1/nodes/%s/nics/%s/attachments' % (self.node.name,
                                                     self.nic.name)
        self.request('post', path, {'network': 'one'}, status=202,
                     headers=base.A_MEMBER)
        resp = self.request('post', path, {'network': 'two'}, status=409,
                            headers=base.A_MEMBER)
        self.assertIn('access channel', resp.json['error']['message'])

    def test_other_project_network_is_invisible(self):
        self._network('theirs', headers=base.B_MEMBER)
        path = '/v1/nodes/%s/nics/%s/attachments' % (self.node.name,
                                                     self.nic.name)
        resp = self.request('post', path, {'network': 'theirs'},
                            status=404, headers=base.A_MEMBER)
        self.assertIn('theirs', resp.json['error']['message'])
