from django.utils.translation import gettext_lazy as _
import horizon

from hil_os_dashboard import api


class Nodes(horizon.Panel):
    name = _('Nodes')
    slug = 'hil_nodes'
    # Shown only where hil-os is in the user's service catalog.
    permissions = ('openstack.services.%s' % api.SERVICE_TYPE,)
