"""``hil-os lab up`` and ``down`` themselves: time, and a crash."""

import os
import signal
import subprocess
import sys

from hil_os.lab import lab
from hil_os.lab import state as lab_state
from hil_os.lab import system
from tests.e2e import base


class TestLabLifecycle(base.LabTestCase):

    with_lab = False  # this test makes and breaks its own

    def test_down_cleans_up_after_up_was_killed(self):
        directory = self.useFixture(base.fixtures.TempDir()).path
        binary = os.path.join(os.path.dirname(sys.executable), 'hil-os')
        up = subprocess.Popen(
            [binary, 'lab', 'up', '--dir', directory, '--nodes', '2',
             '--url', 'http://127.0.0.1:%d' % base._free_port(),
             '--no-install', '--no-linux'],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        self.addCleanup(lambda: subprocess.run(
            [binary, 'lab', 'down', '--dir', directory],
            capture_output=True, check=False))
        path = os.path.join(directory, 'run', 'state.json')

        def hil_os_started():
            return (os.path.exists(path) and
                    'hil-os' in lab_state.State(directory)['pids'])
        system.wait_for('hil-os lab up to start hil-os', hil_os_started, 120)
        os.killpg(up.pid, signal.SIGKILL)
        up.wait()
        state = lab_state.State(directory)
        self.assertNotEqual([], lab.leftovers(state))
        pids = [pid for pid in state['pids'].values()]

        result = subprocess.run(
            [binary, 'lab', 'down', '--dir', directory],
            capture_output=True, text=True, timeout=120, check=False)
        self.assertEqual(0, result.returncode, result.stdout + result.stderr)
        self.assertEqual([], lab.leftovers(state))
        self.assertEqual([], [p for p in pids if system.pid_alive(p)])
        self.assertNotIn(state.switch_ns, system.netns_list())
        self.assertFalse(os.path.exists(state.run_dir))
