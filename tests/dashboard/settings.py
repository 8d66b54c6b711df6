"""Django settings of the dashboard tests: Horizon's, plus our panels."""

from openstack_dashboard.test.settings import *  # noqa: F401,F403,H303

from openstack_dashboard import enabled as horizon_enabled
from openstack_dashboard.utils import settings as settings_utils

from hil_os_dashboard import enabled as hil_enabled

# Horizon's test settings applied its own enabled files; apply them again
# with ours, from what they started with, and add only the apps that are new.
for _key in ('dashboards', 'default_dashboard', 'angular_modules',
             'js_files', 'js_spec_files', 'scss_files', 'xstatic_modules',
             'plugins'):
    HORIZON_CONFIG.pop(_key, None)  # noqa: F405
_apps = []
settings_utils.update_dashboards(
    [horizon_enabled, hil_enabled], HORIZON_CONFIG, _apps)  # noqa: F405
INSTALLED_APPS = [a for a in _apps  # noqa: F405
                  if a not in INSTALLED_APPS] + list(INSTALLED_APPS)  # noqa

# Render {% compress %} blocks as they are: nothing written to COMPRESS_ROOT.
COMPRESS_ENABLED = False
