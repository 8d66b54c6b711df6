"""SQLite file databases keep pooled connections, set up once."""

import threading

import sqlalchemy as sa

from hil_os.db import api as dbapi
from tests import base
from tests import factories


class TestSqlitePool(base.TestCase):

    def test_connections_are_reused_across_transactions(self):
        engine = dbapi.get_engine()
        self.assertIsInstance(engine.pool, sa.QueuePool)
        opened = []
        sa.event.listen(engine, 'connect', lambda *a: opened.append(1))
        for _ in range(5):
            dbapi.node_list()
        self.assertLessEqual(len(opened), 1)

    def test_pooled_connections_keep_their_pragmas(self):
        with dbapi.get_engine().connect() as conn:
            self.assertEqual('wal', conn.exec_driver_sql(
                'PRAGMA journal_mode').scalar())
            self.assertEqual(1, conn.exec_driver_sql(
                'PRAGMA foreign_keys').scalar())

    def test_a_pooled_connection_serves_other_threads(self):
        node = factories.create_test_node()
        dbapi.node_list()
        found = []
        thread = threading.Thread(
            target=lambda: found.append(dbapi.node_get(node.uuid).name))
        thread.start()
        thread.join()
        self.assertEqual([node.name], found)
