"""Options of the [conductor] group: the worker that applies intent."""

from oslo_config import cfg

group = cfg.OptGroup('conductor', title='Conductor options')

opts = [
    cfg.IntOpt('workers',
               default=8, min=1,
               help='Threads that apply switch changes. Each works on one '
                    'switch at a time.'),
    cfg.IntOpt('node_workers',
               default=8, min=1,
               help='Threads that run node actions (power, boot device, '
                    'imaging). Each works on one node at a time.'),
    cfg.IntOpt('heartbeat_interval',
               default=10, min=1,
               help='Seconds between heartbeats of a conductor.'),
    cfg.IntOpt('claim_timeout',
               default=120, min=5,
               help='Seconds after which a claim on a switch or a node action '
                    'whose conductor stopped renewing it may be taken over '
                    'by another conductor.'),
    cfg.IntOpt('heartbeat_timeout',
               default=30, min=2,
               help='Seconds without a heartbeat after which a conductor '
                    'is taken for dead: other conductors take over its '
                    'switch claims without waiting for claim_timeout. Must '
                    'be well above heartbeat_interval.'),
    cfg.FloatOpt('sync_interval',
                 default=5.0, min=0.1,
                 help='Seconds between sweeps that look for queued work no '
                      'conductor has picked up (for instance after a '
                      'conductor died).'),
    cfg.IntOpt('switch_max_attempts',
               default=5, min=1,
               help='Attempts to apply a switch port change before its '
                    'actions are marked failed.'),
    cfg.FloatOpt('retry_backoff',
                 default=2.0, min=0,
                 help='Seconds before the first retry of a failed switch '
                      'change; doubles on every further attempt.'),
    cfg.FloatOpt('retry_backoff_max',
                 default=60.0, min=0,
                 help='Longest wait between two attempts of a switch '
                      'change.'),
    cfg.IntOpt('switch_audit_interval',
               default=600, min=0,
               help='Seconds between drift audits, which read every port '
                    'of every switch back and compare it with the '
                    'database. 0 disables the periodic audit (GET '
                    '/v1/switches/{switch}/audit still works).'),
    cfg.BoolOpt('switch_audit_repair',
                default=False,
                help='Whether the drift audit re-applies the desired '
                     'configuration of a port found changed on the switch '
                     '(drift is always logged and recorded as an event).'),
    cfg.IntOpt('audit_rpc_timeout',
               default=120, min=1,
               help='Seconds the API waits for a conductor to read a switch '
                    'back for GET /v1/switches/{switch}/audit.'),
    cfg.StrOpt('topic',
               default='hil-os-conductor',
               help='RPC topic the conductors listen on.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
