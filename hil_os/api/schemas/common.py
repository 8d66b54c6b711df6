"""Building blocks of the request schemas."""

NAME = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': '^[A-Za-z0-9][A-Za-z0-9._:-]*$', 'not': {'format': 'uuid'},
    'description': 'must be 1 to 255 letters, digits, ".", "_", ":" or "-", '
                   'start with a letter or digit, and not be a UUID.',
}

IDENT = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'description': 'must be a name or UUID (1 to 255 characters).',
}

DESCRIPTION = {
    'type': ['string', 'null'], 'maxLength': 1024,
    'description': 'must be text of at most 1024 characters.',
}

PROJECT_ID = {
    'type': 'string', 'pattern': '^[A-Za-z0-9_.-]{1,64}$',
    'description': 'must be a project ID: 1 to 64 letters, digits, "_", '
                   '"." or "-".',
}

MAC = {
    'type': 'string', 'pattern': '^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$',
    'description': 'must be a MAC address like 52:54:00:12:34:56.',
}

VLAN = {
    'type': 'integer', 'minimum': 1, 'maximum': 4094,
    'description': 'must be a VLAN ID from 1 to 4094.',
}

TCP_PORT = {
    'type': ['integer', 'null'], 'minimum': 1, 'maximum': 65535,
    'description': 'must be a TCP/UDP port number from 1 to 65535.',
}

HOST = {
    'type': ['string', 'null'], 'minLength': 1, 'maxLength': 255,
    'pattern': '^[A-Za-z0-9.:_-]+$',
    'description': 'must be a host name or IP address.',
}

USERNAME = {
    'type': ['string', 'null'], 'minLength': 1, 'maxLength': 255,
    'description': 'must be 1 to 255 characters.',
}

SECRET = {
    'type': ['string', 'null'], 'minLength': 1, 'maxLength': 255,
    'description': 'must be 1 to 255 characters.',
}

BOOLEAN_QUERY = {
    'type': 'string', 'enum': ['true', 'false'],
    'description': 'must be "true" or "false".',
}


def obj(properties, required=(), **extra):
    """An object schema that refuses unknown fields."""
    schema = {'type': 'object', 'properties': properties,
              'additionalProperties': False}
    if required:
        schema['required'] = list(required)
    schema.update(extra)
    return schema


def query(properties):
    """A query-string schema: every value a string, no unknown names."""
    return {'type': 'object', 'properties': properties,
            'additionalProperties': False}


PAGING = {
    'limit': {'type': 'string', 'pattern': '^[0-9]{1,9}$',
              'description': 'limit must be a positive integer: the page '
                             'size, at most [api] max_limit (1000 by '
                             'default); a larger limit gets pages of that '
                             'size, no limit [api] default_limit (100).'},
    'marker': {'type': 'string', 'format': 'uuid',
               'description': 'marker must be the UUID of the last item '
                              'of the previous page.'},
}
