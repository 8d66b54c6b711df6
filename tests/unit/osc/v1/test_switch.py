"""Tests of openstack hil switch ..."""

from osc_lib import exceptions

from hil_os.osc.v1 import switch
from tests.unit.osc import fakes


class TestCreateSwitch(fakes.TestCommand):

    def test_create(self):
        self.hil.switches.create.return_value = fakes.fake(fakes.SWITCH)
        columns, data = self.run_command(
            switch.CreateSwitch,
            ['sw1', '--driver', 'ngs', '--device-type', 'netmiko_ovs_linux',
             '--address', '127.0.0.1', '--ssh-port', '2222', '--username',
             'root', '--password', 'secret', '--option',
             'ngs_ovs_bridge=br0', '--option', 'key_file=/k'],
            [('options', [('ngs_ovs_bridge', 'br0'), ('key_file', '/k')])])
        self.hil.switches.create.assert_called_once_with(
            name='sw1', driver='ngs', device_type='netmiko_ovs_linux',
            address='127.0.0.1', ssh_port=2222, username='root',
            password='secret',
            options={'ngs_ovs_bridge': 'br0', 'key_file': '/k'})
        self.assertNotIn('password', columns)
        self.assertEqual({'ngs_ovs_bridge': 'br0'},
                         dict(zip(columns, data))['options']
                         .machine_readable())

    def test_option_must_be_key_value(self):
        self.assertParseFails(switch.CreateSwitch,
                              ['sw1', '--driver', 'ngs', '--option', 'br0'])

    def test_driver_is_required(self):
        self.assertParseFails(switch.CreateSwitch, ['sw1'])


class TestListSwitch(fakes.TestCommand):

    def test_list(self):
        self.hil.switches.list.return_value = [fakes.fake(fakes.SWITCH)]
        columns, rows = self.run_command(switch.ListSwitch, [])
        self.hil.switches.list.assert_called_once_with(limit=None,
                                                       marker=None)
        self.assertEqual(('UUID', 'Name', 'Driver', 'Device Type',
                          'Address'), columns)
        self.assertEqual([(fakes.SWITCH_UUID, 'sw1', 'fake', 'fake',
                           '127.0.0.1')], list(rows))

    def test_list_long(self):
        self.hil.switches.list.return_value = [fakes.fake(fakes.SWITCH)]
        columns, _rows = self.run_command(switch.ListSwitch, ['--long'])
        self.assertIn('Options', columns)


class TestShowSwitch(fakes.TestCommand):

    def test_show(self):
        self.hil.switches.get.return_value = fakes.fake(fakes.SWITCH)
        columns, _data = self.run_command(switch.ShowSwitch, ['sw1'])
        self.hil.switches.get.assert_called_once_with('sw1')
        self.assertEqual(tuple(fakes.SWITCH), columns)


class TestSetSwitch(fakes.TestCommand):

    def setUp(self):
        super().setUp()
        self.hil.switches.get.return_value = fakes.fake(fakes.SWITCH)
        self.hil.switches.update.return_value = fakes.fake(fakes.SWITCH)

    def test_set_fields_without_reading_options(self):
        self.run_command(switch.SetSwitch, ['sw1', '--address', '10.0.0.2',
                                            '--enable-secret', 'en'])
        self.hil.switches.get.assert_not_called()
        self.hil.switches.update.assert_called_once_with(
            'sw1', address='10.0.0.2', enable_secret='en')

    def test_options_are_merged(self):
        self.run_command(switch.SetSwitch,
                         ['sw1', '--option', 'key_file=/k',
                          '--unset-option', 'ngs_ovs_bridge'])
        self.hil.switches.update.assert_called_once_with(
            'sw1', options={'key_file': '/k'})

    def test_nothing_to_set(self):
        self.assertRaises(exceptions.CommandError, self.run_command,
                          switch.SetSwitch, ['sw1'])


class TestDeleteSwitch(fakes.TestCommand):

    def test_delete_several_with_a_failure(self):
        self.hil.switches.delete.side_effect = [
            None, fakes.client.HilError('Switch sw2 has cabled NICs.', 409)]
        e = self.assertRaises(exceptions.CommandError, self.run_command,
                              switch.DeleteSwitch, ['sw1', 'sw2'])
        self.assertEqual(2, self.hil.switches.delete.call_count)
        self.assertIn('switch sw2: Switch sw2 has cabled NICs.', str(e))


class TestAuditSwitch(fakes.TestCommand):

    def setUp(self):
        super().setUp()

        def port(name, status):
            return {'uuid': name, 'name': name, 'generation': 1,
                    'sync_state': 'in_sync', 'status': status,
                    'desired': {}, 'desired_description': 'access VLAN 1000',
                    'actual': {}, 'actual_description': 'access VLAN 4000'}
        self.hil.switches.audit.return_value = {
            'switch_name': 'sw1', 'summary': {'ok': 1, 'drift': 1},
            'ports': [port('p1', 'ok'), port('p2', 'drift')]}

    def test_audit(self):
        columns, rows = self.run_command(switch.AuditSwitch, ['sw1'])
        self.hil.switches.audit.assert_called_once_with('sw1')
        self.assertEqual(('Port', 'Status', 'Desired', 'Read Back',
                          'Sync State'), columns)
        self.assertEqual(['p1', 'p2'], [r[0] for r in rows])

    def test_only_drift(self):
        _columns, rows = self.run_command(switch.AuditSwitch,
                                          ['sw1', '--drift'])
        self.assertEqual([('p2', 'drift', 'access VLAN 1000',
                           'access VLAN 4000', 'in_sync')], list(rows))
