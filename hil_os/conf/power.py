"""Options of the [power] group: BMC drivers, power actions, sync."""

from oslo_config import cfg

group = cfg.OptGroup('power', title='Power (BMC) driver options')

opts = [
    cfg.ListOpt('enabled_drivers',
                default=['fake'],
                help='BMC drivers that nodes may be registered with. Names '
                     'are entry points of hil_os.power_drivers.'),
    cfg.FloatOpt('power_timeout',
                 default=30.0, min=0.1,
                 help='Seconds a power on or off may take before its action '
                      'fails; the state is read back until it matches.'),
    cfg.FloatOpt('soft_off_timeout',
                 default=120.0, min=0.1,
                 help='Seconds the operating system is given to power off '
                      'after a soft (ACPI) power-off request before the '
                      'action fails.'),
    cfg.FloatOpt('poll_interval',
                 default=0.5, min=0.01,
                 help='Seconds between reads of the power state while an '
                      'action waits for it to change.'),
    cfg.FloatOpt('sync_interval',
                 default=60.0, min=0,
                 help='Seconds between power-state syncs, which read every '
                      'node\'s power state from its BMC and record changes. '
                      '0 disables them.'),
    cfg.IntOpt('sync_workers',
               default=16, min=1,
               help='BMCs a conductor reads in parallel during a power-state '
                    'sync. A dead BMC holds one worker for at most '
                    'bmc_timeout seconds.'),
    cfg.FloatOpt('bmc_timeout',
                 default=6.0, min=0.5,
                 help='Seconds to wait for a BMC to answer one request '
                      '(pyghmi retransmits within it) before it counts as '
                      'unreachable. Until that request ends (pyghmi may '
                      'retry a lost session for about 30 s), further '
                      'requests to the same BMC fail at once.'),
    cfg.BoolOpt('power_off_on_release',
                default=True,
                help='Queue a power-off of a node when it is handed back by '
                     'its project, so that it runs nothing of theirs once '
                     'free.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
