"""Power and boot device through the API, on the fake power driver."""

from hil_os.drivers.power import fake as fake_power
from tests import base
from tests import factories


class TestPowerApi(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.config.config(poll_interval=0.01, group='power')
        self.node = factories.create_test_node(project_id=base.PROJECT_A,
                                               bmc_port=6231)
        self.fake = fake_power.bmc('127.0.0.1', 6231)
        self.path = '/v1/nodes/%s/power' % self.node.name

    def _action(self, resp):
        return self.request('get', resp.location, status=200,
                            headers=base.A_MEMBER).json

    def test_power_on_off_reboot_soft_off(self):
        for target, requests, final in (
                ('on', ['on'], 'on'), ('reboot', ['off', 'on'], 'on'),
                ('soft_off', ['soft_off'], 'off'), ('off', ['off'], 'off')):
            self.fake.requests.clear()
            resp = self.request('put', self.path, {'target': target},
                                status=202, headers=base.A_MEMBER)
            self.assertEqual('pending', resp.json['status'])
            action = self._action(resp)
            self.assertEqual('succeeded', action['status'], action)
            self.assertEqual(self.node.uuid, action['node_uuid'])
            self.assertEqual(requests, self.fake.requests)
            power = self.request('get', self.path, status=200,
                                 headers=base.A_READER).json
            self.assertEqual(final, power['power_state'])
            self.assertEqual([], power['actions'])
        node = self.request('get', '/v1/nodes/%s' % self.node.name,
                            status=200, headers=base.A_READER).json
        self.assertEqual('off', node['power_state'])

    def test_boot_device(self):
        resp = self.request('put', '/v1/nodes/%s/boot_device' % self.node.name,
                            {'device': 'pxe', 'persistent': True},
                            status=202, headers=base.A_MEMBER)
        self.assertEqual('set_boot_device', resp.json['kind'])
        self.assertEqual('succeeded', self._action(resp)['status'])
        self.assertEqual(('pxe', True),
                         (self.fake.boot_device, self.fake.persistent))
        power = self.request('get', self.path, status=200,
                             headers=base.A_MEMBER).json
        self.assertEqual(('pxe', True), (power['boot_device'],
                                         power['boot_persistent']))

    def test_failed_action_tells_why(self):
        self.fake.reachable = False
        resp = self.request('put', self.path, {'target': 'on'}, status=202,
                            headers=base.A_MEMBER)
        action = self._action(resp)
        self.assertEqual('failed', action['status'])
        self.assertIn('unreachable', action['message'])

    def test_other_project_gets_404_reader_403(self):
        for method, path, body in (
                ('get', self.path, None),
                ('put', self.path, {'target': 'on'}),
                ('put', '/v1/nodes/%s/boot_device' % self.node.name,
                 {'device': 'disk'})):
            self.request(method, path, body, status=404,
                         headers=base.B_MEMBER)
        self.request('put', self.path, {'target': 'on'}, status=403,
                     headers=base.A_READER)
        self.request('put', '/v1/nodes/%s/boot_device' % self.node.name,
                     {'device': 'disk'}, status=403, headers=base.A_READER)
        self.assertEqual([], self.fake.requests)

    def test_invalid_bodies_name_the_field(self):
        resp = self.request('put', self.path, {'target': 'explode'},
                            status=400, headers=base.A_MEMBER)
        self.assertIn('target', resp.json['error']['message'])
        resp = self.request('put', '/v1/nodes/%s/boot_device' %
                            self.node.name, {'device': 'floppy'},
                            status=400, headers=base.A_MEMBER)
        self.assertIn('device', resp.json['error']['message'])
        self.request('put', self.path, {'target': 'on', 'x': 1}, status=400,
                     headers=base.A_MEMBER)

    def test_hand_back_powers_off_and_refuses_project_power(self):
        self.fake.power = 'on'
        self.request('delete', '/v1/nodes/%s/project' % self.node.name,
                     status=202)
        self.assertEqual('off', self.fake.power)
        self.assertEqual('free', self.request(
            'get', '/v1/nodes/%s' % self.node.name, status=200).json['state'])
        self.request('put', self.path, {'target': 'on'}, status=404,
                     headers=base.A_MEMBER)


class TestBmcRegistration(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.config.config(enabled_drivers=['fake', 'ipmi'], group='power')

    def test_ipmi_needs_an_address(self):
        resp = self.request('post', '/v1/nodes', {
            'name': 'n1', 'bmc': {'driver': 'ipmi', 'username': 'admin',
                                  'password': 'pw'}}, status=400)
        self.assertIn('bmc.address', resp.json['error']['message'])
        self.request('post', '/v1/nodes', {'name': 'n1', 'bmc': {
            'driver': 'ipmi', 'address': '192.0.2.1', 'password': 'pw'}},
            status=201)
        self.request('patch', '/v1/nodes/n1', {'bmc': {'address': None}},
                     status=400)
        self.request('patch', '/v1/nodes/n1', {'bmc': {'driver': 'fake',
                                                       'address': None}},
                     status=200)
