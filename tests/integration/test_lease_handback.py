"""A lease expires on a node in full use, against real peers.

The node's BMC is an ipmi_sim (tests/lab/peer-ipmisim.sh, BMCs 6 and 7),
its NIC is cabled to a real Open vSwitch over SSH (peer-ovs.sh) and its
disk is exported by a real tgtd (peer-tgtd.sh). A threaded conductor runs
the lease engine in its periodic sweep on the real clock. Everything
afterwards is read from the peers themselves: ipmitool asks the BMC,
ovs-vsctl reads the port, a qemu initiator logs in to the target.
"""

import datetime
import os
import subprocess
import time

from oslo_utils import timeutils

from hil_os.common import states
from tests import base
from tests.integration import switch_peers
from tests.integration import test_local_backend
from tests.integration import test_power_ipmi
from tests import iscsi

MIB = 1024 * 1024
PARKED = ('access', 4000, [])
BMC_A, BMC_B = 6, 7


def iso(when):
    return when.isoformat(timespec='seconds') + 'Z'


class TestLeaseHandback(test_power_ipmi.IpmiTestCase):

    def setUp(self):
        super().setUp()
        self.ovs = switch_peers.Ovs(self)
        self.images_dir = test_local_backend.tgtd_config(self)
        self.config.config(enabled_drivers=['fake', 'ngs'], ssh_timeout=5,
                           connect_retry_timeout=3, group='switch')
        self.config.config(handback_poll_interval=0.05,
                           handback_switch_timeout=60, group='lease')
        if len(self.bmcs) <= BMC_B:
            self.fail('peer-ipmisim.sh started %d BMCs; this test needs %d'
                      % (len(self.bmcs), BMC_B + 1))
        self.switch = self.request('post', '/v1/switches',
                                   self.ovs.switch_body(), status=201).json

    # Set-up through the API, as an operator and a project would.

    def register_node(self, index):
        address, port = self.bmcs[index]
        name = switch_peers.unique('lease-n')
        self.request('post', '/v1/nodes', {'name': name, 'bmc': {
            'driver': 'ipmi', 'address': address, 'port': int(port),
            'username': os.environ['HIL_OS_IPMISIM_USER'],
            'password': os.environ['HIL_OS_IPMISIM_PASSWORD']}}, status=201)
        self.set_chassis(index, 'power', '0')
        port_name = self.ovs.add_port()
        self.request('post', '/v1/switches/%s/ports' % self.switch['uuid'],
                     {'name': port_name}, status=201)
        nic = self.request('post', '/v1/nodes/%s/nics' % name, {
            'name': 'eth0', 'mac': self.mac(), 'switch': self.switch['uuid'],
            'port': port_name}, status=201).json
        return name, nic, port_name

    @staticmethod
    def mac():
        n = int.from_bytes(os.urandom(3), 'big')
        return '52:54:02:%02x:%02x:%02x' % (n >> 16, (n >> 8) & 255, n & 255)

    def wait(self, what, check, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            value = check()
            if value:
                return value
            self.assertLess(time.monotonic(), deadline, 'waiting for %s'
                            % what)
            time.sleep(0.1)

    def lease(self, uuid):
        return self.request('get', '/v1/leases/%s' % uuid, status=200,
                            headers=base.A_READER).json

    def lease_node(self, name, seconds):
        now = timeutils.utcnow()
        lease = self.request('post', '/v1/leases', {
            'project_id': base.PROJECT_A, 'node': name, 'start': iso(now),
            'end': iso(now + datetime.timedelta(seconds=seconds))},
            status=201).json
        self.wait('lease %s to start' % lease['uuid'],
                  lambda: self.lease(lease['uuid'])['state'] == 'active')
        return lease

    def import_image(self):
        self.payload = os.urandom(2 * MIB) + b'\0' * (2 * MIB)
        source = os.path.join(self.images_dir, 'source.raw')
        with open(source, 'wb') as f:
            f.write(self.payload)
        image = self.request('post', '/v1/images',
                             {'name': switch_peers.unique('img-'),
                              'source': source}, status=202,
                             headers=base.A_MEMBER).json
        self.wait('the image', lambda: self.request(
            'get', '/v1/images/%s' % image['uuid'], status=200,
            headers=base.A_MEMBER).json['status'] == 'available')
        return image

    def login(self, mac):
        script = self.request('get', '/v1/boot/%s' % mac, status=200,
                              headers={}).text
        return iscsi.parse_ipxe(script)

    def bmc_reports(self, index):
        """The power state as the BMC itself answers ipmitool."""
        address, port = self.bmcs[index]
        out = subprocess.run(
            ['ipmitool', '-I', 'lanplus', '-C', '3', '-H', address, '-p',
             port, '-U', os.environ['HIL_OS_IPMISIM_USER'], '-P',
             os.environ['HIL_OS_IPMISIM_PASSWORD'], 'power', 'status'],
            capture_output=True, text=True, timeout=30, check=True).stdout
        return out.strip()

    def test_expired_lease_hands_the_node_back_and_the_disk_resumes(self):
        image = self.import_image()
        node_a, nic_a, port_a = self.register_node(BMC_A)
        node_b, nic_b, port_b = self.register_node(BMC_B)
        lease = self.lease_node(node_a, seconds=600)

        # The project uses the node: a network, its disk, data written.
        net = self.request('post', '/v1/networks',
                           {'name': switch_peers.unique('net-')},
                           status=201, headers=base.A_MEMBER).json
        attach = self.act('post', '/v1/nodes/%s/nics/%s/attachments' % (
            node_a, nic_a['uuid']), {'network': net['uuid']}, timeout=60)
        self.assertEqual('succeeded', attach['status'], attach)
        self.assertEqual(('access', net['vlan'], []),
                         self.ovs.port_vlans(port_a))
        provisioned = self.act('post', '/v1/nodes/%s/provision' % node_a,
                               {'image': image['uuid']}, timeout=60)
        self.assertEqual('succeeded', provisioned['status'], provisioned)
        self.assertEqual('Chassis Power is on', self.bmc_reports(BMC_A))
        login = self.login(nic_a['mac'])
        iscsi.write_pattern(login, 0x5a, MIB, MIB)
        console = self.request('post', '/v1/nodes/%s/console' % node_a,
                               status=201, headers=base.A_MEMBER).json

        # The lease runs out: the member moves its end to a moment away.
        end = timeutils.utcnow() + datetime.timedelta(seconds=2)
        self.request('patch', '/v1/leases/%s' % lease['uuid'],
                     {'end': iso(end)}, status=200, headers=base.A_MEMBER)
        ended = self.wait('the hand-back', lambda: (
            lambda body: body if body['state'] != 'active' and
            body['nodes'][0]['state'] != 'releasing' else None)(
            self.lease(lease['uuid'])), timeout=120)
        self.assertEqual(('expired', [(node_a, 'released')]),
                         (ended['state'], [(n['name'], n['state'])
                                           for n in ended['nodes']]),
                         ended['message'])

        # Read back from the peers themselves.
        self.assertEqual('Chassis Power is off', self.bmc_reports(BMC_A))
        self.assertEqual(PARKED, self.ovs.port_vlans(port_a))
        refused = self.assertRaises(iscsi.LoginRefused, iscsi.read_all,
                                    login)
        self.assertNotIn(login.password, str(refused))
        self.assertIsNone(self.login(nic_a['mac']))
        node = self.request('get', '/v1/nodes/%s' % node_a, status=200).json
        self.assertEqual(('free', None), (node['state'], node['project_id']))
        self.request('get', '/v1/console', status=401,
                     headers={'X-Console-Token': console['token']})
        events = [e['event_type'] for e in self.request(
            'get', '/v1/events?resource=%s&limit=1000' % node['uuid'],
            status=200).json['events']]
        steps = [e for e in events if e.startswith('node.handback_')]
        self.assertEqual(['node.handback_started'] + [
            'node.handback_%s_done' % s for s in states.HANDBACK_STEPS],
            steps)
        self.assertEqual('node.release_done', events[-1])

        # The disk stayed the project's; a new lease resumes it elsewhere.
        disk, = [d for d in self.request(
            'get', '/v1/disks', status=200,
            headers=base.A_MEMBER).json['disks']
            if d['image_uuid'] == image['uuid']]
        self.assertEqual(('available', None),
                         (disk['status'], disk['node_uuid']))
        second = self.lease_node(node_b, seconds=600)
        resumed = self.act('post', '/v1/nodes/%s/provision' % node_b,
                           {'disk': disk['name']}, timeout=60)
        self.assertEqual('succeeded', resumed['status'], resumed)
        self.assertEqual('Chassis Power is on', self.bmc_reports(BMC_B))
        login_b = self.login(nic_b['mac'])
        self.assertNotEqual(login.password, login_b.password)
        self.assertTrue(iscsi.has_pattern(login_b, 0x5a, MIB, MIB))
        self.assertEqual(self.payload[:MIB], iscsi.read_all(login_b, MIB))
        self.assertRaises(iscsi.LoginRefused, iscsi.read_all, login)

        # Clean up: the disk goes, the second lease is cancelled.
        gone = self.act('post', '/v1/nodes/%s/deprovision' % node_b,
                        {'delete_disk': True}, timeout=60)
        self.assertEqual('succeeded', gone['status'], gone)
        self.request('delete', '/v1/leases/%s' % second['uuid'], status=202)
        self.wait('the second hand-back', lambda: self.request(
            'get', '/v1/nodes/%s' % node_b, status=200).json['state'] ==
            'free', timeout=120)
        self.assertEqual(PARKED, self.ovs.port_vlans(port_b))
        self.assertEqual('Chassis Power is off', self.bmc_reports(BMC_B))
