"""auth_strategy=keystone without a Keystone: what never reaches auth_token.

The token paths run against a real Keystone in
tests/functional/test_keystone_auth.py.
"""

import types

import webob

from hil_os.api import hooks
from tests import base
from tests import fixtures as hil_fixtures

KEYSTONE_URI = 'http://keystone.invalid/v3'


class TestPublicRoutesBehindKeystone(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.config.config(auth_strategy='keystone', group='api')
        self.config.config(www_authenticate_uri=KEYSTONE_URI,
                           group='keystone_authtoken')
        self.app = self.useFixture(
            hil_fixtures.Api(self.conductor)).app

    def test_public_routes_under_a_url_prefix(self):
        for path in ('', '/', '/v1', '/v1/', '/v1/openapi.json'):
            resp = self.app.get(path, extra_environ={'SCRIPT_NAME': '/hil'},
                                expect_errors=True)
            self.assertEqual(200, resp.status_int, path)

    def test_private_route_under_a_url_prefix_asks_for_a_token(self):
        resp = self.app.get('/v1/nodes', extra_environ={'SCRIPT_NAME': '/hil'},
                            expect_errors=True)
        self.assertEqual(401, resp.status_int)
        self.assertEqual('Keystone uri="%s"' % KEYSTONE_URI,
                         resp.headers['WWW-Authenticate'])


class TestContextHook(base.TestCase):

    use_db = False

    def _context(self, path, script_name=''):
        request = webob.Request.blank(path, headers={
            'X-Roles': 'admin', 'X-Project-Id': 'p', 'X-User-Id': 'u'})
        request.script_name = script_name
        state = types.SimpleNamespace(request=request)
        hooks.ContextHook().before(state)
        return request.context

    def test_keystone_public_route_ignores_identity_headers(self):
        self.config.config(auth_strategy='keystone', group='api')
        for script_name in ('', '/hil'):
            ctx = self._context('/v1/openapi.json', script_name)
            self.assertEqual(([], None, None),
                             (ctx.roles, ctx.project_id, ctx.user_id))

    def test_keystone_private_route_takes_identity_headers(self):
        # auth_token has replaced them with the token's.
        self.config.config(auth_strategy='keystone', group='api')
        ctx = self._context('/v1/nodes', '/hil')
        self.assertEqual((['admin'], 'p', 'u'),
                         (ctx.roles, ctx.project_id, ctx.user_id))

    def test_noauth_public_route_takes_identity_headers(self):
        ctx = self._context('/v1', '/hil')
        self.assertEqual((['admin'], 'p'), (ctx.roles, ctx.project_id))
