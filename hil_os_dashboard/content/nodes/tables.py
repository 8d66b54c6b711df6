from django.template import defaultfilters
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from horizon import exceptions
from horizon import tables

from hil_os_dashboard import api


class PowerAction(tables.BatchAction):
    """Queue a power action on the chosen nodes (hil-os verifies it)."""

    target = what = None
    policy_rules = ((api.SERVICE_TYPE, 'hil:node:power:set'),)

    def action(self, request, obj_id):
        node = self.table.get_object_by_id(obj_id)
        try:
            api.node_set_power(request, node.uuid, self.target)
        except Exception:
            # Adds hil-os's message; the batch then skips its own.
            exceptions.handle(
                request, _('Unable to queue %(what)s of node %(node)s.') % {
                    'what': self.what, 'node': node.name},
                escalate=True)


class PowerOn(PowerAction):
    name = 'power_on'
    target = 'on'
    what = _('power on')

    @staticmethod
    def action_present(count):
        return ngettext_lazy('Power On Node', 'Power On Nodes', count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy('Queued power on of node',
                             'Queued power on of nodes', count)


class PowerOff(PowerAction):
    name = 'power_off'
    target = 'off'
    what = _('power off')
    action_type = 'danger'

    @staticmethod
    def action_present(count):
        return ngettext_lazy('Power Off Node', 'Power Off Nodes', count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy('Queued power off of node',
                             'Queued power off of nodes', count)


class PowerCycle(PowerAction):
    name = 'power_cycle'
    target = 'reboot'
    what = _('power cycle')
    action_type = 'danger'

    @staticmethod
    def action_present(count):
        return ngettext_lazy('Power Cycle Node', 'Power Cycle Nodes', count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy('Queued power cycle of node',
                             'Queued power cycle of nodes', count)


class SetBootDevice(tables.LinkAction):
    name = 'boot_device'
    verbose_name = _('Set Boot Device')
    url = 'horizon:project:hil_nodes:boot_device'
    classes = ('ajax-modal',)
    policy_rules = ((api.SERVICE_TYPE, 'hil:node:boot_device:set'),)

    def get_link_url(self, datum):
        return reverse(self.url, args=[datum.name])


class AttachNic(tables.LinkAction):
    """The attach form; from a node's row, with that node chosen."""

    name = 'attach'
    verbose_name = _('Attach NIC')
    url = 'horizon:project:hil_nodes:attach'
    classes = ('ajax-modal',)
    icon = 'link'
    policy_rules = ((api.SERVICE_TYPE, 'hil:attachment:create'),)

    def get_link_url(self, datum=None):
        url = reverse(self.url)
        if datum is not None:
            url += '?' + urlencode({'node': datum.name})
        return url


def nic_lines(node):
    """One line per NIC: its MAC and the networks it is attached to."""
    lines = []
    for nic in node.nics:
        networks = ', '.join('%s (%s, %s)' % (a.network_name, a.channel,
                                              a.status)
                             for a in nic.attachments)
        lines.append('%s %s: %s' % (nic.name, nic.mac,
                                    networks or _('no network')))
    return lines


class NodesTable(tables.DataTable):
    name = tables.Column('name', verbose_name=_('Name'))
    state = tables.Column('state', verbose_name=_('State'))
    power_state = tables.Column('power_state', verbose_name=_('Power State'),
                                empty_value=_('unknown'))
    nics = tables.Column(nic_lines, verbose_name=_('NICs and Networks'),
                         wrap_list=True,
                         filters=(defaultfilters.unordered_list,))

    def get_object_display(self, datum):
        return datum.name

    class Meta(object):
        name = 'nodes'
        verbose_name = _('Nodes')
        table_actions = (AttachNic, PowerOn, PowerOff)
        row_actions = (PowerOn, PowerOff, PowerCycle, SetBootDevice,
                       AttachNic)


class Detach(tables.BatchAction):
    name = 'detach'
    action_type = 'danger'
    policy_rules = ((api.SERVICE_TYPE, 'hil:attachment:delete'),)

    @staticmethod
    def action_present(count):
        return ngettext_lazy('Detach', 'Detach', count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy('Queued detach of', 'Queued detach of', count)

    def allowed(self, request, datum=None):
        return datum is None or datum.status != 'detaching'

    def action(self, request, obj_id):
        att = self.table.get_object_by_id(obj_id)
        try:
            api.nic_detach(request, att.node_uuid, att.nic_uuid,
                           att.network_uuid)
        except Exception:
            exceptions.handle(
                request, _('Unable to detach %s.') % self.table
                .get_object_display(att), escalate=True)


class AttachmentsTable(tables.DataTable):
    node = tables.Column('node_name', verbose_name=_('Node'))
    nic = tables.Column('nic_name', verbose_name=_('NIC'))
    network = tables.Column('network_name', verbose_name=_('Network'))
    vlan = tables.Column('vlan', verbose_name=_('VLAN'))
    channel = tables.Column('channel', verbose_name=_('Channel'))
    status = tables.Column('status', verbose_name=_('Status'))

    def get_object_display(self, datum):
        return '%s %s from %s' % (datum.node_name, datum.nic_name,
                                  datum.network_name)

    class Meta(object):
        name = 'attachments'
        verbose_name = _('NIC Attachments')
        table_actions = (AttachNic, Detach)
        row_actions = (Detach,)
