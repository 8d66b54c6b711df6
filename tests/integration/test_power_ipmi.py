"""Power, boot device, console and sync against real IPMI BMCs (ipmi_sim).

tests/lab/peer-ipmisim.sh starts the BMCs; each test drives its own BMC
(by index) through the API, with a threaded conductor, and checks what
the BMC's chassis-control script recorded.
"""

import logging
import os
import signal
import socket
import threading
import time

import fixtures
import oslo_messaging as messaging
from oslo_messaging.notify import _impl_test
from pyghmi.ipmi.private import session as pyghmi_session

from hil_os.common import exception
from hil_os import conf
from hil_os.drivers.power import ipmi
from tests import base
from tests import fixtures as hil_fixtures

CONF = conf.CONF


class IpmiTestCase(base.ApiTestCase):
    """The API with a threaded conductor and the ipmi driver enabled."""

    def setUp(self):
        base.TestCase.setUp(self)
        bmcs = base.require_peer(self, 'HIL_OS_IPMISIM_BMCS',
                                 'ipmi_sim BMCs (tests/lab/peer-ipmisim.sh)')
        self.bmcs = [b.split(':') for b in bmcs.split(',')]
        self.consoles = os.environ['HIL_OS_IPMISIM_CONSOLES'].split(',')
        self.simdir = os.environ['HIL_OS_IPMISIM_DIR']
        self.config.config(enabled_drivers=['fake', 'ipmi'],
                           poll_interval=0.05, power_timeout=10,
                           soft_off_timeout=10, bmc_timeout=2,
                           sync_interval=0, group='power')
        self.config.config(sync_interval=0.2, group='conductor')
        self.config.config(flush_interval=0.05, group='console')
        self.conductor = self.useFixture(hil_fixtures.Conductor(
            threaded=True))
        self.app = self.useFixture(hil_fixtures.Api(self.conductor)).app

    def register(self, index, project=base.PROJECT_A, user=None,
                 password=None):
        """Register node<index> on BMC <index> and give it to a project."""
        address, port = self.bmcs[index]
        name = 'ipmi-node%d' % index
        self.request('post', '/v1/nodes', {'name': name, 'bmc': {
            'driver': 'ipmi', 'address': address, 'port': int(port),
            'username': user or os.environ['HIL_OS_IPMISIM_USER'],
            'password': password or os.environ['HIL_OS_IPMISIM_PASSWORD']}},
            status=201)
        if project:
            self.request('put', '/v1/nodes/%s/project' % name,
                         {'project_id': project}, status=200)
        self.set_chassis(index, 'power', '0')
        return name

    def chassis(self, index, what):
        path = os.path.join(self.simdir, 'node%d' % index, 'chassis', what)
        try:
            with open(path) as f:
                return f.read()
        except FileNotFoundError:
            return ''

    def set_chassis(self, index, what, value):
        """Change the simulated machine behind hil-os's back."""
        path = os.path.join(self.simdir, 'node%d' % index, 'chassis', what)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(value + '\n')

    def act(self, method, path, body, headers=base.A_MEMBER, timeout=20):
        """Queue an action through the API and wait for its end."""
        resp = self.request(method, path, body, status=202, headers=headers)
        deadline = time.monotonic() + timeout
        while True:
            action = self.request('get', resp.location, status=200,
                                  headers=headers).json
            if action['status'] in ('succeeded', 'failed'):
                return action
            self.assertLess(time.monotonic(), deadline, action)
            time.sleep(0.05)


class TestPowerOperations(IpmiTestCase):

    def test_every_operation_end_to_end(self):
        node = self.register(0)
        power = '/v1/nodes/%s/power' % node
        self.set_chassis(0, 'events', '')
        for target, chassis_power, logged in (
                ('on', '1', 'set power 1'), ('reboot', '1', 'set power 1'),
                ('off', '0', 'set power 0'), ('on', '1', 'set power 1'),
                ('soft_off', '0', 'set shutdown 1')):
            action = self.act('put', power, {'target': target})
            self.assertEqual('succeeded', action['status'], action)
            self.assertEqual(chassis_power, self.chassis(0, 'power').strip())
            self.assertIn(logged, self.chassis(0, 'events').splitlines()[-1])
            state = self.request('get', power, status=200,
                                 headers=base.A_READER).json
            self.assertEqual('on' if chassis_power == '1' else 'off',
                             state['power_state'])
        events = [line.split(' ', 1)[1] for line in
                  self.chassis(0, 'events').splitlines() if line]
        self.assertEqual(['set power 1', 'set power 0', 'set power 1',
                          'set power 0', 'set power 1', 'set shutdown 1'],
                         events)
        action = self.act('put', '/v1/nodes/%s/boot_device' % node,
                          {'device': 'pxe', 'persistent': True})
        self.assertEqual('succeeded', action['status'], action)
        self.assertEqual('pxe', self.chassis(0, 'boot').strip())
        action = self.act('put', '/v1/nodes/%s/boot_device' % node,
                          {'device': 'disk'})
        self.assertEqual('succeeded', action['status'], action)
        # ipmi_sim names IPMI's "force boot from default hard drive" so.
        self.assertEqual('default', self.chassis(0, 'boot').strip())
        self.assertEqual(('disk', False), (
            self.request('get', power, status=200).json['boot_device'],
            self.request('get', power, status=200).json['boot_persistent']))

    def test_sync_notices_a_change_made_outside(self):
        messaging.get_notification_transport(CONF)
        self.config.config(driver=['test'],
                           group='oslo_messaging_notifications')
        _impl_test.reset()
        self.addCleanup(_impl_test.reset)
        node = self.register(1)
        self.conductor.manager.power_sync.run()
        self.set_chassis(1, 'power', '1')
        summary = self.conductor.manager.power_sync.run()
        self.assertEqual(1, summary['changed'])
        self.assertEqual('on', self.request(
            'get', '/v1/nodes/%s/power' % node, status=200,
            headers=base.A_READER).json['power_state'])
        events = self.request('get', '/v1/events?type=node.power_state.'
                              'changed', status=200,
                              headers=base.A_READER).json['events']
        self.assertEqual('on', events[-1]['details']['power_state'])
        sent = [m['payload'] for _c, m, _p, _r in _impl_test.NOTIFICATIONS
                if m['event_type'] == 'hil_os.node.power_state.changed']
        self.assertEqual(('off', 'on'), (sent[-1]['previous'],
                                         sent[-1]['power_state']))


class TestConsole(IpmiTestCase):

    def test_sol_carries_output_and_typed_text_through_hil_os(self):
        node = self.register(1)
        issued = self.request('post', '/v1/nodes/%s/console' % node,
                              status=201, headers=base.A_MEMBER).json
        headers = {'X-Console-Token': issued['token']}
        deadline = time.monotonic() + 10
        while not self.request('get', '/v1/nodes/%s/console' % node,
                               status=200).json['session_open']:
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.1)
        host, port = self.consoles[1].split(':')
        serial = socket.create_connection((host, int(port)), timeout=5)
        self.addCleanup(serial.close)
        marker = 'HILTEST-%s' % issued['uuid']
        received, offset = '', 0
        while marker not in received:
            self.assertLess(time.monotonic(), deadline + 10, received)
            # SOL drops output until the session is active: repeat it.
            serial.sendall(('%s\r\n' % marker).encode())
            page = self.request('get', '/v1/console?offset=%d&wait=1' %
                                offset, status=200, headers=headers).json
            received, offset = received + page['data'], page['offset']
        log = self.request('get', '/v1/nodes/%s/console' % node, status=200,
                           headers=base.A_MEMBER).json['log']
        self.assertIn(marker, log)
        # Typed through hil-os: conductor, SOL, BMC, the node's serial line.
        typed = 'typed-%s\r' % issued['uuid']
        self.request('post', '/v1/console', {'data': typed}, status=202,
                     headers=headers)
        line = b''
        serial.settimeout(1)
        while typed.encode() not in line:
            self.assertLess(time.monotonic(), deadline + 20,
                            'not on the serial line: %r' % line)
            try:
                line += serial.recv(4096)
            except socket.timeout:
                pass
        self.request('delete', '/v1/nodes/%s/console' % node, status=204,
                     headers=base.A_MEMBER)
        self.request('get', '/v1/console', status=401, headers=headers)


class TestFailures(IpmiTestCase):

    def test_bmc_that_stops_answering_mid_run(self):
        dead = self.register(2)
        alive = self.register(3, user=os.environ['HIL_OS_IPMISIM_USER'])
        action = self.act('put', '/v1/nodes/%s/power' % dead,
                          {'target': 'on'})
        self.assertEqual('succeeded', action['status'], action)
        with open(os.path.join(self.simdir, 'node2', 'pid')) as f:
            pid = int(f.read())
        os.kill(pid, signal.SIGSTOP)
        self.addCleanup(os.kill, pid, signal.SIGCONT)
        started = time.monotonic()
        action = self.act('put', '/v1/nodes/%s/power' % dead,
                          {'target': 'off'})
        self.assertEqual('failed', action['status'])
        self.assertIn('unreachable', action['message'])
        self.assertLess(time.monotonic() - started, 8)
        # The other BMC is unaffected, in actions and in the sync.
        action = self.act('put', '/v1/nodes/%s/power' % alive,
                          {'target': 'on'})
        self.assertEqual('succeeded', action['status'], action)
        started = time.monotonic()
        self.conductor.manager.power_sync.run()
        self.assertLess(time.monotonic() - started, 4)
        states = {n['name']: n['power_state'] for n in self.request(
            'get', '/v1/nodes', status=200).json['nodes']}
        self.assertEqual({dead: 'error', alive: 'on'}, states)
        os.kill(pid, signal.SIGCONT)
        deadline = time.monotonic() + 40
        while True:     # pyghmi ends the lost session, then logs in again
            action = self.act('put', '/v1/nodes/%s/power' % dead,
                              {'target': 'off'})
            if action['status'] == 'succeeded':
                break
            self.assertLess(time.monotonic(), deadline, action)
            time.sleep(1)
        self.assertEqual('0', self.chassis(2, 'power').strip())

    def test_wrong_credentials(self):
        node = self.register(3, password='wrong-password')
        action = self.act('put', '/v1/nodes/%s/power' % node,
                          {'target': 'on'})
        self.assertEqual('failed', action['status'])
        self.assertIn('refused the stored credentials', action['message'])
        self.assertNotIn('wrong-password', action['message'])
        self.conductor.manager.power_sync.run()
        state = self.request('get', '/v1/nodes/%s/power' % node,
                             status=200).json
        self.assertEqual('error', state['power_state'])
        self.assertIn('refused', state['power_error'])

    def test_other_project_gets_404(self):
        node = self.register(4, project=base.PROJECT_A)
        before = self.chassis(4, 'events')
        for method, path, body in (
                ('get', '/v1/nodes/%s/power', None),
                ('put', '/v1/nodes/%s/power', {'target': 'on'}),
                ('put', '/v1/nodes/%s/boot_device', {'device': 'pxe'}),
                ('post', '/v1/nodes/%s/console', None),
                ('get', '/v1/nodes/%s/console', None)):
            self.request(method, path % node, body, status=404,
                         headers=base.B_MEMBER)
        self.assertEqual(before, self.chassis(4, 'events'))
        action = self.act('put', '/v1/nodes/%s/power' % node,
                          {'target': 'on'})
        self.assertEqual('succeeded', action['status'], action)


class TestSecretsStayOutOfLogs(IpmiTestCase):

    def test_full_run_never_logs_the_bmc_password(self):
        logger = self.useFixture(fixtures.FakeLogger(
            level=logging.DEBUG, format='%(levelname)s %(name)s %(message)s'))
        messaging.get_notification_transport(CONF)
        self.config.config(driver=['test'],
                           group='oslo_messaging_notifications')
        _impl_test.reset()
        self.addCleanup(_impl_test.reset)
        secret = os.environ['HIL_OS_IPMISIM_SECRET']
        node = self.register(5, user=os.environ['HIL_OS_IPMISIM_SECRET_USER'],
                             password=secret)
        bodies = []
        for target in ('on', 'reboot', 'off'):
            action = self.act('put', '/v1/nodes/%s/power' % node,
                              {'target': target})
            self.assertEqual('succeeded', action['status'], action)
            bodies.append(action)
        bodies.append(self.act('put', '/v1/nodes/%s/boot_device' % node,
                               {'device': 'pxe'}))
        bodies.append(self.request('post', '/v1/nodes/%s/console' % node,
                                   status=201).json)
        self.conductor.manager.power_sync.run()
        self.set_chassis(5, 'power', '1')
        self.conductor.manager.power_sync.run()
        # A wrong password, then the right one again.
        for password in ('not-' + secret, secret):
            self.request('patch', '/v1/nodes/%s' % node,
                         {'bmc': {'password': password}}, status=200)
            bodies.append(self.act('put', '/v1/nodes/%s/power' % node,
                                   {'target': 'off'}))
        bodies.append(self.request('get', '/v1/nodes/%s' % node,
                                   status=200).json)
        bodies.append(self.request('get', '/v1/events', status=200).json)
        bodies.append(self.request('get', '/v1/actions', status=200).json)
        bodies.append(self.request('get', '/v1/nodes/%s/power' % node,
                                   status=200).json)
        self.assertEqual('succeeded', bodies[-5]['status'])
        output = logger.output
        self.assertIn('power_state', str(bodies))
        self.assertIn('ipmi-node5', output)
        self.assertNotIn(secret, output)
        self.assertNotIn(secret, str(bodies))
        self.assertNotIn(secret, str(_impl_test.NOTIFICATIONS))


class DriverTestCase(base.TestCase):
    """The ipmi driver alone (no API, no conductor) on the ipmi_sim BMCs."""

    def setUp(self):
        super().setUp()
        self.bmcs = base.require_peer(
            self, 'HIL_OS_IPMISIM_BMCS',
            'ipmi_sim BMCs (tests/lab/peer-ipmisim.sh)').split(',')

    def driver(self, index):
        """A driver of BMC ``index`` (closed at cleanup) and its port."""
        address, port = self.bmcs[index].split(':')
        driver = ipmi.IpmiPowerDriver({
            'node': 'bmc%d' % index, 'driver': 'ipmi', 'address': address,
            'port': int(port),
            'username': os.environ['HIL_OS_IPMISIM_USER'],
            'password': os.environ['HIL_OS_IPMISIM_PASSWORD']})
        self.addCleanup(driver.close)
        return driver, int(port)


class TestIdleSession(DriverTestCase):
    """A cached BMC session outlives the BMC's idle timeout."""

    def test_a_session_left_idle_for_longer_than_the_bmc_allows(self):
        self.config.config(enabled_drivers=['ipmi'], bmc_timeout=3,
                           group='power')
        driver, _port = self.driver(-1)
        self.assertIn(driver.get_power_state(), ('on', 'off'))
        # ipmi_sim closes a session that is idle for 30 s; the driver's
        # keepalives hold it open, so the next request is answered at once
        # instead of waiting out the dead session (BmcUnreachable).
        time.sleep(40)
        self.assertIn(driver.get_power_state(), ('on', 'off'))


class TestDeadBmcAmidTraffic(DriverTestCase):
    """A request to a BMC that died does not stall requests to others.

    pyghmi resends a timed-out request while holding one of its global
    locks and sends new ones holding the other first; the two paths are
    made to cross here (a send to the live BMC waits, holding its lock,
    until the dead BMC's resend has begun), which deadlocked every IPMI
    call of the process until the driver merged the two locks.
    """

    def test_a_resend_to_a_dead_bmc_crossing_a_send_to_a_live_one(self):
        self.assertGreaterEqual(len(self.bmcs), 10)
        self.config.config(enabled_drivers=['ipmi'], bmc_timeout=6,
                           group='power')
        (dead, dead_port), (live, live_port) = self.driver(8), self.driver(9)
        for driver in (dead, live):
            self.assertIn(driver.get_power_state(), ('on', 'off'))

        resending = threading.Event()
        armed = threading.Event()
        timedout, sendto = (pyghmi_session.Session._timedout,
                            pyghmi_session._io_sendto)

        def timedout_then_resend(session):
            if session.port == dead_port:
                resending.set()
            return timedout(session)

        def send_when_the_resend_began(sock, packet, sockaddr):
            if armed.is_set() and sockaddr[1] == live_port:
                armed.clear()
                resending.wait(3)
            return sendto(sock, packet, sockaddr)
        self.useFixture(fixtures.MonkeyPatch(
            'pyghmi.ipmi.private.session.Session._timedout',
            timedout_then_resend))
        self.useFixture(fixtures.MonkeyPatch(
            'pyghmi.ipmi.private.session._io_sendto',
            send_when_the_resend_began))

        with open(os.path.join(os.environ['HIL_OS_IPMISIM_DIR'], 'node8',
                               'pid')) as f:
            pid = int(f.read())
        os.kill(pid, signal.SIGSTOP)
        self.addCleanup(os.kill, pid, signal.SIGCONT)
        outcome = []

        def ask_the_dead_bmc():
            try:
                outcome.append(dead.get_power_state())
            except exception.BmcUnreachable as e:
                outcome.append(e)
        waiter = threading.Thread(target=ask_the_dead_bmc)
        waiter.start()
        self.addCleanup(waiter.join, 30)
        time.sleep(0.2)  # the dead BMC's request is out, its timer runs
        armed.set()
        self.assertIn(live.get_power_state(), ('on', 'off'))
        self.assertTrue(resending.wait(10))
        waiter.join(30)
        self.assertIsInstance(outcome[0], exception.BmcUnreachable)
