"""Attach and detach through the API against fake-switches Cisco IOS.

The interface configuration is checked with our own "show running-config"
session, not through hil-os.
"""

import random

from tests.integration import switch_api
from tests.integration import switch_peers


class TestCiscoAttach(switch_api.SwitchApiTestCase):

    def setUp(self):
        super().setUp()
        self.cisco = switch_peers.Cisco(self)
        self.switch = self.register_switch(self.cisco.switch_body())

    def free_port(self):
        # Tests run in two processes against one simulator: pick distinct
        # interfaces at random; the first ports are left to other uses.
        return 'FastEthernet0/%d' % random.randint(5, self.cisco.nports)

    def test_access_and_trunk_with_exact_list(self):
        port = self.free_port()
        node, nic = self.cabled_node(self.switch, port)
        self.assertIn('switchport access vlan 4000',
                      self.cisco.interface(port))
        native, tagged = self.network(), self.network()
        self.assertSucceeded(self.attach(node, nic, native))
        config = self.cisco.interface(port)
        self.assertIn('switchport access vlan %d' % native['vlan'], config)
        self.assertIn('switchport mode access', config)
        self.assertSucceeded(self.attach(node, nic, tagged, 'tagged'))
        config = self.cisco.interface(port)
        self.assertIn('switchport mode trunk', config)
        self.assertIn('switchport trunk native vlan %d' % native['vlan'],
                      config)
        self.assertIn('switchport trunk allowed vlan %s' % ','.join(
            str(v) for v in sorted([native['vlan'], tagged['vlan']])),
            config)
        # The VLANs exist in the switch's VLAN table.
        vlans = self.cisco.show('show vlan brief')
        self.assertIn('%d ' % tagged['vlan'], vlans)
        self.assertSucceeded(self.detach(node, nic, tagged))
        self.assertSucceeded(self.detach(node, nic, native))
        config = self.cisco.interface(port)
        self.assertIn('switchport access vlan 4000', config)
        self.assertIn('switchport mode access', config)

    def test_unknown_interface_fails_with_the_switch_answer(self):
        node, nic = self.cabled_node(self.switch, 'FastEthernet0/99')
        action = self.action(self.attach(node, nic, self.network()))
        self.assertEqual('failed', action['status'])
        self.assertIn('has no port FastEthernet0/99', action['message'])
        self.assertIn('Invalid input', action['message'])
