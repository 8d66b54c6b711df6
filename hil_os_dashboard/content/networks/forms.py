from django.utils.translation import gettext_lazy as _
from horizon import forms
from horizon import messages

from hil_os.osc import client
from hil_os_dashboard import api
from hil_os_dashboard import exceptions as hil_exceptions


class CreateNetwork(forms.SelfHandlingForm):
    name = forms.CharField(
        label=_('Name'), max_length=255,
        help_text=_('hil-os gives the network a free VLAN of its pool.'))

    def handle(self, request, data):
        try:
            network = api.network_create(request, data['name'])
        except hil_exceptions.HilUnauthorized:
            raise  # Horizon logs the user out.
        except client.HilError as e:
            self.api_error(e.message)
            return False
        messages.success(request, _(
            'Created network %(name)s on VLAN %(vlan)s.') % {
                'name': network.name, 'vlan': network.vlan})
        return network
