"""Tests of openstack hil node ..."""

from osc_lib import exceptions

from hil_os.osc.v1 import node
from tests.unit.osc import fakes


class TestCreateNode(fakes.TestCommand):

    def setUp(self):
        super().setUp()
        self.hil.nodes.create.return_value = fakes.fake(fakes.NODE)

    def test_create(self):
        columns, data = self.run_command(
            node.CreateNode,
            ['node1', '--bmc-driver', 'ipmi', '--bmc-address', '10.0.0.5',
             '--bmc-port', '623', '--bmc-username', 'admin',
             '--bmc-password', 'pw', '--description', 'rack 3'],
            [('name', 'node1'), ('bmc_driver', 'ipmi'), ('bmc_port', 623)])
        self.hil.nodes.create.assert_called_once_with(
            'node1', {'driver': 'ipmi', 'address': '10.0.0.5', 'port': 623,
                      'username': 'admin', 'password': 'pw'},
            description='rack 3', initiator_iqn=None)
        self.assertEqual(tuple(fakes.NODE), columns)
        self.assertEqual(fakes.NODE['bmc'], data[-1].machine_readable())

    def test_create_needs_bmc_driver(self):
        self.assertParseFails(node.CreateNode, ['node1'])

    def test_bmc_port_must_be_a_number(self):
        self.assertParseFails(node.CreateNode,
                              ['node1', '--bmc-driver', 'ipmi',
                               '--bmc-port', 'x'])


class TestListNode(fakes.TestCommand):

    def setUp(self):
        super().setUp()
        self.hil.nodes.list.return_value = [fakes.fake(fakes.NODE)]

    def test_list(self):
        columns, rows = self.run_command(node.ListNode, [])
        self.hil.nodes.list.assert_called_once_with(
            project_id=None, state=None, free=None, name=None, limit=None,
            marker=None)
        self.assertEqual(('UUID', 'Name', 'Project', 'State',
                          'Power State'), columns)
        self.assertEqual([(fakes.NODE_UUID, 'node1', 'research-a',
                           'allocated', 'off')], list(rows))

    def test_list_long_with_filters(self):
        columns, rows = self.run_command(
            node.ListNode, ['--long', '--free', '--project', 'p1',
                            '--state', 'free', '--limit', '2'],
            [('free', True), ('long', True), ('limit', 2)])
        self.hil.nodes.list.assert_called_once_with(
            project_id='p1', state='free', free=True, name=None, limit=2,
            marker=None)
        self.assertEqual(('UUID', 'Name', 'Project', 'State', 'Power State',
                          'Description', 'BMC', 'Created At', 'Updated At'),
                         columns)
        self.assertEqual(9, len(list(rows)[0]))

    def test_held(self):
        self.run_command(node.ListNode, ['--held'], [('free', False)])
        self.assertIs(False, self.hil.nodes.list.call_args[1]['free'])

    def test_free_and_held_exclude_each_other(self):
        self.assertParseFails(node.ListNode, ['--free', '--held'])

    def test_limit_must_be_positive(self):
        self.assertParseFails(node.ListNode, ['--limit', '0'])


class TestShowNode(fakes.TestCommand):

    def test_show(self):
        self.hil.nodes.get.return_value = fakes.fake(fakes.NODE)
        columns, data = self.run_command(node.ShowNode, ['node1'],
                                         [('node', 'node1')])
        self.hil.nodes.get.assert_called_once_with('node1')
        self.assertEqual(tuple(fakes.NODE), columns)
        self.assertEqual(fakes.NODE_UUID, data[0])

    def test_show_without_bmc_for_a_member(self):
        answer = fakes.fake(fakes.NODE)
        del answer['bmc']
        self.hil.nodes.get.return_value = answer
        columns, _data = self.run_command(node.ShowNode, ['node1'])
        self.assertNotIn('bmc', columns)

    def test_needs_a_node(self):
        self.assertParseFails(node.ShowNode, [])


class TestSetNode(fakes.TestCommand):

    def setUp(self):
        super().setUp()
        self.hil.nodes.update.return_value = fakes.fake(fakes.NODE)

    def test_set_name_and_bmc(self):
        self.run_command(node.SetNode, ['node1', '--name', 'n1',
                                        '--bmc-password', 'new'])
        self.hil.nodes.update.assert_called_once_with(
            'node1', name='n1', bmc={'password': 'new'})

    def test_set_initiator(self):
        self.run_command(node.SetNode, ['node1', '--initiator-iqn',
                                        'iqn.2026-11.org.example:n1'])
        self.hil.nodes.update.assert_called_once_with(
            'node1', initiator_iqn='iqn.2026-11.org.example:n1')

    def test_empty_description_clears_it(self):
        self.run_command(node.SetNode, ['node1', '--description', ''])
        self.hil.nodes.update.assert_called_once_with('node1',
                                                      description=None)

    def test_nothing_to_set(self):
        e = self.assertRaises(exceptions.CommandError, self.run_command,
                              node.SetNode, ['node1'])
        self.assertIn('--name', str(e))
        self.hil.nodes.update.assert_not_called()


class TestDeleteNode(fakes.TestCommand):

    def test_delete_several(self):
        self.run_command(node.DeleteNode, ['node4', 'node5'],
                         [('nodes', ['node4', 'node5'])])
        self.assertEqual([(('node4',),), (('node5',),)],
                         [(c.args,) for c in
                          self.hil.nodes.delete.call_args_list])

    def test_failures_are_collected_and_raised_once(self):
        self.hil.nodes.delete.side_effect = [
            fakes.client.HilError('Node node4 could not be found.', 404),
            None,
            fakes.client.HilError('Node node6 is held by a project.', 409)]
        e = self.assertRaises(exceptions.CommandError, self.run_command,
                              node.DeleteNode, ['node4', 'node5', 'node6'])
        self.assertEqual(3, self.hil.nodes.delete.call_count)
        self.assertEqual(
            'Failed to delete 2 of 3 nodes:\n'
            'node node4: Node node4 could not be found. (HTTP 404)\n'
            'node node6: Node node6 is held by a project. (HTTP 409)',
            str(e))


class TestNodeProject(fakes.TestCommand):

    def test_assign(self):
        self.hil.nodes.assign.return_value = fakes.fake(fakes.NODE)
        columns, _data = self.run_command(
            node.AssignNodeProject, ['node1', 'research-a'],
            [('node', 'node1'), ('project', 'research-a')])
        self.hil.nodes.assign.assert_called_once_with('node1', 'research-a')
        self.assertIn('project_id', columns)

    def test_release_without_wait_shows_the_queued_action(self):
        self.hil.nodes.release.return_value = fakes.fake(
            fakes.ACTION, kind='release')
        columns, data = self.run_command(node.ReleaseNodeProject, ['node1'])
        self.hil.nodes.release.assert_called_once_with('node1')
        self.hil.wait.assert_not_called()
        self.assertEqual('pending', dict(zip(columns, data))['status'])

    def test_release_wait(self):
        action = fakes.fake(fakes.ACTION, kind='release')
        self.hil.nodes.release.return_value = action
        columns, data = self.run_command(
            node.ReleaseNodeProject, ['node1', '--wait', '--timeout', '30'],
            [('wait', True), ('timeout', 30)])
        self.hil.wait.assert_called_once_with(action, 30,
                                              progress=fakes.mock.ANY)
        self.assertEqual('succeeded', dict(zip(columns, data))['status'])

    def test_timeout_needs_wait(self):
        e = self.assertRaises(exceptions.CommandError, self.run_command,
                              node.ReleaseNodeProject,
                              ['node1', '--timeout', '30'])
        self.assertIn('add --wait', str(e))
        self.hil.nodes.release.assert_not_called()
