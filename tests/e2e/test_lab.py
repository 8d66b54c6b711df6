"""hil-os on real VMs: provisioning, consoles, snapshots, lease expiry.

Nodes boot the token image (hil_os/lab/payloads.py): its boot sector
prints ``HILLAB-LBA1: <text of disk sector 1>``, so what a node prints is
what its iSCSI disk holds.
"""

import datetime
import re
import secrets

from oslo_utils import timeutils

from hil_os.lab import images
from hil_os.lab import provisioning
from hil_os.lab import state as lab_state
from tests.e2e import base
from tests import iscsi

PARKED = ('access', lab_state.PARKING_VLAN, [])


def iso(when):
    return when.isoformat(timespec='seconds') + 'Z'


def booted(text):
    return r'HILLAB-LBA1: %s\r?\nHILLAB-MBR: done' % re.escape(text)


class TestTokenImage(base.LabTestCase):

    def setUp(self):
        super().setUp()
        self.token = self.lab.state['token']
        self.assign('node1', base.PROJECT_A)
        self.assign('node2', base.PROJECT_A)
        self.assign('node3', base.PROJECT_B)
        self.share(images.TOKEN_IMAGE, base.PROJECT_A)

    def test_provisioned_node_prints_its_token_on_the_console(self):
        console = self.console('node1')
        self.call('get', '/v1/nodes/node1/console', headers=base.B_MEMBER,
                  ok=(404,))
        self.act('post', '/v1/nodes/node1/provision',
                 {'image': images.TOKEN_IMAGE})
        self.assertEqual('Chassis Power is on', self.bmc_power('node1'))
        console.expect(booted(self.token))

        # Off and on again through the API: the same disk boots again.
        self.act('put', '/v1/nodes/node1/power', {'target': 'off'})
        self.assertEqual('Chassis Power is off', self.bmc_power('node1'))
        console.skip()
        self.act('put', '/v1/nodes/node1/power', {'target': 'on'})
        console.expect(booted(self.token))
        self.assertIn('hil-os: booting node node1 from its iSCSI disk',
                      console.text)

    def test_snapshot_carries_a_marker_to_another_node(self):
        self.act('post', '/v1/nodes/node1/provision',
                 {'image': images.TOKEN_IMAGE})
        marker = 'marker-%s' % secrets.token_hex(6)
        # Written as node1 would: its initiator name and CHAP login.
        iscsi.write_bytes(self.login('node1'), 512,
                          marker.encode().ljust(512, b'\0'),
                          netns=self.lab.state.prov_ns)
        snapshot = self.act('post', '/v1/nodes/node1/snapshot',
                            {'name': 'node1-marked'})
        self.assertEqual('succeeded', snapshot['status'])
        console = self.console('node2')
        self.act('post', '/v1/nodes/node2/provision',
                 {'image': 'node1-marked'})
        console.expect(booted(marker))
        self.assertNotIn(self.token, console.text)

    def test_node_boots_again_after_its_target_server_restarts(self):
        console = self.console('node1')
        self.act('post', '/v1/nodes/node1/provision',
                 {'image': images.TOKEN_IMAGE})
        console.expect(booted(self.token))
        login = self.login('node1')
        self.act('put', '/v1/nodes/node1/power', {'target': 'off'})

        # tgtd restarts: its targets and CHAP accounts are gone.
        provisioning.restart_tgtd(self.lab.state)
        prov = self.lab.state.prov_ns
        self.assertRaises(iscsi.LoginRefused, iscsi.read_all, login, 512,
                          netns=prov)

        # hil-os's export audit (every 10 s in the lab) re-creates it.
        def reexported():
            return [a for a in self.call(
                'get', '/v1/actions?limit=100',
                headers=base.A_MEMBER)['actions']
                if a['kind'] == 'reexport' and a['status'] == 'succeeded']
        self.wait("the re-export of node1's disk", reexported, timeout=60)
        self.assertEqual(login, self.login('node1'))
        console.skip()
        self.act('put', '/v1/nodes/node1/power', {'target': 'on'})
        console.expect(booted(self.token))


class TestLeaseExpiry(base.LabTestCase):

    def lease(self, uuid):
        return self.call('get', '/v1/leases/%s' % uuid,
                         headers=base.A_MEMBER)

    def lease_node(self, node, seconds):
        now = timeutils.utcnow()
        lease = self.call('post', '/v1/leases', {
            'project_id': base.PROJECT_A, 'node': node, 'start': iso(now),
            'end': iso(now + datetime.timedelta(seconds=seconds))})
        self.wait('lease of %s to start' % node,
                  lambda: self.lease(lease['uuid'])['state'] == 'active')
        return lease

    def test_expired_lease_parks_powers_off_unexports_and_keeps_the_disk(
            self):
        self.share(images.TOKEN_IMAGE, base.PROJECT_A)
        token = self.lab.state['token']
        lease = self.lease_node('node1', 600)
        net = self.call('post', '/v1/networks', {'name': 'e2e-net'},
                        headers=base.A_MEMBER)
        self.act('post', '/v1/nodes/node1/nics/data/attachments',
                 {'network': net['uuid']})
        self.assertEqual(('access', net['vlan'], []),
                         self.port_vlans('node1'))
        console = self.console('node1')
        self.act('post', '/v1/nodes/node1/provision',
                 {'image': images.TOKEN_IMAGE})
        console.expect(booted(token))
        login = self.login('node1')
        prov = self.lab.state.prov_ns
        self.assertEqual(b'\x55\xaa', iscsi.read_all(
            login, 512, netns=prov)[510:512])

        # The member ends the lease a moment from now.
        end = timeutils.utcnow() + datetime.timedelta(seconds=2)
        self.call('patch', '/v1/leases/%s' % lease['uuid'],
                  {'end': iso(end)}, headers=base.A_MEMBER)
        ended = self.wait('the hand-back', lambda: (
            lambda body: body if body['state'] != 'active' and
            body['nodes'][0]['state'] != 'releasing' else None)(
            self.lease(lease['uuid'])), timeout=180)
        self.assertEqual(('expired', 'released'),
                         (ended['state'], ended['nodes'][0]['state']),
                         ended)

        # Read back from the lab itself.
        self.assertEqual('Chassis Power is off', self.bmc_power('node1'))
        self.assertEqual(PARKED, self.port_vlans('node1'))
        refused = self.assertRaises(iscsi.LoginRefused, iscsi.read_all,
                                    login, 512, netns=prov)
        self.assertNotIn(login.password, str(refused))
        self.assertIsNone(self.login('node1'))

        # The disk stayed the project's: a new lease boots it on node2.
        disk, = [d for d in self.call('get', '/v1/disks',
                                      headers=base.A_MEMBER)['disks']
                 if d['node_uuid'] is None]
        self.lease_node('node2', 600)
        console = self.console('node2')
        self.act('post', '/v1/nodes/node2/provision', {'disk': disk['name']})
        console.expect(booted(token))
