"""Options of the [power] group: BMC drivers."""

from oslo_config import cfg

group = cfg.OptGroup('power', title='Power (BMC) driver options')

opts = [
    cfg.ListOpt('enabled_drivers',
                default=['fake'],
                help='BMC drivers that nodes may be registered with. Names '
                     'are entry points of hil_os.power_drivers.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
