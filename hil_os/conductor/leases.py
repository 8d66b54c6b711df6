"""The lease engine: a periodic task of every conductor.

On each pass it starts the leases that are due (their nodes are given to
the project, all or none, within its node quota), ends the active ones
whose end has come (each node held gets a hand-back, see handback.py),
and follows those hand-backs until every node is back in the free pool
or one failed. Several conductors may run it at once: every transition
is a compare-and-swap under the lease's row lock (db/api.py), so each
happens once. Times come from ``timeutils.utcnow()``, which tests
override to drive leases with a controllable clock.
"""

from oslo_config import cfg
from oslo_log import log
from oslo_utils import timeutils

from hil_os.common import notify
from hil_os.common import states
from hil_os.db import api as dbapi

CONF = cfg.CONF
LOG = log.getLogger(__name__)


class LeaseEngine:
    """Runs leases; ``run_node_actions(uuid)`` starts a node's hand-back."""

    def __init__(self, hostname, run_node_actions):
        self.hostname = hostname
        self._run_node_actions = run_node_actions

    def run(self):
        """One pass: start, end and settle the leases that have work."""
        now = timeutils.utcnow()
        to_start, to_end = dbapi.leases_due(now)
        for lease_id in to_start:
            self._isolated(self.start, lease_id, now)
        for lease_id in to_end:
            self._isolated(self.end, lease_id, now)
        for lease_id in dbapi.leases_settling():
            self._isolated(self.settle, lease_id)

    def _isolated(self, func, *args):
        try:
            func(*args)
        except Exception:
            LOG.exception('Conductor %s: %s of lease %s failed; it is '
                          'retried at the next pass.', self.hostname,
                          func.__name__, args[0])

    def start(self, lease_id, now):
        outcome, lease, nodes = dbapi.lease_start(lease_id, now,
                                                  CONF.lease.start_grace)
        if outcome == 'started':
            LOG.info('Lease %s started: project %s holds %s.', lease.uuid,
                     lease.project_id, ', '.join(nodes))
            notify.info('lease.start',
                        notify.lease_payload(lease, nodes=nodes))
        elif outcome == 'error':
            LOG.warning('Lease %s could not start: %s', lease.uuid,
                        lease.message)
            notify.info('lease.error', notify.lease_payload(lease))

    def end(self, lease_id, now):
        lease, queued = dbapi.lease_end(lease_id, states.LEASE_EXPIRED,
                                        self.hostname, now)
        if queued is None:
            return
        LOG.info('Lease %s expired; handing back %d node(s).', lease.uuid,
                 len(queued))
        notify.info('lease.end', notify.lease_payload(lease, nodes=queued))
        for node_uuid in queued:
            self._run_node_actions(node_uuid)

    def settle(self, lease_id):
        outcome, lease = dbapi.lease_settle(lease_id)
        if outcome == 'error':
            LOG.warning('Lease %s: %s', lease.uuid, lease.message)
            notify.info('lease.error', notify.lease_payload(lease))
        elif outcome == 'released':
            LOG.info('Lease %s: every node is back in the free pool.',
                     lease.uuid)
            notify.info('lease.released', notify.lease_payload(lease))
