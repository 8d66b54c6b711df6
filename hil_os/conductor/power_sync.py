"""Power-state sync: read every node's power state, record changes.

Runs from the periodic loop every ``[power] sync_interval`` seconds. BMCs
are read on a pool of ``[power] sync_workers`` threads, so a dead BMC
holds one worker for at most its timeout while the others carry on.
With several conductors, each reads the nodes whose UUID hashes to its
place among the live conductors; a change is recorded by compare-and-swap,
so two conductors reading the same node still record it once.
"""

import datetime
import time
import zlib

import futurist
from oslo_config import cfg
from oslo_log import log
from oslo_utils import timeutils

from hil_os.common import exception
from hil_os.common import states
from hil_os.conductor import power
from hil_os.db import api as dbapi

CONF = cfg.CONF
LOG = log.getLogger(__name__)


def mine(node_uuid, hostname, conductors):
    """Whether ``hostname`` syncs this node among the live conductors."""
    if hostname not in conductors:
        return True
    index = zlib.crc32(node_uuid.encode()) % len(conductors)
    return conductors[index] == hostname


class PowerSync:
    """Reads power states on a bounded pool and records the changes."""

    def __init__(self, hostname, drivers):
        self.hostname = hostname
        self._drivers = drivers
        self._pool = futurist.ThreadPoolExecutor(
            max_workers=CONF.power.sync_workers)
        self._runner = futurist.ThreadPoolExecutor(max_workers=1)
        self._running = None
        self._last = 0.0

    def close(self):
        self._runner.shutdown(wait=True)
        self._pool.shutdown(wait=True)

    def start_if_due(self):
        """Start a sync in the background unless one runs or none is due."""
        interval = CONF.power.sync_interval
        if interval <= 0 or time.monotonic() - self._last < interval:
            return
        if self._running is not None and not self._running.done():
            return
        self._last = time.monotonic()
        self._running = self._runner.submit(self._run_logged)

    def _run_logged(self):
        try:
            self.run()
        except Exception:
            LOG.exception('Power-state sync of conductor %s failed.',
                          self.hostname)

    def run(self):
        """Sync this conductor's share of the nodes; return a summary."""
        self._last = time.monotonic()
        started = time.monotonic()
        conductors = dbapi.conductors_alive(
            timeutils.utcnow() - datetime.timedelta(
                seconds=3 * CONF.conductor.heartbeat_interval))
        nodes = [n for n in dbapi.nodes_for_power_sync()
                 if mine(n.uuid, self.hostname, conductors)]
        futures = [(node, self._pool.submit(self._read, node))
                   for node in nodes]
        changed, errors, unchanged = 0, 0, []
        for node, future in futures:
            state, error = future.result()
            errors += error is not None
            if state == node.power_state:
                unchanged.append(node.id)
                continue
            if self._record(node, state, error):
                changed += 1
        dbapi.nodes_power_checked(unchanged)
        summary = {'nodes': len(nodes), 'changed': changed,
                   'errors': errors,
                   'seconds': round(time.monotonic() - started, 3)}
        LOG.info('Conductor %s synced the power state of %d node(s) in '
                 '%.2f s: %d change(s), %d unreadable BMC(s).',
                 self.hostname, summary['nodes'], summary['seconds'],
                 changed, errors)
        return summary

    def _read(self, node):
        try:
            return self._drivers.get(node).get_power_state(), None
        except exception.HilOsException as e:
            return states.POWER_ERROR, e.message
        except Exception as e:
            LOG.exception('Reading the power state of node %s failed.',
                          node.name)
            return states.POWER_ERROR, 'Unexpected error: %s' % (
                type(e).__name__)

    def _record(self, node, state, error):
        changed = dbapi.node_power_state_update(node.id, node.power_state,
                                                state, error)
        if changed is None:
            return False
        log_at = LOG.warning if state == states.POWER_ERROR else LOG.info
        log_at('Power state of node %s changed from %s to %s%s', node.name,
               node.power_state or 'unknown', state,
               ': %s' % error if error else '.')
        power.notify_power_change(changed, node.power_state, state, error)
        return True
