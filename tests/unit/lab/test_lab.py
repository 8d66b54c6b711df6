"""The virtual lab's pieces that work without root: names, the boot
relay's filter, the hil-os settings and the registration."""

import fixtures

from hil_os.cmd import lab as cmd_lab
from hil_os.lab import register
from hil_os.lab import relay
from hil_os.lab import service
from hil_os.lab import state as lab_state
from tests import base


class FakeApi:
    """The inventory calls of register.py, against dicts."""

    def __init__(self):
        self.switches, self.ports, self.nodes, self.nics = {}, [], {}, {}
        self.calls = []

    def get(self, path):
        parts = path.split('?')[0].strip('/').split('/')[1:]
        if parts[0] == 'switches' and len(parts) == 2:
            return self.switches.get(parts[1])
        if parts[0] == 'switches':
            return {'ports': [{'name': p} for p in self.ports]}
        if len(parts) == 2:
            return self.nodes.get(parts[1])
        return {'nics': list(self.nics.get(parts[1], {}).values())}

    def call(self, method, path, body=None):
        self.calls.append((method, path))
        parts = path.strip('/').split('/')[1:]
        if method == 'post' and parts == ['switches']:
            self.switches[body['name']] = body
        elif method == 'patch' and parts[0] == 'switches':
            self.switches[parts[1]].update(body)
        elif method == 'post' and parts[0] == 'switches':
            self.ports.append(body['name'])
        elif method == 'post' and parts == ['nodes']:
            self.nodes[body['name']] = dict(body)
        elif method == 'patch' and len(parts) == 2:
            self.nodes[parts[1]].update(body)
        elif method == 'post':
            nic = {'name': body['name'], 'mac': body['mac'],
                   'port': body.get('port')}
            self.nics.setdefault(parts[1], {})[body['name']] = nic
        return 200, None


class TestLab(base.TestCase):

    use_db = False

    def setUp(self):
        super().setUp()
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.state = lab_state.State(self.dir)
        self.state.data.update({'ssh_port': 22100, 'tgt_control': 14100})
        self.state.data['nodes'] = {
            'node%d' % i: {'index': i, 'bmc_port': 18600 + i,
                           'boot_mac': lab_state.mac(i, 0),
                           'data_mac': lab_state.mac(i, 1),
                           'data_port': self.state.tap(i, 'd')}
            for i in (1, 2, 16)}

    def test_names_fit_network_devices_and_carry_the_tag(self):
        names = [self.state.switch_ns, self.state.prov_ns,
                 self.state.name('pv'),
                 self.state.tap(lab_state.MAX_NODES, 'b')]
        for name in names:
            self.assertLessEqual(len(name), 15, name)
            self.assertTrue(name.startswith(self.state.tag + '-'))
        self.assertEqual(lab_state.tag_of(self.dir + '/'), self.state.tag)
        self.assertNotEqual(lab_state.tag_of(self.dir + '2'),
                            self.state.tag)
        self.assertEqual('52:54:00:4c:10:01', lab_state.mac(16, 1))

    def test_relay_forwards_boot_scripts_only(self):
        self.assertTrue(relay.BOOT_PATH.match('/v1/boot/52:54:00:4c:01:00'))
        for path in ('/v1/nodes', '/v1/boot/x/../../nodes',
                     '/v1/boot/52:54:00:4c:01:00?x=1', '/'):
            self.assertIsNone(relay.BOOT_PATH.match(path), path)

    def test_settings_point_hil_os_at_the_lab(self):
        conf = service.config(self.state, 'http://127.0.0.1:6391')
        self.assertEqual({'tgt_control_port': 14100,
                          'portal_address': lab_state.PROV_ADDRESS,
                          'portal_port': 3260}, conf['image_local'])
        self.assertEqual(6391, conf['api']['port'])
        self.assertIn('ipmi', conf['power']['enabled_drivers'])
        lines = service.config_lines(self.state, 'http://127.0.0.1:6391')
        self.assertIn('tgt_control_port = 14100', lines)
        self.assertNotIn('[api]', lines)

    def test_registration_is_idempotent_and_follows_the_lab(self):
        api = FakeApi()
        register.register(api, self.state)
        self.assertEqual(3, len(api.nodes))
        self.assertEqual(sorted(n['data_port'] for n in
                                self.state['nodes'].values()),
                         sorted(api.ports))
        self.assertEqual({'boot': None, 'data': self.state.tap(2, 'd')},
                         {k: v['port'] for k, v in api.nics['node2'].items()})
        self.assertEqual({'node1': 'yes', 'node2': 'yes', 'node16': 'yes'},
                         register.registered(api, self.state))

        # Again, after the lab came up on other ports: only updates.
        api.calls = []
        self.state.data['ssh_port'] = 22101
        self.state['nodes']['node1']['bmc_port'] = 18650
        register.register(api, self.state)
        self.assertEqual([], [c for c in api.calls if c[0] == 'post'])
        self.assertEqual(22101, api.switches[register.SWITCH]['ssh_port'])
        self.assertEqual(18650, api.nodes['node1']['bmc']['port'])

    def test_status_of_a_directory_without_a_lab(self):
        out = self.useFixture(fixtures.StringStream('stdout'))
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', out.stream))
        self.assertEqual(1, cmd_lab.main(['status', '--dir', self.dir]))
        out.stream.flush()
        self.assertIn('no lab in %s' % self.dir,
                      out.getDetails()['stdout'].as_text())
