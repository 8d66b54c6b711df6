"""The lab's boot payloads: layouts that can be checked without booting."""

import gzip
import os
import stat
import struct

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


def _read_cpio(data):
    """{name: (mode, rdev, data)} from a newc archive, checking alignment."""
    entries, at = {}, 0
    while True:
        assert data[at:at + 6] == b'070701', at
        fields = [int(data[at + 6 + 8 * i:at + 14 + 8 * i], 16)
                  for i in range(13)]
        namesize, size = fields[11], fields[6]
        name = data[at + 110:at + 110 + namesize - 1].decode()
        at += 110 + namesize
        at += -at % 4
        if name == 'TRAILER!!!':
            return entries
        entries[name] = (fields[1], (fields[9], fields[10]),
                         data[at:at + size])
        at += size
        at += -at % 4


def _elf_module(modinfo):
    """A minimal ELF64 file with a .modinfo section."""
    shstrtab = b'\0.shstrtab\0.modinfo\0'
    body = shstrtab + modinfo
    shoff = 64 + len(body)
    header = bytearray(64)
    header[:5] = b'\x7fELF\x02'
    struct.pack_into('<Q', header, 0x28, shoff)
    struct.pack_into('<HHH', header, 0x3a, 64, 3, 1)

    def section(name, offset, size):
        entry = bytearray(64)
        struct.pack_into('<I', entry, 0, name)
        struct.pack_into('<QQ', entry, 0x18, offset, size)
        return bytes(entry)

    return (bytes(header) + body + bytes(64) +
            section(1, 64, len(shstrtab)) +
            section(11, 64 + len(shstrtab), len(modinfo)))


class TestLinuxImage(base.TestCase):

    use_db = False

    def setUp(self):
        super().setUp()
        self.dir = self.useFixture(fixtures.TempDir()).path

    def write(self, name, data, mode=0o644):
        path = os.path.join(self.dir, name)
        with open(path, 'wb') as f:
            f.write(data)
        os.chmod(path, mode)
        return path

    def test_initramfs_contents(self):
        busybox = self.write('busybox', b'#!/bin/sh\necho sh ping busybox\n',
                             0o755)
        modules = [self.write('failover.ko', b'ko1'),
                   self.write('virtio_net.ko', b'ko2')]
        image = payloads.build_initramfs(busybox, modules)
        self.assertEqual(image, payloads.build_initramfs(busybox, modules))
        files = _read_cpio(gzip.decompress(image))

        mode, _rdev, init = files['init']
        self.assertEqual(stat.S_IFREG | 0o755, mode)
        init = init.decode()
        self.assertTrue(init.startswith('#!/bin/sh\n'))
        self.assertIn('for m in failover virtio_net; do insmod', init)
        for line in ('echo "HILLAB-LINUX: up"',
                     'echo "HILLAB-NIC $n $mac $ip"',
                     'echo "HILLAB-REACH $round:${seen:- -}"',
                     'ip=10.201.0.$((0x$(echo $mac | cut -d: -f5)))'):
            self.assertIn(line, init)
        self.assertEqual((stat.S_IFCHR | 0o600, (5, 1), b''),
                         files['dev/console'])
        self.assertEqual(stat.S_IFREG | 0o755, files['bin/busybox'][0])
        for applet in ('sh', 'ping'):
            self.assertEqual((stat.S_IFLNK | 0o777, (0, 0), b'busybox'),
                             files['bin/' + applet])
        self.assertEqual(b'ko2', files['lib/modules/virtio_net.ko'][2])
        for d in ('proc', 'sys', 'dev', 'tmp'):
            self.assertEqual(stat.S_IFDIR | 0o755, files[d][0])

    def test_modinfo_depends(self):
        path = self.write('m.ko', _elf_module(
            b'license=GPL\0depends=virtio_ring,net_failover\0name=m\0'))
        self.assertEqual(['virtio_ring', 'net_failover'],
                         payloads._modinfo_depends(path))
        path = self.write('n.ko', _elf_module(b'depends=\0name=n\0'))
        self.assertEqual([], payloads._modinfo_depends(path))
        path = self.write('bad.ko', b'not an ELF file')
        self.assertRaises(RuntimeError, payloads._modinfo_depends, path)

    def test_partition_entry(self):
        entry = payloads._partition_entry(2048, 63488)
        self.assertEqual(16, len(entry))
        self.assertEqual(0x80, entry[0])             # active
        self.assertEqual(0x0e, entry[4])             # FAT16, LBA
        self.assertEqual((2048, 63488), struct.unpack('<II', entry[8:]))
        # CHS in 255 heads x 63 sectors: 2048 = c0 h32 s33.
        self.assertEqual(bytes((32, 33, 0)), entry[1:4])
        # 65535 = c4 h20 s16: cylinder bits 8-9 in the sector byte.
        self.assertEqual(bytes((20, 16, 4)), entry[5:8])

    def test_syslinux_config(self):
        self.assertIn('SERIAL 0 115200', payloads._SYSLINUX_CFG)
        self.assertIn('APPEND console=ttyS0,115200', payloads._SYSLINUX_CFG)
