"""Lists hil-os options for oslo-config-generator."""

from oslo_log import log

from hil_os.conf import api
from hil_os.conf import cinder
from hil_os.conf import conductor
from hil_os.conf import console
from hil_os.conf import default
from hil_os.conf import image
from hil_os.conf import image_local
from hil_os.conf import lease
from hil_os.conf import network
from hil_os.conf import power
from hil_os.conf import quota
from hil_os.conf import secrets
from hil_os.conf import switch


def list_opts():
    """Return [(group, options)] for every group hil-os registers.

    NGS's own groups are included: it registers them at import and has no
    oslo.config.opts entry point of its own.
    """
    from networking_generic_switch import config as ngs_config

    return [
        ('DEFAULT', default.opts),
        (api.group, api.opts),
        (conductor.group, conductor.opts),
        (console.group, console.opts),
        (cinder.group, cinder.list_opts()),
        (image.group, image.opts),
        (image_local.group, image_local.opts),
        (lease.group, lease.opts),
        (network.group, network.opts),
        (power.group, power.opts),
        (quota.group, quota.opts),
        (secrets.group, secrets.opts),
        (switch.group, switch.opts),
        ('ngs', ngs_config.ngs_opts),
        ('ngs_coordination', ngs_config.coordination_opts),
    ]


def update_opt_defaults():
    """Set the defaults hil-os prefers for options of oslo libraries."""
    log.set_defaults(default_log_levels=log.get_default_log_levels() + [
        'pecan=WARNING', 'cheroot=WARNING', 'stevedore=INFO',
        'keystonemiddleware.auth_token=INFO', 'alembic=WARNING',
        'paramiko=WARNING', 'netmiko=WARNING'])
