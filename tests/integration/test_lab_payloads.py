"""The lab's boot payloads boot for real: QEMU under TCG, from a local disk.

Each test builds its image, boots it with the serial console in a file,
waits for the lines the lab relies on, and kills every QEMU it started.
"""

import os
import re
import shutil
import socket
import subprocess
import time

import fixtures

from hil_os.lab import payloads
from tests import base

QEMU = 'qemu-system-x86_64'


class PayloadTestCase(base.TestCase):

    use_db = False

    def setUp(self):
        super().setUp()
        if not shutil.which(QEMU):
            message = '%s is not installed (tools/test-all installs it)' % QEMU
            if os.environ.get('HIL_OS_TEST_REQUIRE_PEERS') == '1':
                self.fail(message)
            self.skipTest(message)
        self.dir = self.useFixture(fixtures.TempDir()).path

    def boot(self, name, disk, *args, memory=32, drive=''):
        """Start a QEMU booting ``disk``; return it and its serial log."""
        log = os.path.join(self.dir, name + '.log')
        proc = subprocess.Popen(
            [QEMU, '-accel', 'tcg', '-m', str(memory), '-display', 'none',
             '-vga', 'none', '-no-reboot',
             '-drive', 'file=%s,format=raw,if=ide%s' % (disk, drive),
             '-serial', 'file:' + log] + list(args),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        self.addCleanup(self.kill, proc)
        return proc, log

    @staticmethod
    def kill(proc):
        proc.kill()
        proc.wait()

    def wait_for(self, log, pattern, timeout):
        """The first match of ``pattern`` in the serial log, within timeout."""
        deadline = time.monotonic() + timeout
        while True:
            text = ''
            if os.path.exists(log):
                with open(log, 'rb') as f:
                    text = f.read().decode('ascii', 'replace')
            match = re.search(pattern, text)
            if match:
                return match
            if time.monotonic() > deadline:
                self.fail('no %r in %s after %ss; it reads:\n%s' % (
                    pattern, log, timeout, text[-2000:]))
            time.sleep(0.1)


class TestTokenImage(PayloadTestCase):

    def test_prints_token_then_marker(self):
        disk = os.path.join(self.dir, 'token.img')
        payloads.build_token_image(disk, 'tok-5f3a9c')
        proc, log = self.boot('first', disk)
        match = self.wait_for(log, r'HILLAB-LBA1: (.*)\r\nHILLAB-MBR: done',
                              20)
        self.assertEqual('tok-5f3a9c', match.group(1))
        self.kill(proc)     # QEMU holds a write lock on the disk

        # What the lab does over iSCSI: overwrite LBA 1, boot again.
        with open(disk, 'r+b') as f:
            f.seek(512)
            f.write(b'marker-after-write\n' + b'\0' * 100)
        proc, log = self.boot('second', disk)
        match = self.wait_for(log, r'HILLAB-LBA1: (.*)\r\nHILLAB-MBR: done',
                              20)
        self.assertEqual('marker-after-write', match.group(1))


def _udp_ports(count):
    """Free UDP ports on 127.0.0.1 (QEMU binds them right after)."""
    socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
             for _ in range(count)]
    for s in socks:
        s.bind(('127.0.0.1', 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


class TestLinuxImage(PayloadTestCase):
    """Two virtio NICs per VM; data NICs joined by a UDP socket pair."""

    def setUp(self):
        super().setUp()
        # Two Linux VMs under TCG take 20-30 s on a loaded 2-core host.
        self.useFixture(fixtures.Timeout(240, gentle=True))
        self.disk = os.path.join(self.dir, 'linux.img')
        payloads.build_linux_image(self.disk)

    def node(self, nn, local, remote, *args):
        """Boot the image as node NN; its data NIC talks UDP to ``remote``."""
        return self.boot(
            'node%d' % nn, self.disk,
            '-netdev', 'user,id=boot,restrict=on',
            '-device', 'virtio-net-pci,netdev=boot,mac=52:54:00:4c:%02x:00'
            % nn,
            '-netdev', 'socket,id=data,udp=127.0.0.1:%d,localaddr=127.0.0.1:'
            '%d' % (remote, local),
            '-device', 'virtio-net-pci,netdev=data,mac=52:54:00:4c:%02x:01'
            % nn, *args, memory=128, drive=',snapshot=on')

    def test_alone_nics_and_power_button(self):
        local, remote = _udp_ports(2)
        monitor = os.path.join(self.dir, 'monitor.sock')
        proc, log = self.node(
            12, local, remote, '-monitor', 'unix:%s,server=on,wait=off'
            % monitor)
        self.wait_for(log, r'HILLAB-LINUX: up', 150)
        nics = self.wait_for(log, r'(HILLAB-NIC .*\r\n){2}', 30).group(0)
        self.assertEqual(['HILLAB-NIC eth0 52:54:00:4c:0c:00 -',
                          'HILLAB-NIC eth1 52:54:00:4c:0c:01 10.201.0.12'],
                         nics.split('\r\n')[:2])
        self.wait_for(log, r'HILLAB-REACH 1: -\r\n', 30)
        self.wait_for(log, r'HILLAB-REACH 2: -\r\n', 30)

        # IPMI "power soft" is QEMU's ACPI power button.
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(monitor)
            s.sendall(b'system_powerdown\n')
            self.assertEqual(0, proc.wait(timeout=30))
        self.wait_for(log, r'HILLAB-LINUX: power button, powering off', 1)

    def test_two_nodes_reach_each_other(self):
        port2, port3 = _udp_ports(2)
        _proc2, log2 = self.node(2, port2, port3)
        _proc3, log3 = self.node(3, port3, port2)
        self.wait_for(log2, r'HILLAB-NIC eth1 52:54:00:4c:02:01 10.201.0.2\r',
                      150)
        self.wait_for(log3, r'HILLAB-NIC eth1 52:54:00:4c:03:01 10.201.0.3\r',
                      150)
        # Each soon sees the other, and only the other.
        self.wait_for(log2, r'HILLAB-REACH \d+: 10.201.0.3\r\n', 60)
        self.wait_for(log3, r'HILLAB-REACH \d+: 10.201.0.2\r\n', 60)
