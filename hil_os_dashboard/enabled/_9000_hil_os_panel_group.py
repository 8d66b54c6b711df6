# The "Bare Metal" panel group of the Project dashboard (hil-os).
from django.utils.translation import gettext_lazy as _

from hil_os_dashboard import exceptions

PANEL_GROUP = 'hil_os'
PANEL_GROUP_NAME = _('Bare Metal')
PANEL_GROUP_DASHBOARD = 'project'

ADD_INSTALLED_APPS = ['hil_os_dashboard']
ADD_EXCEPTIONS = exceptions.ADD_EXCEPTIONS
