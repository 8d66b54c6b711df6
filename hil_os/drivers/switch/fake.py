"""An in-memory switch for unit tests and the demo lab.

State is kept per switch name for the life of the process, so a test (or
the demo) can look at what the conductor configured, change a port behind
hil-os's back, remove a port, and make the switch fail the next operations.
"""

import threading

from hil_os.drivers.switch import base

_LOCK = threading.Lock()
_PORTS = {}
_FAULTS = {}
_MISSING = {}


def ports(switch_name):
    """A copy of the port configurations of a fake switch."""
    with _LOCK:
        return dict(_PORTS.get(switch_name, {}))


def set_port(switch_name, port, config):
    """Change a port as someone at the switch's console would."""
    with _LOCK:
        _PORTS.setdefault(switch_name, {})[port] = config


def remove_port(switch_name, port):
    """Make a port absent from the switch: commands on it are refused."""
    with _LOCK:
        _MISSING.setdefault(switch_name, set()).add(port)
        _PORTS.get(switch_name, {}).pop(port, None)


def inject_fault(switch_name, exc, times=1):
    """Make the next ``times`` operations on a fake switch raise ``exc``."""
    with _LOCK:
        _FAULTS[switch_name] = [exc, times]


def reset():
    """Forget every fake switch."""
    with _LOCK:
        _PORTS.clear()
        _FAULTS.clear()
        _MISSING.clear()


class FakeSwitchDriver(base.SwitchDriver):
    """Keeps port configurations in memory."""

    def _check_fault(self):
        fault = _FAULTS.get(self.name)
        if fault:
            fault[1] -= 1
            if fault[1] <= 0:
                del _FAULTS[self.name]
            exc = fault[0]
            if isinstance(exc, type):
                exc = exc(switch=self.name, reason='injected fault')
            raise exc

    def apply(self, configs):
        with _LOCK:
            self._check_fault()
            missing = _MISSING.get(self.name, set())
            state = _PORTS.setdefault(self.name, {})
            errors = {}
            for name, config in configs.items():
                if name in missing:
                    errors[name] = 'no such interface: %s' % name
                else:
                    state[name] = config
            return errors

    def read_ports(self, names):
        with _LOCK:
            self._check_fault()
            missing = _MISSING.get(self.name, set())
            state = _PORTS.get(self.name, {})
            return {name: state.get(name) for name in names
                    if name not in missing}
