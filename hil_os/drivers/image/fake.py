"""An in-memory image backend for unit tests and the demo.

It keeps what it stores and exports for the life of the process, so tests
can look at it, and can make the next calls of a method fail.
"""

import threading

from hil_os.common import exception
from hil_os.drivers.image import base

_LOCK = threading.Lock()
_STORED = {}    # ref -> {'size': int, 'data': str, 'from': ref or None}
_EXPORTS = {}   # export ref -> base.Export plus initiator
_FAULTS = {}    # method name -> [exception, times]
_CALLS = []     # (method, ref or uuid), in order


def stored():
    """A copy of what the fake stores: {ref: {'size', 'data', 'from'}}."""
    with _LOCK:
        return {ref: dict(item) for ref, item in _STORED.items()}


def exports():
    """A copy of the current exports: {ref: (Export, initiator_iqn)}."""
    with _LOCK:
        return dict(_EXPORTS)


def calls():
    """The calls made so far: [(method, argument)]."""
    with _LOCK:
        return list(_CALLS)


def write(ref, data):
    """Change the content of a stored item (what a node would write)."""
    with _LOCK:
        _STORED[ref]['data'] = data


def inject_fault(method, exc, times=1):
    """Make the next ``times`` calls of ``method`` raise ``exc``."""
    with _LOCK:
        _FAULTS[method] = [exc, times]


def forget_exports():
    """Drop every export, as a restarted target server would."""
    with _LOCK:
        _EXPORTS.clear()


def reset():
    """Forget everything."""
    with _LOCK:
        _STORED.clear()
        _EXPORTS.clear()
        _FAULTS.clear()
        del _CALLS[:]


def _enter(method, arg):
    _CALLS.append((method, arg))
    fault = _FAULTS.get(method)
    if fault:
        fault[1] -= 1
        if fault[1] <= 0:
            del _FAULTS[method]
        raise fault[0]


class FakeBackend(base.ImageBackend):
    """Stores sizes and a content label per item; exports in memory."""

    copy_on_write = True

    def _new(self, method, ref, size, data, source=None):
        with _LOCK:
            _enter(method, ref)
            if ref not in _STORED:
                _STORED[ref] = {'size': size, 'data': data, 'from': source}
            return base.Stored(ref, _STORED[ref]['size'])

    def _get(self, ref):
        item = _STORED.get(ref)
        if item is None:
            raise exception.ImageBackendError(
                reason='fake item %s is missing' % ref)
        return item

    def create_image(self, image_uuid, size):
        return self._new('create_image', 'image-%s' % image_uuid, size, '')

    def import_image(self, image_uuid, source):
        if not source.startswith('fake:'):
            raise exception.InvalidImageSource(
                source=source, reason='the fake backend imports fake:<size>')
        return self._new('import_image', 'image-%s' % image_uuid,
                         int(source[5:]), 'imported from %s' % source)

    def _copy(self, method, src_ref, ref):
        with _LOCK:
            item = dict(self._get(src_ref))
        return self._new(method, ref, item['size'], item['data'], src_ref)

    def copy_image(self, src_ref, image_uuid):
        return self._copy('copy_image', src_ref, 'image-%s' % image_uuid)

    def clone(self, src_ref, disk_uuid):
        return self._copy('clone', src_ref, 'disk-%s' % disk_uuid)

    def snapshot(self, disk_ref, image_uuid):
        return self._copy('snapshot', disk_ref, 'image-%s' % image_uuid)

    def delete(self, ref):
        with _LOCK:
            _enter('delete', ref)
            if 'target-of-' + ref in _EXPORTS:
                raise exception.ImageBackendError(
                    reason='%s is still exported' % ref)
            _STORED.pop(ref, None)

    def export(self, disk_ref, disk_uuid, initiator_iqn, chap_username,
               chap_secret):
        with _LOCK:
            _enter('export', disk_ref)
            self._get(disk_ref)
            ref = 'target-of-' + disk_ref
            export = base.Export(
                ref=ref, portal_host='192.0.2.10', portal_port=3260,
                target_iqn='iqn.2026-11.org.hil-os.fake:%s' % disk_uuid,
                lun=1, chap_username=chap_username, chap_secret=chap_secret)
            _EXPORTS[ref] = (export, initiator_iqn)
            return export

    def unexport(self, disk_ref, disk_uuid):
        with _LOCK:
            _enter('unexport', disk_ref)
            _EXPORTS.pop('target-of-' + disk_ref, None)

    def is_exported(self, disk_ref, disk_uuid):
        with _LOCK:
            _enter('is_exported', disk_ref)
            return 'target-of-' + disk_ref in _EXPORTS
