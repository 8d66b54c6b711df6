"""Events: the audit trail of what happened to a project's resources."""

import pecan
from pecan import rest

from hil_os.api import expose
from hil_os.api import lookup
from hil_os.api import pagination
from hil_os.api.schemas import action as schemas
from hil_os.api import validation
from hil_os.db import api as dbapi

EVENT_FIELDS = ('uuid', 'created_at', 'event_type', 'resource_type',
                'resource_uuid', 'project_id', 'message', 'details')


class EventsController(rest.RestController):
    """/v1/events: what happened, oldest first."""

    @expose.expose()
    @validation.query_params(schemas.EVENT_QUERY)
    def get_all(self, **params):
        """List events of the caller's project (all, for an admin)."""
        ctx = pecan.request.context
        project_id = lookup.list_scope(ctx, 'hil:event:list', params)
        page_size = pagination.limit(params)
        rows = dbapi.event_list(
            project_id=project_id, resource_uuid=params.get('resource'),
            event_type=params.get('type'), limit=page_size,
            marker=params.get('marker'))
        return pagination.page(
            'events', [expose.fields(r, EVENT_FIELDS) for r in rows],
            params, page_size)
