"""Device families: the exact commands sent, read-back parsing, errors."""

import json

from hil_os.drivers.switch import base
from hil_os.drivers.switch import families
from tests import base as test_base

ACCESS = base.PortConfig.access
TRUNK = base.PortConfig.trunk


def ovs_list(*rows):
    """`ovs-vsctl --format=json list port` output of (name, tag, ...) rows."""
    def atom(value):
        if value is None or value == []:
            return ['set', []]
        if isinstance(value, list):
            return ['set', value]
        return value
    return json.dumps({'headings': ['name', 'tag', 'trunks', 'vlan_mode'],
                       'data': [[n, atom(t), atom(tr), atom(m)]
                                for n, t, tr, m in rows]})


class TestOvsLinux(test_base.TestCase):

    use_db = False
    family = families.OvsLinux()

    def test_access_is_one_transaction_with_no_trunks(self):
        self.assertEqual(
            ['ovs-vsctl set port p1 vlan_mode=access tag=100 '
             '-- clear port p1 trunks'],
            self.family.port_commands('p1', ACCESS(100)))

    def test_trunk_has_exact_list_with_native(self):
        self.assertEqual(
            ['ovs-vsctl set port p1 vlan_mode=native-untagged tag=4000 '
             'trunks=200,300,4000'],
            self.family.port_commands('p1', TRUNK(4000, [300, 200])))

    def test_parse(self):
        ports = self.family.parse([ovs_list(
            ('p1', 100, [], 'access'),
            ('p2', 4000, [200, 4000], 'native-untagged'),
            ('p3', None, [], None),
            ('p4', 100, [], 'native-untagged'),
            ('p5', None, [200], 'trunk'),
            ('p6', 7, [], None))])
        self.assertEqual({'p1': ACCESS(100), 'p2': TRUNK(4000, [200]),
                          'p3': None, 'p4': base.PortConfig.trunk_all(100),
                          'p5': base.PortConfig(base.TRUNK, None, (200,)),
                          'p6': ACCESS(7)}, ports)
        self.assertIsNone(ports['p4'].vlans())

    def test_parse_single_trunk_atom(self):
        text = ('{"data":[["p1",100,200,"native-untagged"]],'
                '"headings":["name","tag","trunks","vlan_mode"]}')
        self.assertEqual({'p1': TRUNK(100, [200])},
                         self.family.parse([text]))

    def test_parse_garbage_raises(self):
        self.assertRaises(ValueError, self.family.parse,
                          ['ovs-vsctl: database connection failed'])

    def test_errors_belong_to_the_port_that_caused_them(self):
        output = '\n'.join([
            'root@sw:~# ovs-vsctl set port p1 vlan_mode=access tag=5 '
            '-- clear port p1 trunks',
            'root@sw:~# ovs-vsctl set port nosuch vlan_mode=access tag=5 '
            '-- clear port nosuch trunks',
            'ovs-vsctl: no row "nosuch" in table Port',
            'root@sw:~# '])
        self.assertEqual(
            {'nosuch': ['ovs-vsctl: no row "nosuch" in table Port']},
            self.family.errors(output, ['p1', 'nosuch']))


class TestCiscoIos(test_base.TestCase):

    use_db = False
    family = families.CiscoIos()

    def test_access_commands(self):
        self.assertEqual(
            ['interface Gi1/0/1', 'switchport access vlan 100',
             'switchport mode access', 'switchport trunk allowed vlan none',
             'no switchport trunk native vlan', 'end', 'configure terminal'],
            self.family.port_commands('Gi1/0/1', ACCESS(100)))

    def test_trunk_sets_exact_allowed_list_before_trunk_mode(self):
        commands = self.family.port_commands('Gi1/0/1',
                                             TRUNK(4000, [300, 200]))
        self.assertEqual(
            ['interface Gi1/0/1',
             'switchport trunk allowed vlan 200,300,4000',
             'switchport trunk native vlan 4000', 'switchport mode trunk',
             'no switchport access vlan', 'end', 'configure terminal'],
            commands)
        self.assertFalse([c for c in commands if ' add ' in c or
                          c.endswith(' all')])

    def test_vlan_table(self):
        self.assertEqual(['vlan 5', 'exit', 'vlan 100', 'exit'],
                         self.family.vlan_commands({100, 5}))

    def test_parse_running_config(self):
        text = '\n'.join([
            'Building configuration...', '', 'Current configuration : 9',
            'vlan 100', '!',
            'interface FastEthernet0/1',
            ' switchport access vlan 100', ' switchport mode access', '!',
            'interface FastEthernet0/2',
            ' switchport trunk native vlan 4000',
            ' switchport trunk allowed vlan 200,300-301,4000',
            ' switchport mode trunk', '!',
            'interface FastEthernet0/3', ' switchport mode trunk', '!',
            'interface FastEthernet0/4', '!',
            'interface FastEthernet0/5', ' switchport mode access', '!',
            'interface FastEthernet0/6',
            ' switchport trunk allowed vlan 200',
            ' switchport trunk allowed vlan add 300',
            ' switchport trunk native vlan 4000',
            ' switchport mode trunk', '!',
            'interface FastEthernet0/7',
            ' switchport trunk allowed vlan none',
            ' switchport mode trunk', '!', 'end'])
        ports = self.family.parse([text])
        self.assertEqual(ACCESS(100), ports['FastEthernet0/1'])
        self.assertEqual(TRUNK(4000, [200, 300, 301]),
                         ports['FastEthernet0/2'])
        self.assertEqual(base.PortConfig.trunk_all(1),
                         ports['FastEthernet0/3'])
        self.assertIsNone(ports['FastEthernet0/4'])
        self.assertEqual(ACCESS(1), ports['FastEthernet0/5'])
        # Native VLAN not in the allowed list: it is not carried.
        self.assertEqual(base.PortConfig(base.TRUNK, None, (200, 300)),
                         ports['FastEthernet0/6'])
        self.assertEqual(base.PortConfig(base.TRUNK, None, ()),
                         ports['FastEthernet0/7'])

    def test_errors_by_block(self):
        output = '\n'.join([
            'sw(config)#vlan 5', 'sw(config-vlan)#exit',
            'sw(config)#interface FastEthernet0/1',
            'sw(config-if)#switchport access vlan 5',
            'sw(config-if)#end', 'sw#configure terminal',
            'sw(config)#interface FastEthernet0/99',
            "% Invalid input detected at '^' marker (not such interface)",
            'sw(config)#switchport access vlan 5',
            'No such command : switchport access vlan 5',
            'sw(config)#interface FastEthernet0/10',
            'sw(config-if)#end'])
        self.assertEqual(
            {'FastEthernet0/99': [
                "% Invalid input detected at '^' marker (not such "
                "interface)", 'No such command : switchport access vlan 5']},
            self.family.errors(output, ['FastEthernet0/1',
                                        'FastEthernet0/99',
                                        'FastEthernet0/10']))


class TestPortConfig(test_base.TestCase):

    use_db = False

    def test_describe(self):
        self.assertEqual('access VLAN 5', ACCESS(5).describe())
        self.assertEqual('trunk native VLAN 4 tagged 7,8',
                         TRUNK(4, [8, 7, 4]).describe())
        self.assertIn('EVERY VLAN',
                      base.PortConfig.trunk_all(1).describe())
        self.assertIn('every VLAN', base.describe(None))

    def test_supported_device_types(self):
        self.assertEqual(['netmiko_cisco_ios', 'netmiko_ovs_linux'],
                         families.supported_device_types())
