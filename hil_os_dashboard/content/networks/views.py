from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import forms
from horizon import tables

from hil_os_dashboard import api
from hil_os_dashboard.content.networks import forms as network_forms
from hil_os_dashboard.content.networks import tables as network_tables


class IndexView(tables.DataTableView):
    table_class = network_tables.NetworksTable
    template_name = 'horizon/common/_data_table_view.html'
    page_title = _('Networks')

    def get_data(self):
        try:
            return api.network_list(self.request)
        except Exception:
            exceptions.handle(self.request, _('Unable to list networks.'))
            return []


class CreateView(forms.ModalFormView):
    form_class = network_forms.CreateNetwork
    template_name = 'hil_os/form.html'
    modal_id = 'create_network_modal'
    page_title = modal_header = _('Create Network')
    submit_label = _('Create Network')
    submit_url = reverse_lazy('horizon:project:hil_networks:create')
    success_url = reverse_lazy('horizon:project:hil_networks:index')
