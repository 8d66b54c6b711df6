from django.utils.translation import gettext_lazy as _
from horizon import tables


def bmc(node):
    """The BMC's driver and address (hil-os never answers its password)."""
    info = node.get('bmc') or {}
    if not info.get('address'):
        return info.get('driver')
    return '%s %s:%s' % (info.get('driver'), info['address'],
                         info.get('port'))


class AdminNodesTable(tables.DataTable):
    name = tables.Column('name', verbose_name=_('Name'))
    project = tables.Column('project_id', verbose_name=_('Project'),
                            empty_value=_('free'))
    state = tables.Column('state', verbose_name=_('State'))
    power_state = tables.Column('power_state', verbose_name=_('Power State'),
                                empty_value=_('unknown'))
    bmc = tables.Column(bmc, verbose_name=_('BMC'))

    class Meta(object):
        name = 'nodes'
        verbose_name = _('Bare Metal Nodes')
