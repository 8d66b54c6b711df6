"""Switches and their ports (admin only)."""

import http.client

from oslo_config import cfg
import pecan
from pecan import rest

from hil_os.api import expose
from hil_os.api import lookup
from hil_os.api import pagination
from hil_os.api.schemas import switch as schemas
from hil_os.api import validation
from hil_os.common import exception
from hil_os.common import policy
from hil_os.common import secrets
from hil_os.db import api as dbapi

CONF = cfg.CONF

SWITCH_FIELDS = ('uuid', 'name', 'driver', 'device_type', 'address',
                 'ssh_port', 'username', 'options', 'created_at',
                 'updated_at')
PORT_FIELDS = ('uuid', 'name', 'switch_uuid', 'sync_state', 'attempts',
               'last_error', 'created_at', 'updated_at')
SECRET_FIELDS = ('password', 'enable_secret')


def switch_dict(row):
    """The API view of a switch: never its password or enable secret."""
    return expose.fields(row, SWITCH_FIELDS)


def port_dict(row):
    """The API view of a port, with the NIC cabled to it."""
    body = expose.fields(row, PORT_FIELDS)
    body['nic'] = ({'uuid': row.nic_uuid, 'name': row.nic_name,
                    'node_uuid': row.node_uuid, 'node_name': row.node_name}
                   if row.nic_uuid else None)
    return body


def _switch_values(body):
    values = {k: v for k, v in body.items() if k not in SECRET_FIELDS}
    for key in SECRET_FIELDS:
        if key in body:
            values[key] = secrets.encrypt(body[key])
    return values


class PortsController(rest.RestController):
    """/v1/switches/{switch}/ports: the ports NICs are cabled to."""

    @expose.expose()
    @validation.query_params(schemas.LIST_QUERY)
    def get_all(self, switch_ident, **params):
        """List a switch's ports and their sync state."""
        ctx = pecan.request.context
        switch = lookup.switch(ctx, switch_ident, 'hil:port:list')
        page_size = pagination.limit(params)
        rows = dbapi.port_list(switch.id, limit=page_size,
                               marker=params.get('marker'))
        return pagination.page('ports', [port_dict(r) for r in rows],
                               params, page_size)

    @expose.expose()
    def get_one(self, switch_ident, port_ident):
        """Show a port."""
        ctx = pecan.request.context
        switch = lookup.switch(ctx, switch_ident, 'hil:port:get')
        port = dbapi.port_get(switch.id, port_ident, switch_ident)
        return port_dict(dbapi.port_show(port.id))

    @expose.expose(status_code=http.client.CREATED)
    @validation.body(schemas.PORT_CREATE)
    def post(self, switch_ident, *, body):
        """Register a port; the conductor parks it on the parking VLAN."""
        ctx = pecan.request.context
        switch = lookup.switch(ctx, switch_ident, 'hil:port:create')
        port = dbapi.port_create(switch.id, body['name'])
        pecan.request.conductor.kick(ctx, port_id=port.id)
        pecan.response.location = pagination.link(
            '/v1/switches/%s/ports/%s' % (switch.uuid, port.uuid))
        return port_dict(dbapi.port_show(port.id))

    @expose.expose(status_code=http.client.NO_CONTENT)
    def delete(self, switch_ident, port_ident):
        """Delete a port no NIC is cabled to."""
        ctx = pecan.request.context
        switch = lookup.switch(ctx, switch_ident, 'hil:port:delete')
        port = dbapi.port_get(switch.id, port_ident, switch_ident)
        dbapi.port_delete(port.id)


class SwitchesController(rest.RestController):
    """/v1/switches: the switches hil-os configures."""

    ports = PortsController()

    @expose.expose()
    @validation.query_params(schemas.LIST_QUERY)
    def get_all(self, **params):
        """List switches."""
        ctx = pecan.request.context
        policy.authorize('hil:switch:list', ctx)
        page_size = pagination.limit(params)
        rows = dbapi.switch_list(limit=page_size,
                                 marker=params.get('marker'))
        return pagination.page('switches', [switch_dict(r) for r in rows],
                               params, page_size)

    @expose.expose()
    def get_one(self, switch_ident):
        """Show a switch (without its credentials)."""
        ctx = pecan.request.context
        return switch_dict(lookup.switch(ctx, switch_ident,
                                         'hil:switch:get'))

    @expose.expose(status_code=http.client.CREATED)
    @validation.body(schemas.CREATE)
    def post(self, *, body):
        """Register a switch: driver, address, credentials, options."""
        ctx = pecan.request.context
        policy.authorize('hil:switch:create', ctx)
        if body['driver'] not in CONF.switch.enabled_drivers:
            raise exception.InvalidParameter(
                reason='Invalid body field driver: %s is not an enabled '
                       'switch driver (enabled: %s).' %
                       (body['driver'],
                        ', '.join(CONF.switch.enabled_drivers)))
        switch = dbapi.switch_create(_switch_values(body))
        pecan.response.location = pagination.link(
            '/v1/switches/%s' % switch.uuid)
        return switch_dict(switch)

    @expose.expose()
    @validation.body(schemas.UPDATE)
    def patch(self, switch_ident, *, body):
        """Change a switch's address, credentials or options."""
        ctx = pecan.request.context
        switch = lookup.switch(ctx, switch_ident, 'hil:switch:update')
        return switch_dict(dbapi.switch_update(switch.id,
                                               _switch_values(body)))

    @expose.expose(status_code=http.client.NO_CONTENT)
    def delete(self, switch_ident):
        """Delete a switch and its ports; refused while NICs are cabled."""
        ctx = pecan.request.context
        switch = lookup.switch(ctx, switch_ident, 'hil:switch:delete')
        dbapi.switch_delete(switch.id)
