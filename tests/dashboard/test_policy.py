"""Actions follow hil-os's policy once Horizon has it (POLICY_FILES)."""

import os
import shutil
import tempfile
from unittest import mock

from django.conf import settings
from django.test.utils import override_settings
from django.urls import reverse
from openstack_auth import policy
import yaml

from hil_os.common import policy as hil_policy
from hil_os_dashboard import api
from tests.dashboard import helpers
from tests.dashboard import test_leases
from tests.dashboard import test_nodes

NODES_URL = reverse('horizon:project:hil_nodes:index')


class PolicyTestCase(helpers.TestCase):
    """hil-os's default rules as the policy file of the service."""

    role_names = ('member', 'reader')

    def setUp(self):
        state = tempfile.mkdtemp(prefix='hil-os-dashboard-policy-')
        self.addCleanup(shutil.rmtree, state)
        # What "oslopolicy-policy-generator --namespace hil_os.api" writes.
        path = os.path.join(state, 'hil_os_policy.yaml')
        with open(path, 'w') as f:
            yaml.safe_dump({r.name: r.check_str
                            for r in hil_policy.list_rules()}, f)
        files = dict(settings.POLICY_FILES, **{api.SERVICE_TYPE: path})
        # Horizon's test settings turn policy checks off; turn them on.
        override = override_settings(
            POLICY_FILES=files,
            POLICY_CHECK_FUNCTION='openstack_auth.policy.check')
        override.enable()
        self.addCleanup(override.disable)
        policy.reset()
        self.addCleanup(policy.reset)
        super().setUp()
        for name, value in (('node_list', test_nodes.nodes()),
                            ('lease_list', [test_leases.lease()])):
            patcher = mock.patch.object(api, name, return_value=value)
            self.addCleanup(patcher.stop)
            patcher.start()

    def _setup_user(self, **kwargs):
        super()._setup_user(roles=[{'id': r, 'name': r}
                                   for r in self.role_names], **kwargs)

    def _row_actions(self, url, table):
        res = self.client.get(url)
        table = res.context[table]
        return [sorted(a.name for a in table.get_row_actions(datum))
                for datum in table.data]


class TestMember(PolicyTestCase):

    def test_member_may_act(self):
        self.assertEqual(
            [['attach', 'boot_device', 'power_cycle', 'power_off',
              'power_on']] * 2,
            self._row_actions(NODES_URL, 'nodes_table'))
        self.assertEqual([['extend']], self._row_actions(
            reverse('horizon:project:hil_leases:index'), 'table'))


class TestReader(PolicyTestCase):

    role_names = ('reader',)

    def test_reader_sees_no_action(self):
        self.assertEqual([[], []],
                         self._row_actions(NODES_URL, 'nodes_table'))
        self.assertEqual([[]], self._row_actions(
            reverse('horizon:project:hil_nodes:index'), 'attachments_table'))
        self.assertEqual([[]], self._row_actions(
            reverse('horizon:project:hil_leases:index'), 'table'))

    @mock.patch.object(api, 'node_set_power')
    def test_reader_may_not_power_on(self, set_power):
        self.client.post(NODES_URL, {'action': 'nodes__power_on__u-node1'})
        set_power.assert_not_called()
