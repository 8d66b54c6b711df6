"""Tests of openstack hil node provision|deprovision|snapshot."""

from osc_lib import exceptions

from hil_os.osc.v1 import provision
from tests.unit.osc import fakes


class TestProvision(fakes.TestCommand):

    def setUp(self):
        super().setUp()
        self.action = fakes.fake(fakes.ACTION, kind='provision')
        self.hil.nodes.provision.return_value = self.action
        self.hil.nodes.deprovision.return_value = fakes.fake(
            fakes.ACTION, kind='deprovision')

    def test_from_an_image(self):
        columns, data = self.run_command(
            provision.ProvisionNode,
            ['node1', '--image', 'img1', '--disk-name', 'd1'],
            [('image', 'img1'), ('disk', None)])
        self.hil.nodes.provision.assert_called_once_with(
            'node1', image='img1', disk=None, disk_name='d1')
        self.assertEqual('provision', dict(zip(columns, data))['kind'])
        self.hil.wait.assert_not_called()

    def test_resume_a_disk_and_wait(self):
        columns, data = self.run_command(
            provision.ProvisionNode, ['node1', '--disk', 'd1', '--wait'])
        self.hil.nodes.provision.assert_called_once_with(
            'node1', image=None, disk='d1', disk_name=None)
        self.hil.wait.assert_called_once_with(self.action, 300,
                                              progress=fakes.mock.ANY)
        self.assertEqual('succeeded', dict(zip(columns, data))['status'])

    def test_needs_image_or_disk(self):
        self.assertParseFails(provision.ProvisionNode, ['node1'])
        self.assertParseFails(provision.ProvisionNode,
                              ['node1', '--image', 'i', '--disk', 'd'])

    def test_disk_name_only_with_image(self):
        e = self.assertRaises(exceptions.CommandError, self.run_command,
                              provision.ProvisionNode,
                              ['node1', '--disk', 'd1', '--disk-name', 'x'])
        self.assertIn('use it with --image', str(e))

    def test_deprovision_keeps_the_disk(self):
        self.run_command(provision.DeprovisionNode, ['node1'],
                         [('delete_disk', False)])
        self.hil.nodes.deprovision.assert_called_once_with(
            'node1', delete_disk=False)

    def test_deprovision_deleting_the_disk(self):
        self.run_command(provision.DeprovisionNode,
                         ['node1', '--delete-disk', '--wait'])
        self.hil.nodes.deprovision.assert_called_once_with(
            'node1', delete_disk=True)
        self.assertEqual(1, self.hil.wait.call_count)


class TestSnapshot(fakes.TestCommand):

    def setUp(self):
        super().setUp()
        self.hil.nodes.snapshot.return_value = fakes.fake(fakes.IMAGE)

    def test_snapshot(self):
        columns, data = self.run_command(
            provision.SnapshotNode, ['node1', 'snap1', '--description', 'x'])
        self.hil.nodes.snapshot.assert_called_once_with('node1', 'snap1',
                                                        description='x')
        self.assertEqual('creating', dict(zip(columns, data))['status'])

    def test_wait_follows_the_action_then_shows_the_image(self):
        pending = fakes.fake(fakes.ACTION, kind='snapshot')
        self.hil.actions.get.return_value = pending
        self.hil.images.get.return_value = fakes.fake(fakes.IMAGE,
                                                      status='available')
        columns, data = self.run_command(provision.SnapshotNode,
                                         ['node1', 'snap1', '--wait'])
        self.hil.actions.get.assert_called_once_with(fakes.ACTION_UUID)
        self.hil.wait.assert_called_once_with(pending, 300,
                                              progress=fakes.mock.ANY)
        self.hil.images.get.assert_called_once_with(fakes.IMAGE_UUID)
        self.assertEqual('available', dict(zip(columns, data))['status'])
