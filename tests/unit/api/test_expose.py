"""Serialising API answers: JSON bytes, times to the second, rows."""

import datetime

import sqlalchemy as sa

from hil_os.api import expose
from tests import base


class TestDumps(base.TestCase):

    use_db = False

    def test_times_are_iso_8601_to_the_second(self):
        value = {'at': datetime.datetime(2026, 11, 27, 3, 44, 45, 123456),
                 'zoned': datetime.datetime(2026, 11, 27, 3, 44, 45,
                                            tzinfo=datetime.timezone.utc),
                 'none': None, 'text': 'n\u0153ud'}
        self.assertEqual(
            '{"at":"2026-11-27T03:44:45",'
            '"zoned":"2026-11-27T03:44:45+00:00",'
            '"none":null,"text":"n\u0153ud"}',
            expose.dumps(value).decode('utf-8'))

    def test_an_unknown_type_is_refused(self):
        self.assertRaises(TypeError, expose.dumps, {'x': object()})


class TestRecords(base.TestCase):

    use_db = False

    def setUp(self):
        super().setUp()
        engine = sa.create_engine('sqlite://')
        self.addCleanup(engine.dispose)
        with engine.connect() as conn:
            self.rows = conn.execute(sa.text(
                "SELECT 1 AS id, 'a' AS name, 'x' AS bmc_driver "
                "UNION ALL SELECT 2, 'b', 'y'")).all()

    def test_named_columns_by_position(self):
        self.assertEqual([{'name': 'a', 'id': 1}, {'name': 'b', 'id': 2}],
                         expose.records(self.rows, ('name', 'id')))

    def test_renamed_and_single_columns(self):
        self.assertEqual([{'driver': 'x'}, {'driver': 'y'}],
                         expose.records(self.rows, ('bmc_driver',),
                                        ('driver',)))

    def test_no_rows(self):
        self.assertEqual([], expose.records([], ('id',)))
