"""``openstack hil`` --wait against an API whose fake switch misbehaves."""

import os
import pty
import select
import subprocess
import time

from hil_os.common import exception
from hil_os.drivers.power import fake as fake_power
from hil_os.drivers.switch import fake as fake_switch
from tests import factories
from tests.functional.osc import base

MEMBER = 'member,reader'
PROJECT = 'project-w'


class TestWaitForActions(base.CliTestCase):

    use_db = True

    def setUp(self):
        super().setUp()
        self.config.config(sync_interval=0.2, retry_backoff=0.5,
                           switch_max_attempts=3, group='conductor')
        self.url = self.useFixture(base.InProcessServer()).url
        self.switch = factories.create_test_switch()
        self.node, self.nic, self.port = factories.create_cabled_node(
            project_id=PROJECT, switch=self.switch)
        factories.create_test_network(PROJECT, name='net')
        # Let the conductor park the new port before faults are injected.
        path = '/v1/switches/%s/ports/%s' % (self.switch.name,
                                             self.port.name)
        for _attempt in range(100):
            if self.api('GET', path)['sync_state'] == 'in_sync':
                break
            time.sleep(0.1)

    def attach_args(self, *extra):
        return ('hil', 'nic', 'attach', '--node', self.node.name,
                '--network', 'net', self.nic.name, '--wait', *extra)

    def test_failed_action_exits_non_zero_with_its_message(self):
        fake_switch.inject_fault(self.switch.name, exception.SwitchError(
            switch=self.switch.name, reason='port is shut down'))
        result = self.openstack(*self.attach_args('-f', 'json'),
                                project=PROJECT, roles=MEMBER, rc=1)
        self.assertEqual('', result.stdout)
        self.assertRegex(result.stderr,
                         r'^Action [0-9a-f-]{36} \(attach\) failed: Switch '
                         r'%s: port is shut down\n$' % self.switch.name)
        # The admin gives the failed port another go; the fault is gone.
        action = self.openstack('hil', 'port', 'retry', '--switch',
                                self.switch.name, self.port.name, '--wait',
                                '-f', 'json').json()
        self.assertEqual(('port_retry', 'succeeded'),
                         (action['kind'], action['status']))

    def test_failed_power_action(self):
        fake_power.bmc('127.0.0.1', self.node.bmc_port).reachable = False
        result = self.openstack('hil', 'node', 'power', 'on', self.node.name,
                                '--wait', project=PROJECT, roles=MEMBER,
                                rc=1)
        self.assertEqual('', result.stdout)
        self.assertRegex(result.stderr,
                         r'^Action [0-9a-f-]{36} \(power_on\) failed: .+')

    def test_timeout(self):
        fake_switch.inject_fault(self.switch.name, exception.SwitchUnreachable,
                                 times=100)
        self.config.config(retry_backoff=30, group='conductor')
        result = self.openstack(*self.attach_args('--timeout', '1'),
                                project=PROJECT, roles=MEMBER, rc=1)
        self.assertRegex(result.stderr, r'is still (pending|running) after '
                                        r'1 s; follow it with "openstack hil '
                                        r'action show [0-9a-f-]{36}"')

    def tty_run(self, *args):
        """Run ``openstack`` with stderr on a terminal: (rc, out, err)."""
        master, slave = pty.openpty()
        process = subprocess.Popen(
            [os.path.join(base.BIN, 'openstack'), *args],
            env=self.env(PROJECT, MEMBER), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        err = b''
        while True:
            ready, _w, _x = select.select([master], [], [], 30)
            try:
                chunk = os.read(master, 4096) if ready else b''
            except OSError:
                chunk = b''
            if not chunk:
                break
            err += chunk
        os.close(master)
        out = process.stdout.read().decode()
        process.stdout.close()
        return process.wait(30), out, err.decode()

    def test_progress_on_a_terminal_only_for_table_output(self):
        fake_switch.inject_fault(self.switch.name, exception.SwitchUnreachable,
                                 times=1)
        rc, out, err = self.tty_run(*self.attach_args())
        self.assertEqual(0, rc, err)
        self.assertRegex(err, r'\rAction [0-9a-f-]{36} \(attach\): pending ')
        self.assertIn('succeeded', out)
        self.openstack('hil', 'nic', 'detach', '--node', self.node.name,
                       '--network', 'net', self.nic.name, '--wait',
                       project=PROJECT, roles=MEMBER)
        fake_switch.inject_fault(self.switch.name, exception.SwitchUnreachable,
                                 times=1)
        rc, out, err = self.tty_run(*self.attach_args('-f', 'json'))
        self.assertEqual((0, ''), (rc, err))
        self.assertIn('"status": "succeeded"', out)
