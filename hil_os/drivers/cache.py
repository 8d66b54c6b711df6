"""Driver objects kept per resource while its driver settings stay the same."""

import threading


class DriverCache:
    """One driver per resource row, rebuilt when the row's ``key`` changes.

    ``key(row)`` names what the driver was built from; ``build(row)`` makes
    a driver. A replaced driver is closed, and so is every driver at
    ``close_all``.
    """

    def __init__(self, key, build):
        self._key = key
        self._build = build
        self._lock = threading.Lock()
        self._drivers = {}

    def get(self, row):
        """The driver of ``row`` (a DB row with an ``id``)."""
        key = self._key(row)
        with self._lock:
            cached = self._drivers.get(row.id)
            if cached and cached[0] == key:
                return cached[1]
        driver = self._build(row)
        with self._lock:
            old = self._drivers.get(row.id)
            self._drivers[row.id] = (key, driver)
        if old:
            old[1].close()
        return driver

    def close_all(self):
        with self._lock:
            drivers, self._drivers = self._drivers, {}
        for _key, driver in drivers.values():
            driver.close()
