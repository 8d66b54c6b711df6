"""The local backend: sparse files on the conductor host, served by tgtd.

Images and disks are raw sparse files in ``[image_local] images_dir``.
Copies and clones use ``cp --reflink=auto``: instant copy-on-write clones
on XFS (reflink=1) and btrfs, sparse copies (only allocated blocks) on
other file systems. Each disk is exported as its own tgtd target, bound to
one initiator name and one CHAP account, so a node reaches its own disk
and nothing else.

Every file is written under a temporary name and renamed, so a crash never
leaves a half-written file under a name that a retry would trust.
"""

import os
import subprocess
import tempfile
import threading

from oslo_config import cfg
from oslo_log import log

from hil_os.common import exception
from hil_os.drivers.image import base
from hil_os.drivers.image import qemu_img
from hil_os.drivers.image import tgt

CONF = cfg.CONF
LOG = log.getLogger(__name__)

LUN = 1  # tgtd's LUN 0 is its controller.


class LocalBackend(base.ImageBackend):
    """Sparse files and per-node tgtd targets with CHAP and an IQN ACL."""

    def __init__(self, name='local'):
        super().__init__(name)
        self.directory = CONF.image_local.images_dir
        os.makedirs(self.directory, exist_ok=True)
        self.tgt = tgt.Tgtadm(CONF.image_local.tgt_control_port,
                              timeout=CONF.image.operation_timeout,
                              command=CONF.image_local.tgtadm_command)
        # Serialises target changes of this process; tids taken by other
        # processes are detected and skipped.
        self._lock = threading.Lock()
        self.copy_on_write = self._reflink_works()
        LOG.info('Local image backend in %s: clones are %s.', self.directory,
                 'copy-on-write (reflink)' if self.copy_on_write
                 else 'sparse copies (no reflink on this file system)')

    def _path(self, ref):
        if os.sep in ref or ref.startswith('.'):
            raise exception.ImageBackendError(
                reason='%s is not a file of the local backend' % ref)
        return os.path.join(self.directory, ref)

    def _reflink_works(self):
        with tempfile.TemporaryDirectory(dir=self.directory) as tmp:
            src = os.path.join(tmp, 'a')
            with open(src, 'wb') as f:
                f.write(b'x' * 4096)
            return subprocess.run(
                ['cp', '--reflink=always', src, os.path.join(tmp, 'b')],
                capture_output=True, check=False).returncode == 0

    def _stored(self, ref):
        return base.Stored(ref, os.path.getsize(self._path(ref)))

    def _write(self, ref, produce):
        """Run ``produce(tmp_path)``, then rename the result to ``ref``."""
        path = self._path(ref)
        if os.path.exists(path):
            return self._stored(ref)
        fd, tmp = tempfile.mkstemp(prefix='.%s.' % ref, dir=self.directory)
        os.close(fd)
        try:
            produce(tmp)
            os.rename(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return self._stored(ref)

    def _copy(self, src_ref, dest_ref):
        src = self._path(src_ref)
        if not os.path.exists(src):
            raise exception.ImageBackendError(
                reason='file %s of the local backend is missing' % src_ref)

        def produce(tmp):
            result = subprocess.run(
                ['cp', '--reflink=auto', '--sparse=auto', src, tmp],
                capture_output=True, text=True, check=False,
                timeout=CONF.image.operation_timeout)
            if result.returncode != 0:
                raise exception.ImageBackendError(
                    reason='could not copy %s: %s' % (src_ref,
                                                      result.stderr.strip()))
        return self._write(dest_ref, produce)

    def create_image(self, image_uuid, size):
        def produce(tmp):
            os.truncate(tmp, size)
        return self._write('image-%s.raw' % image_uuid, produce)

    def import_image(self, image_uuid, source):
        source = qemu_img.check_source(source)
        fmt, _size = qemu_img.info(source)
        return self._write(
            'image-%s.raw' % image_uuid,
            lambda tmp: qemu_img.convert_to_file(source, fmt, tmp))

    def copy_image(self, src_ref, image_uuid):
        return self._copy(src_ref, 'image-%s.raw' % image_uuid)

    def clone(self, src_ref, disk_uuid):
        return self._copy(src_ref, 'disk-%s.raw' % disk_uuid)

    def snapshot(self, disk_ref, image_uuid):
        return self._copy(disk_ref, 'image-%s.raw' % image_uuid)

    def delete(self, ref):
        path = self._path(ref)
        for target in self.tgt.targets().values():
            if path in target.luns.values():
                raise exception.ImageBackendError(
                    reason='%s is still exported as target %s' % (
                        ref, target.iqn))
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass

    def export(self, disk_ref, disk_uuid, initiator_iqn, chap_username,
               chap_secret):
        path = self._path(disk_ref)
        if not os.path.exists(path):
            raise exception.ImageBackendError(
                reason='disk file %s is missing' % disk_ref)
        iqn = self._target_iqn(disk_uuid)
        with self._lock:
            target = self.tgt.targets().get(iqn)
            if target is not None and target.luns.get(LUN) != path:
                self.tgt.delete_target(target.tid)
                target = None
            created = target is None
            if created:
                target = self._new_target(iqn, path)
            try:
                self._restrict(target, initiator_iqn, chap_username,
                               chap_secret)
            except Exception:
                if created:
                    self.tgt.delete_target(target.tid)
                raise
        LOG.info('Disk %s exported as target %s (tid %d) to initiator %s.',
                 disk_uuid, iqn, target.tid, initiator_iqn)
        return base.Export(
            ref=iqn, portal_host=CONF.image_local.portal_address,
            portal_port=CONF.image_local.portal_port, target_iqn=iqn,
            lun=LUN, chap_username=chap_username, chap_secret=chap_secret)

    @staticmethod
    def _target_iqn(disk_uuid):
        return '%s:%s' % (CONF.image_local.target_iqn_prefix, disk_uuid)

    def _new_target(self, iqn, path):
        for _attempt in range(20):
            tids = [t.tid for t in self.tgt.targets().values()]
            tid = max(tids, default=0) + 1
            if self.tgt.new_target(tid, iqn):
                break
        else:
            raise exception.ImageBackendError(
                reason='no free target id found for %s' % iqn)
        target = tgt.Target(tid, iqn)
        try:
            self.tgt.new_lun(tid, LUN, path)
        except Exception:
            self.tgt.delete_target(tid)
            raise
        return target

    def _restrict(self, target, initiator_iqn, chap_username, chap_secret):
        """Let exactly this initiator in, with exactly this CHAP account."""
        if initiator_iqn not in target.acl:
            self.tgt.bind_initiator(target.tid, initiator_iqn)
        for other in target.acl:
            if other != initiator_iqn:
                self.tgt.unbind_initiator(target.tid, other)
        self.tgt.set_account(chap_username, chap_secret)
        for other in target.accounts:
            if other != chap_username:
                self.tgt.delete_account(other)
        self.tgt.bind_account(target.tid, chap_username)

    def unexport(self, disk_ref, disk_uuid):
        iqn = self._target_iqn(disk_uuid)
        with self._lock:
            target = self.tgt.targets().get(iqn)
            if target is None:
                return
            self.tgt.delete_target(target.tid)
            for user in target.accounts:
                self.tgt.delete_account(user)
        LOG.info('Target %s (tid %d) removed.', iqn, target.tid)

    def is_exported(self, disk_ref, disk_uuid):
        return self._target_iqn(disk_uuid) in self.tgt.targets()
