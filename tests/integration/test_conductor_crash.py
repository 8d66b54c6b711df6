"""A real conductor process killed with SIGKILL mid-work loses nothing.

The API (in this process) sends kicks over RabbitMQ to hil-os-conductor
processes that drive a real Open vSwitch through the ngs driver; the
database is MariaDB, shared by both. The first conductor is killed while
attaches are being requested and applied; a second one takes its claim
over once the first one's heartbeat is stale, and everything converges:
every action succeeds exactly once and OVS holds exactly what the
database wants.
"""

import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid

import fixtures
import webtest

from hil_os.api import app as api_app
from hil_os.common import rpc
from hil_os.conductor import rpcapi
from hil_os.db import api as dbapi
from tests import base
from tests.integration import switch_peers

RABBIT_URL = os.environ.get('HIL_OS_TEST_RABBIT_URL',
                            'rabbit://guest:guest@127.0.0.1:5672/')
NODES = 24


class ConductorProcessTestCase(base.TestCase):
    """The API in this process, hil-os-conductor processes over RabbitMQ."""

    db_engine = 'mysql'

    def setUp(self):
        super().setUp()
        self.ovs = switch_peers.Ovs(self)
        self.topic = 'hil-os-test-%s' % uuid.uuid4().hex[:12]
        self.config.config(transport_url=RABBIT_URL)
        self.config.config(topic=self.topic, group='conductor')
        self.config.config(enabled_drivers=['fake', 'ngs'], group='switch')
        rpc.cleanup()
        self.addCleanup(rpc.cleanup)
        self.app = webtest.TestApp(api_app.setup_app(rpcapi.ConductorAPI()))
        self.workdir = self.useFixture(fixtures.TempDir()).path

    def request(self, method, path, body=None, status=None):
        resp = self.app.request(
            path, method=method.upper(), headers=base.ADMIN,
            expect_errors=True, content_type='application/json',
            body=None if body is None else
            json.dumps(body).encode())
        if status is not None:
            self.assertEqual(status, resp.status_int, resp.text)
        return resp.json if resp.text else None

    def start_conductor(self, hostname, extra=()):
        """Start a conductor; ``extra`` lines end its config file."""
        config = os.path.join(self.workdir, '%s.conf' % hostname)
        with open(config, 'w') as f:
            f.write('\n'.join([
                '[DEFAULT]', 'host = %s' % hostname,
                'transport_url = %s' % RABBIT_URL,
                'state_path = %s' % self.workdir,
                'log_file = %s' % os.path.join(self.workdir,
                                               '%s.log' % hostname),
                '[database]', 'connection = %s' % self.db.url,
                '[secrets]', 'key = %s' % base.TEST_KEY,
                '[switch]', 'enabled_drivers = fake,ngs',
                'ssh_timeout = 5',
                '[conductor]', 'topic = %s' % self.topic,
                'sync_interval = 0.3', 'heartbeat_interval = 1',
                'heartbeat_timeout = 3', 'claim_timeout = 60',
                'retry_backoff = 0.2', 'switch_audit_interval = 0'] +
                list(extra) + ['']))
        process = subprocess.Popen(
            [os.path.join(os.path.dirname(sys.executable),
                          'hil-os-conductor'), '--config-file', config],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(self._stop, process)
        return process

    def _stop(self, process):
        if process.poll() is None:
            process.kill()
            process.wait()

    def wait_for(self, predicate, timeout=60, what='condition'):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.2)
        self.fail('timed out waiting for %s' % what)


class TestConductorSigkill(ConductorProcessTestCase):

    def test_sigkill_mid_work_converges(self):
        switch = self.request('post', '/v1/switches',
                              self.ovs.switch_body(), status=201)
        nodes = []
        for i in range(NODES):
            port = self.ovs.add_port()
            self.request('post', '/v1/switches/%s/ports' % switch['uuid'],
                         {'name': port}, status=201)
            node = self.request('post', '/v1/nodes', {
                'name': 'crash-node-%d-%s' % (i, uuid.uuid4().hex[:6]),
                'bmc': {'driver': 'fake'}}, status=201)
            nic = self.request('post', '/v1/nodes/%s/nics' % node['uuid'], {
                'name': 'eth0', 'mac': '52:54:02:%02x:%02x:%02x' % (
                    random.randrange(256), random.randrange(256), i),
                'switch': switch['uuid'], 'port': port}, status=201)
            self.request('put', '/v1/nodes/%s/project' % node['uuid'],
                         {'project_id': base.PROJECT_A}, status=200)
            nodes.append((node, nic, port))
        networks = [self.request('post', '/v1/networks', {
            'name': 'crash-net-%d' % i, 'project_id': base.PROJECT_A},
            status=201) for i in range(3)]

        first = self.start_conductor('crash-a-%s' % uuid.uuid4().hex[:6])
        actions = []
        kill_after = random.randint(NODES // 4, NODES // 2)
        for i, (node, nic, port) in enumerate(nodes):
            actions.append(self.request(
                'post', '/v1/nodes/%s/nics/%s/attachments' % (
                    node['uuid'], nic['uuid']),
                {'network': networks[i % 3]['uuid']}, status=202))
            if i == kill_after:
                # Let it get going, then kill it wherever it is.
                self.wait_for(lambda: self._statuses(actions).get(
                    'succeeded'), what='the first conductor to start work')
                time.sleep(random.uniform(0, 0.3))
                first.send_signal(signal.SIGKILL)
                first.wait()
        killed_with = self._statuses(actions)
        self.assertTrue(killed_with.get('pending'),
                        'the kill came after all work was done: %s' %
                        killed_with)

        self.start_conductor('crash-b-%s' % uuid.uuid4().hex[:6])
        self.wait_for(lambda: self._statuses(actions) ==
                      {'succeeded': NODES}, timeout=90,
                      what='all actions to succeed after the kill')
        # Nothing done twice: one "done" event per action.
        events = self.request('get', '/v1/events?type=attachment.attach_done'
                              '&limit=1000', status=200)['events']
        done = sorted(e['details']['action'] for e in events)
        self.assertEqual(sorted(a['uuid'] for a in actions), done)
        # The switch holds exactly what the database wants.
        for i, (node, nic, port) in enumerate(nodes):
            self.assertEqual(('access', networks[i % 3]['vlan'], []),
                             self.ovs.port_vlans(port))
        ports = self.request('get', '/v1/switches/%s/ports?limit=1000' %
                             switch['uuid'], status=200)['ports']
        self.assertEqual({'in_sync'}, {p['sync_state'] for p in ports})

    def _statuses(self, actions):
        counts = {}
        for action in actions:
            status = dbapi.action_get(action['uuid']).status
            counts[status] = counts.get(status, 0) + 1
        return counts
