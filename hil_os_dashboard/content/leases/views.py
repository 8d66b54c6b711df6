import datetime

from django.urls import reverse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from horizon import forms
from horizon import tables

from hil_os_dashboard import api
from hil_os_dashboard.content.leases import forms as lease_forms
from hil_os_dashboard.content.leases import tables as lease_tables

INDEX_URL = 'horizon:project:hil_leases:index'


class IndexView(tables.DataTableView):
    table_class = lease_tables.LeasesTable
    template_name = 'horizon/common/_data_table_view.html'
    page_title = _('Leases')

    def get_data(self):
        try:
            return api.lease_list(self.request)
        except Exception:
            exceptions.handle(self.request, _('Unable to list leases.'))
            return []


class ExtendView(forms.ModalFormView):
    form_class = lease_forms.ExtendLease
    template_name = 'hil_os/form.html'
    modal_id = 'extend_lease_modal'
    page_title = modal_header = _('Extend Lease')
    submit_label = _('Extend')
    success_url = reverse_lazy(INDEX_URL)

    def _lease(self):
        if not hasattr(self, '_lease_row'):
            try:
                self._lease_row = api.lease_get(self.request,
                                                self.kwargs['lease'])
            except Exception:
                exceptions.handle(self.request, _('Unable to show lease %s.')
                                  % self.kwargs['lease'],
                                  redirect=reverse(INDEX_URL))
        return self._lease_row

    def get_form_kwargs(self):
        return dict(super().get_form_kwargs(), lease=self._lease())

    def get_initial(self):
        # By default one more day.
        end = (lease_forms.parse_utc(self._lease().end) +
               datetime.timedelta(days=1))
        return {'end': end.isoformat(sep=' ', timespec='minutes')}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lease = self._lease()
        context['submit_url'] = reverse('horizon:project:hil_leases:extend',
                                        args=[lease.uuid])
        context['page_title'] = context['modal_header'] = _(
            'Extend Lease %s') % (lease.name or lease.uuid)
        return context
