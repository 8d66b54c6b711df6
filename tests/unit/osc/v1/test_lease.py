"""Tests of openstack hil lease ... and hil quota ..."""

import argparse
import datetime

from osc_lib import exceptions

from hil_os.osc.v1 import lease
from hil_os.osc.v1 import quota
from tests.unit.osc import fakes

LEASE_UUID = '5a1e2b3c-0000-4000-8000-00000000aaaa'
LEASE = {'uuid': LEASE_UUID, 'name': 'exp-1', 'description': None,
         'project_id': 'research-a', 'state': 'created', 'node_count': 1,
         'message': None, 'created_by': 'admin', 'started_at': None,
         'ended_at': None, 'created_at': fakes.CREATED, 'updated_at': None,
         'start': '2026-12-01T09:00:00', 'end': '2026-12-01T17:00:00',
         'filter': None,
         'nodes': [{'uuid': fakes.NODE_UUID, 'name': 'node1',
                    'state': 'reserved'}]}


def limits(**overrides):
    body = {'project_id': 'research-a'}
    for name in ('nodes', 'networks', 'images', 'disk_gb'):
        body[name] = {'limit': 10, 'in_use': 1, 'default': True}
    for name, value in overrides.items():
        body[name] = dict(body[name], limit=value, default=False)
    return body


class TestCreateLease(fakes.TestCommand):

    def setUp(self):
        super().setUp()
        self.hil.leases.create.return_value = fakes.fake(LEASE)

    def test_a_node_with_an_end(self):
        columns, _data = self.run_command(
            lease.CreateLease,
            ['--project', 'research-a', '--node', 'node1', '--start',
             '2026-12-01T09:00Z', '--end', '2026-12-01T17:00Z', '--name',
             'exp-1'])
        self.hil.leases.create.assert_called_once_with(
            'research-a', '2026-12-01T17:00Z', node='node1', count=None,
            node_filter=None, start='2026-12-01T09:00Z', name='exp-1',
            description=None)
        self.assertEqual(tuple(LEASE), columns)

    def test_count_with_filter_for_a_duration_from_the_start(self):
        self.run_command(
            lease.CreateLease,
            ['--project', 'research-a', '--count', '3', '--node-filter',
             'gpu-*', '--start', '2026-12-01T09:00:00+01:00', '--duration',
             '1d2h'])
        kwargs = self.hil.leases.create.call_args[1]
        self.assertEqual('2026-12-02T10:00:00Z',
                         self.hil.leases.create.call_args[0][1])
        self.assertEqual((None, 3, 'gpu-*'),
                         (kwargs['node'], kwargs['count'],
                          kwargs['node_filter']))

    def test_duration_from_now(self):
        before = datetime.datetime.now(datetime.timezone.utc)
        self.run_command(lease.CreateLease, ['--project', 'p', '--node',
                                             'node1', '--duration', '2h'])
        end = datetime.datetime.fromisoformat(
            self.hil.leases.create.call_args[0][1].replace('Z', '+00:00'))
        self.assertLess(abs((end - before).total_seconds() - 7200), 60)

    def test_needs_an_end_and_a_node_or_count(self):
        self.assertParseFails(lease.CreateLease,
                              ['--project', 'p', '--node', 'n'])
        self.assertParseFails(lease.CreateLease,
                              ['--project', 'p', '--end', 'x'])
        self.assertParseFails(lease.CreateLease,
                              ['--project', 'p', '--node', 'n', '--count',
                               '2', '--end', 'x'])

    def test_filter_needs_count(self):
        e = self.assertRaises(exceptions.CommandError, self.run_command,
                              lease.CreateLease,
                              ['--project', 'p', '--node', 'n', '--end',
                               'x', '--node-filter', 'gpu-*'])
        self.assertIn('use it with --count', str(e))

    def test_bad_start_with_duration(self):
        e = self.assertRaises(exceptions.CommandError, self.run_command,
                              lease.CreateLease,
                              ['--project', 'p', '--node', 'n', '--start',
                               'tomorrow', '--duration', '1h'])
        self.assertIn('not an ISO 8601 time', str(e))

    def test_wait_until_started(self):
        self.hil.leases.get.side_effect = [
            fakes.fake(LEASE), fakes.fake(LEASE, state='active')]
        columns, data = self.run_command(
            lease.CreateLease, ['--project', 'p', '--node', 'n', '--end',
                                '2026-12-01T17:00Z', '--wait'])
        self.assertEqual('active', dict(zip(columns, data))['state'])
        self.assertEqual(1, self.hil.sleep.call_count)

    def test_wait_reports_a_lease_that_could_not_start(self):
        self.hil.leases.get.return_value = fakes.fake(
            LEASE, state='error', message='node1 is over the node quota')
        e = self.assertRaises(exceptions.CommandError, self.run_command,
                              lease.CreateLease,
                              ['--project', 'p', '--node', 'n', '--end',
                               '2026-12-01T17:00Z', '--wait'])
        self.assertIn('failed to start: node1 is over the node quota',
                      str(e))

    def test_durations(self):
        self.assertEqual(datetime.timedelta(minutes=90),
                         lease.duration('1h30m'))
        self.assertEqual(datetime.timedelta(weeks=1), lease.duration('1w'))
        for bad in ('2', 'h', '2x', '1h soon'):
            self.assertRaises(argparse.ArgumentTypeError, lease.duration,
                              bad)


class TestLease(fakes.TestCommand):

    def test_list(self):
        self.hil.leases.list.return_value = [fakes.fake(LEASE)]
        columns, rows = self.run_command(lease.ListLease,
                                         ['--state', 'created'])
        self.hil.leases.list.assert_called_once_with(
            project_id=None, state='created', node=None, limit=None,
            marker=None)
        self.assertEqual(('UUID', 'Name', 'Project', 'State', 'Start', 'End',
                          'Nodes'), columns)
        self.assertEqual([(LEASE_UUID, 'exp-1', 'research-a', 'created',
                           '2026-12-01T09:00:00', '2026-12-01T17:00:00',
                           'node1')], list(rows))

    def test_show(self):
        self.hil.leases.get.return_value = fakes.fake(LEASE)
        columns, data = self.run_command(lease.ShowLease, ['exp-1'])
        self.assertEqual(LEASE['nodes'],
                         dict(zip(columns, data))['nodes']
                         .machine_readable())

    def test_extend(self):
        self.hil.leases.get.return_value = fakes.fake(LEASE)
        self.hil.leases.update.return_value = fakes.fake(LEASE)
        self.run_command(lease.SetLease, ['exp-1', '--extend', '4h'])
        self.hil.leases.update.assert_called_once_with(
            'exp-1', end='2026-12-01T21:00:00Z')

    def test_set_fields(self):
        self.hil.leases.update.return_value = fakes.fake(LEASE)
        self.run_command(lease.SetLease, ['exp-1', '--name', 'exp-2',
                                          '--end', '2026-12-02T00:00Z'])
        self.hil.leases.update.assert_called_once_with(
            'exp-1', name='exp-2', end='2026-12-02T00:00Z')
        self.hil.leases.get.assert_not_called()

    def test_set_nothing(self):
        self.assertRaises(exceptions.CommandError, self.run_command,
                          lease.SetLease, ['exp-1'])

    def test_cancel_several(self):
        self.hil.leases.delete.side_effect = [
            fakes.fake(LEASE, state='cancelled'),
            fakes.client.HilError('Lease x could not be found.', 404)]
        e = self.assertRaises(exceptions.CommandError, self.run_command,
                              lease.DeleteLease, ['exp-1', 'x'])
        self.assertIn('Failed to delete 1 of 2 leases', str(e))

    def test_cancel_waits_for_the_hand_back(self):
        cancelled = fakes.fake(LEASE, state='cancelled')
        self.hil.leases.delete.return_value = cancelled
        releasing = fakes.fake(LEASE, state='cancelled', nodes=[
            dict(LEASE['nodes'][0], state='releasing')])
        released = fakes.fake(LEASE, state='cancelled', nodes=[
            dict(LEASE['nodes'][0], state='released')])
        self.hil.leases.get.side_effect = [releasing, released]
        self.run_command(lease.DeleteLease, ['exp-1', '--wait'])
        self.assertEqual(2, self.hil.leases.get.call_count)

    def test_failed_hand_back(self):
        self.hil.leases.delete.return_value = fakes.fake(LEASE)
        self.hil.leases.get.return_value = fakes.fake(LEASE, nodes=[
            dict(LEASE['nodes'][0], state='failed')])
        e = self.assertRaises(exceptions.CommandError, self.run_command,
                              lease.DeleteLease, ['exp-1', '--wait'])
        self.assertIn('the hand-back of node1 failed', str(e))

    def test_hand_back_timeout(self):
        now = [0.0]
        self.hil.clock.side_effect = lambda: now[0]
        self.hil.sleep.side_effect = lambda s: now.__setitem__(0,
                                                               now[0] + s)
        self.hil.leases.delete.return_value = fakes.fake(LEASE)
        self.hil.leases.get.return_value = fakes.fake(LEASE, nodes=[
            dict(LEASE['nodes'][0], state='releasing')])
        e = self.assertRaises(exceptions.CommandError, self.run_command,
                              lease.DeleteLease,
                              ['exp-1', '--wait', '--timeout', '5'])
        self.assertIn('Gave up after 5 s: Lease %s: node1 releasing'
                      % LEASE_UUID, str(e))


class TestQuota(fakes.TestCommand):

    def test_show_a_project(self):
        self.hil.quotas.get.return_value = limits(nodes=4)
        columns, rows = self.run_command(quota.ShowQuota, ['research-a'])
        self.hil.quotas.get.assert_called_once_with('research-a')
        self.assertEqual(('Resource', 'Limit', 'In Use', 'Default'), columns)
        self.assertEqual(('nodes', 4, 1, False), rows[0])
        self.assertEqual(4, len(rows))

    def test_show_own(self):
        self.hil.quotas.list.return_value = [limits()]
        _columns, rows = self.run_command(quota.ShowQuota, [])
        self.assertEqual(('networks', 10, 1, True), rows[1])

    def test_list(self):
        self.hil.quotas.list.return_value = [limits(nodes=-1)]
        columns, rows = self.run_command(quota.ListQuota, [])
        self.assertEqual(('Project', 'nodes', 'networks', 'images',
                          'disk_gb'), columns)
        self.assertEqual([('research-a', -1, 10, 10, 10)], rows)

    def test_set(self):
        self.hil.quotas.update.return_value = limits(nodes=-1)
        self.run_command(quota.SetQuota, ['research-a', '--nodes', '-1',
                                          '--disk-gb', 'default'])
        self.hil.quotas.update.assert_called_once_with(
            'research-a', nodes=-1, disk_gb=None)

    def test_set_nothing_or_bad(self):
        self.assertRaises(exceptions.CommandError, self.run_command,
                          quota.SetQuota, ['research-a'])
        self.assertParseFails(quota.SetQuota, ['research-a', '--nodes',
                                               '-5'])

    def test_delete_resets_to_defaults(self):
        self.run_command(quota.DeleteQuota, ['p1', 'p2'])
        self.assertEqual(
            [((project,), {'nodes': None, 'networks': None,
                           'images': None, 'disk_gb': None})
             for project in ('p1', 'p2')],
            [(c.args, c.kwargs) for c in
             self.hil.quotas.update.call_args_list])
