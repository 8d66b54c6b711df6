"""A real hil-os process behind a real Keystone, reached over HTTP.

The all-in-one ``hil-os`` command runs with [api] auth_strategy=keystone
on a port the OS picks; clients are keystoneauth sessions that find it in
the Keystone catalog, as the README's "Running behind Keystone" says.
"""

import os
import time
import uuid

import fixtures
from keystoneauth1 import adapter
import requests
from testtools import content

from tests import base
from tests.functional import api_process
from tests import keystone

ACTION_TIMEOUT = 20


class TestRealServer(base.TestCase):

    use_db = False

    def setUp(self):
        super().setUp()
        self.keystone = keystone.Peer(self)
        self.clients = {}
        db = os.path.join(self.useFixture(fixtures.TempDir()).path,
                          'hil-os.sqlite')
        conf_file, sections = api_process.service_config(
            self, 'sqlite:///' + db, api={'auth_strategy': 'keystone'},
            keystone_authtoken=self.keystone.authtoken_options())
        self.addOnException(lambda exc_info: self.addDetail(
            'hil-os log', content.content_from_file(
                conf_file + '.hil-os.log', buffer_now=True)))
        server = self.useFixture(api_process.ApiProcess(
            conf_file, sections['api']['port'], command='hil-os'))
        self.base_url = server.url
        self.service_type = self._register_endpoint()

    def _register_endpoint(self):
        """Put this server in the catalog, under a service type of its own.

        Production uses type "hil"; a type per test keeps this test's
        endpoint out of the way of other tests that share the Keystone.
        """
        service_type = 'hil-test-%s' % uuid.uuid4().hex[:8]
        admin = self.keystone.session('admin')
        url = self.keystone.url
        service = admin.post(url + '/services', json={'service': {
            'name': service_type, 'type': service_type}}).json()['service']
        self.addCleanup(admin.delete, url + '/services/' + service['id'])
        admin.post(url + '/endpoints', json={'endpoint': {
            'service_id': service['id'], 'interface': 'public',
            'region_id': self.keystone['REGION'],
            'url': self.base_url + '/v1'}})
        return service_type

    def client(self, persona):
        """A keystoneauth adapter of ``persona`` on hil-os's catalog entry."""
        if persona not in self.clients:
            self.clients[persona] = adapter.Adapter(
                self.keystone.session(persona),
                service_type=self.service_type, interface='public',
                region_name=self.keystone['REGION'], raise_exc=False)
        return self.clients[persona]

    def call(self, persona, method, path, status, body=None):
        resp = self.client(persona).request(path, method, json=body)
        self.assertEqual(status, resp.status_code, '%s %s as %s: %s' % (
            method, path, persona, resp.text))
        return resp

    def _wait_action(self, persona, location):
        deadline = time.monotonic() + ACTION_TIMEOUT
        while time.monotonic() < deadline:
            action = self.client(persona).get(location).json()
            if action['status'] not in ('pending', 'running'):
                return action
            time.sleep(0.1)
        self.fail('action %s did not end in %d s' % (location,
                                                     ACTION_TIMEOUT))

    def test_projects_and_roles_over_http(self):
        # No token, or a forged one: 401 naming Keystone; public routes open.
        for headers in ({}, {'X-Auth-Token': 'forged'}):
            resp = requests.get(self.base_url + '/v1/nodes', headers=headers,
                                timeout=5)
            self.assertEqual(401, resp.status_code)
            self.assertEqual('Keystone uri="%s"' % self.keystone.url,
                             resp.headers['WWW-Authenticate'])
        for path in ('/', '/v1', '/v1/openapi.json'):
            self.assertEqual(200, requests.get(self.base_url + path,
                                               timeout=5).status_code)

        # The cloud admin registers a cabled node and gives it to project A.
        self.call('admin', 'POST', '/switches', 201, {
            'name': 'sw', 'driver': 'fake', 'device_type': 'fake',
            'address': '127.0.0.1', 'username': 'admin', 'password': 'x'})
        self.call('admin', 'POST', '/switches/sw/ports', 201, {'name': 'p1'})
        self.call('admin', 'POST', '/nodes', 201, {
            'name': 'n1', 'bmc': {'driver': 'fake', 'address': '127.0.0.1',
                                  'username': 'admin', 'password': 'x'}})
        self.call('admin', 'POST', '/nodes/n1/nics', 201, {
            'name': 'eth0', 'mac': '52:54:00:12:34:56', 'switch': 'sw',
            'port': 'p1'})
        self.call('admin', 'PUT', '/nodes/n1/project', 200,
                  {'project_id': self.keystone['PROJECT_A_ID']})

        # Project A's member makes a network and attaches the NIC.
        net = self.call('a_member', 'POST', '/networks', 201,
                        {'name': 'net'}).json()
        self.assertEqual(self.keystone['PROJECT_A_ID'], net['project_id'])
        resp = self.call('a_member', 'POST', '/nodes/n1/nics/eth0/attachments',
                         202, {'network': 'net'})
        self.assertEqual('succeeded', self._wait_action(
            'a_member', resp.headers['Location'])['status'])

        # Its reader sees it all but may not change it.
        self.assertEqual(['n1'], [n['name'] for n in self.call(
            'a_reader', 'GET', '/nodes', 200).json()['nodes']])
        self.call('a_reader', 'DELETE', '/nodes/n1/nics/eth0/attachments/net',
                  403)
        self.call('a_reader', 'POST', '/networks', 403, {'name': 'mine'})

        # Project B sees none of it; the admin sees everything.
        self.assertEqual([], self.call('b_member', 'GET', '/nodes',
                                       200).json()['nodes'])
        self.call('b_member', 'GET', '/nodes/n1', 404)
        self.call('b_member', 'GET', '/networks/net', 404)
        self.call('b_member', 'POST', '/nodes/n1/nics/eth0/attachments', 404,
                  {'network': 'net'})
        self.assertEqual(['net'], [n['name'] for n in self.call(
            'admin', 'GET', '/networks', 200).json()['networks']])
