"""hil-os-conductor: applies switch, power and imaging work."""

import signal
import sys
import threading

from oslo_log import log

from hil_os.common import service
from hil_os.conductor import manager
from hil_os import conf
from hil_os.conf import network
from hil_os.db import api as dbapi

CONF = conf.CONF
LOG = log.getLogger(__name__)


def main():
    service.prepare(sys.argv[1:])
    dbapi.vlan_pool_sync(network.vlan_ids(CONF))
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *args: stop.set())
    conductor = manager.ConductorManager()
    conductor.start()
    stop.wait()
    LOG.info('Conductor %s received a stop signal.', CONF.host)
    conductor.stop()
