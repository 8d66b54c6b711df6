"""Provision, deprovision and snapshot: node actions on a node's disk.

Each handler runs idempotent steps and records the last one done in the
action (``details['step']``), so a conductor taking over after a crash
continues from there. A failure rolls back what this action made: the
export is removed (nothing stays half-exported), a disk the action cloned
is deleted, a kept disk stays kept; the action's message says which step
failed and what was undone.
"""

import random
import string

from oslo_config import cfg
from oslo_log import log

from hil_os.common import exception
from hil_os.common import secrets
from hil_os.common import states
from hil_os.conductor import node_actions
from hil_os.conductor import power
from hil_os.db import api as dbapi
from hil_os.drivers import image as image_backends
from hil_os.drivers.power import base as power_base

CONF = cfg.CONF
LOG = log.getLogger(__name__)

_SECRET_CHARS = string.ascii_letters + string.digits
_RANDOM = random.SystemRandom()


def initiator_iqn(node):
    """The iSCSI initiator name a node logs in with."""
    return node.initiator_iqn or '%s:%s' % (
        CONF.image.initiator_iqn_prefix, node.uuid)


def chap_username(disk):
    """A CHAP user name of its own for each disk."""
    return '%s%s' % (CONF.image.chap_username_prefix,
                     disk.uuid.replace('-', '')[:16])


def new_chap_secret():
    """A fresh random CHAP secret (letters and digits)."""
    return ''.join(_RANDOM.choice(_SECRET_CHARS)
                   for _ in range(CONF.image.chap_secret_length))


def _power_to(task, request, wanted):
    if task.power.get_power_state() != wanted:
        task.power.set_power_state(request)
    power.wait_for_power(task, wanted, CONF.power.power_timeout)


def _done(task, *steps):
    return task.details.get('step') in steps


def _export(task, backend, disk):
    """Export a disk to the node with a fresh CHAP secret; verify it."""
    initiator = initiator_iqn(task.node)
    username, secret = chap_username(disk), new_chap_secret()
    dbapi.export_begin(disk.id, task.node.id, initiator, username,
                       secrets.encrypt(secret))
    return make_export(backend, disk, initiator, username, secret)


def make_export(backend, disk, initiator, username, secret):
    """Export a disk with this login, verify it, record how it is reached.

    The export's row must exist (``dbapi.export_begin``).
    """
    export = backend.export(disk.backend_ref, disk.uuid, initiator, username,
                            secret)
    if not backend.is_exported(disk.backend_ref, disk.uuid):
        raise exception.ImageBackendError(
            reason='disk %s is not exported after exporting it' % disk.name)
    dbapi.export_active(disk.id, export.ref, export.portal_host,
                        export.portal_port, export.target_iqn, export.lun,
                        export.chap_username,
                        secrets.encrypt(export.chap_secret))
    return export


def unexport(backend, disk):
    """Remove a disk's export, verify it is gone, forget its CHAP login."""
    backend.unexport(disk.backend_ref, disk.uuid)
    if backend.is_exported(disk.backend_ref, disk.uuid):
        raise exception.ImageBackendError(
            reason='disk %s is still exported after removing its export' %
            disk.name)
    dbapi.export_delete(disk.id)


def _rollback(task, backend, disk):
    """Undo a failed provision; return what was done, for the message."""
    undone = []
    try:
        if disk.backend_ref:
            unexport(backend, disk)
            undone.append('the export was removed')
        else:
            dbapi.export_delete(disk.id)
    except Exception as e:
        LOG.exception('Rollback of the export of disk %s failed.', disk.name)
        return 'rolling back failed too: the export of disk %s could not be '\
               'removed (%s); ask the operator' % (disk.name, e)
    if task.details.get('new_disk'):
        try:
            if disk.backend_ref:
                backend.delete(disk.backend_ref)
            dbapi.disk_forget(disk.id)
            undone.append('the new disk was deleted')
        except Exception as e:
            LOG.exception('Rollback: disk %s could not be deleted.',
                          disk.name)
            dbapi.disk_release(disk.id)
            undone.append('the new disk %s is kept (deleting it failed: %s)'
                          % (disk.name, e))
    else:
        dbapi.disk_release(disk.id)
        undone.append('disk %s is kept' % disk.name)
    return '; '.join(undone) or 'nothing was left to undo'


@node_actions.handler(states.ACTION_PROVISION)
def provision(task):
    """Clone, export with CHAP, boot from the network, power-cycle."""
    disk = dbapi.disk_by_uuid(task.details['disk'])
    backend = image_backends.get(disk.backend)
    node = task.node
    what = 'cloning the image'
    try:
        if disk.backend_ref is None:
            image = dbapi.image_by_uuid(task.details['image'])
            stored = backend.clone(image.backend_ref, disk.uuid)
            dbapi.disk_stored(disk.id, stored.ref, stored.size)
            disk = dbapi.disk_by_uuid(disk.uuid)
            task.progress(step='cloned')
        what = 'exporting the disk'
        if not _done(task, 'exported', 'boot_device_set'):
            export = _export(task, backend, disk)
            task.progress(step='exported', target=export.target_iqn)
        what = 'setting the boot device to network'
        if not _done(task, 'boot_device_set'):
            task.power.set_boot_device('pxe', True)
            task.node_values.update(boot_device='pxe', boot_persistent=True)
            task.progress(step='boot_device_set')
        what = 'power-cycling the node'
        _power_to(task, power_base.OFF, states.POWER_OFF)
        _power_to(task, power_base.ON, states.POWER_ON)
    except exception.NodeActionClaimLost:
        raise
    except Exception as e:
        reason = e.message if isinstance(e, exception.HilOsException) \
            else 'internal error (see the conductor log): %s' % e
        if not isinstance(e, exception.HilOsException):
            LOG.exception('Provisioning node %s failed.', node.name)
        undone = _rollback(task, backend, disk)
        raise exception.ProvisionFailed(node=node.name, step=what,
                                        reason=reason, undone=undone)
    return ('Node %s boots from disk %s over iSCSI (target %s); it was '
            'power-cycled.' % (node.name, disk.name,
                               task.details.get('target')))


@node_actions.handler(states.ACTION_DEPROVISION)
def deprovision(task):
    """Power off, remove the export; keep the disk unless asked."""
    disk = dbapi.disk_by_uuid(task.details['disk'])
    backend = image_backends.get(disk.backend)
    node = task.node
    power_error = None
    if not _done(task, 'powered_off', 'unexported'):
        try:
            _power_to(task, power_base.OFF, states.POWER_OFF)
        except exception.HilOsException as e:
            # The export is removed all the same: access must end.
            power_error = e.message
        task.progress(step='powered_off')
    if not _done(task, 'unexported'):
        if disk.backend_ref:
            unexport(backend, disk)
        else:
            dbapi.export_delete(disk.id)
        task.progress(step='unexported')
    if task.details.get('delete_disk'):
        if disk.backend_ref:
            backend.delete(disk.backend_ref)
        dbapi.disk_forget(disk.id)
        kept = 'deleted'
    else:
        dbapi.disk_release(disk.id)
        kept = 'kept: provision with {"disk": "%s"} to resume' % disk.name
    if power_error:
        done = 'its export was removed and disk %s %s' % (disk.name, kept)
        raise exception.DeprovisionIncomplete(node=node.name,
                                              reason=power_error, done=done)
    return 'Node %s is off and no longer exported; disk %s %s.' % (
        node.name, disk.name, kept)


@node_actions.handler(states.ACTION_SNAPSHOT)
def snapshot(task):
    """Power off, copy the disk into the new image, power on again."""
    disk = dbapi.disk_by_uuid(task.details['disk'])
    image = dbapi.image_by_uuid(task.details['image'])
    backend = image_backends.get(disk.backend)
    if 'was_on' not in task.details:
        task.progress(was_on=task.power.get_power_state() != states.POWER_OFF)
    try:
        if not _done(task, 'snapshotted'):
            _power_to(task, power_base.OFF, states.POWER_OFF)
            stored = backend.snapshot(disk.backend_ref, image.uuid)
            dbapi.image_snapshot_stored(image.id, stored.ref, stored.size)
            task.progress(step='snapshotted')
    except exception.NodeActionClaimLost:
        raise
    except Exception as e:
        reason = e.message if isinstance(e, exception.HilOsException) \
            else 'internal error (see the conductor log): %s' % e
        if not isinstance(e, exception.HilOsException):
            LOG.exception('Snapshot of node %s failed.', task.node.name)
        dbapi.image_snapshot_failed(image.id, reason)
        if task.details.get('was_on'):
            _power_to(task, power_base.ON, states.POWER_ON)
        raise exception.SnapshotFailed(node=task.node.name, reason=reason)
    if task.details.get('was_on'):
        _power_to(task, power_base.ON, states.POWER_ON)
    return ('Image %s made from disk %s of node %s (taken powered off)%s.'
            % (image.name, disk.name, task.node.name,
               '; the node is on again' if task.details.get('was_on')
               else ''))
