"""The cinder backend against a real Cinder (API, scheduler, volume) with
Keystone, RabbitMQ and the file+tgt test driver; read through a real
user-space initiator.
"""

import os
import uuid

import fixtures
from keystoneauth1 import loading as ks_loading

from hil_os.common import exception
from hil_os.db import api as dbapi
from hil_os.drivers.image import cinder
from tests import base
from tests.integration import test_imaging_local
from tests import iscsi

MIB = 1024 * 1024
GIB = 1024 * MIB
NODE_A = 'iqn.2026-11.org.hil-os.test:node-a'
NODE_B = 'iqn.2026-11.org.hil-os.test:node-b'


def cinder_config(testcase):
    """Point the cinder backend at the Cinder peer; return an import dir."""
    url = base.require_peer(testcase, 'HIL_OS_TEST_CINDER_URL',
                            'Cinder (tests/lab/peer-cinder.sh)')
    env = os.environ
    # Loading the auth plugin registers its options; set them first.
    testcase.config.register_opts(
        ks_loading.get_auth_plugin_conf_options('password'), group='cinder')
    testcase.config.config(
        auth_type='password', auth_url=env['HIL_OS_TEST_KEYSTONE_URL'],
        username=env['HIL_OS_TEST_KEYSTONE_SERVICE_USER'],
        password=env['HIL_OS_TEST_KEYSTONE_PASSWORD'],
        project_name=env['HIL_OS_TEST_KEYSTONE_SERVICE_PROJECT'],
        user_domain_name='Default', project_domain_name='Default',
        region_name='RegionOne', poll_interval=0.2, group='cinder')
    assert url.startswith('http://127.0.0.1')
    import_dir = testcase.useFixture(fixtures.TempDir()).path
    testcase.config.config(enabled_backends=['cinder'],
                           default_backend='cinder',
                           import_dirs=[import_dir], group='image')
    return import_dir


class TestCinderBackend(base.TestCase):

    use_db = False

    def setUp(self):
        super().setUp()
        self.import_dir = cinder_config(self)
        self.backend = cinder.CinderBackend()
        self.payload = os.urandom(2 * MIB)
        self.source = os.path.join(self.import_dir, 'source.raw')
        with open(self.source, 'wb') as f:
            f.write(self.payload)

    def _stored(self, make, *args):
        stored = make(*args)
        self.addCleanup(self.backend.delete, stored.ref)
        return stored

    def _export(self, ref, disk_uuid, initiator=NODE_A):
        export = self.backend.export(ref, disk_uuid, initiator, 'unused',
                                     'unused-secret')
        self.addCleanup(self.backend.unexport, ref, disk_uuid)
        return export, iscsi.Login(
            host=export.portal_host, port=export.portal_port,
            lun=export.lun, target=export.target_iqn, initiator=initiator,
            username=export.chap_username, password=export.chap_secret)

    def test_import_clone_export_and_refusals(self):
        image_uuid, disk_uuid = str(uuid.uuid4()), str(uuid.uuid4())
        image = self._stored(self.backend.import_image, image_uuid,
                             self.source)
        self.assertEqual(GIB, image.size)
        # Importing again (a retried job) finds the same volume.
        disk = self._stored(self.backend.clone, image.ref, disk_uuid)
        self.assertEqual(disk, self.backend.clone(image.ref, disk_uuid))
        export, login = self._export(disk.ref, disk_uuid)
        self.assertTrue(self.backend.is_exported(disk.ref, disk_uuid))
        self.assertEqual('CHAP' and True, bool(export.chap_secret))
        self.assertEqual(self.payload,
                         iscsi.read_all(login, len(self.payload)))
        wrong = iscsi.Login(**dict(vars(login), password='not-the-secret'))
        self.assertIn('Authentication failure', str(self.assertRaises(
            iscsi.LoginRefused, iscsi.read_all, wrong, MIB)))
        other = iscsi.Login(**dict(vars(login), initiator=NODE_B))
        self.assertRaises(iscsi.LoginRefused, iscsi.read_all, other, MIB)
        self.assertRaises(exception.ImageBackendError, self.backend.delete,
                          disk.ref)
        self.backend.unexport(disk.ref, disk_uuid)
        self.assertFalse(self.backend.is_exported(disk.ref, disk_uuid))
        self.assertRaises(iscsi.LoginRefused, iscsi.read_all, login, MIB)

    def test_snapshot_copy_and_delete(self):
        image = self._stored(self.backend.create_image, str(uuid.uuid4()),
                             MIB)
        disk_uuid = str(uuid.uuid4())
        disk = self._stored(self.backend.clone, image.ref, disk_uuid)
        _export, login = self._export(disk.ref, disk_uuid)
        iscsi.write_pattern(login, 0x5a, 0, MIB)
        self.backend.unexport(disk.ref, disk_uuid)
        snap = self._stored(self.backend.snapshot, disk.ref,
                            str(uuid.uuid4()))
        copy_uuid = str(uuid.uuid4())
        copy = self._stored(self.backend.copy_image, snap.ref, copy_uuid)
        _export, login = self._export(copy.ref, copy_uuid, NODE_B)
        self.assertTrue(iscsi.has_pattern(login, 0x5a, 0, MIB))
        self.backend.unexport(copy.ref, copy_uuid)
        self.backend.delete(copy.ref)
        self.backend.delete(copy.ref)
        self.assertRaises(exception.ImageBackendError, self.backend.clone,
                          copy.ref, str(uuid.uuid4()))


class TestImagingOverCinder(test_imaging_local.ImagingFlow,
                            base.ApiTestCase):
    """The whole story on the cinder backend."""

    fresh_secret_per_export = False

    def configure(self):
        return cinder_config(self)

    def lose_export(self, login, disk_uuid):
        # An operator deletes the volume's attachment in Cinder.
        backend = cinder.CinderBackend()
        volume_id = dbapi.disk_by_uuid(disk_uuid).backend_ref.split(':')[-1]
        for attachment in backend.client.attachments.list(
                search_opts={'volume_id': volume_id}):
            backend.client.attachments.delete(attachment.id)
