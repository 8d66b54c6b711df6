"""``openstack hil ...`` with a clouds.yaml against hil-os behind Keystone.

hil-os (``hil-os --demo`` with auth_strategy=keystone) is registered in the
peer's catalog as service type bare-metal-isolation, in a region of this
test's own so that other tests sharing the Keystone never see it.
"""

import os
import uuid

import fixtures
import yaml

from hil_os.osc import client
from tests.functional import api_process
from tests.functional.osc import base
from tests import keystone

MEMBER = 'hil-a-member'


class TestBehindKeystone(base.CliTestCase):

    def setUp(self):
        super().setUp()
        self.keystone = keystone.Peer(self)
        db = os.path.join(self.useFixture(fixtures.TempDir()).path,
                          'hil-os.sqlite')
        conf_file, _sections = api_process.service_config(
            self, 'sqlite:///' + db, api={'auth_strategy': 'keystone'},
            keystone_authtoken=self.keystone.authtoken_options())
        port = _sections['api']['port']
        self.url = self.useFixture(api_process.ApiProcess(
            conf_file, port, command='hil-os', args=['--demo'])).url
        self.region = 'hil-osc-' + self.suffix
        self._register()
        self.clouds = os.path.join(self.home, 'clouds.yaml')
        with open(self.clouds, 'w') as f:
            yaml.safe_dump({'clouds': self._clouds()}, f)

    def _register(self):
        """hil-os in the catalog: its service, in this test's region."""
        admin = self.keystone.session('admin')
        url = self.keystone.url
        admin.post(url + '/regions', json={'region': {'id': self.region}})
        self.addCleanup(admin.delete, url + '/regions/' + self.region)
        service = admin.post(url + '/services', json={'service': {
            'name': 'hil-os', 'type': client.SERVICE_TYPE}}).json()['service']
        self.addCleanup(admin.delete, url + '/services/' + service['id'])
        admin.post(url + '/endpoints', json={'endpoint': {
            'service_id': service['id'], 'interface': 'public',
            'region_id': self.region, 'url': self.url + '/v1'}})

    def _cloud(self, user, project, region=None, **extra):
        cloud = {'auth': {'auth_url': self.keystone.url, 'username': user,
                          'password': self.keystone['PASSWORD'],
                          'project_name': project,
                          'user_domain_name': self.keystone['DOMAIN'],
                          'project_domain_name': self.keystone['DOMAIN']},
                 'region_name': region or self.region,
                 'identity_api_version': 3}
        cloud.update(extra)
        return cloud

    def _clouds(self):
        project_a = self.keystone['PROJECT_A']
        return {
            'admin': self._cloud(self.keystone['ADMIN_USER'],
                                 self.keystone['ADMIN_PROJECT']),
            'a': self._cloud(MEMBER, project_a),
            'b': self._cloud(self.keystone['B_MEMBER'],
                             self.keystone['PROJECT_B']),
            # A region without hil-os: only the override finds it.
            'a-override': self._cloud(
                MEMBER, project_a, region='nowhere-' + uuid.uuid4().hex[:8],
                bare_metal_isolation_endpoint_override=self.url),
        }

    def cloud(self, name, *args, rc=0, options=()):
        """Run ``openstack [OPTIONS] hil ARGS`` as clouds.yaml's ``name``."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(('OS_', 'HIL_OS_'))}
        env.update(HOME=self.home, OS_CLIENT_CONFIG_FILE=self.clouds,
                   OS_CLOUD=name, PYTHONWARNINGS='ignore')
        return self.openstack(*options, 'hil', *args, env=env, rc=rc)

    def test_session_with_clouds_yaml(self):
        project_a = self.keystone['PROJECT_A_ID']
        node = self.cloud('admin', 'node', 'project', 'assign', 'node4',
                          project_a, '-f', 'json').json()
        self.assertEqual(project_a, node['project_id'])
        nodes = self.cloud('a', 'node', 'list', '-f', 'json').json()
        self.assertEqual(['node4'], [n['Name'] for n in nodes])
        net = self.cloud('a', 'network', 'create', 'net-' + self.suffix,
                         '-f', 'json').json()
        self.assertEqual(project_a, net['project_id'])
        action = self.cloud('a', 'nic', 'attach', '--node', 'node4',
                            '--network', net['name'], 'eth0', '--wait',
                            '-f', 'json').json()
        self.assertEqual(('attach', 'succeeded'),
                         (action['kind'], action['status']))
        status = self.cloud('a', 'node', 'power', 'on', 'node4', '--wait',
                            '-f', 'value', '-c', 'status').stdout
        self.assertEqual('succeeded\n', status)
        hidden = self.cloud('b', 'node', 'show', 'node4', rc=1)
        self.assertEqual('Node node4 could not be found. (HTTP 404)\n',
                         hidden.stderr)

    def test_endpoint_override_and_missing_endpoint(self):
        self.cloud('admin', 'node', 'project', 'assign', 'node5',
                   self.keystone['PROJECT_A_ID'])
        names = self.cloud('a-override', 'node', 'list', '-f', 'value',
                           '-c', 'Name').stdout
        self.assertEqual('node5\n', names)
        missing = self.cloud('a', 'node', 'list', rc=1,
                             options=('--os-interface', 'internal'))
        self.assertIn('hil-os is not in the service catalog', missing.stderr)
        self.assertIn('--os-hil-url', missing.stderr)
