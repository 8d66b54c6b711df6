"""Schemas of switch and port requests."""

from hil_os.api.schemas import common

OPTIONS = {
    'type': 'object', 'maxProperties': 32,
    'propertyNames': {'pattern': '^[a-z][a-z0-9_]{0,63}$',
                      'not': {'pattern': '(password|secret)'}},
    'additionalProperties': {'type': ['string', 'integer', 'boolean'],
                             'maxLength': 255},
    'description': 'must map option names (lower case, no secrets: use '
                   'password and enable_secret) to strings, integers or '
                   'booleans.',
}

_FIELDS = {
    'name': common.NAME,
    'driver': {'type': 'string', 'pattern': '^[a-z0-9_]{1,64}$',
               'description': 'must be the name of an enabled switch '
                              'driver.'},
    'device_type': {'type': ['string', 'null'],
                    'pattern': '^[a-z0-9_]{1,64}$',
                    'description': 'must be a device type such as '
                                   'netmiko_ovs_linux.'},
    'address': common.HOST,
    'ssh_port': common.TCP_PORT,
    'username': common.USERNAME,
    'password': common.SECRET,
    'enable_secret': common.SECRET,
    'options': OPTIONS,
}

CREATE = common.obj(_FIELDS, required=['name', 'driver'])

UPDATE = common.obj({k: v for k, v in _FIELDS.items() if k != 'driver'},
                    minProperties=1)

LIST_QUERY = common.query(dict(common.PAGING))

PORT_CREATE = common.obj({'name': {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': '^[A-Za-z0-9][A-Za-z0-9./:_-]*$', 'not': {'format': 'uuid'},
    'description': 'must be the port name the switch uses (e.g. Gi1/0/3, '
                   'p1): letters, digits, ".", "/", ":", "_", "-".'}},
    required=['name'])
