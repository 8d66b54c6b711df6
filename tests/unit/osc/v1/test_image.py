"""Tests of openstack hil image ... and hil disk ..."""

import argparse

from osc_lib import exceptions

from hil_os.osc.v1 import disk
from hil_os.osc.v1 import image
from tests.unit.osc import fakes


class TestImage(fakes.TestCommand):

    def test_create_empty(self):
        self.hil.images.create.return_value = fakes.fake(fakes.IMAGE)
        columns, _data = self.run_command(
            image.CreateImage, ['img1', '--size', '10G'],
            [('size', 10 * 2 ** 30)])
        self.hil.images.create.assert_called_once_with(
            'img1', size=10 * 2 ** 30, source=None, description=None)
        self.assertEqual(tuple(fakes.IMAGE), columns)

    def test_create_import_and_wait(self):
        self.hil.images.create.return_value = fakes.fake(fakes.IMAGE)
        self.hil.actions.get.return_value = fakes.fake(fakes.ACTION)
        self.hil.images.get.return_value = fakes.fake(fakes.IMAGE,
                                                      status='available')
        columns, data = self.run_command(
            image.CreateImage, ['img1', '--source', 'https://x/y.qcow2',
                                '--description', 'base', '--wait'])
        self.hil.images.create.assert_called_once_with(
            'img1', size=None, source='https://x/y.qcow2',
            description='base')
        self.assertEqual('available', dict(zip(columns, data))['status'])

    def test_create_needs_size_or_source(self):
        self.assertParseFails(image.CreateImage, ['img1'])
        self.assertParseFails(image.CreateImage,
                              ['img1', '--size', '1G', '--source', 'x'])

    def test_bad_size(self):
        self.assertParseFails(image.CreateImage, ['img1', '--size', '1.5G'])

    def test_size_units(self):
        self.assertEqual(512 * 2 ** 20, image.size('512M'))
        self.assertEqual(2 ** 30, image.size('1GiB'))
        self.assertEqual(4096, image.size('4096'))
        self.assertRaises(argparse.ArgumentTypeError, image.size, '3P')

    def test_list(self):
        self.hil.images.list.return_value = [fakes.fake(fakes.IMAGE)]
        columns, rows = self.run_command(image.ListImage,
                                         ['--status', 'available'])
        self.hil.images.list.assert_called_once_with(
            name=None, project_id=None, status='available', limit=None,
            marker=None)
        self.assertEqual(('UUID', 'Name', 'Status', 'Size', 'Project'),
                         columns)
        self.assertEqual([(fakes.IMAGE_UUID, 'img1', 'creating', 10485760,
                           'research-a')], list(rows))

    def test_show(self):
        self.hil.images.get.return_value = fakes.fake(fakes.IMAGE)
        self.run_command(image.ShowImage, ['img1'])
        self.hil.images.get.assert_called_once_with('img1')

    def test_set(self):
        self.hil.images.update.return_value = fakes.fake(fakes.IMAGE)
        self.run_command(image.SetImage, ['img1', '--protected', '--name',
                                          'base', '--description', ''])
        self.hil.images.update.assert_called_once_with(
            'img1', name='base', description=None, protected=True)

    def test_set_unprotected(self):
        self.hil.images.update.return_value = fakes.fake(fakes.IMAGE)
        self.run_command(image.SetImage, ['img1', '--unprotected'])
        self.hil.images.update.assert_called_once_with('img1',
                                                       protected=False)

    def test_set_nothing(self):
        self.assertRaises(exceptions.CommandError, self.run_command,
                          image.SetImage, ['img1'])

    def test_delete_several_and_wait(self):
        actions = [fakes.fake(fakes.ACTION, kind='image_delete'),
                   fakes.fake(fakes.ACTION, kind='image_delete', uuid='b')]
        self.hil.images.delete.side_effect = actions
        self.run_command(image.DeleteImage, ['img1', 'img2', '--wait'])
        self.assertEqual(actions, [c.args[0] for c in
                                   self.hil.wait.call_args_list])

    def test_delete_failure_is_collected(self):
        self.hil.images.delete.side_effect = [
            fakes.client.HilError('Image img1 is protected.', 409),
            fakes.fake(fakes.ACTION)]
        e = self.assertRaises(exceptions.CommandError, self.run_command,
                              image.DeleteImage, ['img1', 'img2'])
        self.assertIn('image img1: Image img1 is protected. (HTTP 409)',
                      str(e))
        self.assertEqual(2, self.hil.images.delete.call_count)

    def test_copy(self):
        self.hil.images.copy.return_value = fakes.fake(fakes.IMAGE)
        self.run_command(image.CopyImage, ['img1', 'mine'])
        self.hil.images.copy.assert_called_once_with('img1', 'mine',
                                                     description=None)

    def test_access(self):
        self.hil.images.access.return_value = [
            {'project_id': 'research-b', 'created_at': fakes.CREATED}]
        _columns, rows = self.run_command(image.ListImageAccess, ['img1'])
        self.assertEqual([('research-b', fakes.CREATED)], list(rows))
        self.run_command(image.GrantImageAccess, ['img1', 'research-b'])
        self.hil.images.grant.assert_called_once_with('img1', 'research-b')
        self.run_command(image.RevokeImageAccess, ['img1', 'research-b'])
        self.hil.images.revoke.assert_called_once_with('img1', 'research-b')


class TestDisk(fakes.TestCommand):

    def test_list(self):
        self.hil.disks.list.return_value = [fakes.fake(fakes.DISK)]
        columns, rows = self.run_command(disk.ListDisk, ['--node', 'node1'])
        self.hil.disks.list.assert_called_once_with(
            node='node1', project_id=None, status=None, limit=None,
            marker=None)
        self.assertEqual(('UUID', 'Name', 'Status', 'Node', 'Size'), columns)
        self.assertEqual([(fakes.DISK_UUID, 'node1-disk', 'available',
                           'node1', 10485760)], list(rows))

    def test_show(self):
        self.hil.disks.get.return_value = fakes.fake(fakes.DISK)
        columns, _data = self.run_command(disk.ShowDisk, ['node1-disk'])
        self.assertEqual(tuple(fakes.DISK), columns)

    def test_delete(self):
        self.hil.disks.delete.return_value = fakes.fake(fakes.ACTION)
        self.run_command(disk.DeleteDisk, ['d1'])
        self.hil.disks.delete.assert_called_once_with('d1')
        self.hil.wait.assert_not_called()
