"""Schemas of power, boot-device and console requests."""

from hil_os.api.schemas import common
from hil_os.common import states

SET_POWER = common.obj({
    'target': {'type': 'string', 'enum': sorted(states.POWER_TARGETS),
               'description': 'must be one of %s.' %
                              ', '.join(sorted(states.POWER_TARGETS))},
}, required=['target'])

SET_BOOT_DEVICE = common.obj({
    'device': {'type': 'string', 'enum': list(states.BOOT_DEVICES),
               'description': 'must be one of %s.' %
                              ', '.join(states.BOOT_DEVICES)},
    'persistent': {'type': 'boolean',
                   'description': 'must be true or false.'},
}, required=['device'])

CONSOLE_INPUT = common.obj({
    'data': {'type': 'string', 'minLength': 1, 'maxLength': 4096,
             'description': 'must be 1 to 4096 characters to type.'},
}, required=['data'])

CONSOLE_QUERY = common.query({
    'offset': {'type': 'string', 'pattern': '^[0-9]{1,18}$',
               'description': 'offset must be a non-negative integer (the '
                              '"offset" of the previous answer).'},
    'wait': {'type': 'string', 'pattern': '^[0-9]{1,3}(\\.[0-9]+)?$',
             'description': 'wait must be a number of seconds.'},
})
