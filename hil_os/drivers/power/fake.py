"""A power driver that keeps BMC state in memory (tests and the demo).

Each (address, port) is one fake BMC. Power changes take effect at once;
a soft power-off too, unless the BMC is told its OS ignores ACPI. Tests
reach the state with :func:`bmc` and make a BMC dead with ``reachable``.
"""

import threading

from hil_os.common import exception
from hil_os.drivers.power import base

_LOCK = threading.Lock()
_BMCS = {}


class FakeBmc:
    """The state of one fake BMC."""

    def __init__(self):
        self.power = base.OFF
        self.boot_device = 'default'
        self.persistent = False
        self.reachable = True
        self.password = None
        self.ignores_soft_off = False
        self.requests = []
        self.consoles = []

    def console_output(self, data):
        """Make the node print ``data`` (bytes) on its serial port."""
        for console in list(self.consoles):
            console.deliver(data)


def bmc(address, port):
    """The fake BMC at an address and port, created on first use."""
    with _LOCK:
        return _BMCS.setdefault((address, port), FakeBmc())


def reset():
    """Forget every fake BMC (tests)."""
    with _LOCK:
        _BMCS.clear()


class FakeConsole(base.ConsoleSession):
    """A console that echoes what is typed, like a login prompt would."""

    def __init__(self, fake, on_output):
        self._fake = fake
        self._on_output = on_output
        self._open = True

    def deliver(self, data):
        if self._open:
            self._on_output(data)

    def send(self, data):
        if not self._open:
            raise exception.ConsoleUnavailable(node='?',
                                               reason='session closed')
        self.deliver(data)

    def close(self):
        self._open = False
        with _LOCK:
            if self in self._fake.consoles:
                self._fake.consoles.remove(self)

    def alive(self):
        return self._open


class FakePowerDriver(base.PowerDriver):
    """Drives a :class:`FakeBmc`."""

    def __init__(self, bmc_info):
        super().__init__(bmc_info)
        self._fake = bmc(bmc_info['address'], bmc_info['port'])

    def _check(self):
        if not self._fake.reachable:
            raise exception.BmcUnreachable(
                node=self.node, address=self.bmc['address'],
                reason='no answer (fake BMC switched off)')
        if self._fake.password not in (None, self.bmc['password']):
            raise exception.BmcAuthFailed(node=self.node,
                                          address=self.bmc['address'],
                                          reason='unauthorized name')
        return self._fake

    def get_power_state(self):
        return self._check().power

    def set_power_state(self, request):
        fake = self._check()
        fake.requests.append(request)
        if request == base.SOFT_OFF and fake.ignores_soft_off:
            return
        before, fake.power = fake.power, (base.ON if request == base.ON
                                          else base.OFF)
        if before == base.OFF and fake.power == base.ON:
            fake.console_output(b'fake BIOS: booting %s\r\n' %
                                self.node.encode())

    def set_boot_device(self, device, persistent):
        fake = self._check()
        fake.requests.append('boot:%s' % device)
        fake.boot_device, fake.persistent = device, persistent

    def get_boot_device(self):
        fake = self._check()
        return {'device': fake.boot_device, 'persistent': fake.persistent}

    def open_console(self, on_output):
        fake = self._check()
        console = FakeConsole(fake, on_output)
        with _LOCK:
            fake.consoles.append(console)
        return console
