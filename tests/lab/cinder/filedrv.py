"""A Cinder volume driver for tests: sparse files exported by tgtd.

Volumes are sparse files in ``[backend] file_volume_dir``; clones and
snapshots are ``cp --reflink=auto`` copies. Cinder's own TgtAdm target
helper exports them (CHAP per volume). Like a storage array's LUN masking,
initialize_connection admits only the connector's initiator name (tgt-admin
binds ALL by default) and terminate_connection removes it again.
Loaded by the cinder-volume of tests/lab/peer-cinder.sh (on PYTHONPATH).
"""

import os
import subprocess

from oslo_config import cfg
from oslo_utils import importutils

from cinder.volume import driver

opts = [cfg.StrOpt('file_volume_dir', help='Directory of volume files.')]


def _tgtadm(*args, check=True):
    return subprocess.run(('tgtadm', '--lld', 'iscsi') + args, check=check,
                          capture_output=True, text=True).stdout


class FileTgtDriver(driver.VolumeDriver):

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.configuration.append_config_values(opts)
        self.target_driver = importutils.import_object(
            self.target_mapping[self.configuration.safe_get('target_helper')],
            configuration=self.configuration, executor=self._execute)
        self.protocol = 'iSCSI'

    def _path(self, volume):
        return os.path.join(self.configuration.file_volume_dir,
                            volume['name'])

    def do_setup(self, context):
        os.makedirs(self.configuration.file_volume_dir, exist_ok=True)

    def check_for_setup_error(self):
        pass

    def _copy(self, src, dest, size_gib):
        subprocess.run(['cp', '--reflink=auto', src, dest], check=True)
        os.truncate(dest, max(os.path.getsize(dest), size_gib * 1024 ** 3))

    def create_volume(self, volume):
        with open(self._path(volume), 'wb') as f:
            f.truncate(volume['size'] * 1024 ** 3)

    def create_cloned_volume(self, volume, src_vref):
        self._copy(self._path(src_vref), self._path(volume), volume['size'])

    def create_snapshot(self, snapshot):
        self._copy(self._path(snapshot.volume), self._path(snapshot),
                   snapshot.volume_size)

    def create_volume_from_snapshot(self, volume, snapshot):
        self._copy(self._path(snapshot), self._path(volume), volume['size'])

    def delete_volume(self, volume):
        if os.path.exists(self._path(volume)):
            os.unlink(self._path(volume))

    delete_snapshot = delete_volume

    def extend_volume(self, volume, new_size):
        os.truncate(self._path(volume), new_size * 1024 ** 3)

    def create_export(self, context, volume, connector):
        info = self.target_driver.create_export(context, volume,
                                                self._path(volume))
        return {'provider_location': info['location'],
                'provider_auth': info['auth']}

    def ensure_export(self, context, volume):
        self.target_driver.ensure_export(context, volume, self._path(volume))

    def remove_export(self, context, volume):
        self.target_driver.remove_export(context, volume)

    def _tid(self, volume):
        iqn = '%s%s' % (self.configuration.target_prefix, volume['name'])
        for line in _tgtadm('--op', 'show', '--mode', 'target').splitlines():
            if line.startswith('Target ') and line.endswith(' ' + iqn):
                return line.split()[1].rstrip(':')
        return None

    def initialize_connection(self, volume, connector):
        info = self.target_driver.initialize_connection(volume, connector)
        tid = self._tid(volume)
        _tgtadm('--op', 'unbind', '--mode', 'target', '--tid', tid,
                '--initiator-address', 'ALL', check=False)
        _tgtadm('--op', 'bind', '--mode', 'target', '--tid', tid,
                '--initiator-name', connector['initiator'], check=False)
        return info

    def terminate_connection(self, volume, connector, **kwargs):
        tid = self._tid(volume)
        if tid and connector:
            _tgtadm('--op', 'unbind', '--mode', 'target', '--tid', tid,
                    '--initiator-name', connector['initiator'], check=False)

    def _update_volume_stats(self):
        st = os.statvfs(self.configuration.file_volume_dir)
        self._stats = {
            'volume_backend_name': self.configuration.safe_get(
                'volume_backend_name'), 'vendor_name': 'hil-os tests',
            'driver_version': '1.0', 'storage_protocol': 'iSCSI',
            'total_capacity_gb': st.f_blocks * st.f_frsize // 1024 ** 3,
            'free_capacity_gb': st.f_bavail * st.f_frsize // 1024 ** 3,
            'reserved_percentage': 0, 'thin_provisioning_support': True,
            'max_over_subscription_ratio': 20.0}
