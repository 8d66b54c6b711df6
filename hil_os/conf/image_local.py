"""Options of the [image_local] group: the local image backend."""

from oslo_config import cfg

group = cfg.OptGroup(
    'image_local', title='Local image backend (sparse files and tgtd)')

opts = [
    cfg.StrOpt('images_dir',
               default='$state_path/images',
               help='Directory of image and disk files on the conductor '
                    'host. On XFS (mkfs.xfs -m reflink=1) or btrfs, disks '
                    'are instant copy-on-write clones of their image; on '
                    'other file systems they are sparse copies.'),
    cfg.IntOpt('tgt_control_port',
               default=0, min=0,
               help='Control socket number of the tgtd that exports disks '
                    '(tgtd -C N; 0 is the default socket).'),
    cfg.StrOpt('tgtadm_command',
               default='tgtadm',
               help='The tgtadm program.'),
    cfg.HostAddressOpt('portal_address',
                       default='127.0.0.1',
                       help='Address of the tgtd iSCSI portal as nodes '
                            'reach it (on the provisioning network).'),
    cfg.PortOpt('portal_port',
                default=3260,
                help='TCP port of the tgtd iSCSI portal.'),
    cfg.StrOpt('target_iqn_prefix',
               default='iqn.2026-11.org.hil-os:disk',
               help='Prefix of target names: "<prefix>:<disk uuid>".'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
