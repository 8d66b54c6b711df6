"""Data plane: hosts in network namespaces on the real OVS.

After NICs are attached through the API, hosts on the same network ping
each other and hosts on different networks cannot, even in the same IP
subnet; a tagged channel reaches its VLAN. This kernel has no 802.1Q, so
the trunked "host NIC" is an OVS bridge of its own joined to the switch
port by a patch port, with one internal port per VLAN (LAB.md 1.3).
"""

import subprocess
import uuid

from tests.integration import switch_api
from tests.integration import switch_peers


class TestDataPlane(switch_api.SwitchApiTestCase):

    def setUp(self):
        super().setUp()
        self.ovs = switch_peers.Ovs(self)
        self.switch = self.register_switch(self.ovs.switch_body())
        self.tag = uuid.uuid4().hex[:4]

    def sh(self, *args, check=True):
        return subprocess.run(args, check=check, capture_output=True,
                              text=True)

    def netns(self, name):
        ns = 'hd%s-%s' % (self.tag, name)
        self.sh('ip', 'netns', 'add', ns)
        self.addCleanup(self.sh, 'ip', 'netns', 'del', ns, check=False)
        self.sh('ip', 'netns', 'exec', ns, 'sysctl', '-qw',
                'net.ipv6.conf.all.disable_ipv6=1')
        self.sh('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up')
        return ns

    def veth_host(self, name, address):
        """A host in its own netns on a veth whose other end is a port."""
        ns = self.netns(name)
        port = 'hd%s%s' % (self.tag, name)
        self.sh('ip', 'link', 'add', port, 'type', 'veth', 'peer', 'name',
                'eth0', 'netns', ns)
        # ovs-vswitchd runs in the peer's namespace: the port goes there.
        self.sh('ip', 'link', 'set', port, 'netns', self.ovs.netns)
        self.addCleanup(self.sh, 'ip', 'netns', 'exec', self.ovs.netns,
                        'ip', 'link', 'del', port, check=False)
        self.sh('ip', 'netns', 'exec', self.ovs.netns, 'ip', 'link', 'set',
                port, 'up')
        self._address(ns, 'eth0', address)
        # TCP through userspace OVS needs checksums done in software.
        self.sh('ip', 'netns', 'exec', ns, 'ethtool', '-K', 'eth0', 'tx',
                'off')
        self.ovs.add_port(port, internal=False)
        return ns, port

    def _address(self, ns, dev, address):
        self.sh('ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', address,
                'dev', dev)
        self.sh('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', dev, 'up')

    def trunk_host(self, native_vlan, tagged_vlan, native_address,
                   tagged_address):
        """A "host NIC" trunk: a bridge patched to a new switch port.

        Its internal port for ``native_vlan`` sends untagged frames, the
        one for ``tagged_vlan`` (its "VLAN sub-interface") tagged frames.
        """
        bridge, port, up = ('hb%s' % self.tag, 'hd%strk' % self.tag,
                            'hd%sup' % self.tag)
        trunks = 'trunks=%d,%d' % (native_vlan, tagged_vlan)
        self.ovs.vsctl(
            'add-br', bridge, '--', 'set', 'bridge', bridge,
            'datapath_type=netdev',
            '--', 'add-port', self.ovs.bridge, port, '--', 'set',
            'interface', port, 'type=patch', 'options:peer=%s' % up,
            '--', 'add-port', bridge, up, '--', 'set', 'interface', up,
            'type=patch', 'options:peer=%s' % port, '--', 'set', 'port', up,
            'vlan_mode=native-untagged', 'tag=%d' % native_vlan, trunks)
        self.addCleanup(self.ovs.vsctl, '--if-exists', 'del-port',
                        self.ovs.bridge, port)
        self.addCleanup(self.ovs.vsctl, '--if-exists', 'del-br', bridge)
        hosts = []
        for name, vlan, address in (('n', native_vlan, native_address),
                                    ('t', tagged_vlan, tagged_address)):
            ns = self.netns('trk' + name)
            dev = 'hd%sv%s' % (self.tag, name)
            self.ovs.vsctl('add-port', bridge, dev, 'tag=%d' % vlan, '--',
                           'set', 'interface', dev, 'type=internal')
            self.sh('ip', 'netns', 'exec', self.ovs.netns, 'ip', 'link',
                    'set', dev, 'netns', ns)
            self._address(ns, dev, address)
            hosts.append(ns)
        return port, hosts

    def pings(self, ns, address, tries=3):
        for _ in range(tries):
            if self.sh('ip', 'netns', 'exec', ns, 'ping', '-c', '1', '-W',
                       '1', address, check=False).returncode == 0:
                return True
        return False

    def test_isolation_and_tagged_channel(self):
        net_a, net_b = self.network(), self.network()
        # One IP subnet for everyone: only the VLANs keep hosts apart.
        h1, p1 = self.veth_host('h1', '10.201.1.1/24')
        h2, p2 = self.veth_host('h2', '10.201.1.2/24')
        h3, p3 = self.veth_host('h3', '10.201.1.3/24')
        trunk, (h4, h4v) = self.trunk_host(net_a['vlan'], net_b['vlan'],
                                           '10.201.1.4/24', '10.201.1.5/24')
        nics = {}
        for port in (p1, p2, p3, trunk):
            nics[port] = self.cabled_node(self.switch, port)
        for port, net in ((p1, net_a), (p2, net_a), (p3, net_b),
                          (trunk, net_a)):
            self.assertSucceeded(self.attach(*nics[port], net))
        self.assertSucceeded(self.attach(*nics[trunk], net_b, 'tagged'))

        self.assertTrue(self.pings(h1, '10.201.1.2'), 'h1 -> h2 (net A)')
        self.assertFalse(self.pings(h1, '10.201.1.3', tries=1),
                         'h1 (net A) reached h3 (net B)')
        self.assertTrue(self.pings(h4, '10.201.1.1'),
                        'trunk native (net A) -> h1')
        self.assertFalse(self.pings(h4, '10.201.1.3', tries=1),
                         'trunk native (net A) reached h3 (net B)')
        self.assertTrue(self.pings(h4v, '10.201.1.3'),
                        'trunk tagged (net B) -> h3')
        self.assertFalse(self.pings(h4v, '10.201.1.2', tries=1),
                         'trunk tagged (net B) reached h2 (net A)')

        # Detached, h2 is parked: nobody reaches it any more.
        self.assertSucceeded(self.detach(*nics[p2], net_a))
        self.assertFalse(self.pings(h1, '10.201.1.2', tries=1),
                         'h1 reached h2 after its detach')
