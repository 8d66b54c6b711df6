"""Quotas and lease overlap under concurrent requests, through two real
API processes on MariaDB and PostgreSQL: no limit is exceeded, no node is
leased twice for one period.
"""

import testscenarios

from hil_os.db import api as dbapi
from tests import base
from tests import factories
from tests.functional import test_concurrency

load_tests = testscenarios.load_tests_apply_scenarios

GIB = 1 << 30
PROJECT = 'project-q'
MEMBER = base.identity(PROJECT, 'member', 'reader')


class TestQuotaRaces(test_concurrency.ConcurrentApiTestCase):

    def codes(self, responses):
        """The sorted status codes; a 5xx fails with the API logs."""
        codes = sorted(r.status_code for r in responses)
        if codes[-1] >= 500:
            logs = []
            for api in self.apis:
                with open(api.log.name) as f:
                    logs.append(f.read()[-4000:])
            self.fail('%s\n%s' % (codes, '\n'.join(logs)))
        return codes

    def test_counted_limits_hold_under_races(self):
        """Networks and nodes held at once (one pair of API processes)."""
        self.check_networks()
        self.check_nodes()

    def test_disk_space_and_lease_overlap_hold_under_races(self):
        self.check_disk_space()
        self.check_lease_overlap()

    def check_networks(self):
        dbapi.quota_update(PROJECT, {'networks': 7})
        responses = self._fire([
            ('POST', '/v1/networks', {'name': 'q-%d' % i}, MEMBER)
            for i in range(24)])
        self.assertEqual([201] * 7 + [409] * 17, self.codes(responses),
                         {r.text for r in responses})
        for r in responses:
            if r.status_code == 409:
                self.assertIn('may have at most 7 networks',
                              r.json()['error']['message'])
        self.assertEqual(7, len(dbapi.network_list(project_id=PROJECT)))

    def check_nodes(self):
        dbapi.quota_update(PROJECT, {'nodes': 5})
        nodes = [factories.create_test_node() for _ in range(12)]
        responses = self._fire([
            ('PUT', '/v1/nodes/%s/project' % n.uuid, {'project_id': PROJECT},
             base.ADMIN) for n in nodes])
        self.assertEqual([200] * 5 + [409] * 7, self.codes(responses),
                         {r.text for r in responses})
        self.assertEqual(5, len(dbapi.node_list(project_id=PROJECT)))

    def check_disk_space(self):
        dbapi.quota_update(PROJECT, {'disk_gb': 3})
        responses = self._fire([
            ('POST', '/v1/images', {'name': 'img-%d' % i, 'size': GIB},
             MEMBER) for i in range(10)])
        self.assertEqual([202] * 3 + [413] * 7, self.codes(responses),
                         {r.text for r in responses})
        self.assertEqual(3, len(dbapi.image_list(project_id=PROJECT)))

    def check_lease_overlap(self):
        node = factories.create_test_node()
        responses = self._fire([
            ('POST', '/v1/leases', {
                'project_id': 'project-%d' % i, 'node': node.uuid,
                'start': '2099-01-01T%02d:00:00Z' % i,
                'end': '2099-01-02T00:00:00Z'}, base.ADMIN)
            for i in range(10)])
        self.assertEqual([201] + [409] * 9, self.codes(responses),
                         {r.text for r in responses})
        winner, = [r.json() for r in responses if r.status_code == 201]
        for r in responses:
            if r.status_code == 409:
                self.assertIn('by lease %s' % winner['uuid'],
                              r.json()['error']['message'])
        self.assertEqual(1, len(dbapi.lease_list()))
