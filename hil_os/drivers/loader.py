"""Loading drivers by name from entry points, limited to enabled ones."""

from oslo_config import cfg
from stevedore import driver as stevedore_driver

from hil_os.common import exception

CONF = cfg.CONF

_NAMESPACES = {'switch': 'hil_os.switch_drivers',
               'power': 'hil_os.power_drivers'}


def driver_class(kind, name):
    """The class of an enabled driver; raise DriverNotFound otherwise."""
    enabled = getattr(CONF, kind).enabled_drivers
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
