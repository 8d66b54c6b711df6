"""Isolation on real VMs: Linux nodes ping each other over the switch.

The Linux image (hil_os/lab/payloads.py) gives each node's data NIC
10.201.0.N (N from its MAC) and prints, every 2 s, which of 10.201.0.1-16
answered a ping: ``HILLAB-REACH <round>: <addresses or ->``. Only hil-os
puts data ports on VLANs, so what a node reaches is what hil-os allowed.
"""

import re

from hil_os.lab import images
from tests.e2e import base

REACH = re.compile(r'HILLAB-REACH (\d+): ([^\r\n]*)\r?\n')


def ip(index):
    return '10.201.0.%d' % index


class Reach:
    """The REACH rounds a node's console shows."""

    def __init__(self, console):
        self.console = console

    def rounds(self):
        self.console.read(wait=1)
        return [set(found.split()) - {'-'}
                for _, found in REACH.findall(self.console.text)]

    def until(self, what, check, timeout=150):
        """Wait for a round for which ``check(reached)`` holds."""
        return self.console.test.wait(what, lambda: any(
            check(r) for r in self.rounds()), timeout, interval=0)

    def wait_rounds(self, count, timeout=150):
        """The rounds, once there are at least ``count``."""
        return self.console.test.wait(
            '%d rounds' % count, lambda: (
                lambda rounds: rounds if len(rounds) >= count else None)(
                self.rounds()), timeout, interval=0)


class TestLinuxIsolation(base.LabTestCase):

    linux = True

    def test_same_network_reaches_other_project_and_detached_do_not(self):
        for node, project in (('node1', base.PROJECT_A),
                              ('node2', base.PROJECT_A),
                              ('node3', base.PROJECT_B)):
            self.assign(node, project)
        for project in (base.PROJECT_A, base.PROJECT_B):
            self.share(images.LINUX_IMAGE, project)
        net_a = self.call('post', '/v1/networks', {'name': 'net-a'},
                          headers=base.A_MEMBER)
        net_b = self.call('post', '/v1/networks', {'name': 'net-b'},
                          headers=base.B_MEMBER)
        for node, net, who in (('node1', net_a, base.A_MEMBER),
                               ('node2', net_a, base.A_MEMBER),
                               ('node3', net_b, base.B_MEMBER)):
            self.act('post', '/v1/nodes/%s/nics/data/attachments' % node,
                     {'network': net['uuid']}, headers=who)
        self.assertEqual([('access', net_a['vlan'], [])] * 2 +
                         [('access', net_b['vlan'], [])],
                         [self.port_vlans(n) for n in ('node1', 'node2',
                                                       'node3')])
        reach = {}
        for node, who in (('node1', base.A_MEMBER), ('node2', base.A_MEMBER),
                          ('node3', base.B_MEMBER)):
            reach[node] = Reach(self.console(node, headers=who))
            self.act('post', '/v1/nodes/%s/provision' % node,
                     {'image': images.LINUX_IMAGE}, headers=who)

        reach['node1'].until('node1 to reach node2',
                             lambda r: ip(2) in r)
        reach['node2'].until('node2 to reach node1',
                             lambda r: ip(1) in r)
        reach['node3'].console.expect(r'HILLAB-NIC \S+ \S+:01 10\.201\.0\.3')
        # All three are up: three fresh rounds of each.
        for node in reach.values():
            node.console.skip()
        self.assertEqual([set()] * 3, reach['node3'].wait_rounds(3)[:3])
        for node, peer in (('node1', ip(2)), ('node2', ip(1))):
            rounds = reach[node].wait_rounds(3)[:3]
            # A ping may be lost under load, never one across projects.
            self.assertEqual({peer}, set().union(*rounds), rounds)

        # Detached, node2 reaches nothing, and node1 no longer reaches it.
        self.act('delete', '/v1/nodes/node2/nics/data/attachments/%s'
                 % net_a['uuid'])
        self.assertEqual(('access', 4000, []), self.port_vlans('node2'))
        for node in ('node1', 'node2'):
            reach[node].console.skip()
        # The round under way during the detach may still have seen it.
        self.assertEqual(set(), reach['node2'].wait_rounds(2)[-1])
        self.assertNotIn(ip(2), reach['node1'].wait_rounds(2)[-1])
