"""Storage work on images and kept disks: create, import, copy, delete.

Level-triggered like switch reconciliation: the API leaves an image or a
disk in ``creating`` or ``deleting``; a conductor claims the row
(compare-and-swap with an expiry, renewed while it works), calls the
backend (idempotent by UUID), and records the result and the action's
outcome in one transaction. A conductor that dies mid-way loses its claim
and another redoes the work.
"""

import contextlib
import datetime
import threading

from oslo_config import cfg
from oslo_log import log
from oslo_utils import timeutils

from hil_os.common import exception
from hil_os.common import states
from hil_os.db import api as dbapi
from hil_os.drivers import image as image_backends

CONF = cfg.CONF
LOG = log.getLogger(__name__)


def expires_before():
    """Claims taken before this moment have expired."""
    return timeutils.utcnow() - datetime.timedelta(
        seconds=CONF.conductor.claim_timeout)


@contextlib.contextmanager
def renewing(renew):
    """Call ``renew()`` every third of the claim timeout while inside."""
    done = threading.Event()

    def loop():
        while not done.wait(CONF.conductor.claim_timeout / 3.0):
            try:
                renew()
            except Exception:
                LOG.exception('Could not renew a claim.')

    thread = threading.Thread(target=loop, name='hil-os-claim-renewal',
                              daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def _store(backend, image):
    if image.source is None:
        return backend.create_image(image.uuid, image.size)
    if image.source.startswith('copy:'):
        src = dbapi.image_by_uuid(image.source[len('copy:'):])
        return backend.copy_image(src.backend_ref, image.uuid)
    return backend.import_image(image.uuid, image.source)


class StorageJobs:
    """Runs storage jobs of one conductor on its thread pool."""

    def __init__(self, hostname, executor):
        self.hostname = hostname
        self._executor = executor
        self._lock = threading.Lock()
        self._active = set()

    def sweep(self):
        """Queue every image and disk with storage work and no live claim."""
        for job in dbapi.storage_jobs(expires_before()):
            with self._lock:
                if job in self._active:
                    continue
                self._active.add(job)
            self._executor.submit(self._run, *job)

    def _run(self, kind, row_id):
        try:
            self.run(kind, row_id)
        except Exception:
            LOG.exception('Storage job on %s %s failed unexpectedly.', kind,
                          row_id)
        finally:
            with self._lock:
                self._active.discard((kind, row_id))

    def run(self, kind, row_id):
        """Claim an image or disk and do its storage work."""
        row = dbapi.storage_claim(kind, row_id, self.hostname,
                                  expires_before())
        if row is None:
            return
        renew = lambda: dbapi.storage_claim(  # noqa: E731
            kind, row_id, self.hostname, expires_before())
        try:
            with renewing(renew):
                self._work(kind, row)
        except exception.HilOsException as e:
            LOG.error('%s %s: %s failed: %s', kind.capitalize(), row.name,
                      row.status, e.message)
            dbapi.storage_failed(kind, row.id, e.message)
        except Exception as e:
            LOG.exception('%s %s: %s failed.', kind.capitalize(), row.name,
                          row.status)
            dbapi.storage_failed(kind, row.id, 'Unexpected error while %s '
                                 '%s %s: %s' % (row.status, kind, row.name,
                                                e))

    def _work(self, kind, row):
        backend = image_backends.get(row.backend)
        if row.status == states.STORE_DELETING:
            if row.backend_ref:
                backend.delete(row.backend_ref)
            dbapi.storage_deleted(kind, row.id)
            LOG.info('%s %s deleted from backend %s.', kind.capitalize(),
                     row.name, row.backend)
            return
        stored = _store(backend, row)
        try:
            dbapi.image_stored(row.id, stored.ref, stored.size)
        except exception.DiskQuotaExceeded:
            backend.delete(stored.ref)
            raise
        LOG.info('Image %s stored on backend %s as %s (%d bytes).',
                 row.name, row.backend, stored.ref, stored.size)
