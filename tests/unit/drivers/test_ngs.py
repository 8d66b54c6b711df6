"""The ngs driver around a stand-in NGS device (no SSH)."""

import contextlib

import paramiko

from hil_os.common import exception
from hil_os.drivers.switch import base
from hil_os.drivers.switch import families
from hil_os.drivers.switch import ngs
from tests import base as test_base


class FakeConnection:

    def __init__(self, device):
        self.device = device

    def enable(self):
        self.device.calls.append('enable')

    def send_command(self, command):
        self.device.calls.append(command)
        return self.device.read_output


class FakeDevice:
    """Records what the driver asks of an NGS device."""

    def __init__(self, config, name):
        self.config = dict(config)
        self.name = name
        self.calls = []
        self.sent = []
        self.output = ''
        self.read_output = ''
        self.fail = None
        self.drained = False

    def send_commands_to_device(self, commands):
        if self.fail:
            raise self.fail
        self.sent.append(list(commands))
        return self.output

    @contextlib.contextmanager
    def _get_connection(self):
        if self.fail:
            raise self.fail
        yield FakeConnection(self)

    def _drain_cached_connections(self):
        self.drained = True


class FakeNgs:

    def __init__(self):
        self.devices = []

    def device_manager(self, config, name):
        config.pop('ngs_ssh_reuse_connection')   # NGS pops its options
        device = FakeDevice(config, name)
        self.devices.append(device)
        return device


def switch(**kw):
    values = {'name': 'leaf1', 'driver': 'ngs',
              'device_type': 'netmiko_cisco_ios', 'address': '192.0.2.9',
              'ssh_port': 22001, 'username': 'admin',
              'password': 'topsecret-pw', 'enable_secret': 'enable-pw',
              'options': {'ngs_save_configuration': False}}
    values.update(kw)
    return values


class TestNgsDriver(test_base.TestCase):

    use_db = False

    def setUp(self):
        super().setUp()
        self.ngs = FakeNgs()
        self.patch(ngs, '_ngs', lambda: self.ngs)
        self.driver = ngs.NgsSwitchDriver(switch())

    def test_device_config(self):
        config = self.driver.device_config()
        self.assertEqual('netmiko_cisco_ios', config['device_type'])
        self.assertEqual('192.0.2.9', config['ip'])
        self.assertEqual('22001', config['port'])
        self.assertEqual('true', config['global_cmd_verify'])
        self.assertEqual('true', config['ngs_ssh_reuse_connection'])
        self.assertEqual('false', config['ngs_save_configuration'])
        self.assertEqual('topsecret-pw', config['password'])
        self.assertEqual('enable-pw', config['secret'])
        self.assertEqual('10.0', config['read_timeout_override'])

    def test_one_device_per_driver_built_from_a_copy(self):
        self.driver.apply({'Fa0/1': base.PortConfig.access(5)})
        self.driver.read_ports(['Fa0/1'])
        self.assertEqual(1, len(self.ngs.devices))
        # device_manager popped a key from its copy, not from ours.
        self.assertIn('ngs_ssh_reuse_connection',
                      self.driver.device_config())

    def test_apply_sends_one_batch_with_vlans_first(self):
        self.driver.apply({'Fa0/2': base.PortConfig.trunk(4000, [7]),
                           'Fa0/1': base.PortConfig.access(5)})
        family = families.CiscoIos()
        self.assertEqual(
            [family.vlan_commands({5, 7, 4000}) +
             family.port_commands('Fa0/1', base.PortConfig.access(5)) +
             family.port_commands('Fa0/2', base.PortConfig.trunk(4000, [7]))],
            self.ngs.devices[0].sent)

    def test_apply_reports_errors_by_port(self):
        self.driver.apply({})
        self.ngs.devices[0].output = (
            'sw(config)#interface Fa0/9\n% Invalid input detected\n')
        errors = self.driver.apply({'Fa0/1': base.PortConfig.access(5),
                                    'Fa0/9': base.PortConfig.access(5)})
        self.assertEqual({'Fa0/9': '% Invalid input detected'}, errors)

    def test_read_ports_leaves_out_missing_ports(self):
        self.driver.read_ports([])
        self.ngs.devices[0].read_output = (
            'interface Fa0/1\n switchport access vlan 5\n'
            ' switchport mode access\n!\n')
        self.assertEqual({'Fa0/1': base.PortConfig.access(5)},
                         self.driver.read_ports(['Fa0/1', 'Fa0/9']))
        self.assertEqual(['enable', 'show running-config'],
                         self.ngs.devices[0].calls[-2:])

    def _fail_with(self, exc):
        self.driver.read_ports([])
        self.ngs.devices[0].fail = exc

    def test_authentication_failure_is_not_transient(self):
        # NGS raises its own error while handling netmiko's.
        error = RuntimeError('GenericSwitchNetmikoConnectError')
        error.__context__ = paramiko.AuthenticationException('auth failed')
        self._fail_with(error)
        e = self.assertRaises(exception.SwitchError, self.driver.read_ports,
                              ['Fa0/1'])
        self.assertNotIsInstance(e, exception.SwitchUnreachable)
        self.assertIn('authentication as admin failed', e.message)

    def test_timeout_is_transient_and_scrubbed(self):
        self._fail_with(TimeoutError('timed out talking with topsecret-pw'))
        e = self.assertRaises(exception.SwitchUnreachable,
                              self.driver.apply,
                              {'Fa0/1': base.PortConfig.access(5)})
        self.assertIn('SSH timeout', e.message)
        self.assertNotIn('topsecret-pw', e.message)

    def test_connection_refused_is_transient(self):
        self._fail_with(ConnectionRefusedError(111, 'Connection refused'))
        e = self.assertRaises(exception.SwitchUnreachable,
                              self.driver.read_ports, ['Fa0/1'])
        self.assertIn('Connection refused', e.message)

    def test_garbled_read_back_is_an_error(self):
        driver = ngs.NgsSwitchDriver(switch(
            device_type='netmiko_ovs_linux'))
        self.patch(families.OvsLinux, 'read_commands', ('x',))
        driver._get_device().read_output = 'ovs-vsctl: no database'
        e = self.assertRaises(exception.SwitchError, driver.read_ports,
                              ['p1'])
        self.assertIn('could not read ports back', e.message)

    def test_close_drains_connections(self):
        self.driver.read_ports([])
        device = self.ngs.devices[0]
        self.driver.close()
        self.assertTrue(device.drained)

    def test_validate(self):
        ngs.NgsSwitchDriver.validate(switch())
        e = self.assertRaises(exception.InvalidParameter,
                              ngs.NgsSwitchDriver.validate,
                              switch(device_type='netmiko_dell_os10'))
        self.assertIn('device_type', e.message)
        e = self.assertRaises(exception.InvalidParameter,
                              ngs.NgsSwitchDriver.validate,
                              switch(options={'ip': '10.0.0.1'}))
        self.assertIn('options', e.message)
        self.assertRaises(exception.InvalidParameter,
                          ngs.NgsSwitchDriver.validate, switch(address=None))

    def test_unsupported_device_type_at_build(self):
        self.assertRaises(exception.SwitchError, ngs.NgsSwitchDriver,
                          switch(device_type='netmiko_juniper'))
