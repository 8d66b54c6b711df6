"""The ipmi driver's use of pyghmi, with pyghmi's Command faked."""

import threading

import fixtures
from pyghmi import exceptions as pyghmi_exc

from hil_os.common import exception
from hil_os.drivers.power import ipmi
from tests import base

BMC = {'node': 'n1', 'driver': 'ipmi', 'address': '192.0.2.7', 'port': 6230,
       'username': 'admin', 'password': 'pw'}


class FakeCommand:
    """Records how pyghmi is called; behaves as told by class attributes."""

    created = []
    calls = []
    fail_with = None
    block = None

    def __init__(self, **kwargs):
        FakeCommand.created.append(kwargs)

    def _maybe_fail(self):
        if FakeCommand.block is not None:
            FakeCommand.block.wait(5)
        if FakeCommand.fail_with is not None:
            raise FakeCommand.fail_with

    def get_power(self):
        self._maybe_fail()
        FakeCommand.calls.append(('get_power',))
        return {'powerstate': 'on'}

    def set_power(self, state, wait=False):
        self._maybe_fail()
        FakeCommand.calls.append(('set_power', state, wait))
        return {'pendingpowerstate': state}

    def set_bootdev(self, device, persist=False):
        FakeCommand.calls.append(('set_bootdev', device, persist))
        return {'bootdev': device}

    def get_bootdev(self):
        return {'bootdev': 'network', 'persistent': True}


class TestIpmiDriver(base.TestCase):

    use_db = False

    def setUp(self):
        super().setUp()
        FakeCommand.created, FakeCommand.calls = [], []
        FakeCommand.fail_with = FakeCommand.block = None
        self.useFixture(fixtures.MonkeyPatch(
            'pyghmi.ipmi.command.Command', FakeCommand))
        self.driver = ipmi.IpmiPowerDriver(dict(BMC))

    def test_one_command_with_bytes_credentials(self):
        for _ in range(3):
            self.assertEqual('on', self.driver.get_power_state())
        self.assertEqual([{'bmc': '192.0.2.7', 'userid': b'admin',
                           'password': b'pw', 'port': 6230}],
                         FakeCommand.created)

    def test_requests_never_wait(self):
        self.driver.set_power_state('soft_off')
        self.driver.set_boot_device('pxe', True)
        self.assertEqual([('set_power', 'shutdown', False),
                          ('set_bootdev', 'network', True)],
                         FakeCommand.calls)
        self.assertEqual({'device': 'pxe', 'persistent': True},
                         self.driver.get_boot_device())

    def test_no_address_is_refused(self):
        # pyghmi without an address would drive the conductor's own BMC.
        self.assertRaises(exception.BmcError, ipmi.IpmiPowerDriver,
                          dict(BMC, address=None))

    def test_wrong_password_and_dead_bmc_are_told_apart(self):
        FakeCommand.fail_with = pyghmi_exc.IpmiException(
            'Incorrect password provided')
        e = self.assertRaises(exception.BmcAuthFailed,
                              self.driver.get_power_state)
        self.assertNotIn('pw', e.message.replace('password', ''))
        FakeCommand.fail_with = pyghmi_exc.IpmiException(None)
        e = self.assertRaises(exception.BmcUnreachable,
                              self.driver.get_power_state)
        self.assertIn('192.0.2.7:6230', e.message)
        FakeCommand.fail_with = None
        self.assertEqual('on', self.driver.get_power_state())
        self.assertEqual(3, len(FakeCommand.created))   # new login each time

    def test_hung_request_is_bounded(self):
        self.config.config(bmc_timeout=0.5, group='power')
        FakeCommand.block = threading.Event()
        self.addCleanup(FakeCommand.block.set)
        e = self.assertRaises(exception.BmcUnreachable,
                              self.driver.get_power_state)
        self.assertIn('no answer within 0.5 s', e.message)
        e = self.assertRaises(exception.BmcUnreachable,
                              self.driver.get_power_state)
        self.assertIn('still unanswered', e.message)
        FakeCommand.block.set()
        FakeCommand.block = None
        for _ in range(50):
            try:
                self.assertEqual('on', self.driver.get_power_state())
                break
            except exception.BmcUnreachable:
                threading.Event().wait(0.05)
        else:
            self.fail('the driver did not recover')
