"""A small client of the user-space iSCSI target tgtd, through tgtadm.

tgtadm is the only interface tgtd has. Its control socket is chosen with
``-C``, so several tgtd instances can run on one host. CHAP secrets go on
tgtadm's command line (tgtadm reads them nowhere else); they never reach a
log or an exception message here.
"""

import dataclasses
import re
import subprocess

from oslo_log import log

from hil_os.common import exception

LOG = log.getLogger(__name__)

_TARGET = re.compile(r'^Target (\d+): (\S+)$')
_LUN = re.compile(r'^\s+LUN: (\d+)$')
_PATH = re.compile(r'^\s+Backing store path: (.*)$')
_NEXUS = re.compile(r'^\s+I_T nexus: (\d+)$')


@dataclasses.dataclass
class Target:
    """A target as tgtd reports it."""

    tid: int
    iqn: str
    luns: dict = dataclasses.field(default_factory=dict)
    accounts: list = dataclasses.field(default_factory=list)
    acl: list = dataclasses.field(default_factory=list)
    sessions: int = 0


def parse_targets(text):
    """Parse ``tgtadm --op show --mode target`` into {iqn: Target}."""
    targets = {}
    target = section = lun = None
    for line in text.splitlines():
        match = _TARGET.match(line)
        if match:
            target = Target(int(match.group(1)), match.group(2))
            targets[target.iqn] = target
            section = None
            continue
        if target is None:
            continue
        stripped = line.strip()
        if line.startswith('    ') and not line.startswith('     '):
            section = stripped
            continue
        if section == 'I_T nexus information:' and _NEXUS.match(line):
            target.sessions += 1
        elif section == 'LUN information:':
            match = _LUN.match(line)
            if match:
                lun = int(match.group(1))
                continue
            match = _PATH.match(line)
            if match and lun is not None:
                target.luns[lun] = match.group(1)
        elif section == 'Account information:' and stripped:
            target.accounts.append(stripped.split()[0])
        elif section == 'ACL information:' and stripped:
            target.acl.append(stripped)
    return targets


class Tgtadm:
    """Runs tgtadm against one tgtd control socket.

    :param control_port: tgtd's ``-C`` number.
    :param timeout: seconds a tgtadm call may take.
    """

    def __init__(self, control_port=0, timeout=30, command='tgtadm'):
        self.control_port = control_port
        self.timeout = timeout
        self.command = command

    def _run(self, *args, secret=None, ok_codes=(0,)):
        argv = [self.command, '-C', str(self.control_port), '--lld',
                'iscsi'] + list(args)
        shown = ' '.join(argv)
        if secret is not None:
            argv += ['--password', secret]
            shown += ' --password ***'
        try:
            result = subprocess.run(argv, capture_output=True, text=True,
                                    timeout=self.timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise exception.ImageBackendError(
                reason='tgtadm could not be run (%s): %s' % (shown, e))
        if result.returncode not in ok_codes:
            raise exception.ImageBackendError(
                reason='tgtd refused "%s" (exit %d): %s' % (
                    shown, result.returncode,
                    (result.stderr or result.stdout).strip()))
        return result

    def targets(self):
        """Every target of tgtd, {iqn: Target}."""
        return parse_targets(self._run('--op', 'show', '--mode',
                                       'target').stdout)

    def accounts(self):
        """The CHAP user names tgtd knows."""
        out = self._run('--op', 'show', '--mode', 'account').stdout
        return [line.strip() for line in out.splitlines()[1:]
                if line.strip()]

    def new_target(self, tid, iqn):
        """Create a target; False if that tid is taken (pick another)."""
        result = self._run('--op', 'new', '--mode', 'target', '--tid',
                           str(tid), '-T', iqn, ok_codes=(0, 22))
        return result.returncode == 0

    def new_lun(self, tid, lun, path):
        self._run('--op', 'new', '--mode', 'logicalunit', '--tid', str(tid),
                  '--lun', str(lun), '-b', path)

    def bind_initiator(self, tid, initiator_iqn):
        self._run('--op', 'bind', '--mode', 'target', '--tid', str(tid),
                  '--initiator-name', initiator_iqn)

    def unbind_initiator(self, tid, initiator_iqn):
        self._run('--op', 'unbind', '--mode', 'target', '--tid', str(tid),
                  '--initiator-name', initiator_iqn)

    def set_account(self, user, secret):
        """Create a CHAP account, or give an existing one a new secret."""
        if user in self.accounts():
            self.delete_account(user)
        self._run('--op', 'new', '--mode', 'account', '--user', user,
                  secret=secret)

    def delete_account(self, user):
        self._run('--op', 'delete', '--mode', 'account', '--user', user,
                  ok_codes=(0, 22))

    def bind_account(self, tid, user):
        self._run('--op', 'bind', '--mode', 'account', '--tid', str(tid),
                  '--user', user)

    def delete_target(self, tid):
        """Delete a target, closing its sessions."""
        self._run('--op', 'delete', '--force', '--mode', 'target', '--tid',
                  str(tid), ok_codes=(0, 22))
