"""Networks, their VLANs, and the projects they are shared with."""

import http.client

from oslo_config import cfg
import pecan
from pecan import rest

from hil_os.api.controllers.v1 import actions
from hil_os.api.controllers.v1 import nics
from hil_os.api import expose
from hil_os.api import lookup
from hil_os.api import pagination
from hil_os.api.schemas import common
from hil_os.api.schemas import network as schemas
from hil_os.api import validation
from hil_os.common import exception
from hil_os.common import policy
from hil_os.conf import network as network_conf
from hil_os.db import api as dbapi

CONF = cfg.CONF

NETWORK_FIELDS = ('uuid', 'name', 'project_id', 'vlan', 'provider',
                  'created_at', 'updated_at')


def network_dict(row):
    """The API view of a network."""
    return expose.fields(row, NETWORK_FIELDS)


class AccessController(rest.RestController):
    """/v1/networks/{network}/access: projects that may use a network."""

    @expose.expose()
    def get_all(self, network_ident):
        """List the projects a network is shared with."""
        ctx = pecan.request.context
        network = lookup.network(ctx, network_ident,
                                 'hil:network:access:list', owner_rule=True)
        return {'access': [{'project_id': r.project_id,
                            'created_at': r.created_at}
                           for r in dbapi.access_list(network.id)]}

    @expose.expose(status_code=http.client.NO_CONTENT)
    def put(self, network_ident, project):
        """Let a project use the network (idempotent)."""
        ctx = pecan.request.context
        validation.check(common.PROJECT_ID, project, 'path parameter')
        network = lookup.network(ctx, network_ident,
                                 'hil:network:access:grant', owner_rule=True)
        dbapi.access_grant(network.id, project)

    @expose.expose()
    def delete(self, network_ident, project):
        """Stop sharing; that project's NICs are detached.

        Answers how many detaches were queued; the detach actions belong to
        the other project, so only an admin gets them listed.
        """
        ctx = pecan.request.context
        network = lookup.network(ctx, network_ident,
                                 'hil:network:access:revoke',
                                 owner_rule=True)
        queued = dbapi.access_revoke(network.id, project)
        if queued:
            pecan.request.conductor.kick(ctx)
        visible = queued if policy.is_admin(ctx) else []
        return {'detaching': len(queued),
                'actions': [actions.action_dict(a) for a in visible]}


class NetworkAttachmentsController(rest.RestController):
    """/v1/networks/{network}/attachments: the NICs on a network."""

    @expose.expose()
    def get_all(self, network_ident):
        """List the NICs attached to a network.

        Others than an admin see only the NICs of their own project's nodes.
        """
        ctx = pecan.request.context
        network = lookup.network(ctx, network_ident, 'hil:attachment:list')
        project_id = None if policy.is_admin(ctx) else ctx.project_id
        return {'attachments': [
            nics.attachment_dict(r) for r in
            dbapi.attachment_list(network_id=network.id,
                                  project_id=project_id)]}


class NetworksController(rest.RestController):
    """/v1/networks: layer-2 networks, each backed by a VLAN."""

    access = AccessController()
    attachments = NetworkAttachmentsController()

    @expose.expose()
    @validation.query_params(schemas.LIST_QUERY)
    def get_all(self, **params):
        """List the networks the caller's project owns or may use."""
        ctx = pecan.request.context
        policy.authorize('hil:network:list', ctx,
                         {'project_id': ctx.project_id or ''})
        admin = policy.is_admin(ctx)
        page_size = pagination.limit(params)
        rows = dbapi.network_list(
            project_id=None if admin else ctx.project_id,
            owner=params.get('project_id'), name=params.get('name'),
            limit=page_size, marker=params.get('marker'))
        return pagination.page('networks', [network_dict(r) for r in rows],
                               params, page_size)

    @expose.expose()
    def get_one(self, network_ident):
        """Show a network."""
        ctx = pecan.request.context
        return network_dict(lookup.network(ctx, network_ident,
                                           'hil:network:get'))

    @expose.expose(status_code=http.client.CREATED)
    @validation.body(schemas.CREATE)
    def post(self, *, body):
        """Create a network on a VLAN from the pool (or a chosen one)."""
        ctx = pecan.request.context
        project_id = body.get('project_id', ctx.project_id)
        policy.authorize('hil:network:create', ctx,
                         {'project_id': project_id or ''})
        if not project_id:
            raise exception.InvalidParameter(
                reason='Invalid body field project_id: the caller has no '
                       'project, so the owner must be given.')
        vlan = body.get('vlan')
        if vlan is not None:
            policy.authorize('hil:network:create:vlan', ctx)
            if vlan == CONF.network.parking_vlan:
                raise exception.InvalidParameter(
                    reason='Invalid body field vlan: %d is the parking VLAN '
                           'of free ports.' % vlan)
        network = dbapi.network_create(
            project_id, body['name'], vlan=vlan,
            ranges_text=', '.join(CONF.network.vlan_ranges))
        pecan.response.location = pagination.link(
            '/v1/networks/%s' % network.uuid)
        return network_dict(network)

    @expose.expose(status_code=http.client.NO_CONTENT)
    def delete(self, network_ident):
        """Delete a network with no attachment; its VLAN goes back."""
        ctx = pecan.request.context
        network = lookup.network(ctx, network_ident, 'hil:network:delete',
                                 owner_rule=True)
        dbapi.network_delete(network.id,
                             pool_vlans=set(network_conf.vlan_ids(CONF)))
