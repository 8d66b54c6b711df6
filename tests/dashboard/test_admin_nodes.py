"""Admin > Bare Metal > Nodes, with the api module mocked."""

from unittest import mock

from django.urls import reverse

from hil_os_dashboard import api
from tests.dashboard import helpers

INDEX_URL = reverse('horizon:admin:hil_nodes:index')


class TestAdminNodesPanel(helpers.AdminTestCase):

    @mock.patch.object(api, 'node_list_all')
    def test_index(self, node_list_all):
        node_list_all.return_value = [
            api.Node({'uuid': 'u1', 'name': 'node1', 'project_id': 'p-a',
                      'state': 'allocated', 'power_state': 'on',
                      'bmc': {'driver': 'ipmi', 'address': '10.0.0.7',
                              'port': 623, 'username': 'admin'}}),
            api.Node({'uuid': 'u4', 'name': 'node4', 'project_id': None,
                      'state': 'free', 'power_state': None,
                      'bmc': {'driver': 'fake', 'address': None,
                              'port': None, 'username': None}})]
        res = self.client.get(INDEX_URL)
        self.assertEqual(['node1', 'node4'],
                         [n.name for n in res.context['table'].data])
        self.assertContains(res, 'ipmi 10.0.0.7:623')
        self.assertContains(res, 'p-a')
        self.assertContains(res, 'free')


class TestAdminNodesPanelAsMember(helpers.TestCase):

    @mock.patch.object(api, 'node_list_all')
    def test_refused(self, node_list_all):
        res = self.client.get(INDEX_URL)
        self.assertNotEqual(200, res.status_code)
        node_list_all.assert_not_called()
