"""Tests of openstack hil network ... and network access ..."""

from hil_os.osc.v1 import network
from tests.unit.osc import fakes


class TestNetwork(fakes.TestCommand):

    def test_create(self):
        self.hil.networks.create.return_value = fakes.fake(fakes.NETWORK)
        columns, data = self.run_command(network.CreateNetwork, ['net1'])
        self.hil.networks.create.assert_called_once_with(
            'net1', vlan=None, project_id=None)
        self.assertEqual(1000, dict(zip(columns, data))['vlan'])

    def test_create_on_a_vlan_for_a_project(self):
        self.hil.networks.create.return_value = fakes.fake(fakes.NETWORK)
        self.run_command(network.CreateNetwork,
                         ['net1', '--vlan', '1234', '--project', 'p1'],
                         [('vlan', 1234)])
        self.hil.networks.create.assert_called_once_with(
            'net1', vlan=1234, project_id='p1')

    def test_vlan_must_be_a_number(self):
        self.assertParseFails(network.CreateNetwork,
                              ['net1', '--vlan', 'ten'])

    def test_list(self):
        self.hil.networks.list.return_value = [fakes.fake(fakes.NETWORK)]
        columns, rows = self.run_command(network.ListNetwork,
                                         ['--name', 'net1'])
        self.hil.networks.list.assert_called_once_with(
            name='net1', project_id=None, limit=None, marker=None)
        self.assertEqual(('UUID', 'Name', 'VLAN', 'Project'), columns)
        self.assertEqual([(fakes.NETWORK_UUID, 'net1', 1000, 'research-a')],
                         list(rows))

    def test_show(self):
        self.hil.networks.get.return_value = fakes.fake(fakes.NETWORK)
        columns, _data = self.run_command(network.ShowNetwork, ['net1'])
        self.hil.networks.get.assert_called_once_with('net1')
        self.assertEqual(tuple(fakes.NETWORK), columns)

    def test_delete_several(self):
        self.run_command(network.DeleteNetwork, ['net1', 'net2'])
        self.assertEqual([('net1',), ('net2',)],
                         [c.args for c in
                          self.hil.networks.delete.call_args_list])


class TestNetworkAccess(fakes.TestCommand):

    def test_list(self):
        self.hil.networks.access.return_value = [
            {'project_id': 'research-b', 'created_at': fakes.CREATED}]
        columns, rows = self.run_command(network.ListNetworkAccess, ['net1'])
        self.assertEqual(('Project', 'Created At'), columns)
        self.assertEqual([('research-b', fakes.CREATED)], list(rows))

    def test_grant(self):
        self.assertIsNone(self.run_command(network.GrantNetworkAccess,
                                           ['net1', 'research-b']))
        self.hil.networks.grant.assert_called_once_with('net1', 'research-b')

    def test_revoke_lists_the_detach_actions(self):
        detach = fakes.fake(fakes.ACTION, kind='detach')
        self.hil.networks.revoke.return_value = [detach]
        columns, rows = self.run_command(network.RevokeNetworkAccess,
                                         ['net1', 'research-b'])
        self.hil.networks.revoke.assert_called_once_with('net1',
                                                         'research-b')
        self.hil.wait.assert_not_called()
        self.assertEqual(('UUID', 'Kind', 'Status', 'Details', 'Message'),
                         columns)
        self.assertEqual([(fakes.ACTION_UUID, 'detach', 'pending')],
                         [r[:3] for r in rows])

    def test_revoke_waits_for_every_action(self):
        self.hil.networks.revoke.return_value = [
            fakes.fake(fakes.ACTION, kind='detach'),
            fakes.fake(fakes.ACTION, kind='detach', uuid='second')]
        _columns, rows = self.run_command(
            network.RevokeNetworkAccess, ['net1', 'research-b', '--wait'])
        self.assertEqual(2, self.hil.wait.call_count)
        self.assertEqual(['succeeded', 'succeeded'], [r[2] for r in rows])
