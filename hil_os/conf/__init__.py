"""The global configuration object with every hil-os option group."""

from oslo_config import cfg

from hil_os.conf import api
from hil_os.conf import cinder
from hil_os.conf import conductor
from hil_os.conf import console
from hil_os.conf import database
from hil_os.conf import default
from hil_os.conf import image
from hil_os.conf import image_local
from hil_os.conf import lease
from hil_os.conf import network
from hil_os.conf import power
from hil_os.conf import quota
from hil_os.conf import secrets
from hil_os.conf import switch

CONF = cfg.CONF

default.register_opts(CONF)
image.register_opts(CONF)
image_local.register_opts(CONF)
lease.register_opts(CONF)
api.register_opts(CONF)
cinder.register_opts(CONF)
conductor.register_opts(CONF)
console.register_opts(CONF)
database.register_opts(CONF)
network.register_opts(CONF)
power.register_opts(CONF)
quota.register_opts(CONF)
secrets.register_opts(CONF)
switch.register_opts(CONF)
