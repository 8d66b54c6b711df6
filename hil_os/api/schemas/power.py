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
