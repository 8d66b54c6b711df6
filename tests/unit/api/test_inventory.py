"""Nodes, NICs, switches and ports through the API."""

from tests import base
from tests import factories


class TestNodes(base.ApiTestCase):

    def _create(self, name='n1', **bmc):
        bmc = dict({'driver': 'fake', 'address': '10.0.0.5', 'port': 623,
                    'username': 'root', 'password': 'S3cret-bmc'}, **bmc)
        return self.request('post', '/v1/nodes', {'name': name, 'bmc': bmc},
                            status=201)

    def test_create_answers_node_without_password(self):
        resp = self._create()
        self.assertTrue(resp.location.endswith('/v1/nodes/%s' %
                                               resp.json['uuid']))
        self.assertEqual({'driver': 'fake', 'address': '10.0.0.5',
                          'port': 623, 'username': 'root'},
                         resp.json['bmc'])
        self.assertEqual('free', resp.json['state'])
        self.assertIsNone(resp.json['project_id'])
        self.assertNotIn('S3cret-bmc', resp.text)

    def test_password_is_stored_encrypted(self):
        self._create()
        from hil_os.db import api as dbapi
        stored = dbapi.node_get('n1').bmc_password
        self.assertNotIn('S3cret-bmc', stored)
        from hil_os.common import secrets
        self.assertEqual('S3cret-bmc', secrets.decrypt(stored))

    def test_duplicate_name_is_conflict(self):
        self._create()
        resp = self.request('post', '/v1/nodes', {
            'name': 'n1', 'bmc': {'driver': 'fake'}}, status=409)
        self.assertEqual('A node named n1 already exists.',
                         resp.json['error']['message'])

    def test_disabled_bmc_driver_is_refused(self):
        resp = self.request('post', '/v1/nodes', {
            'name': 'n1', 'bmc': {'driver': 'redfish'}}, status=400)
        self.assertIn('bmc.driver', resp.json['error']['message'])
        self.assertIn('not an enabled BMC driver',
                      resp.json['error']['message'])

    def test_get_by_name_and_uuid(self):
        uuid = self._create().json['uuid']
        self.assertEqual('n1', self.request('get', '/v1/nodes/' + uuid,
                                            status=200).json['name'])
        self.assertEqual(uuid, self.request('get', '/v1/nodes/n1',
                                            status=200).json['uuid'])

    def test_patch_renames_and_changes_bmc(self):
        self._create()
        resp = self.request('patch', '/v1/nodes/n1', {
            'name': 'n2', 'bmc': {'port': 624, 'password': 'new-pass'}},
            status=200)
        self.assertEqual('n2', resp.json['name'])
        self.assertEqual(624, resp.json['bmc']['port'])
        self.assertEqual('fake', resp.json['bmc']['driver'])
        self.assertNotIn('new-pass', resp.text)
        self.request('get', '/v1/nodes/n1', status=404)

    def test_member_sees_no_bmc_details(self):
        factories.create_test_node(name='held', project_id=base.PROJECT_A)
        resp = self.request('get', '/v1/nodes/held', status=200,
                            headers=base.A_MEMBER)
        self.assertNotIn('bmc', resp.json)

    def test_list_is_scoped_to_project(self):
        factories.create_test_node(name='a1', project_id=base.PROJECT_A)
        factories.create_test_node(name='b1', project_id=base.PROJECT_B)
        factories.create_test_node(name='free1')
        names = lambda headers, query='': [  # noqa: E731
            n['name'] for n in self.request(
                'get', '/v1/nodes' + query, status=200,
                headers=headers).json['nodes']]
        self.assertEqual(['a1'], names(base.A_MEMBER))
        self.assertEqual(['a1'], names(base.A_MEMBER,
                                       '?project_id=' + base.PROJECT_B))
        self.assertEqual(['b1'], names(base.B_MEMBER))
        self.assertEqual(['a1', 'b1', 'free1'], names(base.ADMIN))
        self.assertEqual(['free1'], names(base.ADMIN, '?free=true'))
        self.assertEqual(['b1'], names(base.ADMIN,
                                       '?project_id=' + base.PROJECT_B))

    def test_paging_follows_next_links(self):
        for i in range(5):
            factories.create_test_node(name='p%d' % i)
        seen, url = [], '/v1/nodes?limit=2'
        while url:
            body = self.request('get', url, status=200).json
            seen.extend(n['name'] for n in body['nodes'])
            url = body.get('next', '').replace('http://localhost:80', '')
        self.assertEqual(['p0', 'p1', 'p2', 'p3', 'p4'], seen)

    def test_listed_node_is_shown_node(self):
        # Lists build their bodies from rows by position, shows by name.
        self._create('full', address='10.0.0.9', port=6230)
        self.request('put', '/v1/nodes/full/project',
                     {'project_id': base.PROJECT_A}, status=200)
        self._create('bare', address=None, port=None, username=None)
        for headers in (base.ADMIN, base.A_MEMBER):
            listed = self.request('get', '/v1/nodes', status=200,
                                  headers=headers).json['nodes']
            self.assertTrue(listed)
            for node in listed:
                shown = self.request('get', '/v1/nodes/' + node['uuid'],
                                     status=200, headers=headers).json
                self.assertEqual(list(shown.items()), list(node.items()))
            self.assertEqual(headers is base.ADMIN,
                             all('bmc' in node for node in listed))

    def test_limit_is_capped(self):
        self.config.config(max_limit=3, group='api')
        for i in range(5):
            factories.create_test_node(name='c%d' % i)
        body = self.request('get', '/v1/nodes?limit=100', status=200).json
        self.assertEqual(3, len(body['nodes']))
        self.assertIn('limit=3', body['next'])

    def test_unknown_marker_is_404(self):
        resp = self.request(
            'get', '/v1/nodes?marker=8d3c2c3e-6a39-4c3c-9d7f-0d7a5b7f1a10',
            status=404)
        self.assertIn('8d3c2c3e', resp.json['error']['message'])

    def test_assign_and_release(self):
        self._create()
        resp = self.request('put', '/v1/nodes/n1/project',
                            {'project_id': base.PROJECT_A}, status=200)
        self.assertEqual(base.PROJECT_A, resp.json['project_id'])
        self.assertEqual('allocated', resp.json['state'])
        resp = self.request('put', '/v1/nodes/n1/project',
                            {'project_id': base.PROJECT_B}, status=409)
        self.assertIn('not free', resp.json['error']['message'])
        action = self.request('delete', '/v1/nodes/n1/project',
                              status=202).json
        self.assertEqual('release', action['kind'])
        self.assertEqual('succeeded', self.request(
            'get', '/v1/actions/' + action['uuid'], status=200
        ).json['status'])
        node = self.request('get', '/v1/nodes/n1', status=200).json
        self.assertEqual(('free', None), (node['state'],
                                          node['project_id']))

    def test_delete_held_node_is_refused(self):
        factories.create_test_node(name='held', project_id=base.PROJECT_A)
        resp = self.request('delete', '/v1/nodes/held', status=409)
        self.assertIn('take it back first', resp.json['error']['message'])

    def test_delete_removes_nics(self):
        node = factories.create_test_node(name='gone')
        factories.create_test_nic(node, name='eth0')
        self.request('delete', '/v1/nodes/gone', status=204)
        self.request('get', '/v1/nodes/gone', status=404)


class TestNics(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.switch = factories.create_test_switch(name='sw')
        factories.create_test_port(self.switch, name='p1')
        factories.create_test_port(self.switch, name='p2')
        factories.create_test_node(name='n1')

    def _create(self, **kw):
        body = dict({'name': 'eth0', 'mac': '52:54:00:AA:BB:01',
                     'switch': 'sw', 'port': 'p1'}, **kw)
        return self.request('post', '/v1/nodes/n1/nics', body, status=201)

    def test_create_normalises_mac_and_shows_port(self):
        resp = self._create()
        self.assertEqual('52:54:00:aa:bb:01', resp.json['mac'])
        self.assertEqual(('sw', 'p1'), (resp.json['switch'],
                                        resp.json['port']))

    def test_duplicate_mac_is_conflict(self):
        self._create()
        resp = self.request('post', '/v1/nodes/n1/nics', {
            'name': 'eth1', 'mac': '52:54:00:aa:bb:01'}, status=409)
        self.assertIn('52:54:00:aa:bb:01', resp.json['error']['message'])

    def test_port_cabled_twice_is_conflict(self):
        self._create()
        resp = self.request('post', '/v1/nodes/n1/nics', {
            'name': 'eth1', 'mac': '52:54:00:aa:bb:02', 'switch': 'sw',
            'port': 'p1'}, status=409)
        self.assertIn('already cabled', resp.json['error']['message'])

    def test_unknown_port_is_404(self):
        resp = self.request('post', '/v1/nodes/n1/nics', {
            'name': 'eth1', 'mac': '52:54:00:aa:bb:02', 'switch': 'sw',
            'port': 'p9'}, status=404)
        self.assertEqual('Port p9 of switch sw could not be found.',
                         resp.json['error']['message'])

    def test_switch_without_port_is_400(self):
        resp = self.request('post', '/v1/nodes/n1/nics', {
            'name': 'eth1', 'mac': '52:54:00:aa:bb:02', 'switch': 'sw'},
            status=400)
        self.assertIn('port', resp.json['error']['message'])

    def test_recable_and_uncable(self):
        self._create()
        resp = self.request('patch', '/v1/nodes/n1/nics/eth0',
                            {'switch': 'sw', 'port': 'p2'}, status=200)
        self.assertEqual('p2', resp.json['port'])
        resp = self.request('patch', '/v1/nodes/n1/nics/eth0',
                            {'switch': None, 'port': None}, status=200)
        self.assertIsNone(resp.json['port'])

    def test_list_and_delete(self):
        self._create()
        self._create(name='eth1', mac='52:54:00:aa:bb:02', port='p2')
        names = [n['name'] for n in self.request(
            'get', '/v1/nodes/n1/nics', status=200).json['nics']]
        self.assertEqual(['eth0', 'eth1'], names)
        self.request('delete', '/v1/nodes/n1/nics/eth0', status=204)
        self.request('get', '/v1/nodes/n1/nics/eth0', status=404)


class TestSwitches(base.ApiTestCase):

    def _create(self, **kw):
        body = dict({'name': 'leaf1', 'driver': 'fake',
                     'device_type': 'netmiko_ovs_linux',
                     'address': '127.0.0.1', 'ssh_port': 2222,
                     'username': 'root', 'password': 'Sw1tch-pass',
                     'enable_secret': 'En4ble-pass',
                     'options': {'ngs_ovs_bridge': 'br0'}}, **kw)
        return self.request('post', '/v1/switches', body, status=201)

    def test_credentials_are_write_only(self):
        resp = self._create()
        self.assertNotIn('Sw1tch-pass', resp.text)
        self.assertNotIn('En4ble-pass', resp.text)
        self.assertNotIn('password', resp.json)
        self.assertEqual({'ngs_ovs_bridge': 'br0'}, resp.json['options'])
        shown = self.request('get', '/v1/switches/leaf1', status=200)
        self.assertNotIn('Sw1tch-pass', shown.text)

    def test_secret_options_are_refused(self):
        resp = self.request('post', '/v1/switches', {
            'name': 'leaf1', 'driver': 'fake',
            'options': {'ngs_secret': 'x'}}, status=400)
        self.assertIn('options', resp.json['error']['message'])

    def test_disabled_driver_is_refused(self):
        resp = self.request('post', '/v1/switches', {
            'name': 'leaf1', 'driver': 'nope'}, status=400)
        self.assertIn('not an enabled switch driver',
                      resp.json['error']['message'])

    def test_new_port_is_parked(self):
        self._create()
        resp = self.request('post', '/v1/switches/leaf1/ports',
                            {'name': 'Gi1/0/3'}, status=201)
        port = self.request('get', '/v1/switches/leaf1/ports/' +
                            resp.json['uuid'], status=200).json
        self.assertEqual('in_sync', port['sync_state'])
        from hil_os.drivers.switch import base as switch_base
        from hil_os.drivers.switch import fake
        self.assertEqual(switch_base.PortConfig.access(4000),
                         fake.ports('leaf1')['Gi1/0/3'])

    def test_delete_with_cabled_port_is_refused(self):
        self._create()
        switch = factories.create_test_switch(name='other')
        node, _nic, _port = factories.create_cabled_node(switch=switch)
        resp = self.request('delete', '/v1/switches/other', status=409)
        self.assertIn('cabled', resp.json['error']['message'])
        self.request('delete', '/v1/switches/leaf1', status=204)

    def test_port_name_with_slashes_by_encoded_name(self):
        switch = factories.create_test_switch(name='leaf')
        port = factories.create_test_port(switch, name='Gi1/0/3')
        path = '/v1/switches/leaf/ports/Gi1%2F0%2F3'
        # WSGI servers decode PATH_INFO; the raw URI keeps the encoding.
        for raw in ('RAW_URI', 'REQUEST_URI'):
            resp = self.request('get', path, status=200,
                                environ={raw: path})
            self.assertEqual(port.uuid, resp.json['uuid'])
        self.request('get', path, status=404)

    def test_port_listing_shows_cabled_nic(self):
        switch = factories.create_test_switch(name='sw')
        node, nic, port = factories.create_cabled_node(switch=switch)
        ports = self.request('get', '/v1/switches/sw/ports',
                             status=200).json['ports']
        self.assertEqual([(port.name, nic.name, node.name)],
                         [(p['name'], p['nic']['name'],
                           p['nic']['node_name']) for p in ports])
