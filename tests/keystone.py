"""The real Keystone of tests/lab/peer-keystone.sh: personas and tokens.

The peer writes HIL_OS_TEST_KEYSTONE_* variables (listed at the top of the
script). ``Peer(testcase)`` reads them, or skips the test (fails it under
tools/test-all) when the peer is not running.
"""

import os
import threading

from keystoneauth1.identity import v3
from keystoneauth1 import loading
from keystoneauth1 import session as ks_session

from tests import base

PREFIX = 'HIL_OS_TEST_KEYSTONE_'

# persona: (variable naming the user, scope). A scope is the variable
# naming a project, or 'system', or 'domain'.
PERSONAS = {
    'admin': ('ADMIN_USER', 'ADMIN_PROJECT'),
    'system_admin': ('ADMIN_USER', 'system'),
    'a_manager': ('A_MANAGER', 'PROJECT_A'),
    'a_member': ('A_MEMBER', 'PROJECT_A'),
    'a_reader': ('A_READER', 'PROJECT_A'),
    'b_member': ('B_MEMBER', 'PROJECT_B'),
    'b_reader': ('B_READER', 'PROJECT_B'),
    'system_reader': ('SYSTEM_READER', 'system'),
    'domain_reader': ('DOMAIN_READER', 'domain'),
    'service': ('SERVICE_USER', 'SERVICE_PROJECT'),
}

# Where auth_token finds TOKEN_CACHE in a request's environment, with
# [keystone_authtoken] cache = TOKEN_CACHE_KEY.
TOKEN_CACHE_KEY = 'hil_os.tests.token_cache'

_TOKENS = {}
_LOCK = threading.Lock()


class _TokenCache:
    """A memcached stand-in that the auth_token instances of a process share.

    Each test builds its own app, so its own auth_token; sharing their cache
    validates each persona's token with Keystone once per process instead
    of once per test.
    """

    def __init__(self):
        self._values = {}

    def get(self, key):
        return self._values.get(key)

    def set(self, key, value, time=0, **kwargs):
        self._values[key] = value
        return True


TOKEN_CACHE = _TokenCache()


class Peer:
    """The values peer-keystone.env gives, by their short names."""

    def __init__(self, testcase):
        self.url = base.require_peer(
            testcase, PREFIX + 'URL',
            'a real Keystone (tests/lab/peer-keystone.sh)')

    def __getitem__(self, name):
        return os.environ[PREFIX + name]

    def auth(self, persona):
        """A keystoneauth password plugin scoped as ``persona`` is."""
        user, scope = PERSONAS[persona]
        kwargs = {'auth_url': self.url, 'username': self[user],
                  'password': self['PASSWORD'],
                  'user_domain_name': self['DOMAIN']}
        if scope == 'system':
            kwargs['system_scope'] = 'all'
        elif scope == 'domain':
            kwargs['domain_name'] = self['DOMAIN']
        else:
            kwargs.update(project_name=self[scope],
                          project_domain_name=self['DOMAIN'])
        return v3.Password(**kwargs)

    def session(self, persona):
        """A keystoneauth session authenticated as ``persona``."""
        return ks_session.Session(auth=self.auth(persona))

    def token(self, persona):
        """A token of ``persona``, fetched once per test process."""
        key = (self.url, persona)
        with _LOCK:
            if key not in _TOKENS:
                _TOKENS[key] = self.session(persona).get_token()
            return _TOKENS[key]

    def authtoken_options(self, shared_cache=False):
        """[keystone_authtoken] of hil-os: the service user, password auth.

        ``shared_cache``: cache validated tokens in TOKEN_CACHE, which each
        request must then carry in its environment at TOKEN_CACHE_KEY.
        """
        options = {
            'www_authenticate_uri': self.url,
            'auth_url': self.url,
            'auth_type': 'password',
            'username': self['SERVICE_USER'],
            'password': self['PASSWORD'],
            'project_name': self['SERVICE_PROJECT'],
            'user_domain_name': self['DOMAIN'],
            'project_domain_name': self['DOMAIN'],
            'region_name': self['REGION'],
        }
        if shared_cache:
            options['cache'] = TOKEN_CACHE_KEY
        return options


def register_authtoken_opts(config_fixture):
    """Register [keystone_authtoken]'s password plugin options for a test.

    auth_token registers them on the global CONF when it loads the plugin,
    and they are required; through the fixture they go away after the
    test, so later tests can parse their configuration again.
    """
    config_fixture.register_opts(
        loading.get_auth_plugin_conf_options('password'),
        group='keystone_authtoken')
