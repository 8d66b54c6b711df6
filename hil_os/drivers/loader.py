"""Loading drivers by name from entry points, limited to enabled ones."""

from oslo_config import cfg
from stevedore import driver as stevedore_driver

from hil_os.common import exception

CONF = cfg.CONF

_NAMESPACES = {'switch': 'hil_os.switch_drivers',
               'power': 'hil_os.power_drivers',
               'image': 'hil_os.image_backends'}
# Option (group, name) listing the enabled drivers of a kind.
_ENABLED = {'image': ('image', 'enabled_backends')}


def driver_class(kind, name):
    """The class of an enabled driver; raise DriverNotFound otherwise."""
    group, option = _ENABLED.get(kind, (kind, 'enabled_drivers'))
    enabled = getattr(getattr(CONF, group), option)
    if name not in enabled:
        raise exception.DriverNotFound(kind=kind.capitalize(), name=name,
                                       enabled=', '.join(enabled))
    try:
        manager = stevedore_driver.DriverManager(
            _NAMESPACES[kind], name, invoke_on_load=False)
    except Exception as e:
        raise exception.DriverNotFound(
            kind=kind.capitalize(), name='%s (%s)' % (name, e),
            enabled=', '.join(enabled))
    return manager.driver
