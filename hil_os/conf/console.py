"""Options of the [console] group: serial consoles of nodes."""

from oslo_config import cfg

group = cfg.OptGroup('console', title='Serial console options')

opts = [
    cfg.IntOpt('token_ttl',
               default=600, min=10,
               help='Seconds a console token stays valid. The conductor '
                    'closes the Serial-over-LAN session once no token of '
                    'the node is valid.'),
    cfg.IntOpt('log_size',
               default=65536, min=1024,
               help='Characters of recent console output kept per node '
                    '(dropped when the node leaves its project).'),
    cfg.FloatOpt('flush_interval',
                 default=0.2, min=0.01,
                 help='Seconds between writes of buffered console output '
                      'to the database, where readers find it.'),
    cfg.FloatOpt('max_wait',
                 default=10.0, min=0,
                 help='Longest "wait" a console reader may ask for: how '
                      'long GET /v1/console holds the request until new '
                      'output arrives.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
