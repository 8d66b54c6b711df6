"""``openstack hil ...`` against ``hil-os --demo`` (noauth, embedded)."""

import configparser
import os

from tests import base as tests_base
from tests.functional.osc import base

MEMBER = 'member,reader'


def _entry_points():
    """The command names setup.cfg declares, e.g. 'hil node list'."""
    cfg = configparser.ConfigParser()
    cfg.read(os.path.join(os.path.dirname(__file__), '..', '..', '..',
                          'setup.cfg'))
    return [line.split('=')[0].strip().replace('_', ' ') for line in
            cfg['entry_points']['openstack.hil.v1'].strip().splitlines()]


class TestEmbedded(base.CliTestCase):

    def setUp(self):
        super().setUp()
        self.url = base.embedded_server().url

    def cabled_node(self, project=None):
        """A new node with NIC eth0 on a new demo port, of ``project``."""
        name = 'n-' + self.suffix
        port = self.api('POST', '/v1/switches/demo-switch/ports',
                        {'name': 'p-' + self.suffix})
        self.api('POST', '/v1/nodes', {'name': name,
                                       'bmc': {'driver': 'fake'}})
        self.api('POST', '/v1/nodes/%s/nics' % name, {
            'name': 'eth0', 'mac': '52:54:00:%s:%s:%s' % (
                self.suffix[:2], self.suffix[2:4], self.suffix[4:6]),
            'switch': 'demo-switch', 'port': port['uuid']})
        if project:
            self.api('PUT', '/v1/nodes/%s/project' % name,
                     {'project_id': project})
        return name

    def test_help_lists_every_command(self):
        out = self.openstack('hil', '--help').stdout
        for command in _entry_points():
            self.assertIn(command + '\n', out)

    def test_lab_tour(self):
        nodes = self.openstack('hil', 'node', 'list', '-f', 'json').json()
        self.assertLessEqual({'node%d' % i for i in range(1, 7)},
                             {n['Name'] for n in nodes})
        node1 = self.openstack('hil', 'node', 'show', 'node1', '-f',
                               'json').json()
        self.assertEqual(('research-a', 'fake'),
                         (node1['project_id'], node1['bmc']['driver']))
        ports = self.openstack('hil', 'port', 'list', '--switch',
                               'demo-switch', '-f', 'json').json()
        self.assertIn({'Name': 'p1', 'NIC': 'node1/eth0'},
                      [{'Name': p['Name'], 'NIC': p['NIC']} for p in ports])
        nics = self.openstack('hil', 'nic', 'list', '--node', 'node1',
                              '-f', 'value', '-c', 'Name', '-c',
                              'Port').stdout
        self.assertEqual('eth0 p1\n', nics)

    def test_member_attaches_and_detaches_with_wait(self):
        project = 'proj-' + self.suffix
        node = self.cabled_node(project)
        net = 'net-' + self.suffix
        created = self.openstack('hil', 'network', 'create', net, '-f',
                                 'json', project=project,
                                 roles=MEMBER).json()
        self.assertEqual(project, created['project_id'])
        action = self.openstack(
            'hil', 'nic', 'attach', '--node', node, '--network', net,
            'eth0', '--wait', '--timeout', '30', '-f', 'json',
            project=project, roles=MEMBER).json()
        self.assertEqual(('attach', 'succeeded', created['vlan']),
                         (action['kind'], action['status'],
                          action['details']['vlan']))
        rows = self.openstack('hil', 'attachment', 'list', '--network', net,
                              '-f', 'json', project=project,
                              roles=MEMBER).json()
        self.assertEqual([(node, 'eth0', 'active', 'access')],
                         [(r['Node'], r['NIC'], r['Status'], r['Channel'])
                          for r in rows])
        status = self.openstack(
            'hil', 'nic', 'detach', '--node', node, '--network', net,
            'eth0', '--wait', '-f', 'value', '-c', 'status',
            project=project, roles=MEMBER).stdout
        self.assertEqual('succeeded\n', status)
        events = self.openstack('hil', 'event', 'list', '--node', node,
                                '-f', 'value', '-c', 'Type',
                                project=project, roles=MEMBER).stdout
        self.assertIn('attachment.attach_done', events)
        self.openstack('hil', 'network', 'delete', net, project=project,
                       roles=MEMBER)

    def test_power_and_boot_device(self):
        project = 'pwr-' + self.suffix
        node = self.cabled_node(project)
        action = self.openstack('hil', 'node', 'power', 'on', node,
                                '--wait', '-f', 'json', project=project,
                                roles=MEMBER).json()
        self.assertEqual(('power_on', 'succeeded'),
                         (action['kind'], action['status']))
        self.openstack('hil', 'node', 'boot', 'device', 'set', node, 'pxe',
                       '--persistent', '--wait', project=project,
                       roles=MEMBER)
        status = self.openstack('hil', 'node', 'power', 'status', node,
                                '-f', 'json', project=project,
                                roles=MEMBER).json()
        self.assertEqual(('on', 'pxe', True),
                         (status['power_state'], status['boot_device'],
                          status['boot_persistent']))

    def test_provision_snapshot_and_resume(self):
        tests_base.require_peer(self, 'HIL_OS_TGTD_CONTROL', 'tgtd')
        project = 'img-' + self.suffix
        node = self.cabled_node(project)

        def cli(*args, rc=0):
            return self.openstack('hil', *args, project=project,
                                  roles=MEMBER, rc=rc)
        image = cli('image', 'create', 'base-' + self.suffix, '--size',
                    '16M', '--wait', '-f', 'json').json()
        self.assertEqual(('available', 16 * 2 ** 20),
                         (image['status'], image['size']))
        action = cli('node', 'provision', node, '--image', image['name'],
                     '--disk-name', 'disk-' + self.suffix, '--wait', '-f',
                     'json').json()
        self.assertEqual(('provision', 'succeeded'),
                         (action['kind'], action['status']))
        self.assertIn('over iSCSI', action['message'])
        disks = cli('disk', 'list', '--node', node, '-f', 'json').json()
        self.assertEqual([('disk-' + self.suffix, 'available', node)],
                         [(d['Name'], d['Status'], d['Node'])
                          for d in disks])
        snap = cli('node', 'snapshot', node, 'snap-' + self.suffix,
                   '--wait', '-f', 'json').json()
        self.assertEqual('available', snap['status'])
        cli('node', 'deprovision', node, '--wait')
        self.assertEqual(
            [('disk-' + self.suffix, None)],
            [(d['Name'], d['Node']) for d in
             cli('disk', 'list', '-f', 'json').json()])
        cli('node', 'provision', node, '--disk', 'disk-' + self.suffix,
            '--wait')

    def test_console_connect(self):
        project = 'con-' + self.suffix
        node = self.cabled_node(project)
        result = self.openstack('hil', 'node', 'console', 'connect', node,
                                project=project, roles=MEMBER,
                                stdin='hello %s\n' % self.suffix)
        self.assertIn('hello %s' % self.suffix, result.stdout)
        self.openstack('hil', 'node', 'console', 'revoke', node,
                       project=project, roles=MEMBER)
        shown = self.openstack('hil', 'node', 'console', 'show', node,
                               '-f', 'json', project=project,
                               roles=MEMBER).json()
        self.assertEqual([], shown['tokens'])

    def test_audit_and_port_revert(self):
        project = 'rev-' + self.suffix
        node = self.cabled_node(project)
        net = self.api('POST', '/v1/networks', {'name': 'n-' + self.suffix},
                       project=project)
        self.api('POST', '/v1/nodes/%s/nics/eth0/attachments' % node,
                 {'network': net['name']}, project=project)
        audit = self.openstack('hil', 'switch', 'audit', 'demo-switch',
                               '-f', 'json').json()
        mine = [p for p in audit if p['Port'] == 'p-' + self.suffix]
        self.assertEqual([('ok', 'access VLAN %d' % net['vlan'])],
                         [(p['Status'], p['Read Back']) for p in mine])
        action = self.openstack('hil', 'port', 'revert', '--switch',
                                'demo-switch', 'p-' + self.suffix, '--wait',
                                '-f', 'json').json()
        self.assertEqual(('port_revert', 'succeeded'),
                         (action['kind'], action['status']))
        self.assertEqual([], self.api(
            'GET', '/v1/nodes/%s/nics/eth0/attachments' % node,
            project=project)['attachments'])

    def test_lease_and_quota(self):
        project = 'lse-' + self.suffix
        node = self.cabled_node()
        self.openstack('hil', 'quota', 'set', project, '--nodes', '1')
        lease = self.openstack(
            'hil', 'lease', 'create', '--project', project, '--node', node,
            '--duration', '2h', '--name', 'lease-' + self.suffix, '--wait',
            '-f', 'json').json()
        self.assertEqual(('active', [(node, 'held')]),
                         (lease['state'], [(n['name'], n['state'])
                                           for n in lease['nodes']]))
        quota = self.openstack('hil', 'quota', 'show', '-f', 'json',
                               project=project, roles=MEMBER).json()
        self.assertIn({'Resource': 'nodes', 'Limit': 1, 'In Use': 1,
                       'Default': False}, quota)
        self.openstack('hil', 'lease', 'delete', lease['name'], '--wait')
        shown = self.openstack('hil', 'node', 'show', node, '-f',
                               'json').json()
        self.assertEqual((None, 'free'), (shown['project_id'],
                                          shown['state']))

    def test_sharing_and_revoke_wait(self):
        owner, guest = 'own-' + self.suffix, 'gst-' + self.suffix
        node = self.cabled_node(guest)
        net = 'shared-' + self.suffix
        self.api('POST', '/v1/networks', {'name': net}, project=owner)
        self.openstack('hil', 'network', 'access', 'grant', net, guest,
                       project=owner, roles=MEMBER)
        access = self.openstack('hil', 'network', 'access', 'list', net,
                                '-f', 'value', '-c', 'Project',
                                project=owner, roles=MEMBER).stdout
        self.assertEqual(guest + '\n', access)
        self.openstack('hil', 'nic', 'attach', '--node', node, '--network',
                       net, 'eth0', '--wait', project=guest, roles=MEMBER)
        # The detach happens in the guest's project: the owner cannot
        # follow it, an admin can.
        revoked = self.openstack('hil', 'network', 'access', 'revoke', net,
                                 guest, '--wait', '-f', 'json').json()
        self.assertEqual([('detach', 'succeeded')],
                         [(a['Kind'], a['Status']) for a in revoked])

    def test_admin_registers_and_removes_hardware(self):
        sw, node = 'sw-' + self.suffix, 'hw-' + self.suffix
        switch = self.openstack(
            'hil', 'switch', 'create', sw, '--driver', 'fake', '--address',
            '127.0.0.1', '--password', 'secret-' + self.suffix, '--option',
            'ngs_ovs_bridge=br0', '-f', 'json').json()
        self.assertEqual({'ngs_ovs_bridge': 'br0'}, switch['options'])
        self.assertNotIn('password', switch)
        switch = self.openstack('hil', 'switch', 'set', sw, '--option',
                                'ngs_mac_address=x', '--unset-option',
                                'ngs_ovs_bridge', '-f', 'json').json()
        self.assertEqual({'ngs_mac_address': 'x'}, switch['options'])
        self.openstack('hil', 'port', 'create', '--switch', sw, 'Gi1/0/3')
        port = self.openstack('hil', 'port', 'show', '--switch', sw,
                              'Gi1/0/3', '-f', 'json').json()
        self.assertEqual(switch['uuid'], port['switch_uuid'])
        self.openstack('hil', 'node', 'create', node, '--bmc-driver', 'fake',
                       '--bmc-password', 'bmc-secret')
        nic = self.openstack('hil', 'nic', 'create', '--node', node,
                             '--mac', '52:54:00:aa:bb:cc', '--switch', sw,
                             '--port', 'Gi1/0/3', 'eth0', '-f',
                             'json').json()
        self.assertEqual((sw, 'Gi1/0/3'), (nic['switch'], nic['port']))
        self.openstack('hil', 'nic', 'set', '--node', node, 'eth0',
                       '--no-port')
        result = self.openstack('hil', 'node', 'delete', node,
                                'no-such-node-' + self.suffix, rc=1)
        self.assertIn('Failed to delete 1 of 2 nodes', result.stderr)
        self.assertIn('Node no-such-node-%s could not be found. (HTTP 404)'
                      % self.suffix, result.stderr)
        self.openstack('hil', 'switch', 'delete', sw)
        self.openstack('hil', 'node', 'show', node, rc=1)

    def test_errors_are_messages(self):
        hidden = self.openstack('hil', 'node', 'show', 'node3',
                                project='research-a', roles=MEMBER, rc=1)
        self.assertEqual('Node node3 could not be found. (HTTP 404)\n',
                         hidden.stderr)
        bad = self.openstack('hil', 'nic', 'create', '--node', 'node1',
                             '--mac', '52:54:00:00:00:99', '--switch',
                             'demo-switch', 'eth9', rc=1)
        self.assertIn('--switch and --port go together', bad.stderr)
        invalid = self.openstack('hil', 'network', 'create', 'bad name',
                                 rc=1)
        self.assertIn('(HTTP 400)', invalid.stderr)
        self.assertIn('name', invalid.stderr)

    def test_unreachable_server(self):
        env = self.env()
        env['HIL_OS_URL'] = 'http://127.0.0.1:9'
        result = self.openstack('hil', 'node', 'list', env=env, rc=1)
        self.assertIn('Could not reach hil-os at http://127.0.0.1:9/v1',
                      result.stderr)
