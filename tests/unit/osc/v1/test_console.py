"""Tests of openstack hil node console ..."""

import io
import os

from hil_os.osc import client
from hil_os.osc.v1 import console
from tests.unit.osc import fakes

GRANT = {'token': 'secret-token', 'uuid': 'tok-1',
         'node_uuid': fakes.NODE_UUID, 'expires_at': fakes.CREATED,
         'stream': 'http://127.0.0.1:6390/v1/console',
         'header': 'X-Console-Token'}


class TestConsole(fakes.TestCommand):

    def test_create_shows_the_token(self):
        self.hil.consoles.create.return_value = dict(GRANT)
        columns, data = self.run_command(console.CreateConsole, ['node1'])
        self.hil.consoles.create.assert_called_once_with('node1')
        self.assertEqual('secret-token', dict(zip(columns, data))['token'])

    def test_show(self):
        self.hil.consoles.get.return_value = {
            'node_uuid': fakes.NODE_UUID, 'tokens': [], 'session_open': True,
            'log': 'login: ', 'offset': 7}
        columns, data = self.run_command(console.ShowConsole, ['node1'])
        self.assertEqual('login: ', dict(zip(columns, data))['log'])

    def test_revoke(self):
        self.assertIsNone(self.run_command(console.RevokeConsole, ['node1']))
        self.hil.consoles.revoke.assert_called_once_with('node1')


class TestConnect(fakes.TestCommand):

    def setUp(self):
        super().setUp()
        self.hil.consoles.create.return_value = dict(GRANT)
        self.output = []
        self.typed = []
        self.hil.consoles.read.side_effect = self._read
        self.hil.consoles.write.side_effect = self._write
        read_end, write_end = os.pipe()
        self.app.stdin = os.fdopen(read_end)
        self.stdin_writer = os.fdopen(write_end, 'w')
        self.addCleanup(self.app.stdin.close)
        self.app.stdout = io.StringIO()

    def _read(self, token, offset, wait):
        self.assertEqual('secret-token', token)
        # One snapshot: a chunk typed meanwhile must not be counted in the
        # offset without being returned (as the server's log guarantees).
        chunks = list(self.output)
        return {'data': ''.join(chunks[offset:]), 'offset': len(chunks)}

    def _write(self, token, data):
        self.typed.append(data)
        self.output.append(data.upper())

    def test_lines_typed_reach_the_node_and_its_output_is_shown(self):
        self.output.append('login: ')
        self.stdin_writer.write('root\n')
        self.stdin_writer.close()
        self.run_command(console.ConnectConsole, ['node1'])
        self.assertEqual(['root\n'], self.typed)
        self.assertEqual('login: ROOT\n', self.app.stdout.getvalue())

    def test_session_not_open_yet_is_retried(self):
        self.hil.consoles.write.side_effect = [
            client.HilError('not open yet', 409), None]
        self.stdin_writer.write('x\n')
        self.stdin_writer.close()
        self.run_command(console.ConnectConsole, ['node1'])
        self.assertEqual(2, self.hil.consoles.write.call_count)

    def test_expired_token_ends_with_its_error(self):
        self.hil.consoles.read.side_effect = client.HilError(
            'The console token is invalid or expired.', 401)
        e = self.assertRaises(client.HilError, self.run_command,
                              console.ConnectConsole, ['node1'])
        self.assertEqual(401, e.code)
        self.stdin_writer.close()
