"""Canned API answers and the base of the OSC command tests."""

import copy
from unittest import mock

from osc_lib.test import base as osc_base

from hil_os.osc import client
from hil_os.osc import imaging
from hil_os.osc import leases
from hil_os.osc import resources
from tests import base

NODE_UUID = '8cd79a54-a842-41a4-b827-205fbbe9014d'
NIC_UUID = '06eca85e-8bbb-408d-ba5e-d0d60461e580'
SWITCH_UUID = 'b91e3c30-6bd8-41dc-b6c1-e1b3c928077c'
PORT_UUID = '68789822-9807-4cc5-89a7-262892b5109c'
NETWORK_UUID = '13034562-4e09-4e74-80b2-cb80e4082f4a'
ACTION_UUID = 'ff3f3a1c-cff7-4077-9fbe-0963fd4d331d'
EVENT_UUID = 'c39566a3-b86e-4265-886c-13d6c2d53656'
CREATED = '2026-11-27T02:21:27'

NODE = {'uuid': NODE_UUID, 'name': 'node1', 'description': 'Demo node 1',
        'project_id': 'research-a', 'state': 'allocated',
        'power_state': 'off', 'created_at': CREATED, 'updated_at': None,
        'bmc': {'driver': 'fake', 'address': '127.0.0.1', 'port': 6231,
                'username': 'admin'}}
NIC = {'uuid': NIC_UUID, 'name': 'eth0', 'mac': '52:54:00:00:00:01',
       'node_uuid': NODE_UUID, 'created_at': CREATED, 'updated_at': None,
       'switch': 'sw1', 'port': 'p1'}
SWITCH = {'uuid': SWITCH_UUID, 'name': 'sw1', 'driver': 'fake',
          'device_type': 'fake', 'address': '127.0.0.1', 'ssh_port': 22,
          'username': 'admin', 'options': {'ngs_ovs_bridge': 'br0'},
          'created_at': CREATED, 'updated_at': None}
PORT = {'uuid': PORT_UUID, 'name': 'p1', 'switch_uuid': SWITCH_UUID,
        'sync_state': 'in_sync', 'attempts': 0, 'last_error': None,
        'created_at': CREATED, 'updated_at': None,
        'nic': {'uuid': NIC_UUID, 'name': 'eth0', 'node_uuid': NODE_UUID,
                'node_name': 'node1'}}
NETWORK = {'uuid': NETWORK_UUID, 'name': 'net1', 'project_id': 'research-a',
           'vlan': 1000, 'provider': False, 'created_at': CREATED,
           'updated_at': None}
ATTACHMENT = {'uuid': 'a1b2c3d4-0000-4000-8000-000000000001',
              'network_uuid': NETWORK_UUID, 'network_name': 'net1',
              'vlan': 1000, 'channel': 'access', 'status': 'active',
              'node_uuid': NODE_UUID, 'node_name': 'node1',
              'nic_uuid': NIC_UUID, 'nic_name': 'eth0',
              'created_at': CREATED, 'updated_at': None, 'error': None}
ACTION = {'uuid': ACTION_UUID, 'kind': 'attach', 'status': 'pending',
          'project_id': 'research-a', 'node_uuid': NODE_UUID,
          'nic_uuid': NIC_UUID, 'network_uuid': NETWORK_UUID,
          'details': {'nic': 'eth0', 'network': 'net1',
                      'channel': 'access', 'vlan': 1000},
          'message': None, 'created_at': CREATED, 'updated_at': None,
          'finished_at': None}
IMAGE_UUID = '47c36906-5987-481a-948b-4b01c7258b80'
DISK_UUID = '72336a64-e1f2-4892-8c3b-9faaa4138d43'
IMAGE = {'uuid': IMAGE_UUID, 'name': 'img1', 'description': None,
         'project_id': 'research-a', 'status': 'creating',
         'protected': False, 'backend': 'local', 'size': 10485760,
         'source': None, 'message': None, 'action_uuid': ACTION_UUID,
         'created_at': CREATED, 'updated_at': None}
DISK = {'uuid': DISK_UUID, 'name': 'node1-disk', 'project_id': 'research-a',
        'node_uuid': NODE_UUID, 'node_name': 'node1',
        'image_uuid': IMAGE_UUID, 'status': 'available', 'backend': 'local',
        'size': 10485760, 'message': None, 'action_uuid': None,
        'created_at': CREATED, 'updated_at': None}
EVENT = {'uuid': EVENT_UUID, 'created_at': CREATED,
         'event_type': 'node.assigned', 'resource_type': 'node',
         'resource_uuid': NODE_UUID, 'project_id': 'research-a',
         'message': 'Node node1 given to project research-a.',
         'details': {}}

MANAGERS = {'nodes': resources.Nodes, 'nics': resources.Nics,
            'switches': resources.Switches, 'ports': resources.Ports,
            'networks': resources.Networks, 'actions': resources.Actions,
            'events': resources.Events, 'consoles': resources.Consoles,
            'images': imaging.Images, 'disks': imaging.Disks,
            'leases': leases.Leases, 'quotas': leases.Quotas}


def fake(item, **changes):
    """A copy of a canned answer with some fields changed."""
    return dict(copy.deepcopy(item), **changes)


def fake_client():
    """A client whose managers are autospecced mocks; waits succeed."""
    hil = mock.create_autospec(client.Client, instance=True)
    for name, manager in MANAGERS.items():
        setattr(hil, name, mock.create_autospec(manager, instance=True))
    hil.clock = mock.Mock(return_value=0.0)
    hil.sleep = mock.Mock()
    hil.wait.side_effect = (
        lambda action, timeout, progress=None:
        dict(action, status='succeeded'))
    return hil


class TestCommand(base.TestCase, osc_base.TestCommand):
    """A test of one command class against a fake client."""

    use_db = False

    def setUp(self):
        super().setUp()
        self.hil = fake_client()
        self.app.client_manager.hil = self.hil

    def run_command(self, cmd_class, args, verify=()):
        """Parse ``args`` (checking ``verify``) and run the command."""
        cmd = cmd_class(self.app, None)
        parsed_args = self.check_parser(cmd, args, list(verify))
        return cmd.take_action(parsed_args)

    def assertParseFails(self, cmd_class, args):
        self.assertRaises(osc_base.ParserException, self.check_parser,
                          cmd_class(self.app, None), args, [])
