"""Schemas of node and node-project requests."""

from hil_os.api.schemas import common

BMC_DRIVER = {'type': 'string', 'pattern': '^[a-z0-9_]{1,64}$',
              'description': 'must be the name of an enabled BMC driver.'}

_BMC_FIELDS = {
    'driver': BMC_DRIVER,
    'address': common.HOST,
    'port': common.TCP_PORT,
    'username': common.USERNAME,
    'password': common.SECRET,
}

CREATE = common.obj({
    'name': common.NAME,
    'description': common.DESCRIPTION,
    'bmc': common.obj(_BMC_FIELDS, required=['driver']),
}, required=['name', 'bmc'])

UPDATE = common.obj({
    'name': common.NAME,
    'description': common.DESCRIPTION,
    'bmc': common.obj(_BMC_FIELDS),
}, minProperties=1)

LIST_QUERY = common.query({
    'state': {'type': 'string', 'maxLength': 32},
    'free': common.BOOLEAN_QUERY,
    'name': common.IDENT,
    'project_id': common.PROJECT_ID,
    **common.PAGING,
})

ASSIGN = common.obj({'project_id': common.PROJECT_ID},
                    required=['project_id'])
