"""A user-space iSCSI initiator for tests: qemu-img and qemu-io.

Tests log in exactly as a node would, with the initiator name and CHAP
login of its iPXE script, and read or write the LUN. ``netns`` runs the
initiator in a network namespace (the virtual lab's portal is on its
provisioning network).
"""

import dataclasses
import os
import re
import subprocess
import tempfile

_SANBOOT = re.compile(
    r'^sanboot iscsi:\[?([^\]]*?)\]?::(\d+):(\d+):(\S+)', re.M)


@dataclasses.dataclass
class Login:
    """What a node needs to reach its disk."""

    host: str
    port: int
    lun: int
    target: str
    initiator: str
    username: str
    password: str


def parse_ipxe(script):
    """The Login of an iPXE sanboot script; None if it boots nothing."""
    match = _SANBOOT.search(script)
    if match is None:
        return None
    settings = dict(re.findall(r'^set (\S+) (\S+)$', script, re.M))
    return Login(host=match.group(1), port=int(match.group(2)),
                 lun=int(match.group(3)), target=match.group(4),
                 initiator=settings['initiator-iqn'],
                 username=settings['username'],
                 password=settings['password'])


class LoginRefused(Exception):
    """The target refused the login; str() has qemu's reason."""


def _opts(login, raw=True):
    prefix = 'file.' if raw else ''
    opts = ['driver=raw'] if raw else []
    opts += ['%sdriver=iscsi' % prefix, '%stransport=tcp' % prefix,
             '%sportal=%s:%d' % (prefix, login.host, login.port),
             '%starget=%s' % (prefix, login.target),
             '%slun=%d' % (prefix, login.lun),
             '%sinitiator-name=%s' % (prefix, login.initiator),
             '%suser=%s' % (prefix, login.username),
             '%spassword-secret=chap' % prefix]
    return ','.join(opts)


def _run(login, argv_of_opts, netns=None):
    with tempfile.NamedTemporaryFile('w') as secret:
        secret.write(login.password)
        secret.flush()
        argv = argv_of_opts(_opts(login))
        # After qemu-img's sub-command, or qemu-io's name.
        at = 2 if argv[0] == 'qemu-img' else 1
        argv[at:at] = ['--object', 'secret,id=chap,file=%s' % secret.name]
        if netns:
            argv[:0] = ['ip', 'netns', 'exec', netns]
        result = subprocess.run(argv, capture_output=True, text=True,
                                timeout=60, check=False)
    if result.returncode != 0:
        raise LoginRefused((result.stderr or result.stdout).strip())
    return result.stdout


def read_all(login, size=None, netns=None):
    """The bytes of the LUN (only its first ``size`` bytes if given)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'lun.raw')
        if size:
            blocks = -(-size // 65536)
            _run(login, lambda o: ['qemu-img', 'dd', '--image-opts', '-O',
                                   'raw', 'bs=65536', 'count=%d' % blocks,
                                   'if=' + o, 'of=' + out], netns)
        else:
            _run(login, lambda o: ['qemu-img', 'convert', '--image-opts', o,
                                   '-O', 'raw', out], netns)
        with open(out, 'rb') as f:
            return f.read(size) if size else f.read()


def write_pattern(login, pattern, offset, length):
    """Write ``length`` bytes of the byte ``pattern`` at ``offset``."""
    _run(login, lambda o: ['qemu-io', '--image-opts', o, '-c',
                           'write -P %d %d %d' % (pattern, offset, length)])


def has_pattern(login, pattern, offset, length):
    """Whether those bytes all equal ``pattern``."""
    out = _run(login, lambda o: [
        'qemu-io', '--image-opts', o, '-c',
        'read -P %d %d %d' % (pattern, offset, length)])
    return 'Pattern verification failed' not in out


def write_bytes(login, offset, data, netns=None):
    """Write ``data`` at ``offset`` of the LUN."""
    with tempfile.NamedTemporaryFile('wb') as source:
        source.write(data)
        source.flush()
        _run(login, lambda o: ['qemu-io', '--image-opts', o, '-c',
                               'write -s %s %d %d' % (
                                   source.name, offset, len(data))], netns)
