"""Boot payloads for the virtual lab, built at test time from Debian packages.

Two raw disk images:

* ``build_token_image(path, token)``: an 8 MiB sparse disk whose boot
  sector reads LBA 1 through BIOS INT 13h (so it works from a local disk
  and from an iSCSI LUN that iPXE ``sanboot`` hooks as drive 0x80), prints
  on COM1 ``HILLAB-LBA1: <text of LBA 1 up to the first NUL, CR or LF>``
  and ``HILLAB-MBR: done``, then halts. LBA 1 holds the token; overwrite
  it with another text and the next boot prints that. The boot sector is
  hand-assembled below; it needs no package at all. (8 MiB, not less:
  iPXE loads the MBR with a CHS read and guesses 255 heads x 63 sectors,
  so a disk under one such cylinder, 7.8 MiB, fails with an I/O error.)

* ``build_linux_image(path, cache_dir)``: a 32 MiB sparse disk (MBR, one
  active FAT16 partition with SYSLINUX, a Debian kernel and a busybox
  initramfs) whose ``/init`` prints, on ttyS0::

    HILLAB-LINUX: up
    HILLAB-NIC <ifname> <mac> <ip or ->        (one line per NIC)
    HILLAB-REACH <round>: <reachable IPs, or ->  (every 2 s, forever)

  The data NIC is the one whose MAC ends in ``:01``; it gets
  10.201.0.NN/24 where NN is its 5th MAC byte in decimal (MACs
  52:54:00:4c:NN:00 boot, 52:54:00:4c:NN:01 data). Other NICs are up
  without an address. Each round pings 10.201.0.1-16 (except itself) once,
  in parallel. The ACPI power button (``power soft``) powers it off.
  Give the VM at least 96 MiB (64 is too little to unpack the initramfs).

  Everything comes from Debian packages fetched with ``apt-get download``
  into ``cache_dir`` (default ``~/.cache/hil-os/lab``) and unpacked with
  ``dpkg-deb``, nothing is installed: the kernel ``linux-image-amd64``
  points to, busybox-static, syslinux, syslinux-common, mtools and
  dosfstools. The host needs only apt (with a current index) and dpkg.
  The first build downloads about 73 MB and takes about 20 s; later ones
  reuse the cache (86 MB) and take 2-4 s.

Both builds are deterministic: the same packages give the same bytes.
Build by hand::

    python -m hil_os.lab.payloads token PATH TOKEN
    python -m hil_os.lab.payloads linux PATH [CACHE_DIR]
"""

import fcntl
import glob
import gzip
import hashlib
import os
import shutil
import stat
import struct
import subprocess
import sys
import tempfile

SECTOR = 512
TOKEN_IMAGE_SIZE = 8 * 1024 * 1024

_LOAD = 0x7c00      # where the BIOS loads the boot sector
_BUFFER = 0x7e00    # where it reads LBA 1
_COM1 = 0x3f8


class _Asm:
    """Just enough of a 16-bit assembler: bytes plus label fix-ups."""

    def __init__(self, origin):
        self.origin = origin
        self.code = bytearray()
        self.labels = {}
        self.fixups = []

    def label(self, name):
        self.labels[name] = len(self.code)

    def emit(self, *data):
        self.code += bytes(data)

    def abs16(self, name):
        """A 16-bit absolute address of a label."""
        self.fixups.append((len(self.code), 'abs16', name))
        self.code += b'\0\0'

    def rel8(self, name):
        """An 8-bit displacement to a label (short jumps)."""
        self.fixups.append((len(self.code), 'rel8', name))
        self.code += b'\0'

    def rel16(self, name):
        """A 16-bit displacement to a label (near calls)."""
        self.fixups.append((len(self.code), 'rel16', name))
        self.code += b'\0\0'

    def text(self, name, value):
        self.label(name)
        self.code += value + b'\0'

    def link(self):
        for at, kind, name in self.fixups:
            target = self.labels[name]
            if kind == 'abs16':
                struct.pack_into('<H', self.code, at, self.origin + target)
            elif kind == 'rel16':
                struct.pack_into('<h', self.code, at, target - (at + 2))
            else:
                disp = target - (at + 1)
                if not -128 <= disp <= 127:
                    raise ValueError('short jump to %s out of range' % name)
                struct.pack_into('<b', self.code, at, disp)
        return bytes(self.code)


def token_boot_sector():
    """The 512-byte boot sector of the token image (0x55AA-signed)."""
    a = _Asm(_LOAD)
    a.emit(0xfa)                         # cli
    a.emit(0x31, 0xc0)                   # xor ax, ax
    a.emit(0x8e, 0xd8)                   # mov ds, ax
    a.emit(0x8e, 0xc0)                   # mov es, ax
    a.emit(0x8e, 0xd0)                   # mov ss, ax
    a.emit(0xbc, 0x00, 0x7c)             # mov sp, 0x7c00
    a.emit(0xea)                         # jmp 0000:start (CS = 0)
    a.abs16('start')
    a.emit(0x00, 0x00)
    a.label('start')
    a.emit(0xfb)                         # sti
    a.emit(0xfc)                         # cld
    a.emit(0xbe)                         # mov si, dap
    a.abs16('dap')
    a.emit(0xb4, 0x42)                   # mov ah, 0x42 (extended read,
    a.emit(0xcd, 0x13)                   # int 0x13      drive in DL)
    a.emit(0x72)                         # jc error
    a.rel8('error')
    a.emit(0xc6, 0x06, 0x00, 0x80, 0x00)  # mov byte [0x8000], 0 (end)
    a.emit(0xbe)                         # mov si, msg_lba1
    a.abs16('msg_lba1')
    a.emit(0xe8)                         # call puts
    a.rel16('puts')
    a.emit(0xbe, 0x00, 0x7e)             # mov si, 0x7e00 (LBA 1)
    a.emit(0xe8)                         # call putline
    a.rel16('putline')
    a.emit(0xbe)                         # mov si, msg_done
    a.abs16('msg_done')
    a.label('last')
    a.emit(0xe8)                         # call puts
    a.rel16('puts')
    a.label('halt')
    a.emit(0xfa)                         # cli
    a.emit(0xf4)                         # hlt
    a.emit(0xeb)                         # jmp halt
    a.rel8('halt')
    a.label('error')
    a.emit(0xbe)                         # mov si, msg_error
    a.abs16('msg_error')
    a.emit(0xeb)                         # jmp last
    a.rel8('last')

    # putline: print [si] up to NUL, CR or LF, then CR LF.
    a.label('putline')
    a.emit(0xac)                         # lodsb
    a.emit(0x3c, 0x0a)                   # cmp al, 10
    a.emit(0x74)                         # je eol
    a.rel8('eol')
    a.emit(0x3c, 0x0d)                   # cmp al, 13
    a.emit(0x74)                         # je eol
    a.rel8('eol')
    a.emit(0x84, 0xc0)                   # test al, al
    a.emit(0x74)                         # jz eol
    a.rel8('eol')
    a.emit(0xe8)                         # call putc
    a.rel16('putc')
    a.emit(0xeb)                         # jmp putline
    a.rel8('putline')
    a.label('eol')
    a.emit(0xbe)                         # mov si, crlf; fall into puts
    a.abs16('crlf')

    # puts: print [si] up to NUL.
    a.label('puts')
    a.emit(0xac)                         # lodsb
    a.emit(0x84, 0xc0)                   # test al, al
    a.emit(0x74)                         # jz puts_end
    a.rel8('puts_end')
    a.emit(0xe8)                         # call putc
    a.rel16('putc')
    a.emit(0xeb)                         # jmp puts
    a.rel8('puts')
    a.label('puts_end')
    a.emit(0xc3)                         # ret

    # putc: write AL to COM1 once its transmitter is empty.
    a.label('putc')
    a.emit(0x88, 0xc4)                   # mov ah, al
    a.emit(0xba, 0xfd, 0x03)             # mov dx, 0x3fd (line status)
    a.label('wait')
    a.emit(0xec)                         # in al, dx
    a.emit(0xa8, 0x20)                   # test al, 0x20 (THR empty)
    a.emit(0x74)                         # jz wait
    a.rel8('wait')
    a.emit(0x88, 0xe0)                   # mov al, ah
    a.emit(0xb2, _COM1 & 0xff)           # mov dl, 0xf8 (data, 0x3f8)
    a.emit(0xee)                         # out dx, al
    a.emit(0xc3)                         # ret

    # INT 13h AH=42h disk address packet: 1 sector of LBA 1 to 0000:7e00.
    a.label('dap')
    a.code += struct.pack('<BBHHHQ', 16, 0, 1, _BUFFER, 0, 1)
    a.text('msg_lba1', b'\r\nHILLAB-LBA1: ')
    a.text('msg_done', b'HILLAB-MBR: done\r\n')
    a.text('msg_error', b'\r\nHILLAB-MBR: INT13 read error\r\n'
           b'HILLAB-MBR: done\r\n')
    a.text('crlf', b'\r\n')
    code = a.link()
    if len(code) > 440:     # keep clear of the disk signature and table
        raise ValueError('boot sector code is %d bytes' % len(code))
    return code.ljust(510, b'\0') + b'\x55\xaa'


def build_token_image(path, token):
    """Write a 1 MiB raw disk image that prints ``token`` when booted.

    :param token: text for LBA 1 (str or bytes, at most 511 bytes, no NUL,
        CR or LF: the boot sector prints up to the first of those).
    """
    if isinstance(token, str):
        token = token.encode()
    if len(token) >= SECTOR or any(c in token for c in b'\0\r\n'):
        raise ValueError('token must be under 512 bytes, one line, no NUL')
    with open(path, 'wb') as f:
        f.write(token_boot_sector())
        f.write(token.ljust(SECTOR, b'\0'))
        f.truncate(TOKEN_IMAGE_SIZE)


DEFAULT_CACHE_DIR = os.path.expanduser('~/.cache/hil-os/lab')
LINUX_IMAGE_SIZE = 32 * 1024 * 1024
_PART_START = 2048          # first sector of the FAT partition (1 MiB)
_TOOL_PACKAGES = ('busybox-static', 'syslinux', 'syslinux-common', 'mtools',
                  'dosfstools')
# NIC drivers, VLANs, and the ACPI power button as an input device.
_MODULES = ('virtio_pci', 'virtio_net', 'e1000', '8021q', 'button', 'evdev')
_EPOCH = 315532800          # 1980-01-01, the FAT epoch: fixed timestamps
_CMDLINE = 'console=ttyS0,115200 quiet loglevel=3 panic=-1'

_SYSLINUX_CFG = """SERIAL 0 115200
PROMPT 0
TIMEOUT 0
DEFAULT linux
LABEL linux
  KERNEL /vmlinuz
  INITRD /initrd.gz
  APPEND %s
""" % _CMDLINE

_INIT = r"""#!/bin/sh
# /init of the hil-os lab's Linux payload (see hil_os/lab/payloads.py).
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# A line of its own: SeaBIOS's serial console may have left reset codes.
echo
echo "HILLAB-LINUX: up"
for m in %(modules)s; do insmod /lib/modules/$m.ko; done
echo "HILLAB-LINUX: kernel $(uname -r), uptime $(cut -d' ' -f1 /proc/uptime)s"
# ACPI power button (IPMI "power soft"): any event from it powers off.
for d in /sys/class/input/event*; do
  [ "$(cat $d/device/name 2>/dev/null)" = "Power Button" ] || continue
  ( (dd if=/dev/input/${d##*/} bs=24 count=1 >/dev/null 2>&1
     echo "HILLAB-LINUX: power button, powering off"; poweroff -f) & )
done
# No IPv6: no router solicitations or DAD on the lab's segments.
echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6
echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6
me=
for d in /sys/class/net/*; do
  n=${d##*/}
  [ "$n" = lo ] && continue
  mac=$(cat $d/address)
  ip link set "$n" up
  ip=-
  case $mac in
    *:01) ip=10.201.0.$((0x$(echo $mac | cut -d: -f5)))
          ip addr add $ip/24 dev "$n"; me=$ip ;;
  esac
  echo "HILLAB-NIC $n $mac $ip"
done
mkdir -p /tmp/reach
round=0
while :; do
  round=$((round + 1))
  pids=
  for i in $(seq 1 16); do
    [ "10.201.0.$i" = "$me" ] && continue
    (ping -c 1 -W 2 10.201.0.$i >/dev/null 2>&1 && touch /tmp/reach/$i) &
    pids="$pids $!"
  done
  # Wait 2 s (a starved TCG peer may answer late), then the last pings.
  sleep 2
  wait $pids
  seen=
  for i in $(seq 1 16); do
    [ -e /tmp/reach/$i ] && seen="$seen 10.201.0.$i"
  done
  rm -f /tmp/reach/*
  echo "HILLAB-REACH $round:${seen:- -}"
done
"""


def _run(args, **kw):
    try:
        return subprocess.run(args, check=True, capture_output=True,
                              text=True, **kw).stdout
    except subprocess.CalledProcessError as e:
        raise RuntimeError('%s failed (%s): %s' % (
            ' '.join(args), e.returncode, e.stderr.strip()[-2000:])) from e


def _deb(cache_dir, package):
    """The cached .deb of ``package``, downloaded with apt-get if absent."""
    debs = os.path.join(cache_dir, 'debs')
    os.makedirs(debs, exist_ok=True)
    found = glob.glob(os.path.join(debs, glob.escape(package) + '_*.deb'))
    if not found:
        try:
            _run(['apt-get', 'download', package], cwd=debs)
        except RuntimeError as e:
            raise RuntimeError('%s (is the apt index current? apt-get '
                               'update)' % e) from e
        found = glob.glob(os.path.join(debs, glob.escape(package) + '_*.deb'))
    return max(found, key=os.path.getmtime)


def _unpack(cache_dir, package):
    """A directory holding the unpacked files of ``package`` (cached)."""
    deb = _deb(cache_dir, package)
    root = os.path.join(cache_dir, 'pkg', os.path.basename(deb)[:-4])
    if not os.path.isdir(root):
        tmp = tempfile.mkdtemp(dir=cache_dir, prefix='.unpack-')
        _run(['dpkg-deb', '-x', deb, tmp])
        os.makedirs(os.path.dirname(root), exist_ok=True)
        os.rename(tmp, root)
    return root


def _kernel_package():
    """The kernel package Debian's linux-image-amd64 points to now."""
    for line in _run(['apt-cache', 'depends', 'linux-image-amd64']).split():
        if line.startswith('linux-image-') and line != 'linux-image-amd64':
            return line
    raise RuntimeError('apt-cache names no kernel for linux-image-amd64')


def _modinfo_depends(path):
    """The ``depends=`` modules named in a .ko's ELF .modinfo section."""
    with open(path, 'rb') as f:
        elf = f.read()
    if elf[:5] != b'\x7fELF\x02':
        raise RuntimeError('%s is not a 64-bit ELF module' % path)
    shoff, = struct.unpack_from('<Q', elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', elf, 0x3a)

    def section(i):
        name, = struct.unpack_from('<I', elf, shoff + i * shentsize)
        offset, size = struct.unpack_from('<QQ', elf,
                                          shoff + i * shentsize + 0x18)
        return name, elf[offset:offset + size]

    strtab = section(shstrndx)[1]
    for i in range(shnum):
        name, data = section(i)
        if strtab[name:strtab.index(b'\0', name)] == b'.modinfo':
            for field in data.split(b'\0'):
                if field.startswith(b'depends='):
                    return [d for d in field[8:].decode().split(',') if d]
    return []


def _kernel(cache_dir):
    """(vmlinuz, [module .ko in load order]) from the Debian kernel, cached.

    The whole package is unpacked once into a scratch directory; only the
    kernel and the modules ``_MODULES`` need (dependencies first) are kept.
    """
    deb = _deb(cache_dir, _kernel_package())
    key = hashlib.sha256(' '.join(_MODULES).encode()).hexdigest()[:8]
    root = os.path.join(cache_dir, 'kernel',
                        '%s-%s' % (os.path.basename(deb)[:-4], key))
    order = os.path.join(root, 'modules.order')
    if not os.path.exists(order):
        tmp = tempfile.mkdtemp(dir=cache_dir, prefix='.kernel-')
        try:
            _run(['dpkg-deb', '-x', deb, tmp])
            os.makedirs(os.path.join(tmp, 'keep'))
            (vmlinuz,) = glob.glob(os.path.join(tmp, 'boot', 'vmlinuz-*'))
            shutil.move(vmlinuz, os.path.join(tmp, 'keep', 'vmlinuz'))
            (moddir,) = glob.glob(os.path.join(tmp, 'lib', 'modules', '*'))
            with open(os.path.join(moddir, 'modules.builtin')) as f:
                builtin = {os.path.basename(line.strip())[:-3]
                           for line in f}
            files = {}
            for top, _dirs, names in os.walk(os.path.join(moddir, 'kernel')):
                for n in names:
                    if n.endswith('.ko'):
                        files[n[:-3].replace('-', '_')] = os.path.join(top, n)
            loaded = []

            def need(name):
                name = name.replace('-', '_')
                if name in loaded or name in builtin:
                    return
                if name not in files:
                    raise RuntimeError('kernel module %s not in %s' % (
                        name, deb))
                for dep in sorted(_modinfo_depends(files[name])):
                    need(dep)
                shutil.copy(files[name],
                            os.path.join(tmp, 'keep', name + '.ko'))
                loaded.append(name)

            for name in _MODULES:
                need(name)
            with open(os.path.join(tmp, 'keep', 'modules.order'), 'w') as f:
                f.write('\n'.join(loaded) + '\n')
            os.makedirs(os.path.dirname(root), exist_ok=True)
            os.rename(os.path.join(tmp, 'keep'), root)
        finally:
            shutil.rmtree(tmp)
    with open(order) as f:
        modules = [os.path.join(root, n + '.ko') for n in f.read().split()]
    return os.path.join(root, 'vmlinuz'), modules


def _cpio(entries):
    """A newc cpio archive of (name, mode, data, rdev), fixed metadata."""
    out = bytearray()
    for ino, (name, mode, data, rdev) in enumerate(
            entries + [('TRAILER!!!', 0, b'', 0)], start=1):
        encoded = name.encode() + b'\0'
        fields = (ino, mode, 0, 0, 1, _EPOCH, len(data), 0, 0,
                  rdev >> 8, rdev & 0xff, len(encoded), 0)
        out += b'070701' + b''.join(b'%08X' % v for v in fields)
        out += encoded + bytes(-(110 + len(encoded)) % 4)
        out += data + bytes(-len(data) % 4)
    return bytes(out)


def build_initramfs(busybox, modules):
    """The gzipped busybox initramfs (bytes): /init, applets, modules."""
    with open(busybox, 'rb') as f:
        binary = f.read()
    applets = _run([busybox, '--list']).split()
    names = [os.path.basename(m)[:-3] for m in modules]
    entries = [(d, stat.S_IFDIR | 0o755, b'', 0) for d in (
        'bin', 'dev', 'etc', 'lib', 'lib/modules', 'proc', 'sys', 'tmp')]
    entries.append(('dev/console', stat.S_IFCHR | 0o600, b'', 5 << 8 | 1))
    entries.append(('init', stat.S_IFREG | 0o755,
                    (_INIT % {'modules': ' '.join(names)}).encode(), 0))
    entries.append(('bin/busybox', stat.S_IFREG | 0o755, binary, 0))
    entries += [('bin/' + a, stat.S_IFLNK | 0o777, b'busybox', 0)
                for a in sorted(set(applets) - {'busybox'})]
    for path in modules:
        with open(path, 'rb') as f:
            entries.append(('lib/modules/' + os.path.basename(path),
                            stat.S_IFREG | 0o644, f.read(), 0))
    return gzip.compress(_cpio(entries), 9, mtime=0)


def _partition_entry(start, count):
    """An active FAT16 (LBA) MBR entry, CHS in the 255x63 geometry."""
    def chs(lba):
        c, rest = divmod(lba, 255 * 63)
        if c > 1023:
            return b'\xfe\xff\xff'
        h, s = divmod(rest, 63)
        return bytes((h, (s + 1) | (c >> 2 & 0xc0), c & 0xff))
    return (b'\x80' + chs(start) + b'\x0e' + chs(start + count - 1) +
            struct.pack('<II', start, count))


def build_linux_image(path, cache_dir=DEFAULT_CACHE_DIR):
    """Write the 32 MiB SYSLINUX + Debian kernel + busybox disk image."""
    os.makedirs(cache_dir, exist_ok=True)
    with open(os.path.join(cache_dir, '.lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)    # concurrent builds share a cache
        tools = {p: _unpack(cache_dir, p) for p in _TOOL_PACKAGES}
        vmlinuz, modules = _kernel(cache_dir)
    env = dict(os.environ, MTOOLS_SKIP_CHECK='1',
               SOURCE_DATE_EPOCH=str(_EPOCH), PATH=os.pathsep.join(
                   [os.path.join(tools[p], d) for p in ('mtools', 'syslinux')
                    for d in ('usr/bin', 'bin')] + [os.environ['PATH']]))
    sectors = LINUX_IMAGE_SIZE // SECTOR - _PART_START
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix='.build-') as tmp:
        initrd = os.path.join(tmp, 'initrd.gz')
        cfg = os.path.join(tmp, 'syslinux.cfg')
        with open(initrd, 'wb') as f:
            f.write(build_initramfs(
                os.path.join(tools['busybox-static'], 'bin', 'busybox'),
                modules))
        with open(cfg, 'w') as f:
            f.write(_SYSLINUX_CFG)
        for f in (initrd, cfg):
            os.utime(f, (_EPOCH, _EPOCH))
        with open(os.path.join(tools['syslinux-common'], 'usr', 'lib',
                               'syslinux', 'mbr', 'mbr.bin'), 'rb') as f:
            boot = f.read()
        image = os.path.join(tmp, 'linux.img')
        with open(image, 'wb') as f:
            f.write(boot.ljust(440, b'\0') + b'HILL\0\0' +
                    _partition_entry(_PART_START, sectors) +
                    bytes(48) + b'\x55\xaa')
            f.truncate(LINUX_IMAGE_SIZE)
        _run([os.path.join(tools['dosfstools'], 'sbin', 'mkfs.fat'),
              '-F', '16', '-n', 'HILLAB', '--invariant',
              '-h', str(_PART_START), '--offset', str(_PART_START), image,
              str(sectors // 2)], env=env)
        offset = str(_PART_START * SECTOR)
        _run(['syslinux', '--offset', offset, '--install', image], env=env)
        at = '%s@@%s' % (image, offset)
        _run(['mcopy', '-m', '-i', at, cfg, '::syslinux.cfg'], env=env)
        _run(['mcopy', '-m', '-i', at, vmlinuz, '::vmlinuz'], env=env)
        _run(['mcopy', '-m', '-i', at, initrd, '::initrd.gz'], env=env)
        shutil.move(image, path)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) == 3 and argv[0] == 'token':
        build_token_image(argv[1], argv[2])
    elif len(argv) in (2, 3) and argv[0] == 'linux':
        build_linux_image(*argv[1:])
    else:
        sys.exit(__doc__)
    return 0


if __name__ == '__main__':
    sys.exit(main())
