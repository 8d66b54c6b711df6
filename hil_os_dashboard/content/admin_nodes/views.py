from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import tables

from hil_os_dashboard import api
from hil_os_dashboard.content.admin_nodes import tables as node_tables


class IndexView(tables.DataTableView):
    table_class = node_tables.AdminNodesTable
    template_name = 'horizon/common/_data_table_view.html'
    page_title = _('Bare Metal Nodes')

    def get_data(self):
        try:
            return api.node_list_all(self.request)
        except Exception:
            exceptions.handle(self.request, _('Unable to list nodes.'))
            return []
