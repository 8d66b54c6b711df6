from django.template import defaultfilters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from horizon import tables

from hil_os_dashboard import api

# A lease can move its end until it has ended.
OPEN_STATES = ('created', 'active')


class ExtendLease(tables.LinkAction):
    name = 'extend'
    verbose_name = _('Extend Lease')
    url = 'horizon:project:hil_leases:extend'
    classes = ('ajax-modal',)
    icon = 'clock'
    policy_rules = ((api.SERVICE_TYPE, 'hil:lease:extend'),)

    def allowed(self, request, datum=None):
        return datum is not None and datum.state in OPEN_STATES

    def get_link_url(self, datum):
        return reverse(self.url, args=[datum.uuid])


def utc(value):
    """An API time (ISO 8601, UTC) for people: 2026-12-01 09:00 UTC."""
    if not value:
        return value
    return '%s UTC' % value[:16].replace('T', ' ')


def node_lines(lease):
    return ['%s (%s)' % (n['name'], n['state']) for n in lease.nodes]


class LeasesTable(tables.DataTable):
    name = tables.Column(lambda lease: lease.name or lease.uuid,
                         verbose_name=_('Name'))
    state = tables.Column('state', verbose_name=_('State'))
    start = tables.Column('start', verbose_name=_('Start'),
                          filters=(utc,))
    end = tables.Column('end', verbose_name=_('End'), filters=(utc,))
    nodes = tables.Column(node_lines, verbose_name=_('Nodes'),
                          wrap_list=True, empty_value=_('none yet'),
                          filters=(defaultfilters.unordered_list,))
    message = tables.Column('message', verbose_name=_('Message'))

    def get_object_display(self, datum):
        return datum.name or datum.uuid

    class Meta(object):
        name = 'leases'
        verbose_name = _('Leases')
        row_actions = (ExtendLease,)
