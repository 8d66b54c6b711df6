"""Running the real ``openstack`` binary against a running hil-os.

:class:`EmbeddedServer` is ``hil-os --demo`` in its own process (one per
test process, shared by its tests; each test makes its own names).
:class:`InProcessServer` serves the API from the test process, so a test
can make the fake switch fail.
"""

import atexit
import ctypes
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid

from cheroot import wsgi
import fixtures

from hil_os.api import app as api_app
from hil_os.conductor import rpcapi
from tests import base
from tests import fixtures as hil_fixtures

BIN = os.path.dirname(sys.executable)
PORTS = range(16300, 16400)
CLI_TIMEOUT = 60
# Decided at import: a test's NestedTempfile removes its temp dir at its
# end, and the shared server outlives the test that starts it.
_TEMP_DIR = tempfile.gettempdir()


def _die_with_parent():
    """In the server's process: get SIGTERM when the test process dies.

    atexit does not run when a test worker is killed; the kernel still
    stops the server then (Linux prctl PR_SET_PDEATHSIG).
    """
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)


def _port_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(('127.0.0.1', port))
        except OSError:
            return False
    return True


def _answers(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


class EmbeddedServer:
    """``hil-os --demo`` on a free port of 16300-16399, in a temp dir."""

    def __init__(self):
        self.workdir = tempfile.mkdtemp(prefix='hil-os-osc-', dir=_TEMP_DIR)
        self.process = None
        self.url = None

    def start(self):
        ports = [p for p in PORTS if _port_free(p)]
        random.shuffle(ports)
        for port in ports[:5]:
            if self._start_on(port):
                return self
        raise RuntimeError('hil-os did not start; see %s/hil-os.log'
                           % self.workdir)

    def _start_on(self, port):
        conf = os.path.join(self.workdir, 'hil-os.conf')
        with open(conf, 'w') as f:
            f.write('[DEFAULT]\nstate_path = %s\n[api]\nport = %d\n'
                    '[conductor]\nsync_interval = 0.5\n'
                    % (os.path.join(self.workdir, 'state'), port))
            if os.environ.get('HIL_OS_TGTD_CONTROL'):
                # The local image backend exports through the tgtd peer.
                f.write('[image_local]\ntgt_control_port = %s\n'
                        'portal_port = %s\n' % (
                            os.environ['HIL_OS_TGTD_CONTROL'],
                            os.environ['HIL_OS_TGTD_PORT']))
        with open(os.path.join(self.workdir, 'hil-os.log'), 'ab') as log:
            self.process = subprocess.Popen(
                [os.path.join(BIN, 'hil-os'), '--config-file', conf,
                 '--demo'], stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
                preexec_fn=_die_with_parent)
        url = 'http://127.0.0.1:%d' % port
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            if _answers(url + '/v1'):
                self.url = url
                return True
            time.sleep(0.2)
        self.stop()
        return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)


_EMBEDDED = None
_EMBEDDED_LOCK = threading.Lock()


def embedded_server():
    """The embedded hil-os of this test process, started on first use."""
    global _EMBEDDED
    with _EMBEDDED_LOCK:
        if _EMBEDDED is None:
            _EMBEDDED = EmbeddedServer().start()
            atexit.register(_EMBEDDED.stop)
    return _EMBEDDED


class InProcessServer(fixtures.Fixture):
    """The API and a threaded conductor of a test, on an OS-chosen port."""

    def _setUp(self):
        conductor = self.useFixture(hil_fixtures.Conductor(threaded=True))
        app = api_app.setup_app(rpcapi.LocalConductorAPI(conductor.manager))
        server = wsgi.Server(('127.0.0.1', 0), app, numthreads=4)
        server.prepare()
        self.url = 'http://127.0.0.1:%d' % server.bind_addr[1]
        thread = threading.Thread(target=server.serve, daemon=True)
        thread.start()
        self.addCleanup(thread.join, 10)
        self.addCleanup(server.stop)


class Result:

    def __init__(self, process):
        self.rc = process.returncode
        self.stdout = process.stdout
        self.stderr = process.stderr

    def json(self):
        return json.loads(self.stdout)


class CliTestCase(base.TestCase):
    """Runs ``openstack`` with a clean environment against ``self.url``."""

    use_db = False
    url = None

    def setUp(self):
        super().setUp()
        # Each CLI call costs 1-3 s (more on a busy machine).
        self.useFixture(fixtures.Timeout(int(os.environ.get(
            'OS_TEST_TIMEOUT', '60')) * 4, gentle=True))
        self.home = self.useFixture(fixtures.TempDir()).path
        self.suffix = uuid.uuid4().hex[:8]

    def env(self, project=None, roles=None):
        """The environment of an ``openstack`` call in noauth mode."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(('OS_', 'HIL_OS_'))}
        env.update(HOME=self.home, OS_AUTH_TYPE='none', HIL_OS_URL=self.url,
                   PYTHONWARNINGS='ignore')
        if project:
            env['HIL_OS_PROJECT_ID'] = project
        if roles:
            env['HIL_OS_ROLES'] = roles
        return env

    def openstack(self, *args, env=None, rc=0, project=None, roles=None,
                  stdin=None):
        """Run ``openstack ARGS``; check its exit code is ``rc``."""
        kwargs = ({'input': stdin} if stdin is not None
                  else {'stdin': subprocess.DEVNULL})
        process = subprocess.run(
            [os.path.join(BIN, 'openstack'), *args],
            env=env or self.env(project, roles), capture_output=True,
            text=True, timeout=CLI_TIMEOUT, **kwargs)
        result = Result(process)
        self.assertEqual(rc, result.rc, 'openstack %s\nstdout: %s\n'
                         'stderr: %s' % (' '.join(args), result.stdout,
                                         result.stderr))
        self.assertNotIn('Traceback', result.stderr)
        return result

    def api(self, method, path, body=None, project=None, roles=None):
        """Call the API directly (test set-up); the decoded answer."""
        headers = {'Content-Type': 'application/json'}
        if project:
            headers.update({'X-Project-Id': project,
                            'X-Roles': roles or 'member,reader'})
        request = urllib.request.Request(
            self.url + path, method=method, headers=headers,
            data=json.dumps(body).encode() if body is not None else None)
        with urllib.request.urlopen(request, timeout=10) as response:
            data = response.read()
        return json.loads(data) if data else None
