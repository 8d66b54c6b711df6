"""Tests of the OSC plugin hooks: options, endpoint and identity."""

import argparse
from unittest import mock

import fixtures
from osc_lib import exceptions

from hil_os.osc import client
from hil_os.osc import plugin
from tests import base


class FakeInstance:
    """The public face of an OSC ClientManager that make_client uses."""

    def __init__(self, config, catalog=None):
        self.config = config
        self.catalog = catalog
        self.session = mock.sentinel.session
        self.region_name = 'RegionOne'
        self.interface = 'public'

    def get_configuration(self):
        return dict(self.config)

    def get_endpoint_for_service_type(self, service_type, region_name=None,
                                      interface='public'):
        self.asked = (service_type, region_name, interface)
        if isinstance(self.catalog, Exception):
            raise self.catalog
        return self.catalog


@mock.patch.object(client, 'Client', autospec=True)
class TestMakeClient(base.TestCase):

    use_db = False

    def test_url_option_wins(self, client_class):
        instance = FakeInstance({'auth_type': 'password',
                                 'hil_url': 'http://hil:6390',
                                 'hil_project_id': 'ignored'})
        plugin.make_client(instance)
        client_class.assert_called_once_with(
            mock.sentinel.session, 'http://hil:6390', interface='public',
            region_name='RegionOne', headers={})

    def test_catalog(self, client_class):
        instance = FakeInstance({'auth_type': 'password'},
                                catalog='http://cat:6390/v1')
        plugin.make_client(instance)
        self.assertEqual(('bare-metal-isolation', 'RegionOne', 'public'),
                         instance.asked)
        self.assertEqual('http://cat:6390/v1',
                         client_class.call_args[0][1])

    def test_noauth_sends_identity_headers(self, client_class):
        instance = FakeInstance({'auth_type': 'none',
                                 'hil_project_id': 'research-a',
                                 'hil_roles': 'member, reader',
                                 'hil_user_id': 'alice'},
                                catalog='http://127.0.0.1:6390')
        plugin.make_client(instance)
        self.assertEqual({'X-Project-Id': 'research-a', 'X-User-Id': 'alice',
                          'X-Roles': 'member,reader'},
                         client_class.call_args[1]['headers'])

    def test_no_endpoint_anywhere(self, client_class):
        instance = FakeInstance({'auth_type': 'none'})
        e = self.assertRaises(exceptions.CommandError, plugin.make_client,
                              instance)
        self.assertIn('--os-hil-url or HIL_OS_URL', str(e))
        client_class.assert_not_called()

    def test_not_in_the_catalog(self, client_class):
        instance = FakeInstance({'auth_type': 'password'},
                                catalog=Exception('public endpoint for '
                                                  'bare-metal-isolation '
                                                  'service not found'))
        e = self.assertRaises(exceptions.CommandError, plugin.make_client,
                              instance)
        self.assertIn('openstack service create --name hil-os '
                      'bare-metal-isolation', str(e))


class TestOptions(base.TestCase):

    use_db = False

    def test_defaults_from_the_environment(self):
        for name, value in (('HIL_OS_URL', 'http://env:6390'),
                            ('HIL_OS_ROLES', 'reader'),
                            ('HIL_OS_PROJECT_ID', None),
                            ('OS_HIL_API_VERSION', None)):
            self.useFixture(fixtures.EnvironmentVariable(name, value))
        args = plugin.build_option_parser(argparse.ArgumentParser()) \
            .parse_args([])
        self.assertEqual('1', args.os_hil_api_version)
        self.assertEqual('http://env:6390', args.os_hil_url)
        self.assertEqual('reader', args.os_hil_roles)
        self.assertIsNone(args.os_hil_project_id)
