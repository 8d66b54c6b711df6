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

INITIATOR_IQN = {
    'type': ['string', 'null'], 'maxLength': 223,
    'pattern': '^(iqn\\.[0-9]{4}-[0-9]{2}\\.[a-z0-9.-]+(:[^\\s]+)?|'
               'eui\\.[0-9A-Fa-f]{16})$',
    'description': 'must be an iSCSI name like '
                   'iqn.2026-11.org.example:node1 (or null: derived from '
                   'the node UUID).',
}

CREATE = common.obj({
    'name': common.NAME,
    'description': common.DESCRIPTION,
    'bmc': common.obj(_BMC_FIELDS, required=['driver']),
    'initiator_iqn': INITIATOR_IQN,
}, required=['name', 'bmc'])

UPDATE = common.obj({
    'name': common.NAME,
    'description': common.DESCRIPTION,
    'bmc': common.obj(_BMC_FIELDS),
    'initiator_iqn': INITIATOR_IQN,
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
