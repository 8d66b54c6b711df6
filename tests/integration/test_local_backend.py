"""The local backend against a real tgtd, read through a real initiator."""

import os

import fixtures

from hil_os.common import exception
from hil_os.drivers.image import local
from tests import base
from tests import iscsi

NODE_A = 'iqn.2026-11.org.hil-os.test:node-a'
NODE_B = 'iqn.2026-11.org.hil-os.test:node-b'
MIB = 1024 * 1024


def tgtd_config(testcase):
    """Point the local backend at the tgtd peer; return images_dir."""
    port = int(base.require_peer(testcase, 'HIL_OS_TGTD_PORT',
                                 'tgtd (tests/lab/peer-tgtd.sh)'))
    control = int(os.environ.get('HIL_OS_TGTD_CONTROL', port))
    images_dir = testcase.useFixture(fixtures.TempDir()).path
    testcase.config.config(images_dir=images_dir, tgt_control_port=control,
                           portal_address='127.0.0.1', portal_port=port,
                           group='image_local')
    testcase.config.config(import_dirs=[images_dir],
                           enabled_backends=['local'],
                           default_backend='local', group='image')
    return images_dir


class TestLocalBackend(base.TestCase):

    use_db = False

    def setUp(self):
        super().setUp()
        self.images_dir = tgtd_config(self)
        self.backend = local.LocalBackend()
        self.payload = os.urandom(2 * MIB) + b'\0' * (2 * MIB)
        self.source = os.path.join(self.images_dir, 'source.raw')
        with open(self.source, 'wb') as f:
            f.write(self.payload)

    def _export(self, disk_ref, disk_uuid, initiator=NODE_A,
                secret='s3cret-chap-0123'):
        export = self.backend.export(disk_ref, disk_uuid, initiator,
                                     'hiltest%s' % disk_uuid[-6:], secret)
        self.addCleanup(self.backend.unexport, disk_ref, disk_uuid)
        return export, iscsi.Login(
            host=export.portal_host, port=export.portal_port,
            lun=export.lun, target=export.target_iqn, initiator=initiator,
            username=export.chap_username, password=export.chap_secret)

    def test_import_clone_export_read(self):
        image = self.backend.import_image('0a1b-image', self.source)
        self.assertEqual(len(self.payload), image.size)
        disk = self.backend.clone(image.ref, '0a1b-disk')
        export, login = self._export(disk.ref, '0a1b-disk')
        self.assertTrue(self.backend.is_exported(disk.ref, '0a1b-disk'))
        self.assertEqual(self.payload, iscsi.read_all(login))

    def test_wrong_secret_and_other_initiator_are_refused(self):
        image = self.backend.import_image('0a2b-image', self.source)
        disk = self.backend.clone(image.ref, '0a2b-disk')
        _export, login = self._export(disk.ref, '0a2b-disk')
        wrong = iscsi.Login(**dict(vars(login), password='wrong-secret-01'))
        e = self.assertRaises(iscsi.LoginRefused, iscsi.read_all, wrong)
        self.assertIn('Authentication failure', str(e))
        other = iscsi.Login(**dict(vars(login), initiator=NODE_B))
        e = self.assertRaises(iscsi.LoginRefused, iscsi.read_all, other)
        self.assertIn('Target not found', str(e))

    def test_clone_is_independent_of_its_image(self):
        image = self.backend.import_image('0a3b-image', self.source)
        disk = self.backend.clone(image.ref, '0a3b-disk')
        _export, login = self._export(disk.ref, '0a3b-disk')
        iscsi.write_pattern(login, 0xab, 0, MIB)
        self.assertTrue(iscsi.has_pattern(login, 0xab, 0, MIB))
        with open(os.path.join(self.images_dir, image.ref), 'rb') as f:
            self.assertEqual(self.payload[:MIB], f.read(MIB))

    def test_export_again_replaces_secret_and_initiator(self):
        image = self.backend.create_image('0a4b-image', 4 * MIB)
        _export, old = self._export(image.ref, '0a4b-image')
        _export, new = self._export(image.ref, '0a4b-image', initiator=NODE_B,
                                    secret='another-secret-42')
        self.assertEqual(b'\0' * 4 * MIB, iscsi.read_all(new))
        self.assertRaises(iscsi.LoginRefused, iscsi.read_all, old)

    def test_unexport_closes_access_and_allows_delete(self):
        image = self.backend.create_image('0a5b-image', 4 * MIB)
        _export, login = self._export(image.ref, '0a5b-image')
        self.assertRaises(exception.ImageBackendError, self.backend.delete,
                          image.ref)
        self.backend.unexport(image.ref, '0a5b-image')
        self.backend.unexport(image.ref, '0a5b-image')
        self.assertFalse(self.backend.is_exported(image.ref, '0a5b-image'))
        self.assertRaises(iscsi.LoginRefused, iscsi.read_all, login)
        self.backend.delete(image.ref)
        self.backend.delete(image.ref)
        self.assertFalse(os.path.exists(
            os.path.join(self.images_dir, image.ref)))

    def test_qcow2_import_and_unsafe_sources(self):
        qcow2 = os.path.join(self.images_dir, 'source.qcow2')
        self.assertEqual(0, os.system('qemu-img convert -f raw -O qcow2 %s %s'
                                      % (self.source, qcow2)))
        image = self.backend.import_image('0a6b-image', 'file://' + qcow2)
        with open(os.path.join(self.images_dir, image.ref), 'rb') as f:
            self.assertEqual(self.payload, f.read())
        self.assertRaises(exception.InvalidImageSource,
                          self.backend.import_image, '0a6c-image',
                          '/etc/passwd')
        backed = os.path.join(self.images_dir, 'backed.qcow2')
        self.assertEqual(0, os.system(
            'qemu-img create -q -f qcow2 -F raw -b %s %s' % (self.source,
                                                             backed)))
        e = self.assertRaises(exception.InvalidImageSource,
                              self.backend.import_image, '0a6d-image',
                              backed)
        self.assertIn('backing', str(e))
