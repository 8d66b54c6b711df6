"""Options of the [switch] group: switch drivers."""

from oslo_config import cfg

group = cfg.OptGroup('switch', title='Switch driver options')

opts = [
    cfg.ListOpt('enabled_drivers',
                default=['fake'],
                help='Switch drivers that switches may be registered with. '
                     'Names are entry points of hil_os.switch_drivers.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
