"""Export audit: every provisioned node's iSCSI export is still there.

An export can vanish behind hil-os's back: tgtd keeps its targets in
memory only, so a restarted tgtd has none; an operator may delete a
Cinder attachment by hand. The node then loses its disk (at once, or at
its next boot). Every ``[image] export_audit_interval`` seconds the audit
reads each active export back from its backend; for one that vanished it
queues a ``reexport`` node action. The action runs in turn with the
node's other actions, so a deprovision under way is never undone, and
re-creates the export for the same initiator with the recorded CHAP
login, so the node logs in again as before.
"""

from oslo_log import log

from hil_os.common import exception
from hil_os.common import secrets
from hil_os.common import states
from hil_os.conductor import node_actions
from hil_os.conductor import provision
from hil_os.db import api as dbapi
from hil_os.drivers import image as image_backends

LOG = log.getLogger(__name__)


def audit():
    """Queue a re-export of each vanished export; the actions queued."""
    queued = []
    for row in dbapi.exports_to_audit():
        try:
            backend = image_backends.get(row.backend)
            if backend.is_exported(row.backend_ref, row.disk_uuid):
                continue
        except exception.HilOsException as e:
            LOG.warning('Export audit: the export of disk %s (node %s) '
                        'could not be read back: %s', row.disk_name,
                        row.node_name, e.message)
            continue
        LOG.warning('Export audit: the iSCSI export of disk %s to node %s '
                    'is gone from backend %s; queueing its re-export.',
                    row.disk_name, row.node_name, row.backend)
        try:
            queued.append(dbapi.node_action_create(
                row.node_id, states.ACTION_REEXPORT, requested_by='hil-os',
                details={'disk': row.disk_uuid}))
        except exception.NodeBusy as e:
            LOG.info('Export audit: %s', e.message)
    return queued


@node_actions.handler(states.ACTION_REEXPORT)
def reexport(task):
    """Re-create a disk's vanished export with its recorded login."""
    disk = dbapi.disk_by_uuid(task.details['disk'])
    node = task.node
    export = dbapi.export_get(disk.id)
    if (export is None or export.status != states.EXPORTED or
            export.node_id != node.id):
        return ('Disk %s is no longer exported to node %s: nothing to '
                're-export.' % (disk.name, node.name))
    backend = image_backends.get(disk.backend)
    if backend.is_exported(disk.backend_ref, disk.uuid):
        return ('The export of disk %s to node %s is in place: nothing to '
                'do.' % (disk.name, node.name))
    provision.make_export(backend, disk, export.initiator_iqn,
                          export.chap_username,
                          secrets.decrypt(export.chap_secret))
    LOG.info('Disk %s exported again to node %s (initiator %s).', disk.name,
             node.name, export.initiator_iqn)
    return ('The iSCSI export of disk %s had vanished from backend %s; it '
            'was re-created for node %s (initiator %s).' % (
                disk.name, disk.backend, node.name, export.initiator_iqn))
