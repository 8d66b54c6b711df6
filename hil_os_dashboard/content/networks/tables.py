from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from horizon import exceptions
from horizon import tables

from hil_os_dashboard import api


class CreateNetwork(tables.LinkAction):
    name = 'create'
    verbose_name = _('Create Network')
    url = 'horizon:project:hil_networks:create'
    classes = ('ajax-modal',)
    icon = 'plus'
    policy_rules = ((api.SERVICE_TYPE, 'hil:network:create'),)


class DeleteNetwork(tables.DeleteAction):
    policy_rules = ((api.SERVICE_TYPE, 'hil:network:delete'),)

    def get_policy_target(self, request, datum=None):
        return {'project_id': datum.project_id} if datum else {}

    @staticmethod
    def action_present(count):
        return ngettext_lazy('Delete Network', 'Delete Networks', count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy('Deleted Network', 'Deleted Networks', count)

    def allowed(self, request, datum=None):
        # Shared and provider networks are not the project's to delete.
        return datum is None or datum.project_id == request.user.project_id

    def delete(self, request, obj_id):
        try:
            api.network_delete(request, obj_id)
        except Exception:
            exceptions.handle(request, _('Unable to delete network %s.') %
                              self.table.get_object_display(
                                  self.table.get_object_by_id(obj_id)),
                              escalate=True)


def owner(network):
    if network.provider:
        return _('provider')
    return network.project_id


class NetworksTable(tables.DataTable):
    name = tables.Column('name', verbose_name=_('Name'))
    vlan = tables.Column('vlan', verbose_name=_('VLAN'))
    owner = tables.Column(owner, verbose_name=_('Owner'),
                          empty_value=_('none'))
    created = tables.Column('created_at', verbose_name=_('Created (UTC)'))

    class Meta(object):
        name = 'networks'
        verbose_name = _('Networks')
        table_actions = (CreateNetwork, DeleteNetwork)
        row_actions = (DeleteNetwork,)
