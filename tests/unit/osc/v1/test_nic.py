"""Tests of openstack hil nic create|list|show|set|delete."""

from osc_lib import exceptions

from hil_os.osc.v1 import nic
from tests.unit.osc import fakes


class TestCreateNic(fakes.TestCommand):

    def setUp(self):
        super().setUp()
        self.hil.nics.create.return_value = fakes.fake(fakes.NIC)

    def test_create_cabled(self):
        columns, _data = self.run_command(
            nic.CreateNic, ['eth0', '--node', 'node1', '--mac',
                            '52:54:00:00:00:01', '--switch', 'sw1',
                            '--port', 'p1'],
            [('node', 'node1'), ('name', 'eth0')])
        self.hil.nics.create.assert_called_once_with(
            'node1', 'eth0', '52:54:00:00:00:01', switch='sw1', port='p1')
        self.assertEqual(tuple(fakes.NIC), columns)

    def test_create_uncabled(self):
        self.run_command(nic.CreateNic, ['eth1', '--node', 'node1', '--mac',
                                         '52:54:00:00:00:09'])
        self.hil.nics.create.assert_called_once_with(
            'node1', 'eth1', '52:54:00:00:00:09', switch=None, port=None)

    def test_switch_without_port(self):
        e = self.assertRaises(exceptions.CommandError, self.run_command,
                              nic.CreateNic,
                              ['eth0', '--node', 'node1', '--mac',
                               '52:54:00:00:00:01', '--switch', 'sw1'])
        self.assertIn('--switch and --port go together', str(e))
        self.hil.nics.create.assert_not_called()

    def test_node_is_required(self):
        self.assertParseFails(nic.CreateNic,
                              ['eth0', '--mac', '52:54:00:00:00:01'])


class TestListNic(fakes.TestCommand):

    def test_list(self):
        self.hil.nics.list.return_value = [fakes.fake(fakes.NIC)]
        columns, rows = self.run_command(nic.ListNic, ['--node', 'node1'])
        self.hil.nics.list.assert_called_once_with('node1')
        self.assertEqual(('UUID', 'Name', 'MAC', 'Switch', 'Port'), columns)
        self.assertEqual([(fakes.NIC_UUID, 'eth0', '52:54:00:00:00:01',
                           'sw1', 'p1')], list(rows))

    def test_list_long(self):
        self.hil.nics.list.return_value = [fakes.fake(fakes.NIC)]
        columns, _rows = self.run_command(nic.ListNic,
                                          ['--node', 'node1', '--long'])
        self.assertEqual('Node UUID', columns[5])


class TestShowNic(fakes.TestCommand):

    def test_show(self):
        self.hil.nics.get.return_value = fakes.fake(fakes.NIC)
        columns, data = self.run_command(nic.ShowNic,
                                         ['eth0', '--node', 'node1'])
        self.hil.nics.get.assert_called_once_with('node1', 'eth0')
        self.assertEqual('52:54:00:00:00:01', dict(zip(columns, data))['mac'])


class TestSetNic(fakes.TestCommand):

    def setUp(self):
        super().setUp()
        self.hil.nics.update.return_value = fakes.fake(fakes.NIC)

    def test_recable(self):
        self.run_command(nic.SetNic, ['eth0', '--node', 'node1', '--switch',
                                      'sw2', '--port', 'p7'])
        self.hil.nics.update.assert_called_once_with(
            'node1', 'eth0', switch='sw2', port='p7')

    def test_uncable_and_rename(self):
        self.run_command(nic.SetNic, ['eth0', '--node', 'node1',
                                      '--no-port', '--name', 'eno1'])
        self.hil.nics.update.assert_called_once_with(
            'node1', 'eth0', name='eno1', switch=None, port=None)

    def test_no_port_and_port_contradict(self):
        self.assertRaises(exceptions.CommandError, self.run_command,
                          nic.SetNic, ['eth0', '--node', 'node1',
                                       '--no-port', '--port', 'p1'])

    def test_no_port_and_switch_exclude_each_other(self):
        self.assertParseFails(nic.SetNic, ['eth0', '--node', 'node1',
                                           '--no-port', '--switch', 'sw1'])

    def test_nothing_to_set(self):
        self.assertRaises(exceptions.CommandError, self.run_command,
                          nic.SetNic, ['eth0', '--node', 'node1'])


class TestDeleteNic(fakes.TestCommand):

    def test_delete_several(self):
        self.run_command(nic.DeleteNic, ['eth0', 'eth1', '--node', 'node1'])
        self.assertEqual([('node1', 'eth0'), ('node1', 'eth1')],
                         [c.args for c in
                          self.hil.nics.delete.call_args_list])

    def test_failure(self):
        self.hil.nics.delete.side_effect = fakes.client.HilError(
            'NIC eth0 has attachments.', 409)
        e = self.assertRaises(exceptions.CommandError, self.run_command,
                              nic.DeleteNic, ['eth0', '--node', 'node1'])
        self.assertIn('Failed to delete 1 of 1 NICs', str(e))
