"""The per-resource driver cache of the conductors."""

import collections

import testtools

from hil_os.drivers import cache

Row = collections.namedtuple('Row', 'id version')


class Driver:

    def __init__(self, row):
        self.row = row
        self.closed = False

    def close(self):
        self.closed = True


class TestDriverCache(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.cache = cache.DriverCache(lambda row: row.version, Driver)

    def test_same_key_gives_the_same_driver(self):
        first = self.cache.get(Row(1, 'a'))
        self.assertIs(first, self.cache.get(Row(1, 'a')))
        self.assertIsNot(first, self.cache.get(Row(2, 'a')))

    def test_changed_key_rebuilds_and_closes_the_old_driver(self):
        old = self.cache.get(Row(1, 'a'))
        new = self.cache.get(Row(1, 'b'))
        self.assertEqual(('b', True, False),
                         (new.row.version, old.closed, new.closed))

    def test_close_all_closes_every_driver_and_forgets_them(self):
        drivers = [self.cache.get(Row(i, 'a')) for i in range(3)]
        self.cache.close_all()
        self.assertTrue(all(d.closed for d in drivers))
        self.assertIsNot(drivers[0], self.cache.get(Row(0, 'a')))
