"""Attach and detach through the API against a real Open vSwitch over SSH.

The VLAN state is checked with ovs-vsctl directly, not through hil-os.
"""

from tests import base
from tests.integration import switch_api
from tests.integration import switch_peers


class TestOvsAttach(switch_api.SwitchApiTestCase):

    def setUp(self):
        super().setUp()
        self.ovs = switch_peers.Ovs(self)
        self.switch = self.register_switch(self.ovs.switch_body())

    def test_port_is_parked_at_registration(self):
        port = self.ovs.add_port()
        self.assertEqual((None, None, []), self.ovs.port_vlans(port))
        self.request('post', '/v1/switches/%s/ports' % self.switch['uuid'],
                     {'name': port}, status=201)
        self.assertEqual(('access', 4000, []), self.ovs.port_vlans(port))

    def test_access_attach_and_detach(self):
        port = self.ovs.add_port()
        node, nic = self.cabled_node(self.switch, port)
        net = self.network()
        self.assertSucceeded(self.attach(node, nic, net))
        self.assertEqual(('access', net['vlan'], []),
                         self.ovs.port_vlans(port))
        self.assertSucceeded(self.detach(node, nic, net))
        self.assertEqual(('access', 4000, []), self.ovs.port_vlans(port))

    def test_trunk_has_exact_allowed_list(self):
        port = self.ovs.add_port()
        node, nic = self.cabled_node(self.switch, port)
        native, t1, t2 = self.network(), self.network(), self.network()
        self.assertSucceeded(self.attach(node, nic, t1, 'tagged'))
        self.assertEqual(('native-untagged', 4000, [t1['vlan'], 4000]),
                         self.ovs.port_vlans(port))
        self.assertSucceeded(self.attach(node, nic, native))
        self.assertSucceeded(self.attach(node, nic, t2, 'tagged'))
        self.assertEqual(
            ('native-untagged', native['vlan'],
             sorted([native['vlan'], t1['vlan'], t2['vlan']])),
            self.ovs.port_vlans(port))
        self.assertSucceeded(self.detach(node, nic, t1))
        self.assertEqual(
            ('native-untagged', native['vlan'],
             sorted([native['vlan'], t2['vlan']])),
            self.ovs.port_vlans(port))
        self.assertSucceeded(self.detach(node, nic, t2))
        self.assertEqual(('access', native['vlan'], []),
                         self.ovs.port_vlans(port))

    def test_revert_parks_port(self):
        port = self.ovs.add_port()
        node, nic = self.cabled_node(self.switch, port)
        self.assertSucceeded(self.attach(node, nic, self.network()))
        action = self.request(
            'post', '/v1/switches/%s/ports/%s/revert' % (
                self.switch['uuid'], port), status=202).json
        self.assertSucceeded(action)
        self.assertEqual(('access', 4000, []), self.ovs.port_vlans(port))

    def test_port_missing_on_switch_fails_the_action(self):
        node, nic = self.cabled_node(self.switch, 'hpmissing0')
        action = self.action(self.attach(node, nic, self.network()))
        self.assertEqual('failed', action['status'])
        self.assertIn('has no port hpmissing0', action['message'])
        self.assertIn('no row "hpmissing0"', action['message'])

    def test_audit_finds_drift_and_repair_fixes_it(self):
        port = self.ovs.add_port()
        node, nic = self.cabled_node(self.switch, port)
        net = self.network()
        self.assertSucceeded(self.attach(node, nic, net))
        # Someone changes the port by hand: no tag and no trunks carry
        # every VLAN.
        self.ovs.vsctl('clear', 'port', port, 'tag', '--', 'clear', 'port',
                       port, 'vlan_mode')
        report = self.request('get', '/v1/switches/%s/audit' %
                              self.switch['uuid'], status=200).json
        entry = [p for p in report['ports'] if p['name'] == port][0]
        self.assertEqual('drift', entry['status'])
        self.assertIsNone(entry['actual'])
        self.assertEqual({'mode': 'access', 'native_vlan': net['vlan'],
                          'tagged': []}, entry['desired'])
        self.config.config(switch_audit_repair=True, group='conductor')
        self.conductor.manager.audit_switches()
        self.assertEqual(('access', net['vlan'], []),
                         self.ovs.port_vlans(port))

    def test_other_projects_node_cannot_be_attached(self):
        port = self.ovs.add_port()
        node, nic = self.cabled_node(self.switch, port,
                                     project=base.PROJECT_B)
        net = self.network()
        self.request('post', '/v1/nodes/%s/nics/%s/attachments' % (
            node['uuid'], nic['uuid']), {'network': net['uuid']},
            status=404, headers=base.A_MEMBER)
        self.assertEqual(('access', 4000, []), self.ovs.port_vlans(port))
