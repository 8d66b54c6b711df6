"""Schemas of network, access and attachment requests."""

from hil_os.api.schemas import common
from hil_os.common import states

CREATE = common.obj({
    'name': common.NAME,
    'vlan': common.VLAN,
    'project_id': common.PROJECT_ID,
}, required=['name'])

LIST_QUERY = common.query({
    'name': common.IDENT,
    'project_id': common.PROJECT_ID,
    **common.PAGING,
})

ATTACH = common.obj({
    'network': common.IDENT,
    'channel': {'type': 'string', 'enum': list(states.CHANNELS),
                'description': 'must be "access" (untagged) or "tagged".'},
}, required=['network'])
