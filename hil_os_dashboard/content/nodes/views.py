from django.urls import reverse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import forms
from horizon import tables

from hil_os_dashboard import api
from hil_os_dashboard.content.nodes import forms as node_forms
from hil_os_dashboard.content.nodes import tables as node_tables

INDEX_URL = 'horizon:project:hil_nodes:index'


class IndexView(tables.MultiTableView):
    table_classes = (node_tables.NodesTable, node_tables.AttachmentsTable)
    template_name = 'project/hil_nodes/index.html'
    page_title = _('Nodes')

    def _nodes(self):
        if not hasattr(self, '_node_list'):
            try:
                self._node_list = api.node_list(self.request)
            except Exception:
                self._node_list = []
                exceptions.handle(self.request, _('Unable to list nodes.'))
        return self._node_list

    def get_nodes_data(self):
        return self._nodes()

    def get_attachments_data(self):
        return [a for node in self._nodes() for nic in node.nics
                for a in nic.attachments]


class AttachView(forms.ModalFormView):
    form_class = node_forms.AttachNic
    template_name = 'hil_os/form.html'
    modal_id = 'attach_nic_modal'
    page_title = modal_header = _('Attach NIC')
    submit_label = _('Attach')
    submit_url = reverse_lazy('horizon:project:hil_nodes:attach')
    success_url = reverse_lazy(INDEX_URL)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        try:
            kwargs['nodes'] = api.node_list(self.request)
            kwargs['networks'] = api.network_list(self.request)
        except Exception:
            exceptions.handle(self.request, _('Unable to list nodes or '
                                              'networks.'),
                              redirect=reverse(INDEX_URL))
        return kwargs

    def get_initial(self):
        return {'node': self.request.GET.get('node')}


class BootDeviceView(forms.ModalFormView):
    form_class = node_forms.SetBootDevice
    template_name = 'hil_os/form.html'
    modal_id = 'boot_device_modal'
    page_title = modal_header = _('Set Boot Device')
    submit_label = _('Set Boot Device')
    success_url = reverse_lazy(INDEX_URL)

    def get_form_kwargs(self):
        return dict(super().get_form_kwargs(), node=self.kwargs['node'])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['submit_url'] = reverse('horizon:project:hil_nodes:'
                                        'boot_device',
                                        args=[self.kwargs['node']])
        context['page_title'] = _('Set Boot Device of %s') % (
            self.kwargs['node'])
        return context
