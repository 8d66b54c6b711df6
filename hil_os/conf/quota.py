"""Options of the [quota] group: default per-project limits."""

from oslo_config import cfg

group = cfg.OptGroup('quota', title='Default project quotas')

opts = [
    cfg.IntOpt('nodes',
               default=-1, min=-1,
               help='Nodes a project may hold at once (by assignment or '
                    'lease). -1: no limit (only admins give nodes out, by '
                    'assignment or lease).'),
    cfg.IntOpt('networks',
               default=100, min=-1,
               help='Networks a project may own. -1: no limit.'),
    cfg.IntOpt('images',
               default=100, min=-1,
               help='Images a project may own. -1: no limit.'),
    cfg.IntOpt('disk_gb',
               default=10240, min=-1,
               help='GiB of image and node-disk space a project may use. '
                    '-1: no limit.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
