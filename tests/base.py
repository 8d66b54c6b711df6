"""The base test case: configuration, policy, secrets, database, timeout."""

import json
import logging
import os

import fixtures
from oslo_config import fixture as config_fixture
import testtools

from hil_os.common import notify
from hil_os.common import policy
from hil_os.common import rpc
from hil_os.common import secrets
from hil_os import conf
from hil_os.drivers import image as image_backends
from hil_os.drivers.image import fake as fake_image
from hil_os.drivers.power import fake as fake_power
from hil_os.drivers.switch import fake as fake_switch
from tests import fixtures as hil_fixtures

CONF = conf.CONF

TEST_KEY = 'x9FiV0rL2uFn3zPjXG0Df6oKQYVd3BgmNQtiq8EEHgA='

rpc.set_defaults()


class TestCase(testtools.TestCase):
    """Every hil-os test: fresh config and policy, a database, a timeout.

    ``db_engine`` picks the engine; tests that need no database set
    ``use_db = False``.
    """

    use_db = True
    db_engine = 'sqlite'
    db_seed = None

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(
            level=logging.DEBUG if os.environ.get('OS_DEBUG') else
            logging.INFO, format='%(levelname)s %(name)s %(message)s'))
        timeout = int(os.environ.get('OS_TEST_TIMEOUT', '60'))
        self.useFixture(fixtures.Timeout(timeout, gentle=True))
        self.useFixture(fixtures.NestedTempfile())
        self.config = self.useFixture(config_fixture.Config(CONF))
        CONF([], project='hil-os', default_config_files=[])
        self.config.config(key=TEST_KEY, group='secrets')
        self.config.config(state_path=self.useFixture(
            fixtures.TempDir()).path)
        self.config.config(auth_strategy='noauth', group='api')
        policy.reset()
        self.addCleanup(policy.reset)
        secrets.reset()
        self.addCleanup(secrets.reset)
        fake_switch.reset()
        self.addCleanup(fake_switch.reset)
        fake_power.reset()
        self.addCleanup(fake_power.reset)
        notify.reset()
        self.addCleanup(notify.reset)
        self.config.config(enabled_backends=['fake'], default_backend='fake',
                           group='image')
        for reset in (fake_image.reset, image_backends.reset):
            reset()
            self.addCleanup(reset)
        if self.use_db:
            skip = self._db_unavailable()
            if skip:
                self.skipTest(skip)
            self.db = self.useFixture(hil_fixtures.Database(
                self.db_engine, seed=self.db_seed))

    def _db_unavailable(self):
        if self.db_engine == 'sqlite':
            return None
        url = (hil_fixtures.MYSQL_URL if self.db_engine == 'mysql'
               else hil_fixtures.POSTGRESQL_URL)
        problem = hil_fixtures.server_available(url)
        if problem and os.environ.get('HIL_OS_TEST_REQUIRE_PEERS') == '1':
            self.fail(problem)
        return problem


class ApiTestCase(TestCase):
    """A test of the API over WebTest, with an inline conductor."""

    def setUp(self):
        super().setUp()
        self.conductor = self.useFixture(hil_fixtures.Conductor())
        self.app = self.useFixture(hil_fixtures.Api(self.conductor)).app

    def request(self, method, path, body=None, status=None, headers=None,
                **kwargs):
        """Send a JSON request; ``status`` is the one expected."""
        kwargs = dict(kwargs, headers=ADMIN if headers is None else headers,
                      expect_errors=True)
        if body is not None:
            response = self.app.request(
                path, method=method.upper(),
                body=body if isinstance(body, bytes) else
                json.dumps(body).encode(),
                content_type='application/json', **kwargs)
        else:
            response = self.app.request(path, method=method.upper(),
                                        **kwargs)
        if status is not None:
            self.assertEqual(status, response.status_int,
                             '%s %s: %s' % (method, path, response.text))
        return response


def require_peer(testcase, env_var, what):
    """The value of ``env_var`` naming a real peer, or skip the test.

    Under tools/test-all (HIL_OS_TEST_REQUIRE_PEERS=1) a missing peer fails
    the test instead: CI must never pass by skipping.
    """
    value = os.environ.get(env_var)
    if value:
        return value
    message = '%s is not available (set %s; tools/test-all starts it)' % (
        what, env_var)
    if os.environ.get('HIL_OS_TEST_REQUIRE_PEERS') == '1':
        testcase.fail(message)
    testcase.skipTest(message)


def identity(project, *roles):
    """noauth identity headers of a user of ``project`` with ``roles``."""
    return {'X-Project-Id': project, 'X-User-Id': 'user-of-%s' % project,
            'X-Roles': ','.join(roles)}


ADMIN = identity('admin', 'admin', 'member', 'reader')
PROJECT_A = 'project-a'
PROJECT_B = 'project-b'
A_MEMBER = identity(PROJECT_A, 'member', 'reader')
A_READER = identity(PROJECT_A, 'reader')
B_MEMBER = identity(PROJECT_B, 'member', 'reader')
