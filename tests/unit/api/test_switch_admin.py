"""Admin switch operations: retry, revert, audit, registration checks."""

from hil_os.common import exception
from hil_os.drivers.switch import base as switch_base
from hil_os.drivers.switch import fake as fake_switch
from tests import base
from tests import factories


class TestPortRetryRevert(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.switch = factories.create_test_switch()
        self.node, self.nic, self.port = factories.create_cabled_node(
            project_id=base.PROJECT_A, switch=self.switch)
        self.net = self.request('post', '/v1/networks', {'name': 'net'},
                                status=201, headers=base.A_MEMBER).json
        self.path = '/v1/nodes/%s/nics/%s/attachments' % (self.node.name,
                                                          self.nic.name)
        self.port_path = '/v1/switches/%s/ports/%s' % (self.switch.name,
                                                       self.port.name)

    def _action(self, uuid, headers=base.ADMIN):
        return self.request('get', '/v1/actions/%s' % uuid, status=200,
                            headers=headers).json

    def test_retry_after_failure(self):
        self.config.config(switch_max_attempts=1, group='conductor')
        fake_switch.inject_fault(self.switch.name,
                                 exception.SwitchUnreachable)
        attach = self.request('post', self.path, {'network': 'net'},
                              status=202, headers=base.A_MEMBER).json
        self.assertEqual('failed', self._action(attach['uuid'])['status'])
        port = self.request('get', self.port_path, status=200).json
        self.assertEqual('failed', port['sync_state'])
        resp = self.request('post', self.port_path + '/retry', status=202)
        self.assertEqual('port_retry', resp.json['kind'])
        self.assertTrue(resp.location.endswith(resp.json['uuid']))
        self.assertEqual('succeeded',
                         self._action(resp.json['uuid'])['status'])
        self.assertEqual(switch_base.PortConfig.access(self.net['vlan']),
                         fake_switch.ports(self.switch.name)[self.port.name])
        attachments = self.request('get', self.path, status=200,
                                   headers=base.A_MEMBER).json
        self.assertEqual(['active'], [a['status'] for a in
                                      attachments['attachments']])

    def test_retry_of_healthy_port_is_refused(self):
        resp = self.request('post', self.port_path + '/retry', status=409)
        self.assertIn('has not failed', resp.json['error']['message'])

    def test_retry_and_revert_are_admin_only(self):
        for what in ('retry', 'revert'):
            self.request('post', self.port_path + '/' + what, status=403,
                         headers=base.A_MEMBER)

    def test_revert_detaches_and_parks(self):
        attach = self.request('post', self.path, {'network': 'net'},
                              status=202, headers=base.A_MEMBER).json
        self.assertEqual('succeeded', self._action(attach['uuid'])['status'])
        resp = self.request('post', self.port_path + '/revert', status=202)
        self.assertEqual('port_revert', resp.json['kind'])
        self.assertEqual(1, resp.json['details']['detached'])
        self.assertEqual('succeeded',
                         self._action(resp.json['uuid'])['status'])
        self.assertEqual(switch_base.PortConfig.access(4000),
                         fake_switch.ports(self.switch.name)[self.port.name])
        self.assertEqual([], self.request('get', self.path, status=200,
                                          headers=base.A_MEMBER
                                          ).json['attachments'])
        # The project sees its own detach action.
        detaches = self.request('get', '/v1/actions?kind=detach',
                                status=200, headers=base.A_MEMBER).json
        self.assertEqual(['succeeded'], [a['status'] for a in
                                         detaches['actions']])
        events = self.request('get', '/v1/events?type=port.revert_done',
                              status=200).json['events']
        self.assertEqual(1, len(events))

    def test_revert_of_unknown_port_is_404(self):
        self.request('post', '/v1/switches/%s/ports/nope/revert' %
                     self.switch.name, status=404)


class TestAudit(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.switch = factories.create_test_switch()
        self.node, self.nic, self.port = factories.create_cabled_node(
            project_id=base.PROJECT_A, switch=self.switch)
        self.free_port = factories.create_test_port(self.switch)
        self.conductor.manager.sweep()
        self.audit_path = '/v1/switches/%s/audit' % self.switch.name

    def _statuses(self, report):
        return {p['name']: p['status'] for p in report['ports']}

    def test_clean_switch(self):
        report = self.request('get', self.audit_path, status=200).json
        self.assertEqual({self.port.name: 'ok', self.free_port.name: 'ok'},
                         self._statuses(report))
        self.assertEqual({'ok': 2}, report['summary'])
        entry = report['ports'][0]
        self.assertEqual({'mode': 'access', 'native_vlan': 4000,
                          'tagged': []}, entry['desired'])
        self.assertEqual(entry['desired'], entry['actual'])

    def test_drift_missing_and_pending(self):
        fake_switch.set_port(self.switch.name, self.port.name,
                             switch_base.PortConfig.trunk_all(4000))
        fake_switch.remove_port(self.switch.name, self.free_port.name)
        report = self.request('get', self.audit_path, status=200).json
        self.assertEqual({self.port.name: 'drift',
                          self.free_port.name: 'missing'},
                         self._statuses(report))
        self.assertIn('EVERY VLAN', report['ports'][0]['actual_description'])

    def test_audit_is_admin_only(self):
        self.request('get', self.audit_path, status=403,
                     headers=base.A_MEMBER)

    def test_unreachable_switch_is_503(self):
        fake_switch.inject_fault(self.switch.name,
                                 exception.SwitchUnreachable)
        resp = self.request('get', self.audit_path, status=503)
        self.assertIn('unreachable', resp.json['error']['message'])

    def test_periodic_audit_records_and_repairs(self):
        self.config.config(switch_audit_repair=True, group='conductor')
        fake_switch.set_port(self.switch.name, self.port.name,
                             switch_base.PortConfig.access(1234))
        self.conductor.manager.audit_switches()
        self.assertEqual(switch_base.PortConfig.access(4000),
                         fake_switch.ports(self.switch.name)[self.port.name])
        events = self.request('get', '/v1/events?type=port.drift',
                              status=200).json['events']
        self.assertEqual(1, len(events))
        self.assertIn('access VLAN 1234', events[0]['message'])
        self.assertIn('Drift on switch', self.log.output)

    def test_periodic_audit_without_repair_only_reports(self):
        fake_switch.set_port(self.switch.name, self.port.name,
                             switch_base.PortConfig.access(1234))
        self.conductor.manager.audit_switches()
        self.assertEqual(switch_base.PortConfig.access(1234),
                         fake_switch.ports(self.switch.name)[self.port.name])


class TestSwitchRegistration(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.config.config(enabled_drivers=['fake', 'ngs'], group='switch')

    def test_ngs_needs_supported_device_type(self):
        resp = self.request('post', '/v1/switches', {
            'name': 'leaf', 'driver': 'ngs',
            'device_type': 'netmiko_hp_comware',
            'address': '192.0.2.1'}, status=400)
        self.assertIn('netmiko_ovs_linux', resp.json['error']['message'])

    def test_ngs_reserved_options(self):
        resp = self.request('post', '/v1/switches', {
            'name': 'leaf', 'driver': 'ngs',
            'device_type': 'netmiko_ovs_linux',
            'address': '192.0.2.1', 'options': {'global_cmd_verify': False}},
            status=400)
        self.assertIn('global_cmd_verify', resp.json['error']['message'])

    def test_ngs_registration_and_patch(self):
        body = self.request('post', '/v1/switches', {
            'name': 'leaf', 'driver': 'ngs',
            'device_type': 'netmiko_ovs_linux',
            'address': '192.0.2.1', 'username': 'root', 'password': 'pw',
            'options': {'ngs_ovs_bridge': 'br0'}}, status=201).json
        self.assertNotIn('password', body)
        self.request('patch', '/v1/switches/leaf',
                     {'device_type': 'netmiko_juniper'}, status=400)
        self.request('patch', '/v1/switches/leaf', {'ssh_port': 2222},
                     status=200)
