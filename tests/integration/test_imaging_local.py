"""Imaging end to end on the local backend: API, conductor, real tgtd.

The test logs in as the nodes would, with the initiator name and CHAP
login of their iPXE scripts, through a user-space initiator (qemu).
"""

import itertools
import os

from hil_os import conf
from hil_os.drivers.image import tgt
from hil_os.drivers.power import fake as fake_power
from tests import base
from tests import factories
from tests.integration import test_local_backend
from tests import iscsi

MIB = 1024 * 1024
_ports = itertools.count(21000)


class ImagingFlow:
    """The whole imaging story over a real target.

    ``configure`` picks the backend and returns a directory images may be
    imported from.
    """

    #: Whether every export gets a new CHAP secret (Cinder keeps one per
    #: volume, set by its driver).
    fresh_secret_per_export = True

    def configure(self):
        raise NotImplementedError

    def check_image_untouched(self, image):
        """Backend-specific: the image's bytes were not written by a node."""

    def lose_export(self, login, disk_uuid):
        """Backend-specific: remove an export behind hil-os's back."""
        raise NotImplementedError

    def setUp(self):
        super().setUp()
        self.images_dir = self.configure()
        self.config.config(power_timeout=1, poll_interval=0.01,
                           group='power')
        self.payload = os.urandom(3 * MIB) + b'\0' * MIB
        source = os.path.join(self.images_dir, 'source.raw')
        with open(source, 'wb') as f:
            f.write(self.payload)
        image = self.request('post', '/v1/images',
                             {'name': 'base', 'source': source},
                             status=202, headers=base.A_MEMBER).json
        self.assertEqual('available', self.image(image['uuid'])['status'])
        self.nodes = [self._node() for _ in range(2)]
        # Cleanups run last first: disks go, then images.
        self.addCleanup(self._delete_images)
        self.addCleanup(self._deprovision_all)

    def _node(self):
        port = next(_ports)
        node = factories.create_test_node(project_id=base.PROJECT_A,
                                          bmc_port=port)
        nic = factories.create_test_nic(node)
        return node, nic.mac, fake_power.bmc('127.0.0.1', port)

    def _deprovision_all(self):
        for node, _mac, _bmc in self.nodes:
            self.request('post', '/v1/nodes/%s/deprovision' % node.name,
                         {'delete_disk': True}, headers=base.A_MEMBER)

    def _delete_images(self):
        for image in self.request('get', '/v1/images',
                                  headers=base.A_MEMBER).json['images']:
            self.request('delete', '/v1/images/%s' % image['uuid'],
                         headers=base.A_MEMBER)

    def image(self, ident):
        return self.request('get', '/v1/images/%s' % ident, status=200,
                            headers=base.A_MEMBER).json

    def run_action(self, node, what, body):
        resp = self.request('post', '/v1/nodes/%s/%s' % (node.name, what),
                            body, status=202, headers=base.A_MEMBER).json
        uuid = resp.get('action_uuid') or resp['uuid']
        action = self.request('get', '/v1/actions/%s' % uuid,
                              status=200).json
        self.assertEqual('succeeded', action['status'], action['message'])
        return action

    def login(self, mac):
        script = self.request('get', '/v1/boot/%s' % mac, status=200,
                              headers={}).text
        return iscsi.parse_ipxe(script)

    def test_provision_deprovision_resume_snapshot_clone(self):
        (node1, mac1, bmc1), (node2, mac2, _bmc2) = self.nodes
        self.run_action(node1, 'provision', {'image': 'base'})
        self.assertEqual(('on', 'pxe'), (bmc1.power, bmc1.boot_device))
        login = self.login(mac1)
        self.assertEqual(self.payload,
                         iscsi.read_all(login, len(self.payload)))

        # Only this node's initiator, with this secret, gets in.
        wrong = iscsi.Login(**dict(vars(login), password='not-the-secret'))
        self.assertIn('Authentication failure', str(self.assertRaises(
            iscsi.LoginRefused, iscsi.read_all, wrong)))
        other = iscsi.Login(**dict(vars(login), initiator='%s:%s' % (
            'iqn.2026-11.org.hil-os:node', node2.uuid)))
        self.assertIn('Target not found', str(self.assertRaises(
            iscsi.LoginRefused, iscsi.read_all, other)))

        # The node writes; its data outlives deprovisioning.
        iscsi.write_pattern(login, 0xcd, MIB, MIB)
        self.run_action(node1, 'deprovision', {})
        self.assertEqual('off', bmc1.power)
        self.assertRaises(iscsi.LoginRefused, iscsi.read_all, login)
        self.assertIsNone(self.login(mac1))
        disk, = self.request('get', '/v1/disks', status=200,
                             headers=base.A_MEMBER).json['disks']
        self.assertIsNone(disk['node_uuid'])

        self.run_action(node1, 'provision', {'disk': disk['name']})
        resumed = self.login(mac1)
        self.assertTrue(iscsi.has_pattern(resumed, 0xcd, MIB, MIB))
        if self.fresh_secret_per_export:
            self.assertNotEqual(login.password, resumed.password)
            self.assertRaises(iscsi.LoginRefused, iscsi.read_all, login)

        # A snapshot carries that data to another node.
        action = self.run_action(node1, 'snapshot', {'name': 'golden'})
        self.assertIn('golden', action['message'])
        self.run_action(node2, 'provision', {'image': 'golden'})
        clone = self.login(mac2)
        self.assertTrue(iscsi.has_pattern(clone, 0xcd, MIB, MIB))
        self.assertEqual(self.payload[:MIB], iscsi.read_all(clone, MIB))
        self.check_image_untouched(self.image('base'))

    def test_lost_export_is_recreated_by_the_audit(self):
        (node1, mac1, _bmc1), _other = self.nodes
        self.run_action(node1, 'provision', {'image': 'base'})
        login = self.login(mac1)
        iscsi.write_pattern(login, 0x5a, MIB, MIB)
        disk, = self.request('get', '/v1/disks', status=200,
                             headers=base.A_MEMBER).json['disks']
        self.lose_export(login, disk['uuid'])
        self.assertRaises(iscsi.LoginRefused, iscsi.read_all, login, MIB)

        self.conductor.manager.audit_exports()
        action, = [a for a in self.request(
            'get', '/v1/actions?limit=100', status=200,
            headers=base.A_MEMBER).json['actions'] if a['kind'] == 'reexport']
        self.assertEqual('succeeded', action['status'], action['message'])
        # The node logs in as before, with the same login, to its data.
        self.assertEqual(login, self.login(mac1))
        self.assertTrue(iscsi.has_pattern(login, 0x5a, MIB, MIB))
        wrong = iscsi.Login(**dict(vars(login), password='not-the-secret'))
        self.assertRaises(iscsi.LoginRefused, iscsi.read_all, wrong, MIB)


class TestImagingOverIscsi(ImagingFlow, base.ApiTestCase):
    """On the local backend and the tgtd peer."""

    def configure(self):
        return test_local_backend.tgtd_config(self)

    def check_image_untouched(self, image):
        with open(os.path.join(self.images_dir, 'image-%s.raw' %
                               image['uuid']), 'rb') as f:
            self.assertEqual(self.payload, f.read())

    def lose_export(self, login, disk_uuid):
        # What a restart of tgtd does: the target and its CHAP account are
        # gone (tgtd keeps them in memory only).
        tgtadm = tgt.Tgtadm(conf.CONF.image_local.tgt_control_port,
                            command=conf.CONF.image_local.tgtadm_command)
        tgtadm.delete_target(tgtadm.targets()[login.target].tid)
        tgtadm.delete_account(login.username)
