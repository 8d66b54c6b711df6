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

Build by hand::

    python -m hil_os.lab.payloads token PATH TOKEN
"""

import struct
import sys

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


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) == 3 and argv[0] == 'token':
        build_token_image(argv[1], argv[2])
    else:
        sys.exit(__doc__)
    return 0


if __name__ == '__main__':
    sys.exit(main())
