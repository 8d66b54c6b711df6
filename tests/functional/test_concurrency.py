"""Concurrent requests through two real API processes on MariaDB and
PostgreSQL: no VLAN is handed out twice, no NIC gets two access networks.
"""

import concurrent.futures
import threading

import requests
import testscenarios

from hil_os.conf import network
from hil_os.db import api as dbapi
from tests import base
from tests import factories
from tests.functional import api_process

load_tests = testscenarios.load_tests_apply_scenarios

POOL = '2000:2039'


class ConcurrentApiTestCase(base.TestCase):
    """Two real hil-os-api processes on MariaDB or PostgreSQL."""

    scenarios = [('mysql', {'db_engine': 'mysql'}),
                 ('postgresql', {'db_engine': 'postgresql'})]

    def setUp(self):
        super().setUp()
        self.config.config(vlan_ranges=[POOL], group='network')
        dbapi.vlan_pool_sync(network.vlan_ids(self.config.conf))
        config_file, self.sections = api_process.service_config(
            self, self.db.url, network={'vlan_ranges': POOL})
        self.apis = []
        for _ in range(2):
            port = api_process.free_port()
            api_process.write_config(config_file, **dict(
                self.sections, api=dict(self.sections['api'], port=port)))
            self.apis.append(self.useFixture(
                api_process.ApiProcess(config_file, port)))

    def _fire(self, requests_to_send):
        """Send (method, path, body, headers) from as many threads at once."""
        barrier = threading.Barrier(len(requests_to_send))

        def send(index, request):
            method, path, body, headers = request
            session = requests.Session()
            barrier.wait()
            url = self.apis[index % len(self.apis)].url + path
            return session.request(method, url, json=body, headers=headers,
                                   timeout=60)

        with concurrent.futures.ThreadPoolExecutor(
                len(requests_to_send)) as pool:
            return list(pool.map(send, range(len(requests_to_send)),
                                 requests_to_send))


class TestConcurrentApi(ConcurrentApiTestCase):

    def test_fifty_network_creations_never_share_a_vlan(self):
        responses = self._fire([
            ('POST', '/v1/networks', {'name': 'net-%d' % i},
             base.identity('project-%d' % (i % 5), 'member'))
            for i in range(50)])
        codes = sorted(r.status_code for r in responses)
        self.assertEqual([201] * 40 + [409] * 10, codes,
                         sorted({r.text for r in responses
                                 if r.status_code != 201}))
        vlans = [r.json()['vlan'] for r in responses if r.status_code == 201]
        self.assertEqual(list(range(2000, 2040)), sorted(vlans))
        for r in responses:
            if r.status_code == 409:
                self.assertEqual(
                    'No free VLAN is left in the pool (%s): every VLAN is '
                    'in use by a network.' % POOL,
                    r.json()['error']['message'])
        stored = dbapi.network_list()
        self.assertEqual(40, len({n.vlan for n in stored}))
        self.assertEqual(40, len(stored))

    def test_one_access_network_per_nic_under_a_race(self):
        switch = factories.create_test_switch()
        node, nic, _port = factories.create_cabled_node(
            project_id=base.PROJECT_A, switch=switch)
        for i in range(20):
            factories.create_test_network(base.PROJECT_A, name='race-%d' % i)
        path = '/v1/nodes/%s/nics/%s/attachments' % (node.uuid, nic.uuid)
        responses = self._fire([
            ('POST', path, {'network': 'race-%d' % i}, base.A_MEMBER)
            for i in range(20)])
        codes = sorted(r.status_code for r in responses)
        self.assertEqual([202] + [409] * 19, codes, [r.text for r in
                                                     responses])
        self.assertEqual(1, len(dbapi.attachment_list(nic_id=nic.id)))
