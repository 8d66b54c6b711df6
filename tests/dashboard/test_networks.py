"""Project > Bare Metal > Networks, with the api module mocked."""

from unittest import mock

from django.urls import reverse
from horizon import exceptions as horizon_exceptions

from hil_os.osc import client
from hil_os_dashboard import api
from tests.dashboard import helpers

INDEX_URL = reverse('horizon:project:hil_networks:index')
CREATE_URL = reverse('horizon:project:hil_networks:create')


class TestNetworksPanel(helpers.TestCase):

    def setUp(self):
        super().setUp()
        self.networks = [
            api.Resource({'uuid': 'u-lab', 'name': 'lab-net', 'vlan': 1000,
                          'project_id': self.tenant.id, 'provider': False,
                          'created_at': '2026-11-27T06:00:00'}),
            api.Resource({'uuid': 'u-shared', 'name': 'shared', 'vlan': 1001,
                          'project_id': 'other-project', 'provider': False,
                          'created_at': '2026-11-27T06:01:00'}),
            api.Resource({'uuid': 'u-pub', 'name': 'public', 'vlan': 200,
                          'project_id': None, 'provider': True,
                          'created_at': '2026-11-27T06:02:00'})]
        self.network_list = self._patch('network_list',
                                        return_value=self.networks)

    def _patch(self, name, **kwargs):
        patcher = mock.patch.object(api, name, **kwargs)
        self.addCleanup(patcher.stop)
        return patcher.start()

    def test_index(self):
        res = self.client.get(INDEX_URL)
        self.assertTemplateUsed(res, 'horizon/common/_data_table_view.html')
        table = res.context['table']
        self.assertEqual(['lab-net', 'shared', 'public'],
                         [n.name for n in table.data])
        self.assertContains(res, 'other-project')
        self.assertContains(res, 'provider')
        # Only the project's own network can be deleted.
        rows = {row.datum.name: row for row in table.get_rows()}
        self.assertIn('delete', [a.name for a in
                                 table.get_row_actions(rows['lab-net'].datum)])
        for name in ('shared', 'public'):
            self.assertEqual([], table.get_row_actions(rows[name].datum))

    def test_index_error(self):
        self.network_list.side_effect = client.HilError(
            'Policy does not allow hil:network:list.', 403)
        res = self.client.get(INDEX_URL)
        self.assertEqual([], res.context['table'].data)
        self.assertMessageCount(res, error=1)
        self.assertContains(res, 'Policy does not allow hil:network:list.')

    def test_index_without_an_endpoint_in_the_region(self):
        self.network_list.side_effect = (
            horizon_exceptions.ServiceCatalogException(api.SERVICE_TYPE))
        res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        self.assertMessageCount(res, error=1)
        self.assertContains(res, 'Invalid service catalog: '
                                 'bare-metal-isolation')

    def test_create(self):
        create = self._patch('network_create', return_value=api.Resource(
            {'uuid': 'u-new', 'name': 'storage', 'vlan': 1002}))
        res = self.client.post(CREATE_URL, {'name': 'storage'})
        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        create.assert_called_once_with(mock.ANY, 'storage')
        self.assertMessageCount(success=1)

    def test_create_error_stays_in_the_form(self):
        self._patch('network_create', side_effect=client.HilError(
            'Quota exceeded: project p may have at most 1 network and has '
            '1; this request needs 1 more.', 409))
        res = self.client.post(CREATE_URL, {'name': 'one-more'})
        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'Quota exceeded')

    def test_delete(self):
        delete = self._patch('network_delete')
        res = self.client.post(INDEX_URL,
                               {'action': 'networks__delete__u-lab'})
        self.assertRedirectsNoFollow(res, INDEX_URL)
        delete.assert_called_once_with(mock.ANY, 'u-lab')

    def test_delete_error_shows_the_message(self):
        self._patch('network_delete', side_effect=client.HilError(
            'Network lab-net is in use: 1 NIC attachment(s) remain; detach '
            'them first', 409))
        self.client.post(INDEX_URL, {'action': 'networks__delete__u-lab'})
        res = self.client.get(INDEX_URL)
        messages = [str(m.message) for m in res.context['messages']]
        self.assertEqual(1, len(messages), messages)
        self.assertIn('Unable to delete network lab-net.', messages[0])
        self.assertIn('detach them first', messages[0])

    def test_delete_of_a_shared_network_is_refused(self):
        delete = self._patch('network_delete')
        self.client.post(INDEX_URL, {'action': 'networks__delete__u-shared'})
        delete.assert_not_called()
