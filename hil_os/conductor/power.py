"""Power and boot-device actions, and the cache of power drivers.

Every handler asks the BMC, then reads the power state back until it
matches or ``[power] power_timeout`` passes: pyghmi's own ``wait=True``
is never used (it hangs when several threads wait).
"""

import threading
import time

from oslo_config import cfg
from oslo_log import log
from oslo_utils import timeutils

from hil_os.common import exception
from hil_os.common import notify
from hil_os.common import secrets
from hil_os.common import states
from hil_os.conductor import node_actions
from hil_os.drivers import cache
from hil_os.drivers import loader
from hil_os.drivers.power import base

CONF = cfg.CONF
LOG = log.getLogger(__name__)


def bmc_info(node):
    """The dict a power driver is built from, with the decrypted password."""
    return {'node': node.name, 'driver': node.bmc_driver,
            'address': node.bmc_address, 'port': node.bmc_port,
            'username': node.bmc_username,
            'password': secrets.decrypt(node.bmc_password)}


def _bmc_key(node):
    return (node.bmc_driver, node.bmc_address, node.bmc_port,
            node.bmc_username, node.bmc_password)


def _build_power_driver(node):
    return _Serialized(loader.driver_class('power', node.bmc_driver)(
        bmc_info(node)))


class PowerDrivers(cache.DriverCache):
    """One driver object per node, kept while its BMC details stay the same.

    Drivers keep their BMC session open between calls (one pyghmi session
    per BMC); a call holds the node's lock so that a driver is used by one
    thread at a time.
    """

    def __init__(self):
        super().__init__(_bmc_key, _build_power_driver)


class _Serialized:
    """A driver whose calls run one at a time."""

    def __init__(self, driver):
        self._driver = driver
        self._lock = threading.Lock()

    def __getattr__(self, name):
        method = getattr(self._driver, name)

        def call(*args, **kwargs):
            with self._lock:
                return method(*args, **kwargs)
        return call


def wait_for_power(task, wanted, timeout):
    """Read the power state until it is ``wanted``; raise PowerTimeout."""
    deadline = time.monotonic() + timeout
    while True:
        state = task.power.get_power_state()
        if state == wanted:
            task.node_values.update(power_state=state, power_error=None,
                                    power_updated_at=timeutils.utcnow())
            return
        if time.monotonic() >= deadline:
            raise exception.PowerTimeout(node=task.node.name, state=wanted,
                                         timeout=timeout, last=state)
        time.sleep(CONF.power.poll_interval)


def _power(task, request, wanted, timeout):
    task.power.set_power_state(request)
    task.progress(step='%s_requested' % request)
    wait_for_power(task, wanted, timeout)


@node_actions.handler(states.ACTION_POWER_ON)
def power_on(task):
    _power(task, base.ON, states.POWER_ON, CONF.power.power_timeout)
    return 'Node %s is powered on.' % task.node.name


@node_actions.handler(states.ACTION_POWER_OFF)
def power_off(task):
    _power(task, base.OFF, states.POWER_OFF, CONF.power.power_timeout)
    return 'Node %s is powered off.' % task.node.name


@node_actions.handler(states.ACTION_SOFT_OFF)
def soft_off(task):
    try:
        _power(task, base.SOFT_OFF, states.POWER_OFF,
               CONF.power.soft_off_timeout)
    except exception.PowerTimeout as e:
        raise exception.PowerTimeout(
            message='%s The operating system did not shut down after the '
                    'soft power-off request; ask for target "off" to cut '
                    'the power.' % e.message)
    return 'Node %s shut down and is powered off.' % task.node.name


@node_actions.handler(states.ACTION_REBOOT)
def reboot(task):
    """Power off (verified), then on (verified); resumes after the off."""
    if task.details.get('step') not in ('powered_off', 'on_requested'):
        if task.power.get_power_state() != states.POWER_OFF:
            _power(task, base.OFF, states.POWER_OFF,
                   CONF.power.power_timeout)
        task.progress(step='powered_off')
    _power(task, base.ON, states.POWER_ON, CONF.power.power_timeout)
    return 'Node %s was power cycled and is on.' % task.node.name


@node_actions.handler(states.ACTION_SET_BOOT_DEVICE)
def set_boot_device(task):
    device = task.details['device']
    persistent = bool(task.details.get('persistent', False))
    task.power.set_boot_device(device, persistent)
    task.node_values.update(boot_device=device, boot_persistent=persistent)
    return 'Node %s boots from %s %s.' % (
        task.node.name, device,
        'from now on' if persistent else 'at its next boot')


def notify_power_change(node, previous, power_state, error=None):
    """Emit hil_os.node.power_state.changed for a recorded change."""
    notify.info('node.power_state.changed', {
        'node_uuid': node.uuid, 'node_name': node.name,
        'project_id': node.project_id, 'previous': previous,
        'power_state': power_state, 'error': error})


def on_action_finished(task, previous):
    """Notify a power-state change an action established."""
    if 'power_state' not in task.node_values:
        return
    if previous.get('power_state') != task.node_values['power_state']:
        notify_power_change(task.node, previous.get('power_state'),
                            task.node_values['power_state'])
