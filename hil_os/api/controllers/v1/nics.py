"""NICs of a node and their attachments to networks."""

import http.client

import pecan
from pecan import rest

from hil_os.api.controllers.v1 import actions
from hil_os.api import expose
from hil_os.api import lookup
from hil_os.api import pagination
from hil_os.api.schemas import network as network_schemas
from hil_os.api.schemas import nic as schemas
from hil_os.api import validation
from hil_os.common import exception
from hil_os.common import states
from hil_os.db import api as dbapi

NIC_FIELDS = ('uuid', 'name', 'mac', 'node_uuid', 'created_at',
              'updated_at')
ATTACHMENT_FIELDS = ('uuid', 'network_uuid', 'network_name', 'vlan',
                     'channel', 'status', 'node_uuid', 'node_name',
                     'nic_uuid', 'nic_name', 'created_at', 'updated_at')


def nic_dict(row):
    """The API view of a NIC, with the switch port it is cabled to."""
    body = expose.fields(row, NIC_FIELDS)
    body['switch'] = row.switch_name
    body['port'] = row.port_name
    return body


def attachment_dict(row):
    """The API view of an attachment, with its port's sync error if any."""
    body = expose.fields(row, ATTACHMENT_FIELDS)
    body['error'] = (row.last_error if row.sync_state == states.SYNC_FAILED
                     else None)
    return body


def _port_id(switch_ident, port_ident):
    """The internal id of a port given by switch and port identifiers."""
    if switch_ident is None:
        return None
    switch = dbapi.switch_get(switch_ident)
    return dbapi.port_get(switch.id, port_ident, switch_ident).id


class AttachmentsController(rest.RestController):
    """/v1/nodes/{node}/nics/{nic}/attachments: the NIC's networks."""

    @expose.expose()
    def get_all(self, node_ident, nic_ident):
        """List the networks a NIC is attached to (or being attached to)."""
        ctx = pecan.request.context
        _node, nic = lookup.nic(ctx, node_ident, nic_ident,
                                'hil:attachment:list')
        return {'attachments': [attachment_dict(r) for r in
                                dbapi.attachment_list(nic_id=nic.id)]}

    @expose.expose(status_code=http.client.ACCEPTED)
    @validation.body(network_schemas.ATTACH)
    def post(self, node_ident, nic_ident, *, body):
        """Queue attaching the NIC to a network; answer the action."""
        ctx = pecan.request.context
        node, nic = lookup.nic(ctx, node_ident, nic_ident,
                               'hil:attachment:create')
        network = lookup.network(ctx, body['network'], 'hil:network:get')
        if node.project_id is None:
            raise exception.NodeBusy(node=node.name,
                                     reason='it is not held by a project')
        _attachment, action = dbapi.attachment_create(
            nic.id, network.id, body.get('channel', states.ACCESS),
            node.project_id)
        pecan.request.conductor.kick(ctx, port_id=nic.port_id)
        return actions.accepted(action)

    @expose.expose(status_code=http.client.ACCEPTED)
    def delete(self, node_ident, nic_ident, network_ident):
        """Queue detaching the NIC from a network; answer the action."""
        ctx = pecan.request.context
        _node, nic = lookup.nic(ctx, node_ident, nic_ident,
                                'hil:attachment:delete')
        network = lookup.network(ctx, network_ident, 'hil:network:get')
        action = dbapi.attachment_delete(nic.id, network.id)
        pecan.request.conductor.kick(ctx, port_id=nic.port_id)
        return actions.accepted(action)


class NicsController(rest.RestController):
    """/v1/nodes/{node}/nics: a node's network interfaces."""

    attachments = AttachmentsController()

    @expose.expose()
    def get_all(self, node_ident):
        """List a node's NICs."""
        ctx = pecan.request.context
        node = lookup.node(ctx, node_ident, 'hil:nic:list')
        return {'nics': [nic_dict(r) for r in dbapi.nic_list(node.id)]}

    @expose.expose()
    def get_one(self, node_ident, nic_ident):
        """Show a NIC."""
        ctx = pecan.request.context
        _node, nic = lookup.nic(ctx, node_ident, nic_ident, 'hil:nic:get')
        return nic_dict(dbapi.nic_show(nic.id))

    @expose.expose(status_code=http.client.CREATED)
    @validation.body(schemas.CREATE)
    def post(self, node_ident, *, body):
        """Register a NIC, optionally cabled to a switch port."""
        ctx = pecan.request.context
        node = lookup.node(ctx, node_ident, 'hil:nic:create')
        nic = dbapi.nic_create(node.id, {
            'name': body['name'], 'mac': body['mac'].lower(),
            'port_id': _port_id(body.get('switch'), body.get('port'))})
        pecan.response.location = pagination.link(
            '/v1/nodes/%s/nics/%s' % (node.uuid, nic.uuid))
        return nic_dict(dbapi.nic_show(nic.id))

    @expose.expose()
    @validation.body(schemas.UPDATE)
    def patch(self, node_ident, nic_ident, *, body):
        """Rename a NIC or re-cable it (switch and port; null for none)."""
        ctx = pecan.request.context
        _node, nic = lookup.nic(ctx, node_ident, nic_ident,
                                'hil:nic:update')
        values = {}
        if 'name' in body:
            values['name'] = body['name']
        if 'switch' in body:
            values['port_id'] = _port_id(body['switch'], body['port'])
        nic = dbapi.nic_update(nic.id, values)
        return nic_dict(dbapi.nic_show(nic.id))

    @expose.expose(status_code=http.client.NO_CONTENT)
    def delete(self, node_ident, nic_ident):
        """Delete a NIC that has no attachment."""
        ctx = pecan.request.context
        _node, nic = lookup.nic(ctx, node_ident, nic_ident,
                                'hil:nic:delete')
        dbapi.nic_delete(nic.id)
