"""Project > Bare Metal > Nodes, with the api module mocked."""

from unittest import mock

from django.urls import reverse

from hil_os.osc import client
from hil_os_dashboard import api
from hil_os_dashboard import exceptions
from tests.dashboard import helpers

INDEX_URL = reverse('horizon:project:hil_nodes:index')
ATTACH_URL = reverse('horizon:project:hil_nodes:attach')


def nodes():
    """node1 (eth0 on lab-net) and node2 (eth0, eth1, no network)."""
    node1 = api.Node({'uuid': 'u-node1', 'name': 'node1',
                      'state': 'allocated', 'power_state': 'off'})
    eth0 = api.Nic({'uuid': 'u-n1-eth0', 'name': 'eth0', 'node_name': 'node1',
                    'mac': '52:54:00:00:01:00'})
    eth0.attachments = [api.Resource({
        'uuid': 'u-att', 'network_uuid': 'u-lab', 'network_name': 'lab-net',
        'vlan': 1000, 'channel': 'access', 'status': 'active',
        'node_uuid': 'u-node1', 'node_name': 'node1',
        'nic_uuid': 'u-n1-eth0', 'nic_name': 'eth0'})]
    node1.nics = [eth0]
    node2 = api.Node({'uuid': 'u-node2', 'name': 'node2',
                      'state': 'allocated', 'power_state': None})
    node2.nics = [api.Nic({'uuid': 'u-n2-' + name, 'name': name,
                           'node_name': 'node2', 'mac': mac})
                  for name, mac in (('eth0', '52:54:00:00:02:00'),
                                    ('eth1', '52:54:00:00:02:01'))]
    return [node1, node2]


NETWORKS = [api.Resource({'uuid': 'u-lab', 'name': 'lab-net', 'vlan': 1000}),
            api.Resource({'uuid': 'u-st', 'name': 'storage', 'vlan': 1001})]


class TestNodesPanel(helpers.TestCase):

    def setUp(self):
        super().setUp()
        self.node_list = self._patch('node_list', return_value=nodes())

    def _patch(self, name, **kwargs):
        patcher = mock.patch.object(api, name, **kwargs)
        self.addCleanup(patcher.stop)
        return patcher.start()

    def test_index_lists_nodes_nics_and_attachments(self):
        res = self.client.get(INDEX_URL)
        self.assertTemplateUsed(res, 'project/hil_nodes/index.html')
        table = res.context['nodes_table']
        self.assertEqual(['node1', 'node2'],
                         [row.datum.name for row in table.get_rows()])
        self.assertContains(
            res, 'eth0 52:54:00:00:01:00: lab-net (access, active)')
        self.assertContains(res, 'eth1 52:54:00:00:02:01: no network')
        self.assertContains(res, 'unknown')  # node2's power state
        attachments = res.context['attachments_table'].data
        self.assertEqual([('node1', 'eth0', 'lab-net')],
                         [(a.node_name, a.nic_name, a.network_name)
                          for a in attachments])
        # One call to hil-os per page, not one per table.
        self.node_list.assert_called_once()

    def test_index_shows_the_error_of_hil_os(self):
        self.node_list.side_effect = client.HilError(
            'Could not reach hil-os at http://hil.example.com:6390/v1: '
            'connection refused')
        res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        self.assertEqual([], res.context['nodes_table'].data)
        self.assertMessageCount(res, error=1)
        self.assertContains(res, 'connection refused')

    def test_401_is_horizon_s_not_authorized(self):
        self.node_list.side_effect = exceptions.HilUnauthorized(
            'The request you have made requires authentication.', 401)
        res = self.client.get(INDEX_URL)
        self.assertEqual(403, res.status_code)
        self.assertTemplateUsed(res, 'not_authorized.html')

    def test_401_in_a_form_is_horizon_s_not_authorized(self):
        self._patch('node_set_boot_device',
                    side_effect=exceptions.HilUnauthorized(
                        'The request you have made requires '
                        'authentication.', 401))
        res = self.client.post(reverse(
            'horizon:project:hil_nodes:boot_device', args=['node1']),
            {'device': 'pxe'})
        self.assertEqual(403, res.status_code)
        self.assertTemplateUsed(res, 'not_authorized.html')

    def test_hidden_without_hil_os_in_the_catalog(self):
        self.setActiveUser(
            id=self.user.id, token=self.token, username=self.user.name,
            tenant_id=self.tenant.id, roles=[{'name': 'member'}],
            service_catalog=[s for s in self.service_catalog
                             if s['type'] != api.SERVICE_TYPE],
            authorized_tenants=self.tenants.list())
        res = self.client.get(INDEX_URL)
        self.assertNotEqual(200, res.status_code)
        self.node_list.assert_not_called()

    def _row_action(self, table, action, obj_id):
        return self.client.post(INDEX_URL, {
            'action': '%s__%s__%s' % (table, action, obj_id)})

    def test_power_actions(self):
        set_power = self._patch('node_set_power', return_value={})
        for action, target in (('power_on', 'on'), ('power_off', 'off'),
                               ('power_cycle', 'reboot')):
            res = self._row_action('nodes', action, 'u-node1')
            self.assertRedirectsNoFollow(res, INDEX_URL)
            set_power.assert_called_with(mock.ANY, 'u-node1', target)
        self.assertEqual(3, set_power.call_count)
        self.assertMessageCount(success=3)

    def test_power_on_of_several_nodes(self):
        set_power = self._patch('node_set_power', return_value={})
        res = self.client.post(INDEX_URL, {
            'action': 'nodes__power_on',
            'object_ids': ['u-node1', 'u-node2']})
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertEqual([mock.call(mock.ANY, 'u-node1', 'on'),
                          mock.call(mock.ANY, 'u-node2', 'on')],
                         set_power.call_args_list)

    def test_power_error_shows_the_message_of_hil_os(self):
        self._patch('node_set_power', side_effect=client.HilError(
            'Node node1 is being handed back; power actions are refused.',
            409))
        res = self._row_action('nodes', 'power_on', 'u-node1')
        self.assertRedirectsNoFollow(res, INDEX_URL)
        res = self.client.get(INDEX_URL)
        messages = [str(m.message) for m in res.context['messages']]
        self.assertEqual(1, len(messages), messages)
        self.assertIn('Unable to queue power on of node node1.', messages[0])
        self.assertIn('power actions are refused', messages[0])

    def test_set_boot_device(self):
        url = reverse('horizon:project:hil_nodes:boot_device',
                      args=['node1'])
        res = self.client.get(url)
        self.assertTemplateUsed(res, 'hil_os/form.html')
        set_boot = self._patch('node_set_boot_device', return_value={})
        res = self.client.post(url, {'device': 'pxe', 'persistent': 'on'})
        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        set_boot.assert_called_once_with(mock.ANY, 'node1', 'pxe',
                                         persistent=True)

    def test_set_boot_device_error_stays_in_the_form(self):
        url = reverse('horizon:project:hil_nodes:boot_device',
                      args=['node1'])
        self._patch('node_set_boot_device', side_effect=client.HilError(
            'Policy does not allow hil:node:boot_device.', 403))
        res = self.client.post(url, {'device': 'disk'})
        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'Policy does not allow hil:node:boot_device.')
        res = self.client.post(url, {'device': 'floppy'})
        self.assertFormErrors(res, 1)

    def test_attach_form(self):
        self._patch('network_list', return_value=NETWORKS)
        res = self.client.get(ATTACH_URL + '?node=node2')
        form = res.context['form']
        self.assertEqual('node2', form.initial['node'])
        self.assertEqual(['eth0', 'eth1'],
                         [c[0] for c in form.fields['nic'].choices])
        self.assertEqual(['lab-net', 'storage'],
                         [c[0] for c in form.fields['network'].choices])
        attach = self._patch('nic_attach', return_value={})
        res = self.client.post(ATTACH_URL, {
            'node': 'node2', 'nic': 'eth1', 'network': 'storage',
            'channel': 'tagged'})
        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        attach.assert_called_once_with(mock.ANY, 'node2', 'eth1', 'storage',
                                       channel='tagged')

    def test_attach_refuses_a_nic_of_another_node(self):
        self._patch('network_list', return_value=NETWORKS)
        attach = self._patch('nic_attach')
        res = self.client.post(ATTACH_URL, {
            'node': 'node1', 'nic': 'eth1', 'network': 'storage',
            'channel': 'access'})
        self.assertContains(res, 'Node node1 has no NIC eth1; it has eth0.')
        attach.assert_not_called()

    def test_attach_error_of_hil_os_stays_in_the_form(self):
        self._patch('network_list', return_value=NETWORKS)
        self._patch('nic_attach', side_effect=client.HilError(
            'NIC eth0 of node node1 already has an access network '
            '(lab-net); attach storage on the tagged channel.', 409))
        res = self.client.post(ATTACH_URL, {
            'node': 'node1', 'nic': 'eth0', 'network': 'storage',
            'channel': 'access'})
        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'already has an access network')

    def test_detach(self):
        detach = self._patch('nic_detach', return_value={})
        res = self._row_action('attachments', 'detach', 'u-att')
        self.assertRedirectsNoFollow(res, INDEX_URL)
        detach.assert_called_once_with(mock.ANY, 'u-node1', 'u-n1-eth0',
                                       'u-lab')

    def test_no_detach_of_an_attachment_being_detached(self):
        listed = nodes()
        listed[0].nics[0].attachments[0]._apidict['status'] = 'detaching'
        self.node_list.return_value = listed
        detach = self._patch('nic_detach')
        res = self.client.get(INDEX_URL)
        table = res.context['attachments_table']
        self.assertEqual([], table.get_row_actions(table.data[0]))
        self._row_action('attachments', 'detach', 'u-att')
        detach.assert_not_called()
