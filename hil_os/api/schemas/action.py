"""Schemas of action and event queries."""

from hil_os.api.schemas import common
from hil_os.common import states

ACTION_QUERY = common.query({
    'status': {'type': 'string', 'enum': list(states.ACTION_STATES),
               'description': 'must be one of %s.' %
                              ', '.join(states.ACTION_STATES)},
    'kind': {'type': 'string', 'maxLength': 32},
    'node': {'type': 'string', 'format': 'uuid',
             'description': 'must be a node UUID.'},
    'project_id': common.PROJECT_ID,
    **common.PAGING,
})

EVENT_QUERY = common.query({
    'resource': {'type': 'string', 'format': 'uuid',
                 'description': 'must be the UUID of a resource.'},
    'type': {'type': 'string', 'maxLength': 64},
    'project_id': common.PROJECT_ID,
    **common.PAGING,
})
