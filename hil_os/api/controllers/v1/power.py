"""Power and boot device of a node, queued as node actions."""

import http.client

import pecan
from pecan import rest

from hil_os.api.controllers.v1 import actions
from hil_os.api import expose
from hil_os.api import lookup
from hil_os.api.schemas import power as schemas
from hil_os.api import validation
from hil_os.common import states
from hil_os.db import api as dbapi

POWER_FIELDS = ('power_state', 'power_updated_at', 'power_error',
                'boot_device', 'boot_persistent')


def power_dict(node):
    """The power view of a node, with its queued power work."""
    body = expose.fields(node, POWER_FIELDS)
    body['node_uuid'] = node.uuid
    body['actions'] = [
        {'uuid': a.uuid, 'kind': a.kind, 'status': a.status}
        for a in dbapi.node_actions_active(node.uuid)]
    return body


def _queue(ctx, node, kind, details):
    action = dbapi.node_action_create(node.id, kind, ctx.user_id, details)
    pecan.request.conductor.run_node_actions(ctx, node.uuid)
    return actions.accepted(action)


class PowerController(rest.RestController):
    """/v1/nodes/{node}/power: read and change a node's power."""

    @expose.expose()
    def get_all(self, node_ident):
        """Show the last known power state and boot device of a node.

        The state is what the last power action or power-state sync read
        from the BMC (``power_updated_at``); ``error`` means the BMC could
        not be read (``power_error`` says why).
        """
        ctx = pecan.request.context
        return power_dict(lookup.node(ctx, node_ident,
                                      'hil:node:power:get'))

    @expose.expose(status_code=http.client.ACCEPTED)
    @validation.body(schemas.SET_POWER)
    def put(self, node_ident, *, body):
        """Queue powering a node on, off, soft off or rebooting it."""
        ctx = pecan.request.context
        node = lookup.node(ctx, node_ident, 'hil:node:power:set')
        return _queue(ctx, node, states.POWER_TARGETS[body['target']],
                      {'target': body['target']})


class BootDeviceController(rest.RestController):
    """/v1/nodes/{node}/boot_device: where a node boots from."""

    @expose.expose(status_code=http.client.ACCEPTED)
    @validation.body(schemas.SET_BOOT_DEVICE)
    def put(self, node_ident, *, body):
        """Queue setting the device a node boots from (next or always)."""
        ctx = pecan.request.context
        node = lookup.node(ctx, node_ident, 'hil:node:boot_device:set')
        return _queue(ctx, node, states.ACTION_SET_BOOT_DEVICE,
                      {'device': body['device'],
                       'persistent': body.get('persistent', False)})
