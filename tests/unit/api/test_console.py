"""Serial consoles through the API, on the fake power driver."""

import datetime

import sqlalchemy as sa

from hil_os.db import api as dbapi
from hil_os.db import models
from hil_os.drivers.power import fake as fake_power
from tests import base
from tests import factories


class TestConsoleApi(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.node = factories.create_test_node(project_id=base.PROJECT_A,
                                               bmc_port=6299)
        self.fake = fake_power.bmc('127.0.0.1', 6299)
        self.path = '/v1/nodes/%s/console' % self.node.name

    def _token(self, headers=base.A_MEMBER):
        return self.request('post', self.path, status=201,
                            headers=headers).json

    def _read(self, token, offset=0, status=200):
        return self.request('get', '/v1/console?offset=%d' % offset,
                            status=status,
                            headers={'X-Console-Token': token})

    def _flush(self):
        self.conductor.manager.consoles.flush_all()

    def test_owner_reads_output_and_types(self):
        issued = self._token()
        self.assertEqual(self.node.uuid, issued['node_uuid'])
        self.assertTrue(issued['stream'].endswith('/v1/console'))
        self.fake.console_output(b'login: ')
        self._flush()
        first = self._read(issued['token']).json
        self.assertEqual('login: ', first['data'])
        self.request('post', '/v1/console', {'data': 'root\n'}, status=202,
                     headers={'X-Console-Token': issued['token']})
        self._flush()
        second = self._read(issued['token'], first['offset']).json
        self.assertEqual('root\n', second['data'])
        self.assertEqual(first['offset'] + 5, second['offset'])
        log = self.request('get', self.path, status=200,
                           headers=base.A_MEMBER).json
        self.assertEqual('login: root\n', log['log'])
        self.assertTrue(log['session_open'])
        self.assertEqual([issued['uuid']], [t['uuid'] for t in log['tokens']])

    def test_token_is_stored_hashed(self):
        issued = self._token()
        with dbapi.get_engine().connect() as conn:
            stored = conn.execute(sa.select(
                models.ConsoleToken.token_hash)).scalar()
        self.assertNotEqual(issued['token'], stored)
        self.assertNotIn(issued['token'], stored)
        self.assertEqual(64, len(stored))

    def test_bad_missing_and_expired_tokens_get_401(self):
        issued = self._token()
        self._read('not-a-token', status=401)
        self.request('get', '/v1/console', status=401, headers={})
        with dbapi.get_engine().begin() as conn:
            conn.execute(sa.update(models.ConsoleToken).values(
                expires_at=datetime.datetime(2000, 1, 1)))
        self._read(issued['token'], status=401)
        self.request('post', '/v1/console', {'data': 'x'}, status=401,
                     headers={'X-Console-Token': issued['token']})
        self.conductor.manager.consoles.sweep()
        self.assertEqual([], self.fake.consoles)

    def test_revoke_closes_session(self):
        issued = self._token()
        self.assertEqual(1, len(self.fake.consoles))
        self.request('delete', self.path, status=204, headers=base.A_MEMBER)
        self._read(issued['token'], status=401)
        self.assertEqual([], self.fake.consoles)

    def test_hand_back_revokes_tokens_and_drops_log(self):
        issued = self._token()
        self.fake.console_output(b'secret project output')
        self._flush()
        self.request('delete', '/v1/nodes/%s/project' % self.node.name,
                     status=202)
        self._read(issued['token'], status=401)
        self.assertEqual([], self.fake.consoles)
        log = self.request('get', self.path, status=200).json
        self.assertEqual('', log['log'])

    def test_other_project_404_reader_403(self):
        for method in ('get', 'post', 'delete'):
            self.request(method, self.path, status=404,
                         headers=base.B_MEMBER)
        self.request('post', self.path, status=403, headers=base.A_READER)
        self.request('get', self.path, status=403, headers=base.A_READER)

    def test_invalid_input_and_query(self):
        issued = self._token()
        headers = {'X-Console-Token': issued['token']}
        self.request('post', '/v1/console', {'data': ''}, status=400,
                     headers=headers)
        resp = self.request('get', '/v1/console?offset=-1', status=400,
                            headers=headers)
        self.assertIn('offset', resp.json['error']['message'])

    def test_log_keeps_the_last_output(self):
        self.config.config(log_size=1024, group='console')
        issued = self._token()
        for i in range(30):
            self.fake.console_output(b'line %02d %s\r\n' % (i, b'x' * 60))
            self._flush()
        page = self._read(issued['token']).json
        self.assertLessEqual(len(page['data']), 1024)
        self.assertTrue(page['data'].endswith('line 29 %s\r\n' % ('x' * 60)))
        self.assertEqual(30 * 70, page['offset'])
