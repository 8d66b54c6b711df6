"""Schemas of lease and quota requests."""

from hil_os.api.schemas import common
from hil_os.common import states

TIME = {
    'type': 'string', 'maxLength': 40,
    'pattern': '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}'
               '(:[0-9]{2}(\\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?$',
    'description': 'must be a date and time like 2026-12-01T09:00:00Z '
                   '(ISO 8601; UTC when no offset is given).',
}

COUNT = {'type': 'integer', 'minimum': 1, 'maximum': 1000,
         'description': 'must be a number of nodes from 1 to 1000.'}

FILTER = common.obj({
    'name': {'type': 'string', 'minLength': 1, 'maxLength': 255,
             'description': 'must be a shell-style pattern of node names '
                            'like "gpu-*".'},
}, description='may only hold "name", a shell-style pattern of node names.')

CREATE = common.obj({
    'name': common.NAME,
    'description': common.DESCRIPTION,
    'project_id': common.PROJECT_ID,
    'node': common.IDENT,
    'count': COUNT,
    'filter': FILTER,
    'start': TIME,
    'end': TIME,
}, required=['project_id', 'end'],
    oneOf=[{'required': ['node']}, {'required': ['count']}],
    description='give either "node" or "count" (with an optional '
                '"filter"), not both.')

UPDATE = common.obj({
    'name': common.NAME,
    'description': common.DESCRIPTION,
    'start': TIME,
    'end': TIME,
}, minProperties=1)

LIST_QUERY = common.query({
    'state': {'type': 'string', 'enum': list(states.LEASE_STATES),
              'description': 'must be one of %s.' %
                             ', '.join(states.LEASE_STATES)},
    'node': common.IDENT,
    'project_id': common.PROJECT_ID,
    **common.PAGING,
})

LIMIT = {'type': ['integer', 'null'], 'minimum': -1, 'maximum': 2 ** 31 - 1,
         'description': 'must be a limit: a whole number, -1 for none, or '
                        'null for the default.'}

QUOTA_UPDATE = common.obj({
    'nodes': LIMIT,
    'networks': LIMIT,
    'images': LIMIT,
    'disk_gb': LIMIT,
}, minProperties=1)
