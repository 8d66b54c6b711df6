"""Options of the [lease] group: leases and the hand-back of nodes."""

from oslo_config import cfg

group = cfg.OptGroup('lease', title='Lease and hand-back options')

opts = [
    cfg.IntOpt('max_length',
               default=30 * 24 * 3600, min=0,
               help='Longest a lease may be, in seconds from its start to '
                    'its end, when created or extended. 0: no limit.'),
    cfg.IntOpt('start_grace',
               default=600, min=0,
               help='Seconds a due lease waits for its nodes to become free '
                    '(a previous lease\'s hand-back still running) before it '
                    'goes to error.'),
    cfg.FloatOpt('handback_switch_timeout',
                 default=300.0, min=1,
                 help='Seconds the hand-back waits for the switches to '
                      'verifiably hold the node\'s ports parked before the '
                      'step fails (the node is then handback_failed).'),
    cfg.FloatOpt('handback_poll_interval',
                 default=0.5, min=0.01,
                 help='Seconds between checks of the switch ports while the '
                      'hand-back waits for them.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
