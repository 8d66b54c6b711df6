"""Real switches through networking-generic-switch (NGS) device objects.

One NGS device object per switch, built from the switch row, with its SSH
session reused and ``global_cmd_verify`` on. The commands and the read-back
come from the device family (:mod:`families`): NGS does not read ports back
and several of its drivers ignore error output, so this driver scans the
switch's answers and the conductor compares what it reads back.
"""

import atexit
import socket
import threading

from oslo_config import cfg
from oslo_log import log

from hil_os.common import exception
from hil_os.drivers.switch import base
from hil_os.drivers.switch import families

CONF = cfg.CONF
LOG = log.getLogger(__name__)

# Device options hil-os sets itself; a switch's options cannot override them.
RESERVED_OPTIONS = frozenset((
    'device_type', 'ip', 'host', 'port', 'username', 'password', 'secret',
    'global_cmd_verify', 'ngs_ssh_reuse_connection', 'ngs_batch_requests',
    'ngs_max_connections', 'session_log', 'verbose'))

_NGS_LOCK = threading.Lock()
_NGS = None


def _ngs():
    """NGS's device module, imported once (it is heavy and has side effects).

    NGS registers an at-exit wait for its batching threads, which hil-os
    does not use and which logs a bogus error at exit.
    """
    global _NGS
    with _NGS_LOCK:
        if _NGS is None:
            from networking_generic_switch import batching
            from networking_generic_switch import devices
            atexit.unregister(batching._wait_for_threads)
            _NGS = devices
    return _NGS


def _text(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return str(value)


def _causes(exc):
    """An exception and the ones it was raised from or while handling."""
    seen = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


class NgsSwitchDriver(base.SwitchDriver):
    """Configures a switch through an NGS device object."""

    @classmethod
    def validate(cls, values):
        """Refuse a switch this driver cannot configure and read back."""
        device_type = values.get('device_type')
        if device_type not in families.BY_DEVICE_TYPE:
            raise exception.InvalidParameter(
                reason='Invalid body field device_type: the ngs driver '
                       'supports %s (with read-back), not %s.' %
                       (', '.join(families.supported_device_types()),
                        device_type))
        if not values.get('address'):
            raise exception.InvalidParameter(
                reason='Invalid body field address: the ngs driver needs '
                       'the address of the switch.')
        reserved = sorted(RESERVED_OPTIONS & set(values.get('options', {})))
        if reserved:
            raise exception.InvalidParameter(
                reason='Invalid body field options: %s cannot be set as '
                       'options; hil-os sets them (use the switch fields '
                       'for address, port and credentials).' %
                       ', '.join(reserved))

    def __init__(self, switch):
        super().__init__(switch)
        self.family = families.BY_DEVICE_TYPE.get(switch['device_type'])
        if self.family is None:
            raise exception.SwitchError(
                switch=self.name,
                reason='device type %s is not supported by the ngs driver '
                       '(supported: %s)' % (
                           switch['device_type'],
                           ', '.join(families.supported_device_types())))
        self._secrets = [s for s in (switch.get('password'),
                                     switch.get('enable_secret')) if s]
        self._lock = threading.Lock()
        self._device = None

    def device_config(self):
        """The NGS device dict: a [genericswitch:NAME] section, as strings."""
        timeout = _text(CONF.switch.ssh_timeout)
        config = dict(self.family.device_defaults)
        config.update({key: _text(value) for key, value in
                       (self.switch.get('options') or {}).items()})
        config.update({
            'device_type': self.switch['device_type'],
            'ip': self.switch['address'],
            'port': _text(self.switch.get('ssh_port') or 22),
            'global_cmd_verify': 'true',
            'ngs_ssh_reuse_connection': 'true',
            'ngs_max_connections': '1',
            'ngs_ssh_connect_timeout': _text(
                CONF.switch.connect_retry_timeout),
            'ngs_ssh_connect_interval': _text(
                CONF.switch.connect_retry_interval),
        })
        for key in ('conn_timeout', 'auth_timeout', 'banner_timeout',
                    'read_timeout_override'):
            config.setdefault(key, timeout)
        for key, field in (('username', 'username'),
                           ('password', 'password'),
                           ('secret', 'enable_secret')):
            if self.switch.get(field):
                config[key] = self.switch[field]
        return config

    def _get_device(self):
        with self._lock:
            if self._device is None:
                # device_manager pops the NGS options out of the dict it is
                # given: hand it a copy.
                self._device = _ngs().device_manager(
                    dict(self.device_config()), self.name)
            return self._device

    def _scrub(self, text):
        """``text`` with any credential of this switch masked."""
        text = str(text)
        for secret in self._secrets:
            text = text.replace(secret, '******')
        return text

    def _translate(self, exc, doing):
        """A hil-os exception, naming the switch, for a failed session."""
        from netmiko import exceptions as netmiko_exc
        import paramiko

        causes = _causes(exc)
        if isinstance(exc, exception.HilOsException):
            return exc
        for cause in causes:
            if isinstance(cause, (paramiko.AuthenticationException,
                                  netmiko_exc.NetmikoAuthenticationException)):
                return exception.SwitchError(
                    switch=self.name,
                    reason='authentication as %s failed while %s: check the '
                           'switch\'s username, password or key' %
                           (self.switch.get('username'), doing))
        for cause in causes:
            text = self._scrub(cause).strip().splitlines()
            detail = '%s%s' % (type(cause).__name__,
                               ': ' + text[0] if text else '')
            if 'enable mode' in ' '.join(text):
                return exception.SwitchError(
                    switch=self.name,
                    reason='it refused enable mode while %s: check the '
                           'switch\'s enable secret (%s)' % (doing, detail))
            timeout = (isinstance(cause, (
                netmiko_exc.ReadTimeout, netmiko_exc.NetmikoTimeoutException,
                socket.timeout, TimeoutError)) or 'timed out' in detail or
                'banner' in detail)
            if timeout and 'TCP connection' not in detail:
                return exception.SwitchUnreachable(
                    switch=self.name,
                    reason='SSH timeout while %s (%s)' % (doing, detail))
            if isinstance(cause, (ConnectionError, EOFError, OSError,
                                  paramiko.SSHException)):
                return exception.SwitchUnreachable(
                    switch=self.name, reason='%s while %s' % (detail, doing))
        return exception.SwitchUnreachable(
            switch=self.name,
            reason='%s while %s' % (self._scrub(exc) or type(exc).__name__,
                                    doing))

    def _session(self, work, doing):
        try:
            return work(self._get_device())
        except Exception as e:
            raise self._translate(e, doing) from None

    def apply(self, configs):
        ports = sorted(configs)
        commands = []
        if self.family.vlan_table:
            commands += self.family.vlan_commands(
                set().union(*(configs[p].vlans() for p in ports)))
        for port in ports:
            commands += self.family.port_commands(port, configs[port])
        output = self._session(
            lambda device: device.send_commands_to_device(commands),
            'applying %d port(s)' % len(ports)) or ''
        found = self.family.errors(output, ports)
        general = found.pop(None, [])
        errors = {}
        for port in ports:
            lines = found.get(port, []) + general
            if lines:
                more = (' (and %d more error lines)' % (len(lines) - 3)
                        if len(lines) > 3 else '')
                errors[port] = self._scrub('; '.join(lines[:3]) + more)
                LOG.warning('Switch %s answered errors for port %s: %s',
                            self.name, port, errors[port])
        return errors

    def read_ports(self, names):
        def read(device):
            with device._get_connection() as connection:
                connection.enable()
                return [connection.send_command(command)
                        for command in self.family.read_commands]

        outputs = self._session(read, 'reading ports back')
        try:
            parsed = self.family.parse(outputs)
        except (ValueError, KeyError, IndexError) as e:
            raise exception.SwitchError(
                switch=self.name,
                reason='could not read ports back: %s' % self._scrub(e))
        return {name: parsed[name] for name in names if name in parsed}

    def close(self):
        with self._lock:
            device, self._device = self._device, None
        if device is not None:
            atexit.unregister(device._drain_cached_connections)
            device._drain_cached_connections()
