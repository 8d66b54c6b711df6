"""Commands, network namespaces, devices and processes of the lab."""

import os
import shutil
import signal
import socket
import subprocess
import time


class LabError(Exception):
    """Something the lab needs failed; str() says what."""


def run(*argv, netns=None, check=True, env=None, timeout=60, quiet=False):
    """Run a command (in a namespace if given); its stdout."""
    argv = [str(a) for a in argv]
    if netns:
        argv = ['ip', 'netns', 'exec', netns] + argv
    try:
        result = subprocess.run(argv, capture_output=True, text=True,
                                env=env, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise LabError('%s: %s' % (' '.join(argv), e))
    if check and result.returncode != 0:
        raise LabError('%s failed (%d): %s' % (
            ' '.join(argv), result.returncode,
            (result.stderr or result.stdout).strip()[-2000:]))
    return result.stdout


def spawn(argv, log_path, netns=None, env=None, pass_fds=()):
    """Start a long-running process in its own session; its PID."""
    argv = [str(a) for a in argv]
    if netns:
        argv = ['ip', 'netns', 'exec', netns] + argv
    with open(log_path, 'ab') as log:
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, env=env, start_new_session=True,
            pass_fds=pass_fds)
    return process.pid


def netns_list():
    return [line.split()[0] for line in run('ip', 'netns', 'list').split(
        '\n') if line.strip()]


def netns_add(name):
    if name not in netns_list():
        run('ip', 'netns', 'add', name)
    run('ip', 'link', 'set', 'lo', 'up', netns=name)
    run('sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1',
        'net.ipv6.conf.default.disable_ipv6=1', netns=name)


def links(netns=None):
    """Names of the network devices (of a namespace)."""
    out = run('ip', '-o', 'link', 'show', netns=netns, check=False)
    names = []
    for line in out.splitlines():
        parts = line.split(':', 2)
        if len(parts) > 1:
            names.append(parts[1].strip().split('@')[0])
    return names


def link_del(name, netns=None):
    run('ip', 'link', 'del', name, netns=netns, check=False)


def pid_alive(pid):
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie has exited: it only waits for its parent to reap it.
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except OSError:
        return False


def read_pidfile(path):
    try:
        with open(path) as f:
            return int(f.read().strip() or 0)
    except (OSError, ValueError):
        return 0


def stop_pid(pid, grace=5.0):
    """SIGTERM a process, SIGKILL it after ``grace`` seconds."""
    if not pid_alive(pid):
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    for _ in range(40):
        if not pid_alive(pid):
            return
        time.sleep(0.05)


def pids_referencing(path):
    """PIDs of processes whose command line names a file under ``path``."""
    prefix = os.path.realpath(path).rstrip('/') + '/'
    found = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open('/proc/%s/cmdline' % entry, 'rb') as f:
                args = f.read().split(b'\0')
        except OSError:
            continue
        if any(prefix.encode() in arg for arg in args):
            found.append(int(entry))
    return found


def free_tcp_port(start, end, host='127.0.0.1'):
    """A TCP port of [start, end) nothing listens on."""
    for port in range(start, end):
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((host, port))
            except OSError:
                continue
            return port
    raise LabError('no free TCP port in %d-%d' % (start, end - 1))


def free_udp_port(start, end, taken=(), host='127.0.0.1'):
    """A UDP port of [start, end) that nothing has bound.

    ipmi_sim starts silently on a used port and steals its requests.
    """
    for port in range(start, end):
        if port in taken:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            try:
                s.bind((host, port))
            except OSError:
                continue
            return port
    raise LabError('no free UDP port in %d-%d' % (start, end - 1))


def wait_for(what, check, timeout, interval=0.05):
    """Poll ``check()`` until it is true; LabError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise LabError('timed out after %s s waiting for %s'
                           % (timeout, what))
        time.sleep(interval)


def which(program):
    return shutil.which(program) or shutil.which(
        program, path='/usr/sbin:/sbin:/usr/bin:/bin')
