# The "Bare Metal" panel group of the Admin dashboard (hil-os).
from django.utils.translation import gettext_lazy as _

PANEL_GROUP = 'hil_os'
PANEL_GROUP_NAME = _('Bare Metal')
PANEL_GROUP_DASHBOARD = 'admin'
