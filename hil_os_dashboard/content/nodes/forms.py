from django.utils.translation import gettext_lazy as _
from horizon import forms
from horizon import messages

from hil_os.common import states
from hil_os.osc import client
from hil_os_dashboard import api
from hil_os_dashboard import exceptions as hil_exceptions


class AttachNic(forms.SelfHandlingForm):
    """Attach a NIC of one of the project's nodes to a network."""

    node = forms.ChoiceField(label=_('Node'))
    nic = forms.ChoiceField(label=_('NIC'))
    network = forms.ChoiceField(label=_('Network'))
    channel = forms.ChoiceField(
        label=_('Channel'), initial=states.ACCESS,
        choices=[(states.ACCESS, _('access (untagged)')),
                 (states.TAGGED, _('tagged'))],
        help_text=_('A NIC has one access network; any more go tagged.'))

    def __init__(self, request, *args, **kwargs):
        nodes = kwargs.pop('nodes')
        networks = kwargs.pop('networks')
        super().__init__(request, *args, **kwargs)
        self.nics = {n.name: [nic.name for nic in n.nics] for n in nodes}
        self.fields['node'].choices = [(n, n) for n in self.nics]
        self.fields['nic'].choices = [
            (name, name) for name in
            sorted({nic for names in self.nics.values() for nic in names})]
        self.fields['network'].choices = [(n.name, n.name) for n in networks]

    def clean(self):
        data = super().clean()
        node, nic = data.get('node'), data.get('nic')
        if node and nic and nic not in self.nics[node]:
            raise forms.ValidationError(
                _('Node %(node)s has no NIC %(nic)s; it has %(nics)s.') % {
                    'node': node, 'nic': nic,
                    'nics': ', '.join(self.nics[node]) or _('none')})
        return data

    def handle(self, request, data):
        try:
            api.nic_attach(request, data['node'], data['nic'],
                           data['network'], channel=data['channel'])
        except hil_exceptions.HilUnauthorized:
            raise  # Horizon logs the user out.
        except client.HilError as e:
            self.api_error(e.message)
            return False
        messages.success(request, _(
            'Queued attaching NIC %(nic)s of node %(node)s to network '
            '%(network)s.') % data)
        return True


class SetBootDevice(forms.SelfHandlingForm):
    device = forms.ChoiceField(
        label=_('Boot device'),
        choices=[(d, d) for d in states.BOOT_DEVICES])
    persistent = forms.BooleanField(
        label=_('Persistent'), required=False,
        help_text=_('Boot from it every time, not only at the next boot.'))

    def __init__(self, request, *args, **kwargs):
        self.node = kwargs.pop('node')
        super().__init__(request, *args, **kwargs)

    def handle(self, request, data):
        try:
            api.node_set_boot_device(request, self.node, data['device'],
                                     persistent=data['persistent'])
        except hil_exceptions.HilUnauthorized:
            raise  # Horizon logs the user out.
        except client.HilError as e:
            self.api_error(e.message)
            return False
        messages.success(request, _(
            'Queued setting the boot device of node %(node)s to %(device)s.')
            % {'node': self.node, 'device': data['device']})
        return True
