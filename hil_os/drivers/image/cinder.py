"""The cinder backend: images and disks are volumes of hil-os's project.

python-cinderclient with a Keystone session from the service credentials
of ``[cinder]``. A disk is a volume cloned from its image's volume (Cinder
and its driver decide whether the clone shares blocks); a snapshot is a
Cinder snapshot of the disk, made into a volume of its own. Exporting
attaches the volume with the node's initiator name (the attachments API,
which runs the driver's ``initialize_connection``): Cinder answers the
portal, target, LUN and the volume's CHAP credentials, and lists the
attachment, so the volume cannot be deleted while a node uses it.

Every volume is named after the hil-os UUID it stores (``hil-image-<uuid>``,
``hil-disk-<uuid>``), so a repeated call finds what an interrupted one
made. References are ``volume:<id>``.
"""

import math
import time

from cinderclient import client as cinder_client
from cinderclient import exceptions as cinder_exc
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading as ks_loading
from oslo_config import cfg
from oslo_log import log

from hil_os.common import exception
from hil_os.drivers.image import base
from hil_os.drivers.image import qemu_img

CONF = cfg.CONF
LOG = log.getLogger(__name__)

API_VERSION = '3.54'  # attachments API with complete and mode
GIB = 1024 ** 3
_IMPORT_PREFIX = 'cinder:volume:'


def _volume_id(ref):
    if not ref or not ref.startswith('volume:'):
        raise exception.ImageBackendError(
            reason='%r is not a volume of the cinder backend' % ref)
    return ref[len('volume:'):]


def _gib(size):
    return max(1, math.ceil(size / GIB))


class CinderBackend(base.ImageBackend):
    """Volumes, clones and attachments in Cinder."""

    def __init__(self, name='cinder'):
        super().__init__(name)
        auth = ks_loading.load_auth_from_conf_options(CONF, 'cinder')
        session = ks_loading.load_session_from_conf_options(
            CONF, 'cinder', auth=auth)
        kwargs = {'session': session, 'interface': CONF.cinder.interface,
                  'service_type': CONF.cinder.service_type,
                  'region_name': CONF.cinder.region_name}
        if CONF.cinder.endpoint_override:
            kwargs['endpoint_override'] = CONF.cinder.endpoint_override
        self.client = cinder_client.Client(API_VERSION, **kwargs)
        self.project_id = session.get_project_id()

    # Calls and waits

    def _call(self, what, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except cinder_exc.ClientException as e:
            raise exception.ImageBackendError(
                reason='Cinder refused to %s: %s' % (what, e))
        except ks_exc.ClientException as e:
            raise exception.ImageBackendError(
                reason='Cinder could not be reached to %s: %s' % (what, e))

    def _wait(self, get, ident, what, done, failed=('error',)):
        """Poll ``get(ident)`` until ``done(obj)``; None once it is gone."""
        deadline = time.monotonic() + CONF.image.operation_timeout
        while True:
            try:
                obj = get(ident)
            except cinder_exc.NotFound:
                return None
            except (cinder_exc.ClientException,
                    ks_exc.ClientException) as e:
                raise exception.ImageBackendError(
                    reason='Cinder could not be asked about %s: %s' % (
                        what, e))
            if done(obj):
                return obj
            if obj.status in failed:
                raise exception.ImageBackendError(
                    reason='Cinder reports %s %s' % (what, obj.status))
            if time.monotonic() > deadline:
                raise exception.ImageBackendError(
                    reason='%s is still %s after %s s' % (
                        what, obj.status, CONF.image.operation_timeout))
            time.sleep(CONF.cinder.poll_interval)

    def _wait_status(self, volume_id, status='available'):
        return self._wait(self.client.volumes.get, volume_id,
                          'volume %s' % volume_id,
                          lambda v: v.status == status,
                          failed=('error', 'error_restoring',
                                  'error_extending'))

    def _find(self, name):
        volumes = self._call('list volumes', self.client.volumes.list,
                             search_opts={'name': name})
        return next((v for v in volumes if v.name == name), None)

    def _make(self, name, size, **source):
        """Create (or find, after a crash) a volume; wait until usable."""
        volume = self._find(name)
        if volume is None:
            volume = self._call(
                'create volume %s' % name, self.client.volumes.create,
                _gib(size), name=name,
                volume_type=CONF.cinder.volume_type,
                availability_zone=CONF.cinder.availability_zone,
                metadata={'hil_os': name}, **source)
        volume = self._wait_status(volume.id)
        if volume is None:
            raise exception.ImageBackendError(
                reason='volume %s vanished while being created' % name)
        LOG.info('Cinder volume %s (%s) is available.', name, volume.id)
        return base.Stored('volume:%s' % volume.id, volume.size * GIB)

    def _get(self, ref):
        return self._call('show volume', self.client.volumes.get,
                          _volume_id(ref))

    # The interface

    def create_image(self, image_uuid, size):
        return self._make('hil-image-%s' % image_uuid, size)

    def import_image(self, image_uuid, source):
        name = 'hil-image-%s' % image_uuid
        if source.startswith(_IMPORT_PREFIX):
            return self._import_volume(name, source[len(_IMPORT_PREFIX):])
        source = qemu_img.check_source(source)
        fmt, size = qemu_img.info(source)
        leftover = self._find(name)
        if leftover is not None:
            # A crash may have left a half-written volume: start over.
            self.unexport('volume:%s' % leftover.id, image_uuid)
            self.delete('volume:%s' % leftover.id)
        stored = self._make(name, size)
        initiator = CONF.cinder.conductor_initiator_iqn
        export = self.export(stored.ref, image_uuid, initiator, None, None)
        try:
            qemu_img.convert_to_iscsi(source, fmt, export, initiator)
        finally:
            self.unexport(stored.ref, image_uuid)
        return stored

    def _import_volume(self, name, volume_id):
        """Clone a volume of hil-os's own project into a new image."""
        try:
            src = self.client.volumes.get(volume_id)
        except cinder_exc.NotFound:
            src = None
        owner = getattr(src, 'os-vol-tenant-attr:tenant_id', None)
        if src is None or owner != self.project_id:
            raise exception.InvalidImageSource(
                source=_IMPORT_PREFIX + volume_id,
                reason='no such volume in hil-os\'s Cinder project')
        return self._make(name, src.size * GIB, source_volid=src.id)

    def copy_image(self, src_ref, image_uuid):
        src = self._get(src_ref)
        return self._make('hil-image-%s' % image_uuid, src.size * GIB,
                          source_volid=src.id)

    def clone(self, src_ref, disk_uuid):
        src = self._get(src_ref)
        return self._make('hil-disk-%s' % disk_uuid, src.size * GIB,
                          source_volid=src.id)

    def snapshot(self, disk_ref, image_uuid):
        name = 'hil-image-%s' % image_uuid
        existing = self._find(name)
        if existing is not None:
            return self._make(name, existing.size * GIB)
        disk = self._get(disk_ref)
        snaps = self.client.volume_snapshots
        snap = next((s for s in self._call(
            'list snapshots', snaps.list,
            search_opts={'volume_id': disk.id}) if s.name == name), None)
        if snap is None:
            snap = self._call('snapshot volume %s' % disk.id, snaps.create,
                              disk.id, force=True, name=name)
        self._wait(snaps.get, snap.id, 'snapshot %s' % snap.id,
                   lambda s: s.status == 'available')
        try:
            return self._make(name, disk.size * GIB, snapshot_id=snap.id)
        finally:
            self._call('delete snapshot %s' % snap.id, snaps.delete, snap.id)
            self._wait(snaps.get, snap.id, 'snapshot %s' % snap.id,
                       lambda s: False, failed=('error_deleting',))

    def delete(self, ref):
        try:
            volume = self.client.volumes.get(_volume_id(ref))
        except cinder_exc.NotFound:
            return
        if self._attachments(volume.id):
            raise exception.ImageBackendError(
                reason='volume %s is still attached' % volume.id)
        if volume.status != 'deleting':
            self._call('delete volume %s' % volume.id,
                       self.client.volumes.delete, volume.id)
        self._wait(self.client.volumes.get, volume.id,
                   'volume %s' % volume.id, lambda v: False,
                   failed=('error_deleting',))

    def export(self, disk_ref, disk_uuid, initiator_iqn, chap_username,
               chap_secret):
        volume_id = _volume_id(disk_ref)
        self.unexport(disk_ref, disk_uuid)
        connector = {'initiator': initiator_iqn, 'ip': '127.0.0.1',
                     'host': 'hil-os-%s' % disk_uuid, 'multipath': False,
                     'platform': 'x86_64', 'os_type': 'linux'}
        attachment = self._call(
            'attach volume %s' % volume_id, self.client.attachments.create,
            volume_id, connector, mode='rw')
        attachment_id = attachment['id']
        try:
            info = attachment['connection_info']
            if info.get('driver_volume_type') != 'iscsi':
                raise exception.ImageBackendError(
                    reason='volume %s is not reachable over iSCSI (%s)' % (
                        volume_id, info.get('driver_volume_type')))
            # The attachments API flattens the connection's data.
            data = info.get('data', info)
            self._call('complete the attachment of %s' % volume_id,
                       self.client.attachments.complete, attachment_id)
            host, _, port = data['target_portal'].rpartition(':')
            return base.Export(
                ref=attachment_id, portal_host=host.strip('[]'),
                portal_port=int(port), target_iqn=data['target_iqn'],
                lun=int(data['target_lun']),
                chap_username=data.get('auth_username') or '',
                chap_secret=data.get('auth_password') or '')
        except Exception:
            self._call('detach volume %s' % volume_id,
                       self.client.attachments.delete, attachment_id)
            raise

    def _attachments(self, volume_id):
        """Every attachment of a volume, reserved ones included."""
        return self._call('list attachments',
                          self.client.attachments.list,
                          search_opts={'volume_id': volume_id})

    def unexport(self, disk_ref, disk_uuid):
        volume_id = _volume_id(disk_ref)
        attachments = self._attachments(volume_id)
        for attachment in attachments:
            try:
                self.client.attachments.delete(attachment.id)
            except cinder_exc.NotFound:
                pass
            except (cinder_exc.ClientException,
                    ks_exc.ClientException) as e:
                raise exception.ImageBackendError(
                    reason='Cinder refused to detach volume %s: %s' % (
                        volume_id, e))
        if attachments:
            self._wait(self.client.volumes.get, volume_id,
                       'volume %s' % volume_id,
                       lambda v: v.status == 'available')

    def is_exported(self, disk_ref, disk_uuid):
        return bool(self._attachments(_volume_id(disk_ref)))
