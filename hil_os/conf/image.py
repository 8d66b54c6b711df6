"""Options of the [image] group: images, node disks and iSCSI boot."""

from oslo_config import cfg

group = cfg.OptGroup('image', title='Imaging (diskless boot) options')

opts = [
    cfg.ListOpt('enabled_backends',
                default=['local'],
                help='Image backends that images and disks may be stored '
                     'on. Names are entry points of hil_os.image_backends: '
                     '"local" (sparse files and tgtd on the conductor '
                     'host) or "cinder".'),
    cfg.StrOpt('default_backend',
               default='local',
               help='Backend new images are stored on. Disks live on the '
                    'backend of the image they are cloned from.'),
    cfg.StrOpt('initiator_iqn_prefix',
               default='iqn.2026-11.org.hil-os:node',
               help='Prefix of the iSCSI initiator name a node logs in with '
                    'when it has none of its own: "<prefix>:<node uuid>". '
                    'A node\'s own initiator_iqn takes precedence.'),
    cfg.StrOpt('chap_username_prefix',
               default='hil',
               help='Prefix of the per-disk CHAP user names.'),
    cfg.IntOpt('chap_secret_length',
               default=24, min=12, max=64,
               help='Length of the random CHAP secrets generated for each '
                    'export (letters and digits). iSCSI targets require at '
                    'least 12.'),
    cfg.ListOpt('import_dirs',
                default=[],
                help='Directories on the conductor host that images may be '
                     'imported from with a file path or file:// URL. Empty: '
                     'no local file can be imported, only http(s) URLs. '
                     'Keep this to directories meant for sharing: whoever '
                     'imports a file can read it through the image.'),
    cfg.ListOpt('import_schemes',
                default=['http', 'https'],
                help='URL schemes images may be imported from (besides the '
                     'local files of import_dirs).'),
    cfg.ListOpt('boot_allowed_cidrs',
                default=[],
                help='Networks (CIDR) whose hosts may fetch iPXE boot '
                     'scripts from /v1/boot/{mac}. The script carries the '
                     'node\'s CHAP secret, so set this to the provisioning '
                     'network. Empty: any address.'),
    cfg.IntOpt('export_audit_interval',
               default=60, min=0,
               help='Seconds between audits of the iSCSI exports: each '
                    'export of a provisioned node is read back from its '
                    'backend, and one that vanished (tgtd restarted, a '
                    'Cinder attachment deleted by hand) is re-created with '
                    'the same initiator and CHAP login by a "reexport" '
                    'node action. 0 disables the audit.'),
    cfg.IntOpt('operation_timeout',
               default=600, min=1,
               help='Seconds a backend operation (copy, clone, import, '
                    'export) may take before it is reported as failed.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
