"""The panels against a real ``hil-os --demo`` process (noauth headers).

The dashboard's requests cross the wire to hil-os, which filters by the
project of the Horizon user and queues real actions that its conductor
runs on the demo lab's fake BMCs and switch.
"""

import datetime
import os
import shutil
import tempfile
import time

from django.test.utils import override_settings
from django.urls import reverse
import requests
from requests.packages.urllib3.connection import HTTPConnection

from tests.dashboard import helpers
from tests.functional import api_process

NODES_URL = reverse('horizon:project:hil_nodes:index')
NETWORKS_URL = reverse('horizon:project:hil_networks:index')
LEASES_URL = reverse('horizon:project:hil_leases:index')


_HIL = {}


def setUpModule():
    """One ``hil-os --demo`` for the module's tests."""
    state = tempfile.mkdtemp(prefix='hil-os-dashboard-')
    config = os.path.join(state, 'hil-os.conf')
    port = api_process.free_port()
    api_process.write_config(
        config, DEFAULT={'state_path': state},
        api={'host_ip': '127.0.0.1', 'port': port},
        conductor={'sync_interval': 0.2})
    process = api_process.ApiProcess(config, port, command='hil-os',
                                     args=['--demo'])
    try:
        process.setUp()
    except Exception:
        shutil.rmtree(state)
        raise
    _HIL.update(process=process, state=state)


def tearDownModule():
    if _HIL:
        _HIL['process'].cleanUp()
        shutil.rmtree(_HIL['state'])


@override_settings(HIL_OS_NOAUTH_IDENTITY=True)
class DemoTestCase(helpers.TestCase):
    """A user of ``project_id`` (a member) and the demo's hil-os."""

    project_id = None
    role_names = ('member',)

    def _setup_test_data(self):
        self.hil_url = _HIL['process'].url
        super()._setup_test_data()

    def setUp(self):
        super().setUp()
        # Horizon's helpers refuse real HTTP; these tests are about it.
        HTTPConnection.connect = self._real_conn_request

    def _setup_user(self, **kwargs):
        super()._setup_user(tenant_id=self.project_id,
                            roles=[{'id': name, 'name': name}
                                   for name in self.role_names], **kwargs)

    def _hil(self, method, path, **kwargs):
        """hil-os asked directly, as the cloud admin (noauth default)."""
        resp = requests.request(method, self.hil_url + path, timeout=10,
                                **kwargs)
        resp.raise_for_status()
        return resp.json() if resp.content else None

    def _wait_action(self, **filters):
        """The last action matching ``filters``, once it has finished."""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            actions = self._hil('GET', '/v1/actions',
                                params=filters)['actions']
            if actions and actions[-1]['status'] in ('succeeded', 'failed'):
                return actions[-1]
            time.sleep(0.1)
        self.fail('no finished action %s' % filters)


class TestAgainstDemo(DemoTestCase):
    """As a member of research-a, which holds node1 and node2."""

    project_id = 'research-a'

    def test_nodes_of_the_project_only(self):
        res = self.client.get(NODES_URL)
        self.assertEqual(200, res.status_code)
        self.assertNoMessages(res)
        rows = res.context['nodes_table'].data
        self.assertEqual(['node1', 'node2'], [n.name for n in rows])
        self.assertEqual([['eth0'], ['eth0']],
                         [[nic.name for nic in n.nics] for n in rows])
        self.assertNotContains(res, 'node3')

    def test_power_on_queues_a_real_action(self):
        node1 = self._hil('GET', '/v1/nodes/node1')
        self.assertNotEqual('on', node1['power_state'])
        res = self.client.post(NODES_URL, {
            'action': 'nodes__power_on__%s' % node1['uuid']})
        self.assertRedirectsNoFollow(res, NODES_URL)
        self.assertMessageCount(success=1)
        action = self._wait_action(node=node1['uuid'], kind='power_on')
        self.assertEqual(('succeeded', 'research-a'),
                         (action['status'], action['project_id']))
        self.assertEqual('on', self._hil('GET', '/v1/nodes/node1/power')
                         ['power_state'])
        res = self.client.get(NODES_URL)
        self.assertEqual(['on'], [n.power_state for n in
                                  res.context['nodes_table'].data
                                  if n.name == 'node1'])

    def test_network_attach_detach_delete(self):
        res = self.client.post(
            reverse('horizon:project:hil_networks:create'),
            {'name': 'dash-net'})
        self.assertRedirectsNoFollow(res, NETWORKS_URL)
        net = self._hil('GET', '/v1/networks/dash-net')
        self.assertEqual('research-a', net['project_id'])
        res = self.client.post(
            reverse('horizon:project:hil_nodes:attach'),
            {'node': 'node2', 'nic': 'eth0', 'network': 'dash-net',
             'channel': 'access'})
        self.assertRedirectsNoFollow(res, NODES_URL)
        node2 = self._hil('GET', '/v1/nodes/node2')
        self.assertEqual('succeeded', self._wait_action(
            node=node2['uuid'], kind='attach')['status'])
        res = self.client.get(NODES_URL)
        attachments = res.context['attachments_table'].data
        self.assertEqual([('node2', 'eth0', 'dash-net', net['vlan'],
                           'active')],
                         [(a.node_name, a.nic_name, a.network_name, a.vlan,
                           a.status) for a in attachments])
        self.assertContains(res, 'dash-net (access, active)')
        # A network with a NIC on it cannot go: hil-os says why.
        self.client.post(NETWORKS_URL, {
            'action': 'networks__delete__%s' % net['uuid']})
        res = self.client.get(NETWORKS_URL)
        self.assertEqual(['dash-net'], [n.name for n in res.context[
            'table'].data if n.name == 'dash-net'])
        self.assertMessageCount(res, error=1)
        self.assertContains(res, 'Network dash-net is in use: 1 NIC '
                                 'attachment(s) remain; detach them first')
        self.client.post(NODES_URL, {
            'action': 'attachments__detach__%s' % attachments[0].uuid})
        self.assertEqual('succeeded', self._wait_action(
            node=node2['uuid'], kind='detach')['status'])
        self.client.post(NETWORKS_URL, {
            'action': 'networks__delete__%s' % net['uuid']})
        self.assertEqual([], self._hil('GET', '/v1/networks', params={
            'name': 'dash-net'})['networks'])

    def test_leases_and_extend(self):
        # A lease of node5 that starts tomorrow: the node stays free now.
        now = datetime.datetime.now(datetime.timezone.utc).replace(
            tzinfo=None, second=0, microsecond=0)
        start, end = (now + datetime.timedelta(days=1),
                      now + datetime.timedelta(days=2))
        created = self._hil('POST', '/v1/leases', json={
            'name': 'dash-lease', 'project_id': 'research-a',
            'node': 'node5', 'start': start.isoformat() + 'Z',
            'end': end.isoformat() + 'Z'})
        self._hil('POST', '/v1/leases', json={
            'name': 'b-lease', 'project_id': 'research-b', 'node': 'node6',
            'start': start.isoformat() + 'Z', 'end': end.isoformat() + 'Z'})
        res = self.client.get(LEASES_URL)
        self.assertEqual(['dash-lease'],
                         [lease.name for lease in res.context['table'].data])
        self.assertContains(res, 'node5 (reserved)')
        self.assertNotContains(res, 'b-lease')
        url = reverse('horizon:project:hil_leases:extend',
                      args=[created['uuid']])
        later = end + datetime.timedelta(hours=6)
        res = self.client.post(url, {'end': later.isoformat(sep=' ')})
        self.assertRedirectsNoFollow(res, LEASES_URL)
        self.assertEqual(later.isoformat(), self._hil(
            'GET', '/v1/leases/' + created['uuid'])['end'])
        # Past [lease] max_length (30 days): hil-os's reason in the form.
        res = self.client.post(url, {'end': (now + datetime.timedelta(
            days=40)).isoformat(sep=' ')})
        self.assertContains(res, 'a lease may last at most 30 days')

    def test_error_of_hil_os_is_shown(self):
        # node3 is research-b's: hil-os answers 404, shown as a message.
        node3 = self._hil('GET', '/v1/nodes/node3')
        res = self.client.post(
            reverse('horizon:project:hil_nodes:boot_device',
                    args=[node3['uuid']]), {'device': 'pxe'})
        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'could not be found')
        self.assertEqual([], self._hil('GET', '/v1/actions', params={
            'node': node3['uuid'], 'kind': 'set_boot_device'})['actions'])


class TestAgainstDemoProjectB(DemoTestCase):
    """As a member of research-b, which holds node3."""

    project_id = 'research-b'

    def test_nodes_of_the_project_only(self):
        res = self.client.get(NODES_URL)
        self.assertEqual(['node3'], [n.name for n in
                                     res.context['nodes_table'].data])
        self.assertNotContains(res, 'node1')


class TestAgainstDemoAdmin(DemoTestCase):
    """As a cloud admin: the Admin panel lists every node."""

    project_id = 'admin'
    role_names = ('admin', 'member')

    def test_all_nodes(self):
        res = self.client.get(reverse('horizon:admin:hil_nodes:index'))
        rows = res.context['table'].data
        self.assertEqual(['node%d' % i for i in range(1, 7)],
                         [n.name for n in rows])
        self.assertEqual({'node1': 'research-a', 'node3': 'research-b',
                          'node4': None},
                         {n.name: n.project_id for n in rows
                          if n.name in ('node1', 'node3', 'node4')})
        self.assertContains(res, 'fake 127.0.0.1:')
        self.assertEqual([[]] * 6, [[k for k in n.bmc if 'pass' in k]
                                    for n in rows])
