"""Schemas of image, disk and provisioning requests."""

from hil_os.api.schemas import common
from hil_os.common import states

_STORE_STATES = [states.STORE_CREATING, states.STORE_AVAILABLE,
                 states.STORE_DELETING, states.STORE_ERROR]

SIZE = {
    'type': 'integer', 'minimum': 1048576, 'maximum': 2 ** 46,
    'description': 'must be a size in bytes from 1 MiB to 64 TiB.',
}

SOURCE = {
    'type': 'string', 'minLength': 1, 'maxLength': 2048,
    'description': 'must be an http(s) URL or a file path the conductor '
                   'may import (a raw or qcow2 image).',
}

CREATE = common.obj(
    {'name': common.NAME, 'description': common.DESCRIPTION, 'size': SIZE,
     'source': SOURCE},
    required=['name'],
    oneOf=[{'required': ['size']}, {'required': ['source']}],
    description='give either "size" (an empty image) or "source" (an '
                'import), not both.')

COPY = common.obj({
    'name': common.NAME,
    'description': common.DESCRIPTION,
}, required=['name'])

UPDATE = common.obj({
    'name': common.NAME,
    'description': common.DESCRIPTION,
    'protected': {'type': 'boolean',
                  'description': 'must be true or false.'},
}, minProperties=1)

LIST_QUERY = common.query({
    'name': common.IDENT,
    'project_id': common.PROJECT_ID,
    'status': {'type': 'string', 'enum': _STORE_STATES,
               'description': 'must be one of %s.' %
                              ', '.join(_STORE_STATES)},
    **common.PAGING,
})

DISK_LIST_QUERY = common.query({
    'node': common.IDENT,
    'project_id': common.PROJECT_ID,
    'status': LIST_QUERY['properties']['status'],
    **common.PAGING,
})

PROVISION = common.obj(
    {'image': common.IDENT, 'disk': common.IDENT, 'disk_name': common.NAME},
    oneOf=[{'required': ['image']}, {'required': ['disk']}],
    description='give either "image" (a new disk cloned from it) or "disk" '
                '(resume a kept disk), not both.')

DEPROVISION = common.obj({
    'delete_disk': {'type': 'boolean',
                    'description': 'must be true or false.'},
})

SNAPSHOT = common.obj({
    'name': common.NAME,
    'description': common.DESCRIPTION,
}, required=['name'])
