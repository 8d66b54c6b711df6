"""Database connections: pooled SQLite files, mysqlclient datetimes."""

import datetime
import threading

import sqlalchemy as sa

from hil_os.db import api as dbapi
from hil_os.db import connections
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


class TestMysqlclientDatetimes(base.TestCase):

    db_engine = 'mysql'

    def setUp(self):
        super().setUp()
        try:
            import MySQLdb  # noqa: F401
        except ImportError:
            self.skipTest('mysqlclient is not installed')
        self.engine = sa.create_engine(
            self.db.url.replace('mysql+pymysql://', 'mysql+mysqldb://'))
        self.addCleanup(self.engine.dispose)

    def test_datetimes_decode_as_before(self):
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql(
                "SELECT CAST('2026-11-27 03:44:45' AS DATETIME), "
                "CAST('2026-11-27 03:44:45.5' AS DATETIME(1)), "
                "CAST(NULL AS DATETIME), CAST('2026-11-27' AS DATE)").one()
        self.assertEqual(
            (datetime.datetime(2026, 11, 27, 3, 44, 45),
             datetime.datetime(2026, 11, 27, 3, 44, 45, 500000), None,
             datetime.date(2026, 11, 27)), tuple(row))

    def test_unparsable_values_go_to_the_driver(self):
        self.assertEqual('driver', connections._datetime(
            lambda value: 'driver', '0000-00-00 00:00:00'))
