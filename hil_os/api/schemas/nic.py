"""Schemas of NIC requests."""

from hil_os.api.schemas import common

CREATE = common.obj({
    'name': common.NAME,
    'mac': common.MAC,
    'switch': common.IDENT,
    'port': common.IDENT,
}, required=['name', 'mac'],
    dependentRequired={'switch': ['port'], 'port': ['switch']})

UPDATE = common.obj({
    'name': common.NAME,
    'switch': {'type': ['string', 'null'], 'minLength': 1,
               'maxLength': 255},
    'port': {'type': ['string', 'null'], 'minLength': 1, 'maxLength': 255},
}, minProperties=1,
    dependentRequired={'switch': ['port'], 'port': ['switch']})
