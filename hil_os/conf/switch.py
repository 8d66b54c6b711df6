"""Options of the [switch] group: switch drivers."""

from oslo_config import cfg

group = cfg.OptGroup('switch', title='Switch driver options')

opts = [
    cfg.ListOpt('enabled_drivers',
                default=['fake'],
                help='Switch drivers that switches may be registered with. '
                     'Names are entry points of hil_os.switch_drivers: '
                     '"ngs" (real switches through networking-generic-'
                     'switch) and "fake" (in memory, for tests and the '
                     'demo).'),
    cfg.FloatOpt('ssh_timeout',
                 default=10.0, min=0.5,
                 help='Seconds the ngs driver waits for a switch to accept '
                      'a TCP connection, send its SSH banner, authenticate, '
                      'or answer one command. A switch that does not answer '
                      'in time is unreachable and the change is retried.'),
    cfg.IntOpt('connect_retry_timeout',
               default=10, min=0,
               help='Seconds during which the ngs driver retries opening an '
                    'SSH session (NGS ngs_ssh_connect_timeout) before an '
                    'attempt fails.'),
    cfg.IntOpt('connect_retry_interval',
               default=1, min=0,
               help='Seconds between two tries to open an SSH session (NGS '
                    'ngs_ssh_connect_interval).'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
