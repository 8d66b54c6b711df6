"""Options of the [DEFAULT] group."""

import socket

from oslo_config import cfg

opts = [
    cfg.StrOpt('host',
               default=socket.gethostname(),
               sample_default='localhost',
               help='Name of this hil-os process host. Conductors use it to '
                    'identify their claims and heartbeats, so it must be '
                    'unique among running conductors.'),
    cfg.StrOpt('state_path',
               default='/var/lib/hil-os',
               help='Directory where hil-os keeps local state: the SQLite '
                    'database of the embedded mode and the secrets key '
                    'file.'),
]


def register_opts(conf):
    conf.register_opts(opts)
