"""Disks: the project's node disks, kept across leases."""

import http.client

import pecan
from pecan import rest

from hil_os.api.controllers.v1 import actions
from hil_os.api import expose
from hil_os.api import lookup
from hil_os.api import pagination
from hil_os.api.schemas import image as schemas
from hil_os.api import validation
from hil_os.db import api as dbapi

DISK_FIELDS = ('uuid', 'name', 'project_id', 'node_uuid', 'node_name',
               'image_uuid', 'status', 'backend', 'size', 'message',
               'action_uuid', 'created_at', 'updated_at')


def disk_dict(row):
    """The API view of a disk and the node it is on (if any)."""
    return expose.fields(row, DISK_FIELDS)


class DisksController(rest.RestController):
    """/v1/disks: node disks, provisioned or waiting to be resumed."""

    @expose.expose()
    @validation.query_params(schemas.DISK_LIST_QUERY)
    def get_all(self, **params):
        """List the caller's project's disks (all, for an admin)."""
        ctx = pecan.request.context
        project_id = lookup.list_scope(ctx, 'hil:disk:list', params)
        node_id = None
        if 'node' in params:
            node_id = lookup.node(ctx, params['node'], 'hil:disk:list').id
        page_size = pagination.limit(params)
        rows = dbapi.disk_list(project_id=project_id, node_id=node_id,
                               status=params.get('status'), limit=page_size,
                               marker=params.get('marker'))
        return pagination.page('disks', [disk_dict(r) for r in rows],
                               params, page_size)

    @expose.expose()
    def get_one(self, disk_ident):
        """Show a disk."""
        ctx = pecan.request.context
        return disk_dict(lookup.disk(ctx, disk_ident, 'hil:disk:get'))

    @expose.expose(status_code=http.client.ACCEPTED)
    def delete(self, disk_ident):
        """Delete a kept disk that is on no node."""
        ctx = pecan.request.context
        disk = lookup.disk(ctx, disk_ident, 'hil:disk:delete')
        action = dbapi.disk_delete_begin(disk.id)
        pecan.request.conductor.kick(ctx)
        return actions.accepted(action)
