"""The periodic loop of a conductor: heartbeat and sweeps.

Each item is isolated: a failure is logged and the loop carries on.
"""

import threading
import time

from oslo_config import cfg
from oslo_log import log

from hil_os.db import api as dbapi

CONF = cfg.CONF
LOG = log.getLogger(__name__)


class PeriodicTasks:
    """Runs the manager's sweep every sync_interval, or when woken.

    With each heartbeat the conductor also renews its switch claims; every
    switch_audit_interval it audits the switches for drift, and every
    [image] export_audit_interval the iSCSI exports of the disks.
    """

    def __init__(self, manager):
        self._manager = manager
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop,
                                        name='hil-os-periodic', daemon=True)
        self._last_heartbeat = 0.0
        started = time.monotonic()
        self._last_run = {'Drift audit': started, 'Export audit': started}

    def start(self):
        self._thread.start()

    def running(self):
        return self._thread.is_alive()

    def stop(self):
        self._stopping.set()
        self._wake.set()
        self._thread.join()

    def wake(self):
        """Run a sweep now rather than at the next interval."""
        self._wake.set()

    def _loop(self):
        while not self._stopping.is_set():
            self._run_once()
            self._wake.wait(CONF.conductor.sync_interval)
            self._wake.clear()

    def _run_once(self):
        now = time.monotonic()
        if now - self._last_heartbeat >= CONF.conductor.heartbeat_interval:
            try:
                dbapi.conductor_heartbeat(self._manager.hostname)
                self._last_heartbeat = now
            except Exception:
                LOG.exception('Heartbeat of conductor %s failed.',
                              self._manager.hostname)
            try:
                self._manager.renew_claims()
            except Exception:
                LOG.exception('Conductor %s could not renew its switch '
                              'claims.', self._manager.hostname)
        try:
            self._manager.sweep()
        except Exception:
            LOG.exception('Sweep of conductor %s failed; retrying in '
                          '%s s.', self._manager.hostname,
                          CONF.conductor.sync_interval)
        self._when_due('Drift audit', CONF.conductor.switch_audit_interval,
                       self._manager.audit_switches, now)
        self._when_due('Export audit', CONF.image.export_audit_interval,
                       self._manager.audit_exports, now)

    def _when_due(self, what, interval, run, now):
        """Call ``run`` if ``interval`` seconds (0: never) have passed."""
        if interval and now - self._last_run[what] >= interval:
            self._last_run[what] = now
            try:
                run()
            except Exception:
                LOG.exception('%s of conductor %s failed.', what,
                              self._manager.hostname)
