"""The lab's boot payloads: layouts that can be checked without booting."""

import os

import fixtures

from hil_os.lab import payloads
from tests import base


class TestTokenImage(base.TestCase):

    use_db = False

    def test_boot_sector_layout(self):
        sector = payloads.token_boot_sector()
        self.assertEqual(512, len(sector))
        self.assertEqual(b'\x55\xaa', sector[510:])
        # Code and strings stay clear of the disk signature and the
        # partition table, which stay empty.
        self.assertEqual(bytes(512 - 440 - 2), sector[440:510])
        self.assertIn(b'HILLAB-LBA1: \0', sector)
        self.assertIn(b'HILLAB-MBR: done\r\n\0', sector)
        # The disk address packet: 16 bytes, one sector of LBA 1 to 0:7e00.
        self.assertIn(bytes.fromhex('10000100007e0000' '0100000000000000'),
                      sector)

    def test_image_holds_token_in_lba1(self):
        path = os.path.join(self.useFixture(
            fixtures.TempDir()).path, 'tok.img')
        payloads.build_token_image(path, 'tok-1234')
        with open(path, 'rb') as f:
            data = f.read()
        self.assertEqual(8 * 1024 * 1024, len(data))
        self.assertEqual(payloads.token_boot_sector(), data[:512])
        self.assertEqual(b'tok-1234'.ljust(512, b'\0'), data[512:1024])
        self.assertEqual(bytes(len(data) - 1024), data[1024:])

    def test_build_is_deterministic(self):
        self.assertEqual(payloads.token_boot_sector(),
                         payloads.token_boot_sector())

    def test_bad_tokens(self):
        for token in ('a\nb', 'a\0', 'x' * 512, b'a\rb'):
            self.assertRaises(ValueError, payloads.build_token_image,
                              '/nonexistent/never-written', token)

    def test_cli(self):
        path = os.path.join(self.useFixture(
            fixtures.TempDir()).path, 'cli.img')
        self.assertEqual(0, payloads.main(['token', path, 'tok-cli']))
        with open(path, 'rb') as f:
            f.seek(512)
            self.assertEqual(b'tok-cli\0', f.read(8))
        self.assertRaises(SystemExit, payloads.main, ['bogus'])
