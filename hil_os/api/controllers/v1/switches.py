"""Switches and their ports (admin only)."""

import http.client

from oslo_config import cfg
import pecan
from pecan import rest

from hil_os.api.controllers.v1 import actions
from hil_os.api import expose
from hil_os.api import lookup
from hil_os.api import pagination
from hil_os.api.schemas import switch as schemas
from hil_os.api import validation
from hil_os.common import exception
from hil_os.common import policy
from hil_os.common import secrets
from hil_os.db import api as dbapi
from hil_os.drivers import loader

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


def _validate_for_driver(driver, values):
    """Let the switch's driver refuse fields it cannot work with."""
    loader.driver_class('switch', driver).validate(values)


class PortRetryController(rest.RestController):
    """/v1/switches/{switch}/ports/{port}/retry: retry a failed port."""

    @expose.expose(status_code=http.client.ACCEPTED)
    def post(self, switch_ident, port_ident):
        """Give a failed port fresh attempts; answer the action to poll."""
        ctx = pecan.request.context
        switch = lookup.switch(ctx, switch_ident, 'hil:port:retry')
        port = dbapi.port_get(switch.id, port_ident, switch_ident)
        action = dbapi.port_retry(port.id, ctx.user_id)
        pecan.request.conductor.kick(ctx, port_id=port.id)
        return actions.accepted(action)


class PortRevertController(rest.RestController):
    """/v1/switches/{switch}/ports/{port}/revert: park a port."""

    @expose.expose(status_code=http.client.ACCEPTED)
    def post(self, switch_ident, port_ident):
        """Detach every network from the port and park it.

        Each attachment removed gets a detach action its project can see;
        the answer is the admin's revert action.
        """
        ctx = pecan.request.context
        switch = lookup.switch(ctx, switch_ident, 'hil:port:revert')
        port = dbapi.port_get(switch.id, port_ident, switch_ident)
        action = dbapi.port_revert(port.id, ctx.user_id)
        pecan.request.conductor.kick(ctx, port_id=port.id)
        return actions.accepted(action)


class SwitchAuditController(rest.RestController):
    """/v1/switches/{switch}/audit: desired vs read back, per port."""

    @expose.expose()
    def get_all(self, switch_ident):
        """Read every port of the switch back and compare with the DB.

        A conductor reads the switch (the API never talks to switches).
        Each port has a status: ok, drift (the switch differs from the
        verified desired state), missing (not on the switch), pending (a
        change is in flight) or failed (its last change failed).
        """
        ctx = pecan.request.context
        switch = lookup.switch(ctx, switch_ident, 'hil:switch:audit')
        report = pecan.request.conductor.audit_switch(ctx, switch.id)
        if 'error' in report:
            error = report['error']
            if error['code'] == http.client.SERVICE_UNAVAILABLE:
                raise exception.ServiceUnavailable(reason=error['message'])
            raise exception.HilOsException(error['message'])
        return report


class PortsController(rest.RestController):
    """/v1/switches/{switch}/ports: the ports NICs are cabled to."""

    retry = PortRetryController()
    revert = PortRevertController()

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
    audit = SwitchAuditController()

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
        _validate_for_driver(body['driver'], body)
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
        merged = {key: getattr(switch, key) for key in SWITCH_FIELDS}
        merged.update(body)
        _validate_for_driver(switch.driver, merged)
        return switch_dict(dbapi.switch_update(switch.id,
                                               _switch_values(body)))

    @expose.expose(status_code=http.client.NO_CONTENT)
    def delete(self, switch_ident):
        """Delete a switch and its ports; refused while NICs are cabled."""
        ctx = pecan.request.context
        switch = lookup.switch(ctx, switch_ident, 'hil:switch:delete')
        dbapi.switch_delete(switch.id)
