"""Actions: queued work a client polls until it succeeds or fails."""

import pecan
from pecan import rest

from hil_os.api import expose
from hil_os.api import lookup
from hil_os.api import pagination
from hil_os.api.schemas import action as schemas
from hil_os.api import validation
from hil_os.db import api as dbapi

ACTION_FIELDS = ('uuid', 'kind', 'status', 'project_id', 'node_uuid',
                 'nic_uuid', 'network_uuid', 'details', 'message',
                 'created_at', 'updated_at', 'finished_at')


def action_dict(row):
    """The API view of an action."""
    return expose.fields(row, ACTION_FIELDS)


def accepted(action):
    """The answer to a request that queued ``action`` (202 + Location)."""
    pecan.response.location = pagination.link(
        '/v1/actions/%s' % action.uuid)
    return action_dict(action)


class ActionsController(rest.RestController):
    """/v1/actions: the state of queued work."""

    @expose.expose()
    @validation.query_params(schemas.ACTION_QUERY)
    def get_all(self, **params):
        """List the caller's project's actions, newest last."""
        ctx = pecan.request.context
        project_id = lookup.list_scope(ctx, 'hil:action:list', params)
        page_size = pagination.limit(params)
        rows = dbapi.action_list(
            project_id=project_id, status=params.get('status'),
            kind=params.get('kind'), node_uuid=params.get('node'),
            limit=page_size, marker=params.get('marker'))
        return pagination.page('actions', [action_dict(r) for r in rows],
                               params, page_size)

    @expose.expose()
    def get_one(self, action_ident):
        """Show an action: pending, running, succeeded or failed."""
        ctx = pecan.request.context
        return action_dict(lookup.action(ctx, action_ident))
