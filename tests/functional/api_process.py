"""Real hil-os API processes for functional tests."""

import os
import socket
import subprocess
import sys
import time

import fixtures
import requests

from tests import base


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def write_config(path, **sections):
    """Write an ini file from {section: {option: value}}."""
    with open(path, 'w') as f:
        for section, options in sections.items():
            f.write('[%s]\n' % section)
            for key, value in options.items():
                f.write('%s = %s\n' % (key, value))


class ApiProcess(fixtures.Fixture):
    """``hil-os-api`` (or another hil-os command) running as a process."""

    def __init__(self, config_file, port, command='hil-os-api',
                 args=(), env=None):
        super().__init__()
        self.config_file = config_file
        self.port = port
        self.command = command
        self.args = list(args)
        self.env = env
        self.url = 'http://127.0.0.1:%d' % port

    def command_line(self):
        """The command and its arguments (a subclass may serve otherwise)."""
        binary = os.path.join(os.path.dirname(sys.executable), self.command)
        return [binary, '--config-file', self.config_file] + self.args

    def _setUp(self):
        log_path = self.config_file + '.%s.log' % self.command
        self.log = open(log_path, 'w')
        self.addCleanup(self.log.close)
        self.process = subprocess.Popen(
            self.command_line(), stdout=self.log, stderr=subprocess.STDOUT,
            env=self.env)
        self.addCleanup(self._stop)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('%s exited with %s; see %s' % (
                    self.command, self.process.returncode, log_path))
            try:
                requests.get(self.url + '/', timeout=5)
                return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.1)
        raise RuntimeError('%s did not answer on %s' % (self.command,
                                                        self.url))

    def _stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def service_config(testcase, db_url, **extra):
    """A config file for service processes sharing the test's database."""
    path = os.path.join(testcase.useFixture(fixtures.TempDir()).path,
                        'hil-os.conf')
    sections = {
        'DEFAULT': {'transport_url': 'fake://',
                    'state_path': os.path.dirname(path)},
        'api': {'auth_strategy': 'noauth', 'host_ip': '127.0.0.1',
                'port': free_port()},
        'database': {'connection': db_url},
        'secrets': {'key': base.TEST_KEY},
    }
    for section, options in extra.items():
        sections.setdefault(section, {}).update(options)
    write_config(path, **sections)
    return path, sections
