"""Networks, VLAN allocation and sharing through the API."""

from hil_os.drivers.switch import base as switch_base
from hil_os.drivers.switch import fake as fake_switch
from tests import base
from tests import factories


class TestNetworks(base.ApiTestCase):

    def _create(self, name='net', headers=base.A_MEMBER, status=201, **kw):
        return self.request('post', '/v1/networks', dict(name=name, **kw),
                            status=status, headers=headers)

    def test_vlans_come_from_the_pool_in_order(self):
        vlans = [self._create('n%d' % i).json['vlan'] for i in range(3)]
        self.assertEqual([1000, 1001, 1002], vlans)

    def test_deleted_network_returns_its_vlan(self):
        self._create('n0')
        self._create('n1')
        self.request('delete', '/v1/networks/n0', status=204,
                     headers=base.A_MEMBER)
        self.assertEqual(1000, self._create('n2').json['vlan'])

    def test_exhausted_pool_is_409_naming_the_pool(self):
        self.config.config(vlan_ranges=['1000:1001'], group='network')
        from hil_os.conf import network
        from hil_os.db import api as dbapi
        dbapi.vlan_pool_sync(network.vlan_ids(self.config.conf))
        self._create('n0')
        self._create('n1')
        resp = self._create('n2', status=409)
        self.assertEqual('No free VLAN is left in the pool (1000:1001): '
                         'every VLAN is in use by a network.',
                         resp.json['error']['message'])

    def test_same_name_in_two_projects(self):
        self._create('lab')
        self._create('lab', headers=base.B_MEMBER)
        resp = self._create('lab', status=409)
        self.assertIn('lab', resp.json['error']['message'])

    def test_provider_vlan_needs_admin(self):
        resp = self._create('prov', vlan=3000, status=403)
        self.assertIn('hil:network:create:vlan',
                      resp.json['error']['message'])
        net = self._create('prov', vlan=3000, headers=base.ADMIN,
                           project_id=base.PROJECT_A).json
        self.assertEqual((3000, True, base.PROJECT_A),
                         (net['vlan'], net['provider'], net['project_id']))
        resp = self._create('prov2', vlan=3000, headers=base.ADMIN,
                            status=409)
        self.assertEqual('VLAN 3000 is already used by another network.',
                         resp.json['error']['message'])

    def test_provider_vlan_inside_pool_is_taken_from_pool(self):
        self._create('prov', vlan=1000, headers=base.ADMIN)
        self.assertEqual(1001, self._create('next').json['vlan'])

    def test_parking_vlan_is_refused(self):
        resp = self._create('park', vlan=4000, headers=base.ADMIN,
                            status=400)
        self.assertIn('parking VLAN', resp.json['error']['message'])

    def test_member_cannot_create_for_another_project(self):
        self._create('x', project_id=base.PROJECT_B, status=403)

    def test_sharing_makes_network_visible_and_usable(self):
        self._create('shared', headers=base.B_MEMBER)
        self.request('get', '/v1/networks/shared', status=404,
                     headers=base.A_MEMBER)
        self.request('put', '/v1/networks/shared/access/' + base.PROJECT_A,
                     status=204, headers=base.B_MEMBER)
        self.request('put', '/v1/networks/shared/access/' + base.PROJECT_A,
                     status=204, headers=base.B_MEMBER)
        self.assertEqual(
            [base.PROJECT_A],
            [a['project_id'] for a in self.request(
                'get', '/v1/networks/shared/access', status=200,
                headers=base.B_MEMBER).json['access']])
        names = [n['name'] for n in self.request(
            'get', '/v1/networks', status=200,
            headers=base.A_MEMBER).json['networks']]
        self.assertEqual(['shared'], names)
        # A can see but not delete or re-share it.
        self.request('delete', '/v1/networks/shared', status=403,
                     headers=base.A_MEMBER)
        self.request('put', '/v1/networks/shared/access/project-c',
                     status=403, headers=base.A_MEMBER)

    def test_revoking_access_detaches_that_projects_nics(self):
        switch = factories.create_test_switch(name='sw')
        node, nic, port = factories.create_cabled_node(
            project_id=base.PROJECT_A, switch=switch)
        shared = self._create('shared', headers=base.B_MEMBER).json
        self.request('put', '/v1/networks/shared/access/' + base.PROJECT_A,
                     status=204, headers=base.B_MEMBER)
        self.request('post', '/v1/nodes/%s/nics/%s/attachments' % (
            node.name, nic.name), {'network': shared['uuid']}, status=202,
            headers=base.A_MEMBER)
        self.assertEqual(switch_base.PortConfig.access(shared['vlan']),
                         fake_switch.ports('sw')[port.name])
        resp = self.request('delete', '/v1/networks/shared/access/' +
                            base.PROJECT_A, status=200,
                            headers=base.B_MEMBER)
        # The owner (B) learns how many of A's NICs go, not which.
        self.assertEqual({'detaching': 1, 'actions': []}, resp.json)
        self.assertEqual(switch_base.PortConfig.access(4000),
                         fake_switch.ports('sw')[port.name])

    def test_network_with_attachments_cannot_be_deleted(self):
        switch = factories.create_test_switch(name='sw')
        node, nic, _port = factories.create_cabled_node(
            project_id=base.PROJECT_A, switch=switch)
        self._create('busy')
        self.request('post', '/v1/nodes/%s/nics/%s/attachments' % (
            node.name, nic.name), {'network': 'busy'}, status=202,
            headers=base.A_MEMBER)
        resp = self.request('delete', '/v1/networks/busy', status=409,
                            headers=base.A_MEMBER)
        self.assertIn('detach them first', resp.json['error']['message'])

    def test_network_attachments_show_own_nics_only(self):
        switch = factories.create_test_switch(name='sw')
        node_a, nic_a, _ = factories.create_cabled_node(
            project_id=base.PROJECT_A, switch=switch)
        node_b, nic_b, _ = factories.create_cabled_node(
            project_id=base.PROJECT_B, switch=switch)
        self._create('shared', headers=base.B_MEMBER)
        self.request('put', '/v1/networks/shared/access/' + base.PROJECT_A,
                     status=204, headers=base.B_MEMBER)
        for node, nic, headers in ((node_a, nic_a, base.A_MEMBER),
                                   (node_b, nic_b, base.B_MEMBER)):
            self.request('post', '/v1/nodes/%s/nics/%s/attachments' % (
                node.name, nic.name), {'network': 'shared'}, status=202,
                headers=headers)
        seen = lambda headers: [  # noqa: E731
            a['node_name'] for a in self.request(
                'get', '/v1/networks/shared/attachments', status=200,
                headers=headers).json['attachments']]
        self.assertEqual([node_a.name], seen(base.A_MEMBER))
        self.assertEqual([node_a.name, node_b.name], seen(base.ADMIN))
        self.assertEqual([node_b.name], seen(base.B_MEMBER))
