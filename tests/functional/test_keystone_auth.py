"""The API behind keystonemiddleware, with real tokens from a real Keystone.

Keystone is tests/lab/peer-keystone.sh's (see tests/keystone.py for the
personas); hil-os validates tokens with its service user's password. The
app runs in this process under WebTest; test_keystone_server.py runs a real
hil-os process.
"""

import json
import os

import fixtures
import webtest

from hil_os.api import app as api_app
from hil_os.conductor import rpcapi
from tests import base
from tests import factories
from tests import fixtures as hil_fixtures
from tests.functional import api_process
from tests import keystone

# Routes: name -> (method, path, body). They name the data of _make_lab; a
# body's "{NAME}" is replaced with the peer's value of NAME.
ROUTES = {
    'versions': ('GET', '/', None),
    'v1': ('GET', '/v1', None),
    'openapi': ('GET', '/v1/openapi.json', None),
    'node_list': ('GET', '/v1/nodes', None),
    'node_a_get': ('GET', '/v1/nodes/node-a', None),
    'node_b_get': ('GET', '/v1/nodes/node-b', None),
    'node_free_assign': ('PUT', '/v1/nodes/node-free/project',
                         {'project_id': '{PROJECT_A_ID}'}),
    'switch_list': ('GET', '/v1/switches', None),
    'network_list': ('GET', '/v1/networks', None),
    'network_create': ('POST', '/v1/networks', {'name': 'new-net'}),
    'network_b_get': ('GET', '/v1/networks/net-b', None),
    'nic_a_attach': ('POST', '/v1/nodes/node-a/nics/eth-a/attachments',
                     {'network': 'net-a'}),
}

# Expected status of each route (row) for each persona (column): anon sends
# no token, bad a forged one; the others are tests/keystone.py's personas.
# A system-scoped admin has no project, so it must name a network's owner.
PERSONAS = {'anon': 'anonymous', 'bad': 'bad_token', 'admin': 'admin',
            'sysadm': 'system_admin', 'a_mgr': 'a_manager',
            'a_mem': 'a_member', 'a_rdr': 'a_reader', 'b_mem': 'b_member',
            'sysrd': 'system_reader', 'domrd': 'domain_reader'}
MATRIX = """
route            anon  bad   admin sysadm a_mgr a_mem a_rdr b_mem sysrd domrd
versions         200   200   200   200    200   200   200   200   200   200
v1               200   200   200   200    200   200   200   200   200   200
openapi          200   200   200   200    200   200   200   200   200   200
node_list        401   401   200   200    200   200   200   200   403   403
node_a_get       401   401   200   200    200   200   200   404   404   404
node_b_get       401   401   200   200    404   404   404   200   404   404
node_free_assign 401   401   200   200    404   404   404   404   404   404
switch_list      401   401   200   200    403   403   403   403   403   403
network_list     401   401   200   200    200   200   200   200   403   403
network_create   401   401   201   400    201   201   403   201   403   403
network_b_get    401   401   200   200    404   404   404   200   404   404
nic_a_attach     401   401   202   202    202   202   403   404   404   404
"""


def matrix_cells():
    """(route, persona, status) of every cell of MATRIX."""
    header, *rows = MATRIX.strip().splitlines()
    personas = [PERSONAS[c] for c in header.split()[1:]]
    for row in rows:
        route, *statuses = row.split()
        for persona, status in zip(personas, statuses, strict=True):
            yield route, persona, int(status)


def _make_lab():
    """node-a/eth-a and net-a of project A, the same of B, and node-free.

    The projects are the peer's; without a peer the tests skip, and the
    database stays empty.
    """
    projects = [os.environ.get(keystone.PREFIX + 'PROJECT_%s_ID' % p)
                for p in 'AB']
    if None in projects:
        return {}
    switch = factories.create_test_switch()
    for name, project in zip('ab', projects):
        port = factories.create_test_port(switch)
        node = factories.create_test_node(name='node-' + name,
                                          project_id=project)
        factories.create_test_nic(node, port, name='eth-' + name)
        factories.create_test_network(project, name='net-' + name)
    factories.create_test_node(name='node-free')
    return {}


class KeystoneApiTestCase(base.TestCase):
    """hil-os with auth_strategy=keystone against the peer's Keystone."""

    db_seed = staticmethod(_make_lab)

    def setUp(self):
        super().setUp()
        self.keystone = keystone.Peer(self)
        conf_file = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                 'hil-os.conf')
        api_process.write_config(
            conf_file, keystone_authtoken=self.keystone.authtoken_options(
                shared_cache=True))
        keystone.register_authtoken_opts(self.config)
        base.CONF([], project='hil-os', default_config_files=[conf_file])
        self.config.config(auth_strategy='keystone', group='api')
        conductor = self.useFixture(hil_fixtures.Conductor())
        self.app = webtest.TestApp(
            api_app.setup_app(rpcapi.LocalConductorAPI(conductor.manager)),
            extra_environ={keystone.TOKEN_CACHE_KEY: keystone.TOKEN_CACHE})

    def headers(self, persona):
        if persona == 'anonymous':
            return {}
        if persona == 'bad_token':
            return {'X-Auth-Token': 'gAAAAABforged-token'}
        return {'X-Auth-Token': self.keystone.token(persona)}

    def request(self, method, path, persona, body=None, status=None):
        """Send a JSON request as ``persona``; ``status`` is the expected."""
        kwargs = {'headers': self.headers(persona), 'expect_errors': True}
        if body is not None:
            kwargs.update(body=json.dumps(body).encode(),
                          content_type='application/json')
        resp = self.app.request(path, method=method, **kwargs)
        if status is not None:
            self.assertEqual(status, resp.status_int, '%s %s as %s: %s' % (
                method, path, persona, resp.text))
        return resp


def _matrix_test(route, persona, status):
    def test(self):
        method, path, body = ROUTES[route]
        if body is not None:
            body = {k: v.format_map(self.keystone) for k, v in body.items()}
        resp = self.request(method, path, persona, body, status)
        if status == 401:
            self.assertEqual('Keystone uri="%s"' % self.keystone.url,
                             resp.headers.get('WWW-Authenticate'))
    test.__doc__ = '%s %s as %s answers %d.' % (
        ROUTES[route][0], ROUTES[route][1], persona, status)
    return test


class TestRbacMatrix(KeystoneApiTestCase):
    """MATRIX, one test per route and persona."""


for _route, _persona, _status in matrix_cells():
    setattr(TestRbacMatrix, 'test_%s__%s' % (_route, _persona),
            _matrix_test(_route, _persona, _status))


class TestIdentityFromToken(KeystoneApiTestCase):
    """What the token says (project, roles, scope) is what hil-os uses."""

    # persona: nodes listed
    VISIBLE_NODES = {
        'admin': ['node-a', 'node-b', 'node-free'],
        'system_admin': ['node-a', 'node-b', 'node-free'],
        'a_member': ['node-a'],
        'a_reader': ['node-a'],
        'b_member': ['node-b'],
    }

    def test_node_list_is_the_token_projects(self):
        for persona, names in self.VISIBLE_NODES.items():
            nodes = self.request('GET', '/v1/nodes', persona,
                                 status=200).json['nodes']
            self.assertEqual(names, sorted(n['name'] for n in nodes),
                             persona)

    def test_network_belongs_to_the_token_project(self):
        net = self.request('POST', '/v1/networks', 'a_member',
                           {'name': 'mine'}, status=201).json
        self.assertEqual(self.keystone['PROJECT_A_ID'], net['project_id'])
        self.request('GET', '/v1/networks/mine', 'a_reader', status=200)
        self.request('GET', '/v1/networks/mine', 'b_member', status=404)

    def test_member_attaches_and_reader_only_reads(self):
        path = '/v1/nodes/node-a/nics/eth-a/attachments'
        self.request('POST', '/v1/networks', 'a_member', {'name': 'data'},
                     status=201)
        action = self.request('POST', path, 'a_member', {'network': 'data'},
                              status=202).json
        self.assertEqual('succeeded', self.request(
            'GET', '/v1/actions/%s' % action['uuid'], 'a_reader',
            status=200).json['status'])
        self.assertEqual(['data'], [a['network_name'] for a in self.request(
            'GET', path, 'a_reader', status=200).json['attachments']])
        self.request('DELETE', path + '/data', 'a_reader', status=403)
        self.request('GET', '/v1/actions/%s' % action['uuid'], 'b_member',
                     status=404)

    def test_other_projects_network_is_invisible_to_attach(self):
        resp = self.request('POST', '/v1/nodes/node-a/nics/eth-a/attachments',
                            'a_member', {'network': 'net-b'}, status=404)
        self.assertIn('net-b', resp.json['error']['message'])

    def test_system_admin_creates_a_network_for_a_project(self):
        self.request('POST', '/v1/networks', 'system_admin',
                     {'name': 'given', 'project_id':
                      self.keystone['PROJECT_A_ID']}, status=201)
        self.request('GET', '/v1/networks/given', 'a_member', status=200)

    def test_revoked_token_is_refused(self):
        # Apps of their own cache: auth_token trusts a cached validation
        # until [keystone_authtoken] token_cache_time runs out.
        token = self.keystone.session('a_member').get_token()
        webtest.TestApp(api_app.setup_app(None)).get(
            '/v1/nodes', headers={'X-Auth-Token': token}, status=200)
        self.keystone.session('admin').delete(
            self.keystone.url + '/auth/tokens',
            headers={'X-Subject-Token': token})
        resp = webtest.TestApp(api_app.setup_app(None)).get(
            '/v1/nodes', headers={'X-Auth-Token': token}, expect_errors=True)
        self.assertEqual(401, resp.status_int)
