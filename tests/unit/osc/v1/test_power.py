"""Tests of openstack hil node power ... and node boot device ..."""

from osc_lib import exceptions

from hil_os.osc.v1 import power
from tests.unit.osc import fakes

POWER = {'power_state': 'off', 'power_updated_at': fakes.CREATED,
         'power_error': None, 'boot_device': 'pxe', 'boot_persistent': False,
         'node_uuid': fakes.NODE_UUID,
         'actions': [{'uuid': fakes.ACTION_UUID, 'kind': 'power_on',
                      'status': 'pending'}]}


class TestPower(fakes.TestCommand):

    def setUp(self):
        super().setUp()
        self.action = fakes.fake(fakes.ACTION, kind='power_on')
        self.hil.nodes.set_power.return_value = self.action

    def test_on(self):
        columns, data = self.run_command(power.PowerOn, ['node1'])
        self.hil.nodes.set_power.assert_called_once_with('node1', 'on')
        self.hil.wait.assert_not_called()
        self.assertEqual('power_on', dict(zip(columns, data))['kind'])

    def test_on_wait(self):
        columns, data = self.run_command(
            power.PowerOn, ['node1', '--wait', '--timeout', '60'])
        self.hil.wait.assert_called_once_with(self.action, 60,
                                              progress=fakes.mock.ANY)
        self.assertEqual('succeeded', dict(zip(columns, data))['status'])

    def test_off(self):
        self.run_command(power.PowerOff, ['node1'], [('soft', False)])
        self.hil.nodes.set_power.assert_called_once_with('node1', 'off')

    def test_soft_off(self):
        self.run_command(power.PowerOff, ['node1', '--soft', '--wait'])
        self.hil.nodes.set_power.assert_called_once_with('node1',
                                                         'soft_off')
        self.assertEqual(1, self.hil.wait.call_count)

    def test_reboot(self):
        self.run_command(power.PowerReboot, ['node1'])
        self.hil.nodes.set_power.assert_called_once_with('node1', 'reboot')

    def test_timeout_needs_wait(self):
        self.assertRaises(exceptions.CommandError, self.run_command,
                          power.PowerOn, ['node1', '--timeout', '5'])
        self.hil.nodes.set_power.assert_not_called()

    def test_status(self):
        self.hil.nodes.power.return_value = dict(POWER)
        columns, data = self.run_command(power.PowerStatus, ['node1'])
        self.hil.nodes.power.assert_called_once_with('node1')
        self.assertEqual(tuple(POWER), columns)
        self.assertEqual(POWER['actions'], data[-1].machine_readable())


class TestBootDevice(fakes.TestCommand):

    def test_set_next_boot(self):
        self.hil.nodes.set_boot_device.return_value = fakes.fake(
            fakes.ACTION, kind='set_boot_device')
        self.run_command(power.SetBootDevice, ['node1', 'pxe'],
                         [('device', 'pxe'), ('persistent', False)])
        self.hil.nodes.set_boot_device.assert_called_once_with(
            'node1', 'pxe', persistent=False)

    def test_set_persistent_and_wait(self):
        self.hil.nodes.set_boot_device.return_value = fakes.fake(
            fakes.ACTION, kind='set_boot_device')
        columns, data = self.run_command(
            power.SetBootDevice, ['node1', 'disk', '--persistent', '--wait'])
        self.hil.nodes.set_boot_device.assert_called_once_with(
            'node1', 'disk', persistent=True)
        self.assertEqual('succeeded', dict(zip(columns, data))['status'])

    def test_unknown_device(self):
        self.assertParseFails(power.SetBootDevice, ['node1', 'floppy'])

    def test_show(self):
        self.hil.nodes.power.return_value = dict(POWER)
        columns, data = self.run_command(power.ShowBootDevice, ['node1'])
        self.assertEqual(('node_uuid', 'boot_device', 'boot_persistent'),
                         columns)
        self.assertEqual((fakes.NODE_UUID, 'pxe', False), data)
