"""The conductor: applies the intent the API wrote to the database."""

import threading

import futurist
from oslo_config import cfg
from oslo_log import log
import oslo_messaging as messaging
from oslo_utils import timeutils

from hil_os.common import exception
from hil_os.common import rpc
from hil_os.common import states
from hil_os.conductor import console
from hil_os.conductor import export_audit
from hil_os.conductor import handback
from hil_os.conductor import leases
from hil_os.conductor import node_actions
from hil_os.conductor import periodics
from hil_os.conductor import power
from hil_os.conductor import power_sync
from hil_os.conductor import provision  # noqa: F401 (node action handlers)
from hil_os.conductor import storage_jobs
from hil_os.conductor import switch_audit
from hil_os.conductor import switch_queue
from hil_os.db import api as dbapi

CONF = cfg.CONF
LOG = log.getLogger(__name__)


class ConductorManager:
    """RPC endpoints and the threads of one conductor."""

    target = messaging.Target(version='1.0')

    def __init__(self, hostname=None):
        self.hostname = hostname or CONF.host
        self._executor = None
        self._periodic = None
        self._rpc_server = None
        self._node_executor = None
        self.switches = None
        self.power_drivers = None
        self.node_actions = None
        self.power_sync = None
        self.consoles = None
        self._auditing = threading.Lock()
        self.storage = None
        self.leases = None

    def start(self, rpc_server=True, periodic=True, executor=None):
        """Register, drop stale claims, start workers and periodic tasks.

        Tests pass a synchronous ``executor`` and no periodic thread, and
        call :meth:`sweep` themselves.
        """
        dbapi.conductor_heartbeat(self.hostname)
        released = dbapi.switch_release_all(self.hostname)
        if released:
            LOG.info('Conductor %s dropped %d claim(s) left from its '
                     'previous run.', self.hostname, released)
        self._executor = executor or futurist.ThreadPoolExecutor(
            max_workers=CONF.conductor.workers)
        self.switches = switch_queue.SwitchQueue(self.hostname,
                                                 self._executor)
        unclaimed = dbapi.node_actions_unclaim_all(self.hostname)
        if unclaimed:
            LOG.info('Conductor %s will resume %d node action(s) left '
                     'running by its previous run.', self.hostname,
                     unclaimed)
        self._node_executor = executor or futurist.ThreadPoolExecutor(
            max_workers=CONF.conductor.node_workers)
        self.power_drivers = power.PowerDrivers()
        self.node_actions = node_actions.NodeActionQueue(
            self.hostname, self._node_executor, self.power_drivers,
            on_finished=self._action_finished, conductor=self)
        self.power_sync = power_sync.PowerSync(self.hostname,
                                               self.power_drivers)
        self.consoles = console.ConsoleManager(self.hostname,
                                               self.power_drivers)
        dbapi.storage_release_all(self.hostname)
        self.storage = storage_jobs.StorageJobs(self.hostname,
                                                self._executor)
        self.leases = leases.LeaseEngine(self.hostname,
                                         self.node_actions.submit)
        self._periodic = periodics.PeriodicTasks(self)
        if periodic:
            self._periodic.start()
        if rpc_server:
            target = messaging.Target(topic=CONF.conductor.topic,
                                      server=self.hostname)
            self._rpc_server = messaging.get_rpc_server(
                rpc.get_transport(), target, [self], executor='threading')
            self._rpc_server.start()
        LOG.info('Conductor %s started with %d worker(s).', self.hostname,
                 CONF.conductor.workers)

    def stop(self):
        """Stop taking work, finish what runs, unregister."""
        if self._rpc_server is not None:
            self._rpc_server.stop()
            self._rpc_server.wait()
        if self._periodic is not None and self._periodic.running():
            self._periodic.stop()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._node_executor.shutdown(wait=True)
            self.consoles.close()
            self.power_sync.close()
            self.switches.close()
            self.power_drivers.close_all()
        dbapi.conductor_unregister(self.hostname)
        LOG.info('Conductor %s stopped.', self.hostname)

    def _action_finished(self, task, previous):
        power.on_action_finished(task, previous)
        handback.on_action_finished(task, previous)
        lease_uuid = task.details.get('lease')
        if task.action.kind == states.ACTION_RELEASE and lease_uuid:
            try:
                self.leases.settle(dbapi.lease_get(lease_uuid).id)
            except Exception:
                LOG.exception('Lease %s could not follow the hand-back of '
                              'node %s; the next sweep retries.', lease_uuid,
                              task.node.name)

    def kick(self, context, port_id=None):
        """Work was queued: reconcile that port's switch, or sweep."""
        if port_id is not None:
            try:
                port_switch = dbapi.port_switch_id(port_id)
            except Exception:
                LOG.exception('Port %s named in a kick could not be loaded.',
                              port_id)
            else:
                self.switches.submit(port_switch)
                return
        if self._periodic.running():
            self._periodic.wake()
        else:
            self.sweep()

    def run_node_actions(self, context, node_uuid):
        """Node actions were queued: run them (in turn) on a worker."""
        self.node_actions.submit(node_uuid)

    def console_start(self, context, node_uuid):
        """A console token was issued: open the node's console session."""
        self.consoles.start(node_uuid)

    def console_input(self, context, node_uuid, data):
        """Type text into a node's console (held by this conductor)."""
        self.consoles.send(node_uuid, data)

    def console_stop(self, context, node_uuid):
        """The node's console tokens were revoked: close its session."""
        self.consoles.stop(node_uuid)

    def audit_switch(self, context, switch_id):
        """Read a switch's ports back and report desired vs actual.

        Returns the report, or ``{'error': {'code': ..., 'message': ...}}``
        when the switch cannot be read (so any RPC transport carries it).
        """
        try:
            switch = dbapi.switch_get(switch_id)
            return switch_audit.audit(switch, self.switches.driver(switch))
        except exception.HilOsException as e:
            LOG.warning('Audit of switch %s failed: %s', switch_id,
                        e.message)
            code = 503 if isinstance(e, exception.SwitchError) else e.code
            return {'error': {'code': code, 'message': e.message}}

    def audit_switches(self):
        """Start the drift audit of every switch this conductor can claim.

        It runs on the worker pool, so that heartbeats go on meanwhile; an
        audit still running is not started twice.
        """
        if not self._auditing.acquire(blocking=False):
            LOG.info('Conductor %s: previous drift audit still running.',
                     self.hostname)
            return

        def run():
            try:
                switch_audit.audit_all(self.switches, self.hostname)
            finally:
                self._auditing.release()
        self._executor.submit(run)

    def audit_exports(self):
        """Queue (and start) the re-export of every vanished export."""
        for action in export_audit.audit():
            self.node_actions.submit(action.node_uuid)

    def renew_claims(self):
        """Keep the claims on switches being worked on from expiring."""
        return dbapi.switch_claims_renew(self.switches.active(),
                                         self.hostname)

    def sweep(self):
        """Run due leases, queue switches and nodes with work due.

        With the periodic thread running, also start a power-state sync
        when one is due.
        """
        now = timeutils.utcnow()
        self.leases.run()
        expired, dead = switch_queue.claim_deadlines()
        for switch_id in dbapi.switches_with_work(now, expired, dead):
            self.switches.submit(switch_id)
        self.node_actions.sweep()
        self.consoles.sweep()
        if self._periodic.running():
            self.power_sync.start_if_due()
        self.storage.sweep()
