"""Node actions: queued work on one node, run by any conductor.

The shared mechanism behind power, boot-device and imaging work:

1. The API queues an action row (``dbapi.node_action_create``: status
   ``pending``, ``node_queue`` set, ``kind`` naming a handler) in one
   transaction with an event, answers 202 with it, and kicks the
   conductors (``ConductorAPI.run_node_actions``).
2. A conductor claims the node's next action with a compare-and-swap
   (``pending`` -> ``running`` with ``claimed_by``/``claimed_at``). The
   unique ``running_node_uuid`` lets at most one action run per node; the
   others wait their turn, oldest first.
3. It runs the handler registered for the action's kind and records
   success or failure, the event and any node fields the handler set, in
   one transaction (``dbapi.node_action_finish``).
4. The periodic sweep picks up actions nobody kicked (pending) and those
   whose conductor died (running, claim older than
   ``[conductor] claim_timeout``): the new conductor resumes them.

Handler contract. Register with ``@node_actions.handler('kind')`` in a
module that conductor/manager.py imports. A handler is called as
``handler(task)`` with a :class:`Task` and:

* reads ``task.node`` (the node row), ``task.details`` (the action's
  details: what the client asked for, plus recorded progress),
  ``task.power`` (the node's power driver, cached per BMC) and, when run
  by a conductor, ``task.conductor`` (its switch queue and consoles);
* is **idempotent per step** and records its progress with
  ``task.progress(step='...', ...)`` after each step that must not be
  repeated. That write also renews the claim, so a step may take longer
  than the claim timeout only if it calls ``progress`` meanwhile; it
  raises NodeActionClaimLost when another conductor took over, which
  ends the handler without recording anything;
* when ``task.resumed`` is True it was taken over from a dead conductor:
  it continues from ``task.details['step']`` or rolls back;
* verifies its result (reads the state back) rather than trusting that
  a request was obeyed;
* returns a message for the user (or None), after setting the node
  fields it established in ``task.node_values`` (e.g. ``power_state``);
* raises a HilOsException whose message tells the user what failed and
  what to do; the action fails with that message. Any other exception
  fails the action with a generic message and is logged with its
  traceback.
"""

import datetime
import threading

from oslo_config import cfg
from oslo_log import log
from oslo_utils import timeutils

from hil_os.common import exception
from hil_os.common import states
from hil_os.db import api as dbapi

CONF = cfg.CONF
LOG = log.getLogger(__name__)

_HANDLERS = {}


def handler(kind):
    """Register the decorated function as the handler of ``kind``."""
    def register(func):
        if kind in _HANDLERS:
            raise ValueError('node action %s has two handlers' % kind)
        _HANDLERS[kind] = func
        return func
    return register


def kinds():
    """The kinds of node actions with a registered handler."""
    return sorted(_HANDLERS)


def expired_before():
    """Claims older than this belong to a conductor that died."""
    return timeutils.utcnow() - datetime.timedelta(
        seconds=CONF.conductor.claim_timeout)


class Task:
    """What a handler works with: the action, its node, its driver."""

    def __init__(self, action, node, hostname, resumed, power_drivers,
                 conductor=None):
        self.action = action
        self.node = node
        self.hostname = hostname
        self.resumed = resumed
        self.details = dict(action.details or {})
        self.node_values = {}
        self.conductor = conductor
        self._power_drivers = power_drivers

    @property
    def power(self):
        """The node's power driver."""
        return self._power_drivers.get(self.node)

    def progress(self, **details):
        """Record progress in the action and renew the claim."""
        if not dbapi.node_action_progress(self.action.id, self.hostname,
                                          details):
            raise exception.NodeActionClaimLost(action=self.action.uuid,
                                                node=self.node.name)
        self.details.update(details)


class NodeActionQueue:
    """Runs node actions on a bounded thread pool, one thread per node.

    ``on_finished(task, previous)`` is called after a result is recorded,
    with the node's values before the action (see node_action_finish).
    Work queued for a node while its thread runs makes that thread claim
    again once done, so actions of a node run one after the other.
    """

    def __init__(self, hostname, executor, power_drivers, on_finished=None,
                 conductor=None):
        self.hostname = hostname
        self._executor = executor
        self._power_drivers = power_drivers
        self._on_finished = on_finished
        self._conductor = conductor
        self._lock = threading.Lock()
        self._active = set()
        self._again = set()

    def submit(self, node_uuid):
        """Queue a pass over a node's due actions."""
        with self._lock:
            if node_uuid in self._active:
                self._again.add(node_uuid)
                return
            self._active.add(node_uuid)
        self._executor.submit(self._run, node_uuid)

    def busy(self):
        """Whether any node's actions are being run or queued."""
        with self._lock:
            return bool(self._active)

    def sweep(self):
        """Queue every node with a pending or orphaned action."""
        for node_uuid in dbapi.nodes_with_actions_due(expired_before()):
            self.submit(node_uuid)

    def _run(self, node_uuid):
        try:
            while True:
                try:
                    while self.run_next(node_uuid):
                        pass
                except Exception:
                    LOG.exception('Running actions of node %s failed '
                                  'unexpectedly; they will be retried.',
                                  node_uuid)
                with self._lock:
                    if node_uuid in self._again:
                        self._again.discard(node_uuid)
                        continue
                    self._active.discard(node_uuid)
                    return
        except BaseException:
            with self._lock:
                self._active.discard(node_uuid)
            raise

    def run_next(self, node_uuid):
        """Claim and run the node's next action; False if none is due."""
        action, resumed = dbapi.node_action_claim(node_uuid, self.hostname,
                                                  expired_before())
        if action is None:
            return False
        try:
            node = dbapi.node_get(node_uuid)
        except exception.NodeNotFound:
            dbapi.node_action_finish(action.id, self.hostname,
                                     states.FAILED, 'The node was deleted.')
            return True
        task = Task(action, node, self.hostname, resumed,
                    self._power_drivers, self._conductor)
        LOG.info('Conductor %s %s action %s (%s) on node %s.', self.hostname,
                 'resumes' if resumed else 'runs', action.uuid, action.kind,
                 node.name)
        func = _HANDLERS.get(action.kind)
        try:
            if func is None:
                raise exception.HilOsException(
                    'No conductor handler for action kind %s; is this '
                    'conductor older than the API?' % action.kind)
            message = func(task)
        except exception.NodeActionClaimLost as e:
            LOG.warning('%s', e.message)
            return True
        except exception.HilOsException as e:
            LOG.warning('Action %s (%s) on node %s failed: %s', action.uuid,
                        action.kind, node.name, e.message)
            self._finish(task, states.FAILED, e.message)
            return True
        except Exception:
            LOG.exception('Action %s (%s) on node %s failed unexpectedly.',
                          action.uuid, action.kind, node.name)
            self._finish(task, states.FAILED,
                         'The %s failed on an internal error; the operator '
                         'can find the cause in the conductor log.' %
                         action.kind.replace('_', ' '))
            return True
        LOG.info('Action %s (%s) on node %s succeeded: %s', action.uuid,
                 action.kind, node.name, message)
        self._finish(task, states.SUCCEEDED, message)
        return True

    def _finish(self, task, status, message):
        previous = dbapi.node_action_finish(
            task.action.id, self.hostname, status, message,
            node_values=task.node_values)
        if previous is None:
            LOG.warning('Action %s on node %s was taken over before it '
                        'finished; its result is not recorded.',
                        task.action.uuid, task.node.name)
            return
        if self._on_finished is not None:
            self._on_finished(task, previous)
