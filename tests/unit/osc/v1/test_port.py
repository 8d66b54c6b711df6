"""Tests of openstack hil port ..."""

from hil_os.osc.v1 import port
from tests.unit.osc import fakes


class TestPort(fakes.TestCommand):

    def test_create(self):
        self.hil.ports.create.return_value = fakes.fake(fakes.PORT,
                                                        nic=None)
        columns, _data = self.run_command(
            port.CreatePort, ['Gi1/0/3', '--switch', 'sw1'],
            [('name', 'Gi1/0/3'), ('switch', 'sw1')])
        self.hil.ports.create.assert_called_once_with('sw1', 'Gi1/0/3')
        self.assertEqual(tuple(fakes.PORT), columns)

    def test_list_shows_node_and_nic(self):
        self.hil.ports.list.return_value = [
            fakes.fake(fakes.PORT), fakes.fake(fakes.PORT, name='p2',
                                               nic=None)]
        columns, rows = self.run_command(port.ListPort, ['--switch', 'sw1'])
        self.hil.ports.list.assert_called_once_with('sw1', limit=None,
                                                    marker=None)
        self.assertEqual(('UUID', 'Name', 'Sync State', 'NIC'), columns)
        self.assertEqual([(fakes.PORT_UUID, 'p1', 'in_sync', 'node1/eth0'),
                          (fakes.PORT_UUID, 'p2', 'in_sync', None)],
                         list(rows))

    def test_list_long(self):
        self.hil.ports.list.return_value = [fakes.fake(fakes.PORT)]
        columns, _rows = self.run_command(port.ListPort,
                                          ['--switch', 'sw1', '--long'])
        self.assertIn('Last Error', columns)

    def test_show(self):
        self.hil.ports.get.return_value = fakes.fake(fakes.PORT)
        self.run_command(port.ShowPort, ['p1', '--switch', 'sw1'])
        self.hil.ports.get.assert_called_once_with('sw1', 'p1')

    def test_switch_is_required(self):
        self.assertParseFails(port.ShowPort, ['p1'])

    def test_delete_several(self):
        self.run_command(port.DeletePort, ['p1', 'p2', '--switch', 'sw1'])
        self.assertEqual([('sw1', 'p1'), ('sw1', 'p2')],
                         [c.args for c in
                          self.hil.ports.delete.call_args_list])

    def test_retry_and_wait(self):
        action = fakes.fake(fakes.ACTION, kind='port_retry')
        self.hil.ports.retry.return_value = action
        columns, data = self.run_command(
            port.RetryPort, ['p1', '--switch', 'sw1', '--wait'])
        self.hil.ports.retry.assert_called_once_with('sw1', 'p1')
        self.hil.wait.assert_called_once_with(action, 300,
                                              progress=fakes.mock.ANY)
        self.assertEqual('succeeded', dict(zip(columns, data))['status'])

    def test_revert(self):
        self.hil.ports.revert.return_value = fakes.fake(fakes.ACTION,
                                                        kind='port_revert')
        columns, data = self.run_command(port.RevertPort,
                                         ['p1', '--switch', 'sw1'])
        self.hil.ports.revert.assert_called_once_with('sw1', 'p1')
        self.assertEqual('pending', dict(zip(columns, data))['status'])
