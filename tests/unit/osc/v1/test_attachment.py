"""Tests of openstack hil nic attach|detach and hil attachment list."""

from osc_lib import exceptions

from hil_os.osc import client
from hil_os.osc.v1 import attachment
from tests.unit.osc import fakes


class TestAttachNic(fakes.TestCommand):

    def setUp(self):
        super().setUp()
        self.action = fakes.fake(fakes.ACTION)
        self.hil.nics.attach.return_value = self.action

    def test_attach_answers_the_queued_action(self):
        columns, data = self.run_command(
            attachment.AttachNic,
            ['eth0', '--node', 'node1', '--network', 'net1'],
            [('nic', 'eth0'), ('network', 'net1'), ('wait', False)])
        self.hil.nics.attach.assert_called_once_with(
            'node1', 'eth0', 'net1', channel=None)
        self.hil.wait.assert_not_called()
        self.assertEqual(tuple(fakes.ACTION), columns)
        self.assertEqual('pending', dict(zip(columns, data))['status'])

    def test_attach_tagged_and_wait(self):
        columns, data = self.run_command(
            attachment.AttachNic,
            ['eth0', '--node', 'node1', '--network', 'net1', '--channel',
             'tagged', '--wait'])
        self.hil.nics.attach.assert_called_once_with(
            'node1', 'eth0', 'net1', channel='tagged')
        self.hil.wait.assert_called_once_with(self.action, 300,
                                              progress=fakes.mock.ANY)
        self.assertEqual('succeeded', dict(zip(columns, data))['status'])

    def test_failed_action_raises_its_message(self):
        self.hil.wait.side_effect = client.ActionFailed(fakes.fake(
            fakes.ACTION, status='failed',
            message='Switch sw1 port p1: read back VLAN 4000, expected '
                    '1000.'))
        e = self.assertRaises(
            client.ActionFailed, self.run_command, attachment.AttachNic,
            ['eth0', '--node', 'node1', '--network', 'net1', '--wait'])
        self.assertEqual(
            'Action %s (attach) failed: Switch sw1 port p1: read back VLAN '
            '4000, expected 1000.' % fakes.ACTION_UUID, str(e))

    def test_bad_channel(self):
        self.assertParseFails(attachment.AttachNic,
                              ['eth0', '--node', 'node1', '--network',
                               'net1', '--channel', 'trunk'])

    def test_network_is_required(self):
        self.assertParseFails(attachment.AttachNic,
                              ['eth0', '--node', 'node1'])


class TestDetachNic(fakes.TestCommand):

    def test_detach_wait(self):
        action = fakes.fake(fakes.ACTION, kind='detach')
        self.hil.nics.detach.return_value = action
        columns, data = self.run_command(
            attachment.DetachNic,
            ['eth0', '--node', 'node1', '--network', 'net1', '--wait',
             '--timeout', '5'])
        self.hil.nics.detach.assert_called_once_with('node1', 'eth0', 'net1')
        self.hil.wait.assert_called_once_with(action, 5,
                                              progress=fakes.mock.ANY)
        self.assertEqual('detach', dict(zip(columns, data))['kind'])


class TestListAttachment(fakes.TestCommand):

    def setUp(self):
        super().setUp()
        self.hil.networks.attachments.return_value = [
            fakes.fake(fakes.ATTACHMENT)]
        self.hil.nics.attachments.return_value = [
            fakes.fake(fakes.ATTACHMENT)]

    def test_of_a_network(self):
        columns, rows = self.run_command(attachment.ListAttachment,
                                         ['--network', 'net1'])
        self.hil.networks.attachments.assert_called_once_with('net1')
        self.assertEqual(('Node', 'NIC', 'Network', 'VLAN', 'Channel',
                          'Status', 'Error'), columns)
        self.assertEqual([('node1', 'eth0', 'net1', 1000, 'access',
                           'active', None)], list(rows))

    def test_of_every_nic_of_a_node(self):
        self.hil.nics.list.return_value = [
            fakes.fake(fakes.NIC), fakes.fake(fakes.NIC, uuid='nic-2')]
        _columns, rows = self.run_command(attachment.ListAttachment,
                                          ['--node', 'node1'])
        self.assertEqual([('node1', fakes.NIC_UUID), ('node1', 'nic-2')],
                         [c.args for c in
                          self.hil.nics.attachments.call_args_list])
        self.assertEqual(2, len(list(rows)))

    def test_of_one_nic(self):
        self.run_command(attachment.ListAttachment,
                         ['--node', 'node1', '--nic', 'eth0', '--long'])
        self.hil.nics.attachments.assert_called_once_with('node1', 'eth0')
        self.hil.nics.list.assert_not_called()

    def test_needs_network_or_node(self):
        e = self.assertRaises(exceptions.CommandError, self.run_command,
                              attachment.ListAttachment, [])
        self.assertIn('--network', str(e))

    def test_nic_needs_node(self):
        e = self.assertRaises(exceptions.CommandError, self.run_command,
                              attachment.ListAttachment, ['--nic', 'eth0'])
        self.assertIn('--nic needs --node', str(e))
