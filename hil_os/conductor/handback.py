"""The hand-back: how a node leaves its project for the free pool.

DELETE /v1/nodes/{node}/project and the end of a lease queue a release
action (``dbapi.node_release_begin``); the node is ``releasing`` from
then on and its project can start nothing on it. A conductor runs the
action through the node-action machinery (claims, turns, resume) as this
sequence of steps:

1. ``power_off``: the BMC powers the node off, read back until it is off
   (skipped if ``[power] power_off_on_release`` is false);
2. ``detach_networks``: every attachment is removed and every cabled port
   re-parked; the step ends when the switches verifiably hold the ports
   parked (conductor/switch_queue.py applies and reads them back);
3. ``revoke_console``: console tokens revoked, the log dropped, the
   Serial-over-LAN session closed;
4. ``unexport_disk``: the node's disk loses its iSCSI export and CHAP
   login (verified gone on the target) and stays the project's, kept for
   a later provision on any node.

Each step is recorded in the action (``details['steps']``) and as an
event and a notification ``node.handback_<step>_done`` or ``_failed``. A
conductor taking over after a crash skips the steps already done. A
failed step does not stop the later ones (each takes something away from
the project), but the node is not released: it stays with its project in
``handback_failed``, visible to the admin, who retries with DELETE
/v1/nodes/{node}/project. Only when every step succeeded does the node go
back to the free pool, in the transaction that ends the action.
"""

import time

from oslo_config import cfg
from oslo_log import log
from oslo_utils import timeutils

from hil_os.common import exception
from hil_os.common import notify
from hil_os.common import states
from hil_os.conductor import node_actions
from hil_os.conductor import power
from hil_os.conductor import provision
from hil_os.db import api as dbapi
from hil_os.drivers import image as image_backends
from hil_os.drivers.power import base as power_base

CONF = cfg.CONF
LOG = log.getLogger(__name__)

DONE = 'done'
FAILED = 'failed'


def _power_off(task):
    if not CONF.power.power_off_on_release:
        return ('Power-off skipped for node %s ([power] '
                'power_off_on_release is false).' % task.node.name)
    if task.power.get_power_state() != states.POWER_OFF:
        task.power.set_power_state(power_base.OFF)
    power.wait_for_power(task, states.POWER_OFF, CONF.power.power_timeout)
    return 'Node %s is powered off (read back from its BMC).' % (
        task.node.name)


def _detach_networks(task):
    targets = dbapi.handback_detach(task.node.id)
    if not targets:
        return 'Node %s has no NIC cabled to a switch.' % task.node.name
    deadline = time.monotonic() + CONF.lease.handback_switch_timeout
    renew_every = CONF.conductor.claim_timeout / 4.0
    renew_at = time.monotonic() + renew_every
    while True:
        pending, failed = dbapi.handback_ports(targets)
        if failed:
            raise exception.SwitchError(
                switch=failed[0].switch_name,
                reason='port %s could not be parked: %s' %
                (failed[0].name, failed[0].last_error))
        if not pending:
            return ('%d port(s) of node %s hold no project VLAN: parked, '
                    'verified on the switch.' % (len(targets),
                                                 task.node.name))
        if time.monotonic() >= deadline:
            raise exception.SwitchError(
                switch=pending[0].switch_name,
                reason='port %s was not verifiably parked within %s s '
                       '(last error: %s)' % (
                           pending[0].name,
                           CONF.lease.handback_switch_timeout,
                           pending[0].last_error or 'none'))
        _push_switches(task, pending)
        if time.monotonic() >= renew_at:
            task.progress()
            renew_at = time.monotonic() + renew_every
        time.sleep(CONF.lease.handback_poll_interval)


def _push_switches(task, pending):
    """Have this conductor reconcile the switches of ports that are due."""
    if task.conductor is None:
        return
    switches = task.conductor.switches
    busy = switches.active()
    now = timeutils.utcnow()
    for switch_id in sorted({p.switch_id for p in pending
                             if p.next_attempt_at is None or
                             p.next_attempt_at <= now} - busy):
        switches.submit(switch_id)


def _revoke_console(task):
    revoked, holder = dbapi.handback_revoke_console(task.node.id)
    session = ''
    if holder == task.hostname and task.conductor is not None:
        task.conductor.consoles.stop(task.node.uuid)
        session = '; its session is closed'
    elif holder:
        session = ('; conductor %s closes its session at its next sweep' %
                   holder)
    return '%d console token(s) of node %s revoked and its log dropped%s.' \
        % (revoked, task.node.name, session)


def _unexport_disk(task):
    disk = dbapi.disk_on_node(task.node.id)
    if disk is None:
        return 'Node %s has no disk.' % task.node.name
    if disk.backend_ref is None:
        # Reserved by a provision that was cancelled before it cloned.
        dbapi.export_delete(disk.id)
        dbapi.disk_forget(disk.id)
        return ('Disk %s was never made (its provision did not run); its '
                'record is dropped.' % disk.name)
    provision.unexport(image_backends.get(disk.backend), disk)
    dbapi.disk_release(disk.id)
    return ('Disk %s is no longer exported to node %s (target and CHAP login '
            'removed); it is kept for project %s: provision a node with '
            '{"disk": "%s"} to resume.' % (disk.name, task.node.name,
                                           disk.project_id, disk.name))


_STEPS = {
    states.HANDBACK_POWER_OFF: _power_off,
    states.HANDBACK_DETACH: _detach_networks,
    states.HANDBACK_CONSOLE: _revoke_console,
    states.HANDBACK_DISK: _unexport_disk,
}


def _payload(task, **extra):
    return dict({'node_uuid': task.node.uuid, 'node_name': task.node.name,
                 'project_id': task.node.project_id,
                 'action_uuid': task.action.uuid,
                 'lease_uuid': task.details.get('lease')}, **extra)


def _record(task, step, outcome, message):
    """Record a step's outcome in the action, as an event, and notify."""
    event_type = 'node.handback_%s_%s' % (step, outcome)
    steps = dict(task.details.get('steps') or {}, **{step: outcome})
    if not dbapi.node_action_step(task.action.id, task.hostname,
                                  {'steps': steps}, event_type, message,
                                  step=step, lease=task.details.get('lease')):
        raise exception.NodeActionClaimLost(action=task.action.uuid,
                                            node=task.node.name)
    task.details['steps'] = steps
    notify.info(event_type, _payload(task, step=step, outcome=outcome,
                                     message=message))


@node_actions.handler(states.ACTION_RELEASE)
def hand_back(task):
    """Run the hand-back's steps; release the node only if all succeed."""
    node = task.node
    done = task.details.get('steps') or {}
    failures = []
    # Whatever ends this action short of success leaves the node here.
    task.node_values['state'] = states.NODE_RELEASE_FAILED
    for step in states.HANDBACK_STEPS:
        if done.get(step) == DONE:
            continue
        try:
            message = _STEPS[step](task)
        except exception.NodeActionClaimLost:
            raise
        except exception.HilOsException as e:
            reason = e.message
        except Exception:
            LOG.exception('Hand-back step %s of node %s failed.', step,
                          node.name)
            reason = ('internal error; the operator can find the cause in '
                      'the conductor log')
        else:
            _record(task, step, DONE, message)
            continue
        LOG.warning('Hand-back step %s of node %s failed: %s', step,
                    node.name, reason)
        _record(task, step, FAILED, reason)
        failures.append((step, reason))
    if failures:
        raise exception.HandbackFailed(
            node=node.name, project=node.project_id,
            steps=', '.join(step for step, _ in failures),
            reason='; '.join(reason for _, reason in failures))
    task.node_values.update(project_id=None, state=states.NODE_FREE)
    return ('Node %s was handed back by project %s and is in the free pool: '
            'powered off, networks detached, console revoked, disk '
            'unexported.' % (node.name, node.project_id))


def on_action_finished(task, previous):
    """Notify the end of a hand-back: node.release_done or _failed."""
    if task.action.kind != states.ACTION_RELEASE:
        return
    released = task.node_values.get('state') == states.NODE_FREE
    notify.info('node.release_%s' % ('done' if released else 'failed'),
                _payload(task, state=task.node_values.get('state')))
