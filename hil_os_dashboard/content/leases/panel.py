from django.utils.translation import gettext_lazy as _
import horizon

from hil_os_dashboard import api


class Leases(horizon.Panel):
    name = _('Leases')
    slug = 'hil_leases'
    permissions = ('openstack.services.%s' % api.SERVICE_TYPE,)
