import datetime

from django.utils.translation import gettext_lazy as _
from horizon import forms
from horizon import messages

from hil_os.osc import client
from hil_os_dashboard import api
from hil_os_dashboard import exceptions as hil_exceptions


def parse_utc(value):
    """An ISO 8601 time as naive UTC; one without an offset is UTC."""
    when = datetime.datetime.fromisoformat(value.strip().replace('Z',
                                                                 '+00:00'))
    if when.tzinfo:
        when = when.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return when


class ExtendLease(forms.SelfHandlingForm):
    end = forms.CharField(
        label=_('New end (UTC)'),
        help_text=_('For example 2026-12-01 09:00. hil-os hands the nodes '
                    'back at this time; a lease may last at most as long as '
                    'the cloud allows.'))

    def __init__(self, request, *args, **kwargs):
        self.lease = kwargs.pop('lease')
        super().__init__(request, *args, **kwargs)

    def clean_end(self):
        try:
            end = parse_utc(self.cleaned_data['end'])
        except ValueError:
            raise forms.ValidationError(
                _('Give a time such as 2026-12-01 09:00.'))
        if end <= parse_utc(self.lease.end):
            raise forms.ValidationError(
                _('The lease already ends at %s UTC; give a later time.') %
                self.lease.end.replace('T', ' '))
        return end

    def handle(self, request, data):
        end = data['end'].isoformat(timespec='seconds') + 'Z'
        try:
            api.lease_extend(request, self.lease.uuid, end)
        except hil_exceptions.HilUnauthorized:
            raise  # Horizon logs the user out.
        except client.HilError as e:
            self.api_error(e.message)
            return False
        messages.success(request, _('Lease %(lease)s now ends at %(end)s.')
                         % {'lease': self.lease.name or self.lease.uuid,
                            'end': end})
        return True
