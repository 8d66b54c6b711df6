"""The lab's boot payloads boot for real: QEMU under TCG, from a local disk.

Each test builds its image, boots it with the serial console in a file,
waits for the lines the lab relies on, and kills every QEMU it started.
"""

import os
import re
import shutil
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

    def boot(self, name, disk, *args, memory=32):
        """Start a QEMU booting ``disk``; return it and its serial log."""
        log = os.path.join(self.dir, name + '.log')
        proc = subprocess.Popen(
            [QEMU, '-accel', 'tcg', '-m', str(memory), '-display', 'none',
             '-vga', 'none', '-no-reboot', '-monitor', 'none',
             '-drive', 'file=%s,format=raw,if=ide' % disk,
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
