"""Reconciling switch ports with the intent in the database.

A conductor claims a switch, computes the whole desired configuration of
every dirty port from the DB, applies it in one driver session, reads it
back, and only then records success in one transaction. A crash at any
point is harmless: the next claim recomputes and re-applies.
"""

import datetime
import threading

from oslo_config import cfg
from oslo_log import log
from oslo_utils import timeutils

from hil_os.common import exception
from hil_os.common import secrets
from hil_os.common import states
from hil_os.db import api as dbapi
from hil_os.drivers import cache
from hil_os.drivers import loader
from hil_os.drivers.switch import base

CONF = cfg.CONF
LOG = log.getLogger(__name__)


def desired_config(attachments):
    """The PortConfig a port must have for its (channel, vlan) attachments.

    No attachment: access on the parking VLAN. Tagged networks make a trunk
    whose untagged VLAN is the access network's, or the parking VLAN.
    """
    access = [vlan for channel, vlan in attachments
              if channel == states.ACCESS]
    native = access[0] if access else CONF.network.parking_vlan
    tagged = [vlan for channel, vlan in attachments
              if channel == states.TAGGED]
    if not tagged:
        return base.PortConfig.access(native)
    return base.PortConfig.trunk(native, tagged)


def switch_info(switch):
    """The dict a driver is built from, with decrypted credentials."""
    return {'name': switch.name, 'driver': switch.driver,
            'device_type': switch.device_type, 'address': switch.address,
            'ssh_port': switch.ssh_port, 'username': switch.username,
            'password': secrets.decrypt(switch.password),
            'enable_secret': secrets.decrypt(switch.enable_secret),
            'options': dict(switch.options or {})}


def _switch_key(switch):
    return (switch.id, switch.updated_at)


def _build_switch_driver(switch):
    return loader.driver_class('switch', switch.driver)(switch_info(switch))


class SwitchQueue:
    """Runs reconciliation of switches on a bounded thread pool.

    A switch is worked on by at most one thread of this conductor; work
    queued for it while it runs makes that thread go round once more.
    """

    def __init__(self, hostname, executor):
        self.hostname = hostname
        self._executor = executor
        self._drivers = cache.DriverCache(_switch_key, _build_switch_driver)
        self._lock = threading.Lock()
        self._active = set()
        self._again = set()

    def submit(self, switch_id):
        """Queue a reconciliation pass over one switch."""
        with self._lock:
            if switch_id in self._active:
                self._again.add(switch_id)
                return
            self._active.add(switch_id)
        self._executor.submit(self._run, switch_id)

    def busy(self):
        """Whether any switch is being reconciled or queued."""
        with self._lock:
            return bool(self._active)

    def close(self):
        self._drivers.close_all()

    def _run(self, switch_id):
        try:
            while True:
                try:
                    self.reconcile(switch_id)
                except Exception:
                    LOG.exception('Reconciliation of switch %s failed '
                                  'unexpectedly; it will be retried.',
                                  switch_id)
                with self._lock:
                    if switch_id in self._again:
                        self._again.discard(switch_id)
                        continue
                    self._active.discard(switch_id)
                    return
        except BaseException:
            with self._lock:
                self._active.discard(switch_id)
            raise

    def driver(self, switch):
        """The driver object of a switch (cached, one per switch)."""
        return self._drivers.get(switch)

    def active(self):
        """IDs of the switches this conductor is working on."""
        with self._lock:
            return set(self._active)

    def reconcile(self, switch_id):
        """Claim a switch and apply its dirty ports until none is due."""
        if not claim(switch_id, self.hostname):
            LOG.debug('Switch %s is claimed by another conductor.',
                      switch_id)
            return
        try:
            while True:
                ports = dbapi.dirty_ports(switch_id, timeutils.utcnow())
                if not ports:
                    return
                self._apply(dbapi.switch_get(switch_id), ports)
                if not claim(switch_id, self.hostname):
                    LOG.warning('Conductor %s lost its claim on switch %s; '
                                'leaving the rest to its new holder.',
                                self.hostname, switch_id)
                    return
        finally:
            dbapi.switch_release(switch_id, self.hostname)

    def _apply(self, switch, ports):
        wanted = {port.name: desired_config(attachments)
                  for port, attachments in ports}
        LOG.info('Switch %s: applying %d port(s): %s', switch.name,
                 len(wanted), '; '.join('%s: %s' % (name, config.describe())
                                        for name, config in wanted.items()))
        try:
            driver = self._drivers.get(switch)
            errors = driver.apply(wanted)
            actual = driver.read_ports(list(wanted))
        except exception.SwitchUnreachable as e:
            for port, _attachments in ports:
                self._failed(switch, port, e.message, transient=True)
            return
        except exception.HilOsException as e:
            for port, _attachments in ports:
                self._failed(switch, port, e.message, transient=False)
            return
        for port, _attachments in ports:
            problem = verify(switch.name, port.name, wanted[port.name],
                             actual, errors.get(port.name))
            if problem:
                self._failed(switch, port, problem, transient=False)
                continue
            done = dbapi.port_sync_succeeded(
                port.id, port.desired_generation, hostname=self.hostname)
            if done is not None:
                LOG.info('Switch %s port %s verified: %s (%d action(s) '
                         'done).', switch.name, port.name,
                         wanted[port.name].describe(), len(done))

    def _failed(self, switch, port, error, transient):
        attempt = port.attempts + 1
        if transient and attempt < CONF.conductor.switch_max_attempts:
            delay = min(CONF.conductor.retry_backoff * 2 ** (attempt - 1),
                        CONF.conductor.retry_backoff_max)
            retry_at = timeutils.utcnow() + datetime.timedelta(seconds=delay)
            LOG.warning('Switch %s port %s: attempt %d of %d failed, '
                        'retrying in %.1f s: %s', switch.name, port.name,
                        attempt, CONF.conductor.switch_max_attempts, delay,
                        error)
        else:
            retry_at = None
            LOG.error('Switch %s port %s: giving up after attempt %d: %s',
                      switch.name, port.name, attempt, error)
        dbapi.port_sync_failed(port.id, port.desired_generation, error,
                               retry_at, hostname=self.hostname)


def claim_deadlines():
    """(expires_before, dead_before) for claims taken now."""
    now = timeutils.utcnow()
    return (now - datetime.timedelta(seconds=CONF.conductor.claim_timeout),
            now - datetime.timedelta(
                seconds=CONF.conductor.heartbeat_timeout))


def claim(switch_id, hostname):
    """Take or renew a claim on a switch; False if another holds it."""
    expires_before, dead_before = claim_deadlines()
    return dbapi.switch_claim(switch_id, hostname, expires_before,
                              dead_before)


def verify(switch_name, port_name, wanted, actual, error):
    """Why a port does not verifiably hold ``wanted`` (None if it does).

    ``actual`` is the read-back of the batch; ``error`` what the switch
    answered to the port's commands, if anything.
    """
    answered = ' The switch answered: %s' % error if error else ''
    if port_name not in actual:
        return ('Switch %s has no port %s (it is not in the switch\'s '
                'configuration); check the port name.%s' %
                (switch_name, port_name, answered))
    got = actual[port_name]
    if got != wanted:
        return ('Switch %s port %s does not hold its configuration after '
                'applying it: wanted %s, read back %s.%s' %
                (switch_name, port_name, wanted.describe(),
                 base.describe(got), answered))
    if error:
        return ('Switch %s port %s: the switch answered errors while '
                'applying %s: %s' % (switch_name, port_name,
                                     wanted.describe(), error))
    return None
