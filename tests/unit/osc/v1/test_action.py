"""Tests of openstack hil action ... and hil event list."""

from osc_lib import exceptions

from hil_os.osc.v1 import action
from hil_os.osc.v1 import event
from tests.unit.osc import fakes


class TestAction(fakes.TestCommand):

    def test_list(self):
        self.hil.actions.list.return_value = [fakes.fake(fakes.ACTION)]
        columns, rows = self.run_command(action.ListAction, [])
        self.hil.actions.list.assert_called_once_with(
            status=None, kind=None, node=None, project_id=None, limit=None,
            marker=None)
        self.assertEqual(('UUID', 'Kind', 'Status', 'Node UUID', 'Message'),
                         columns)
        self.assertEqual([(fakes.ACTION_UUID, 'attach', 'pending',
                           fakes.NODE_UUID, None)], list(rows))

    def test_list_by_node_name_sends_its_uuid(self):
        self.hil.nodes.get.return_value = fakes.fake(fakes.NODE)
        self.hil.actions.list.return_value = []
        self.run_command(action.ListAction, ['--node', 'node1', '--status',
                                             'failed', '--long'])
        self.hil.nodes.get.assert_called_once_with('node1')
        self.assertEqual(fakes.NODE_UUID,
                         self.hil.actions.list.call_args[1]['node'])

    def test_list_by_node_uuid_needs_no_lookup(self):
        self.hil.actions.list.return_value = []
        self.run_command(action.ListAction, ['--node', fakes.NODE_UUID])
        self.hil.nodes.get.assert_not_called()

    def test_bad_status(self):
        self.assertParseFails(action.ListAction, ['--status', 'done'])

    def test_show(self):
        self.hil.actions.get.return_value = fakes.fake(fakes.ACTION)
        columns, _data = self.run_command(action.ShowAction,
                                          [fakes.ACTION_UUID])
        self.hil.actions.get.assert_called_once_with(fakes.ACTION_UUID)
        self.assertEqual(tuple(fakes.ACTION), columns)

    def test_wait(self):
        pending = fakes.fake(fakes.ACTION)
        self.hil.actions.get.return_value = pending
        columns, data = self.run_command(
            action.WaitAction, [fakes.ACTION_UUID, '--timeout', '9'])
        self.hil.wait.assert_called_once_with(pending, 9,
                                              progress=fakes.mock.ANY)
        self.assertEqual('succeeded', dict(zip(columns, data))['status'])


class TestEvent(fakes.TestCommand):

    def setUp(self):
        super().setUp()
        self.hil.events.list.return_value = [fakes.fake(fakes.EVENT)]

    def test_list(self):
        columns, rows = self.run_command(event.ListEvent, [])
        self.hil.events.list.assert_called_once_with(
            resource=None, event_type=None, project_id=None, limit=None,
            marker=None)
        self.assertEqual(('Time', 'Type', 'Message'), columns)
        self.assertEqual([(fakes.CREATED, 'node.assigned',
                           'Node node1 given to project research-a.')],
                         list(rows))

    def test_list_about_a_node(self):
        self.hil.nodes.get.return_value = fakes.fake(fakes.NODE)
        self.run_command(event.ListEvent, ['--node', 'node1', '--type',
                                           'node.assigned', '--long'])
        self.hil.events.list.assert_called_once_with(
            resource=fakes.NODE_UUID, event_type='node.assigned',
            project_id=None, limit=None, marker=None)

    def test_list_about_a_network(self):
        self.hil.networks.get.return_value = fakes.fake(fakes.NETWORK)
        self.run_command(event.ListEvent, ['--network', 'net1'])
        self.assertEqual(fakes.NETWORK_UUID,
                         self.hil.events.list.call_args[1]['resource'])

    def test_resource_must_be_a_uuid(self):
        e = self.assertRaises(exceptions.CommandError, self.run_command,
                              event.ListEvent, ['--resource', 'node1'])
        self.assertIn('use --node', str(e))

    def test_node_and_network_exclude_each_other(self):
        self.assertParseFails(event.ListEvent,
                              ['--node', 'node1', '--network', 'net1'])
