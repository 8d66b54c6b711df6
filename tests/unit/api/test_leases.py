"""Leases through the API: validation, overlap, visibility, extension."""

import datetime
import os

import fixtures
import yaml

from hil_os.common import policy
from tests import base
from tests import factories
from tests.unit.conductor import test_leases

T0 = test_leases.T0
iso = test_leases.iso


def at(hours):
    return iso(T0 + datetime.timedelta(hours=hours))


class TestLeaseApi(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.clock = self.useFixture(test_leases.Clock(T0))
        factories.create_test_node(name='n1')
        factories.create_test_node(name='n2')

    def create(self, status=201, **body):
        body.setdefault('project_id', base.PROJECT_A)
        body.setdefault('node', 'n1')
        return self.request('post', '/v1/leases', body, status=status).json

    def error(self, status, **body):
        return self.create(status=status, **body)['error']['message']

    def test_create_answers_the_lease(self):
        lease = self.create(name='exp-1', description='run 1', start=at(1),
                            end=at(5))
        self.assertEqual(
            {'name': 'exp-1', 'description': 'run 1',
             'project_id': base.PROJECT_A, 'state': 'created',
             'start': '2026-12-01T10:00:00', 'end': '2026-12-01T14:00:00',
             'node_count': 1, 'filter': None, 'created_by': 'user-of-admin'},
            {k: lease[k] for k in ('name', 'description', 'project_id',
                                   'state', 'start', 'end', 'node_count',
                                   'filter', 'created_by')})
        self.assertEqual([('n1', 'reserved')],
                         [(n['name'], n['state']) for n in lease['nodes']])

    def test_times_with_offsets_are_stored_in_utc(self):
        lease = self.create(start='2026-12-01T12:00:00+02:00',
                            end='2026-12-01T13:30:00+02:00')
        self.assertEqual(('2026-12-01T10:00:00', '2026-12-01T11:30:00'),
                         (lease['start'], lease['end']))

    def test_bad_periods_name_the_field(self):
        self.assertIn('end: must be after the start',
                      self.error(400, start=at(2), end=at(1)))
        self.assertIn('end: must not be in the past',
                      self.error(400, start=at(-5), end=at(-1)))
        self.config.config(max_length=3600, group='lease')
        self.assertIn('end: a lease may last at most 1 hour (from',
                      self.error(400, start=at(1), end=at(3)))
        self.assertIn('Invalid body field end',
                      self.error(400, end='tomorrow'))
        self.assertIn('Invalid body field start',
                      self.error(400, start='2026-13-45T99:00:00Z',
                                 end=at(1)))
        self.assertIn('"filter" goes with "count"',
                      self.error(400, filter={'name': 'x*'}, end=at(1)))
        self.assertIn('either "node" or "count"',
                      self.error(400, count=2, end=at(1)))
        self.assertIn('n9', self.error(404, node='n9', end=at(1)))

    def test_overlapping_lease_of_a_node_is_refused_naming_it(self):
        first = self.create(name='first', start=at(1), end=at(3))
        message = self.error(409, project_id=base.PROJECT_B, start=at(2),
                             end=at(4))
        self.assertEqual(
            'Node n1 is already leased from 2026-12-01T10:00:00 to '
            '2026-12-01T12:00:00 by lease first (%s), which overlaps the '
            'requested period.' % first['uuid'], message)
        # Touching periods do not overlap; another node is free.
        self.create(start=at(3), end=at(4))
        self.create(node='n2', start=at(2), end=at(4))

    def test_members_see_their_project_leases_only(self):
        mine = self.create(name='mine', end=at(1))
        self.create(node='n2', project_id=base.PROJECT_B, name='theirs',
                    end=at(1))
        listed = self.request('get', '/v1/leases', status=200,
                              headers=base.A_READER).json['leases']
        self.assertEqual([mine['uuid']], [x['uuid'] for x in listed])
        self.request('get', '/v1/leases/theirs', status=404,
                     headers=base.A_MEMBER)
        self.assertEqual(2, len(self.request('get', '/v1/leases',
                                             status=200).json['leases']))
        by_node = self.request('get', '/v1/leases?node=n1&state=active',
                               status=200, headers=base.A_MEMBER).json
        self.assertEqual([mine['uuid']],
                         [x['uuid'] for x in by_node['leases']])
        self.request('post', '/v1/leases', {
            'project_id': base.PROJECT_A, 'node': 'n2', 'end': at(1)},
            status=403, headers=base.A_MEMBER)

    def test_member_extends_within_the_maximum_length(self):
        self.config.config(max_length=10 * 3600, group='lease')
        lease = self.create(start=at(1), end=at(5))
        path = '/v1/leases/%s' % lease['uuid']
        self.assertEqual('2026-12-01T19:00:00', self.request(
            'patch', path, {'end': at(10)}, status=200,
            headers=base.A_MEMBER).json['end'])
        message = self.request('patch', path, {'end': at(12)}, status=400,
                               headers=base.A_MEMBER).json['error']['message']
        self.assertIn('at most 10 hours (from 2026-12-01T10:00:00, so end by '
                      '2026-12-01T20:00:00)', message)
        self.request('patch', path, {'end': at(6)}, status=403,
                     headers=base.A_READER)
        self.request('patch', path, {'start': at(2)}, status=403,
                     headers=base.A_MEMBER)
        self.assertEqual('2026-12-01T11:00:00', self.request(
            'patch', path, {'start': at(2)}, status=200).json['start'])

    def test_extension_policy_is_configurable(self):
        self.useFixture(PolicyOverride(self, {'hil:lease:extend':
                                              'role:admin'}))
        lease = self.create(start=at(1), end=at(5))
        path = '/v1/leases/%s' % lease['uuid']
        self.request('patch', path, {'end': at(6)}, status=403,
                     headers=base.A_MEMBER)
        self.request('patch', path, {'end': at(4)}, status=200,
                     headers=base.A_MEMBER)
        self.request('patch', path, {'end': at(6)}, status=200)

    def test_extension_into_another_lease_is_refused(self):
        lease = self.create(start=at(1), end=at(3))
        other = self.create(project_id=base.PROJECT_B, start=at(4),
                            end=at(6))
        message = self.request('patch', '/v1/leases/%s' % lease['uuid'],
                               {'end': at(5)}, status=409,
                               headers=base.A_MEMBER).json['error']['message']
        self.assertIn('lease %s' % other['uuid'], message)

    def test_ended_lease_cannot_change(self):
        lease = self.create(start=at(1), end=at(3))
        self.request('delete', '/v1/leases/%s' % lease['uuid'], status=202)
        message = self.request('patch', '/v1/leases/%s' % lease['uuid'],
                               {'end': at(4)}, status=409).json
        self.assertIn('it is cancelled', message['error']['message'])

    def test_count_above_the_node_quota_is_refused(self):
        self.request('put', '/v1/quotas/%s' % base.PROJECT_A, {'nodes': 2},
                     status=200)
        message = self.request('post', '/v1/leases', {
            'project_id': base.PROJECT_A, 'count': 3, 'end': at(1)},
            status=409).json['error']['message']
        self.assertEqual(
            'A lease of 3 node(s) could never start: project %s may hold at '
            'most 2 node(s) at once.' % base.PROJECT_A, message)


class PolicyOverride(fixtures.Fixture):
    """Rules set as an operator would in policy.yaml."""

    def __init__(self, testcase, rules):
        super().__init__()
        self.testcase = testcase
        self.rules = rules

    def _setUp(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'policy.yaml')
        with open(path, 'w') as f:
            yaml.safe_dump(self.rules, f)
        policy.get_enforcer()  # registers the [oslo_policy] options
        self.testcase.config.config(policy_file=path, group='oslo_policy')
        policy.reset()
        self.addCleanup(policy.reset)
