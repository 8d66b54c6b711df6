"""hil-os: the API and a conductor in one process, on the embedded default.

With no configuration it keeps its state (SQLite database, secrets key) in
~/.local/state/hil-os, uses fake:// messaging and noauth, and listens on
127.0.0.1:6390. ``--demo`` fills an empty database with a demo lab.
The ``hil-os`` command runs this (hil_os/cmd/main.py), or with ``lab``
the virtual lab (hil_os/cmd/lab.py).
"""

import os
import sys

from oslo_config import cfg
from oslo_log import log

from hil_os.api import app as api_app
from hil_os.api import server
from hil_os.common import secrets
from hil_os.common import service
from hil_os.conductor import manager as conductor_manager
from hil_os.conductor import rpcapi
from hil_os import conf
from hil_os.conf import network
from hil_os.db import api as dbapi
from hil_os.db import migration
from hil_os import demo

CONF = conf.CONF
LOG = log.getLogger(__name__)

cli_opts = [
    cfg.BoolOpt('demo', default=False,
                help='Load the demo lab (switch, nodes, NICs, projects) '
                     'into an empty database.'),
]


def main():
    CONF.register_cli_opts(cli_opts)
    CONF.set_default('state_path', os.path.join(
        os.path.expanduser('~'), '.local', 'state', 'hil-os'))
    CONF.set_default('auth_strategy', 'noauth', group='api')
    service.prepare(sys.argv[1:])
    os.makedirs(CONF.state_path, exist_ok=True)
    secrets.ensure_key_file()
    migration.upgrade()
    dbapi.vlan_pool_sync(network.vlan_ids(CONF))
    if CONF.demo:
        demo.load()
    conductor = conductor_manager.ConductorManager()
    conductor.start(rpc_server=False)
    try:
        server.serve(api_app.setup_app(rpcapi.LocalConductorAPI(conductor)))
    finally:
        conductor.stop()
