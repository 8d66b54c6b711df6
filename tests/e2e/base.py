"""End-to-end tests on the virtual lab: real VMs that hil-os drives.

Each test brings a lab up with ``hil-os lab up`` (its own directory, its
own hil-os on a free port) and down with ``hil-os lab down``, which must
leave nothing behind. Everything the tests do to the nodes goes through
hil-os's HTTP API; what they check is read from the lab itself: the
nodes' consoles through hil-os's Serial-over-LAN API, the BMCs with
ipmitool, the switch with ovs-vsctl, the target with a user-space
initiator on the provisioning network.
"""

import os
import re
import socket
import subprocess
import sys
import time

import fixtures
import testtools
import testtools.content

from hil_os.lab import lab
from hil_os.lab import packages
from hil_os.lab import register
from hil_os.lab import state as lab_state
from hil_os.lab import switch
from tests import iscsi

PROJECT_A, PROJECT_B = 'e2e-project-a', 'e2e-project-b'
ADMIN = {}
A_MEMBER = {'X-Project-Id': PROJECT_A, 'X-User-Id': 'alice',
            'X-Roles': 'member,reader'}
B_MEMBER = {'X-Project-Id': PROJECT_B, 'X-User-Id': 'bob',
            'X-Roles': 'member,reader'}


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Lab(fixtures.Fixture):
    """A lab brought up and down by the hil-os command itself."""

    def __init__(self, nodes=3, linux=False):
        super().__init__()
        self.nodes = nodes
        self.linux = linux

    def _hil_os(self, *args, timeout):
        binary = os.path.join(os.path.dirname(sys.executable), 'hil-os')
        return subprocess.run([binary, 'lab'] + list(args) + [
            '--dir', self.directory], capture_output=True, text=True,
            timeout=timeout, check=False)

    def _setUp(self):
        self.directory = self.useFixture(fixtures.TempDir()).path
        self.url = 'http://127.0.0.1:%d' % _free_port()
        self.addCleanup(self._down)
        argv = ['up', '--nodes', str(self.nodes), '--url', self.url,
                '--no-install']
        if not self.linux:
            argv.append('--no-linux')
        started = time.monotonic()
        result = self._hil_os(*argv, timeout=600)
        self.up_seconds = time.monotonic() - started
        self.up_output = result.stdout + result.stderr
        if result.returncode != 0:
            raise RuntimeError('hil-os lab up failed:\n%s' % self.up_output)
        self.state = lab_state.State(self.directory)
        self.api = register.Api(self.url)

    def _down(self):
        result = self._hil_os('down', timeout=120)
        left = lab.leftovers(lab_state.State(self.directory))
        if result.returncode != 0 or left:
            raise RuntimeError('hil-os lab down left %s:\n%s' % (
                left, result.stdout + result.stderr))

    def node(self, name):
        return self.state['nodes'][name]


class LabTestCase(testtools.TestCase):
    """A test on a lab of its own; helpers that use the API."""

    linux = False
    with_lab = True
    timeout = 400

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.Timeout(self.timeout, gentle=True))
        problem = None
        if os.geteuid() != 0:
            problem = 'the virtual lab needs root'
        elif packages.missing():
            problem = 'the virtual lab needs %s' % packages.command(
                packages.missing())
        if problem:
            if os.environ.get('HIL_OS_TEST_REQUIRE_PEERS') == '1':
                self.fail(problem)
            self.skipTest(problem)
        if self.with_lab:
            self.lab = self.useFixture(Lab(linux=self.linux))
            self.addOnException(self._attach_logs)

    def _attach_logs(self, exc_info):
        """On failure: what the nodes printed, and the lab's logs."""
        logs = {'%s serial.log' % name: os.path.join(
            node['dir'], 'serial.log')
            for name, node in self.lab.state['nodes'].items()}
        for name in ('hil-os.log', 'dnsmasq.log', 'relay.log',
                     'serialhub.log'):
            logs[name] = self.lab.state.path_of(name)
        for label, path in logs.items():
            try:
                with open(path, 'rb') as f:
                    f.seek(max(0, os.path.getsize(path) - 6000))
                    text = f.read().decode(errors='replace')
            except OSError as e:
                text = str(e)
            self.addDetail(label, testtools.content.text_content(text))

    def call(self, method, path, body=None, headers=ADMIN, ok=None):
        api = register.Api(self.lab.url, headers)
        return api.call(method, path, body,
                        **({'ok': ok} if ok else {}))[1]

    def wait(self, what, check, timeout=120, interval=0.2):
        deadline = time.monotonic() + timeout
        while True:
            value = check()
            if value:
                return value
            if time.monotonic() > deadline:
                self.fail('timed out after %s s waiting for %s'
                          % (timeout, what))
            time.sleep(interval)

    def act(self, method, path, body=None, headers=A_MEMBER, timeout=120):
        """Queue a node action; the finished action (it must succeed)."""
        action = self.call(method, path, body, headers)
        uuid = action.get('action_uuid') or action['uuid']

        def done():
            row = self.call('get', '/v1/actions/%s' % uuid, headers=headers)
            return row if row['status'] in ('succeeded', 'failed',
                                            'cancelled') else None
        row = self.wait('action %s' % uuid, done, timeout)
        self.assertEqual('succeeded', row['status'], row)
        return row

    def assign(self, node, project):
        self.call('put', '/v1/nodes/%s/project' % node,
                  {'project_id': project})

    def share(self, image, project):
        self.call('put', '/v1/images/%s/access/%s' % (image, project))

    def console(self, node, headers=A_MEMBER):
        """A console reader of ``node`` (opens it through the API)."""
        return Console(self, node, headers)

    def bmc_power(self, node):
        """The power state as the node's BMC answers ipmitool."""
        out = subprocess.run(
            ['ipmitool', '-I', 'lanplus', '-C', '3', '-H', '127.0.0.1',
             '-p', str(self.lab.node(node)['bmc_port']), '-U',
             lab_state.USER, '-P', lab_state.PASSWORD, 'power', 'status'],
            capture_output=True, text=True, timeout=30, check=True).stdout
        return out.strip()

    def port_vlans(self, node):
        """(vlan_mode, tag, trunks) of the node's data port, from OVSDB."""
        return switch.port_vlans(self.lab.state,
                                 self.lab.node(node)['data_port'])

    def login(self, node):
        """The iSCSI login in the node's boot script (None: no disk)."""
        api = register.Api(self.lab.url)
        status, script = api.call(
            'get', '/v1/boot/%s' % self.lab.node(node)['boot_mac'])
        return iscsi.parse_ipxe(script)


class Console:
    """Reads a node's console through hil-os's console API."""

    def __init__(self, test, node, headers):
        self.test = test
        self.token = test.call('post', '/v1/nodes/%s/console' % node,
                               headers=headers)['token']
        self.offset = 0
        self.text = ''

    def read(self, wait=2):
        api = register.Api(self.test.lab.url,
                           {'X-Console-Token': self.token})
        body = api.call('get', '/v1/console?offset=%d&wait=%d' % (
            self.offset, wait))[1]
        self.offset = body['offset']
        self.text += body['data']
        return body['data']

    def skip(self):
        """Forget what was printed so far."""
        while self.read(wait=0):
            pass
        self.text = ''

    def expect(self, pattern, timeout=90):
        """Read until ``pattern`` (a regex) appears; its match."""
        def seen():
            self.read()
            return re.search(pattern, self.text)
        return self.test.wait('%r on the console' % pattern, seen, timeout,
                              interval=0)
