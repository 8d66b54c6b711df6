"""Options of the [network] group: VLANs and the parking VLAN."""

from oslo_config import cfg

group = cfg.OptGroup('network', title='Network options')

opts = [
    cfg.ListOpt('vlan_ranges',
                default=['1000:1999'],
                help='VLAN IDs that project networks are given from, as '
                     'comma-separated ranges "first:last". The pool is '
                     'synchronised with this list at start-up; VLANs in use '
                     'stay allocated even when taken out of the list.'),
    cfg.IntOpt('parking_vlan',
               default=4000, min=1, max=4094,
               help='Unused VLAN that ports with no attachment are placed '
                    'on, so that a free port carries no project traffic. It '
                    'must not be in vlan_ranges and must carry nothing on '
                    'the switches.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def vlan_ids(conf):
    """The VLAN IDs of vlan_ranges; raise ConfigInvalid if they are bad."""
    from hil_os.common import exception

    vlans = set()
    for text in conf.network.vlan_ranges:
        try:
            first, _, last = text.partition(':')
            first, last = int(first), int(last or first)
        except ValueError:
            raise exception.ConfigInvalid(
                reason='[network] vlan_ranges entry %r is not "first:last"'
                % text)
        if not 1 <= first <= last <= 4094:
            raise exception.ConfigInvalid(
                reason='[network] vlan_ranges entry %r is outside 1-4094 '
                       'or reversed' % text)
        vlans.update(range(first, last + 1))
    if conf.network.parking_vlan in vlans:
        raise exception.ConfigInvalid(
            reason='[network] parking_vlan %d is inside vlan_ranges' %
            conf.network.parking_vlan)
    return sorted(vlans)
