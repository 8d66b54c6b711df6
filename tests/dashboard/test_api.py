"""hil_os_dashboard.api: the requests it sends and what it makes of answers."""

from django.test.utils import override_settings
from horizon import exceptions as horizon_exceptions

from hil_os.osc import client
from hil_os_dashboard import api
from hil_os_dashboard import exceptions
from tests.dashboard import helpers

NODE1 = {'uuid': 'u-node1', 'name': 'node1', 'state': 'allocated',
         'power_state': 'off', 'project_id': 'p1'}
ETH0 = {'uuid': 'u-eth0', 'name': 'eth0', 'mac': '52:54:00:00:00:01',
        'node_uuid': 'u-node1'}
LAB_NET = {'uuid': 'u-att', 'network_uuid': 'u-net', 'network_name': 'lab-net',
           'vlan': 1000, 'channel': 'access', 'status': 'active',
           'node_uuid': 'u-node1', 'node_name': 'node1',
           'nic_uuid': 'u-eth0', 'nic_name': 'eth0'}


class TestApi(helpers.APITestCase):

    def _fake(self, routes):
        return helpers.FakeHil(self, routes)

    def test_node_list_with_nics_and_attachments(self):
        hil = self._fake({
            ('GET', '/v1/nodes'): (200, {'nodes': [NODE1]}),
            ('GET', '/v1/nodes/u-node1/nics'): (200, {'nics': [ETH0]}),
            ('GET', '/v1/nodes/u-node1/nics/u-eth0/attachments'):
                (200, {'attachments': [LAB_NET]}),
        })
        nodes = api.node_list(self.request)
        self.assertEqual(['node1'], [n.name for n in nodes])
        self.assertEqual('u-node1', nodes[0].id)
        self.assertEqual(['eth0'], [nic.name for nic in nodes[0].nics])
        self.assertEqual('node1', nodes[0].nics[0].node_name)
        self.assertEqual(['lab-net'], [a.network_name for a in
                                       nodes[0].nics[0].attachments])
        method, path, query, headers, _body = hil.requests[0]
        # The project's nodes, asked with the user's token at the
        # catalog's endpoint; no identity headers outside noauth.
        self.assertEqual(('GET', '/v1/nodes'), (method, path))
        self.assertEqual([self.tenant.id], query['project_id'])
        self.assertEqual(self.token.id, headers['X-Auth-Token'])
        self.assertNotIn('X-Project-Id', headers)
        self.assertEqual(3, len(hil.requests))

    def test_node_list_error_of_a_nic_list(self):
        # Raised in a worker thread, it reaches the caller, sorted.
        self._fake({('GET', '/v1/nodes'): (200, {'nodes': [NODE1]})})
        with self.assertRaises(exceptions.HilNotFound) as caught:
            api.node_list(self.request)
        self.assertIn('No route GET /v1/nodes/u-node1/nics',
                      caught.exception.message)

    @override_settings(HIL_OS_NOAUTH_IDENTITY=True)
    def test_noauth_identity_headers(self):
        hil = self._fake({('GET', '/v1/nodes'): (200, {'nodes': []})})
        self.assertEqual([], api.node_list(self.request))
        headers = hil.requests[0][3]
        self.assertEqual(self.tenant.id, headers['X-Project-Id'])
        self.assertEqual(self.user.id, headers['X-User-Id'])
        self.assertEqual('member,reader', headers['X-Roles'])

    def test_power_and_boot_device(self):
        action = {'uuid': 'a1', 'kind': 'power_on', 'status': 'pending'}
        hil = self._fake({
            ('PUT', '/v1/nodes/node1/power'): (202, action),
            ('PUT', '/v1/nodes/node1/boot_device'): (202, action),
        })
        self.assertEqual(action, api.node_set_power(self.request, 'node1',
                                                    'on'))
        api.node_set_boot_device(self.request, 'node1', 'pxe',
                                 persistent=True)
        self.assertEqual([{'target': 'on'},
                          {'device': 'pxe', 'persistent': True}],
                         [r[4] for r in hil.requests])

    def test_attach_detach(self):
        hil = self._fake({
            ('POST', '/v1/nodes/node1/nics/eth0/attachments'): (202, {}),
            ('DELETE', '/v1/nodes/u-node1/nics/u-eth0/attachments/u-net'):
                (202, {}),
        })
        api.nic_attach(self.request, 'node1', 'eth0', 'lab-net', 'tagged')
        api.nic_detach(self.request, 'u-node1', 'u-eth0', 'u-net')
        self.assertEqual({'network': 'lab-net', 'channel': 'tagged'},
                         hil.requests[0][4])
        self.assertEqual('DELETE', hil.requests[1][0])

    def test_errors_carry_the_message_and_are_sorted_by_code(self):
        self._fake({
            ('PUT', '/v1/nodes/node3/power'): (404, {'error': {
                'code': 404, 'message': 'Node node3 could not be found.'}}),
            ('PUT', '/v1/nodes/node1/power'): (409, {'error': {
                'code': 409, 'message': 'Node node1 is being released.'}}),
            ('GET', '/v1/nodes'): (401, {'error': {
                'code': 401, 'message': 'The request you have made requires '
                'authentication.'}}),
        })
        with self.assertRaises(exceptions.HilNotFound) as caught:
            api.node_set_power(self.request, 'node3', 'on')
        self.assertEqual('Node node3 could not be found.',
                         caught.exception.message)
        with self.assertRaises(client.HilError) as caught:
            api.node_set_power(self.request, 'node1', 'on')
        self.assertIs(client.HilError, type(caught.exception))
        self.assertEqual('Node node1 is being released. (HTTP 409)',
                         str(caught.exception))
        self.assertRaises(exceptions.HilUnauthorized, api.node_list,
                          self.request)

    def test_no_catalog_entry(self):
        self.request.user.service_catalog = [
            s for s in self.request.user.service_catalog
            if s['type'] != api.SERVICE_TYPE]
        self.assertRaises(horizon_exceptions.ServiceCatalogException,
                          api.node_list, self.request)

    def test_networks_and_leases(self):
        lease = {'uuid': 'l1', 'name': 'exp-1', 'state': 'active',
                 'end': '2026-12-01T09:00:00', 'nodes': []}
        hil = self._fake({
            ('GET', '/v1/networks'): (200, {'networks': [
                {'uuid': 'n1', 'name': 'lab-net', 'vlan': 1000}]}),
            ('POST', '/v1/networks'): (201, {'uuid': 'n2', 'name': 'x'}),
            ('DELETE', '/v1/networks/n1'): (204, None),
            ('GET', '/v1/leases'): (200, {'leases': [lease]}),
            ('PATCH', '/v1/leases/l1'): (200, lease),
        })
        self.assertEqual(['lab-net'], [n.name for n in
                                       api.network_list(self.request)])
        self.assertEqual('n2', api.network_create(self.request, 'x').id)
        api.network_delete(self.request, 'n1')
        self.assertEqual(['exp-1'], [lease.name for lease in
                                     api.lease_list(self.request)])
        api.lease_extend(self.request, 'l1', '2026-12-02T09:00:00Z')
        self.assertEqual(
            [('POST', {'name': 'x'}),
             ('PATCH', {'end': '2026-12-02T09:00:00Z'})],
            [(r[0], r[4]) for r in hil.requests if r[4]])
        self.assertEqual([self.tenant.id], hil.requests[3][2]['project_id'])
