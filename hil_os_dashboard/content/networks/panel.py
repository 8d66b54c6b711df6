from django.utils.translation import gettext_lazy as _
import horizon

from hil_os_dashboard import api


class Networks(horizon.Panel):
    name = _('Networks')
    slug = 'hil_networks'
    permissions = ('openstack.services.%s' % api.SERVICE_TYPE,)
