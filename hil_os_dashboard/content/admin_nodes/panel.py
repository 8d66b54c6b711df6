from django.utils.translation import gettext_lazy as _
import horizon

from hil_os_dashboard import api


class AdminNodes(horizon.Panel):
    name = _('Nodes')
    slug = 'hil_nodes'
    permissions = ('openstack.services.%s' % api.SERVICE_TYPE,
                   'openstack.roles.admin')
