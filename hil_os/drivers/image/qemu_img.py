"""Reading import sources and writing raw disks with qemu-img.

Import sources are untrusted: only raw and qcow2 are accepted, always
with an explicit format, and a qcow2 file with a backing file is refused
(it could point at any file of the conductor host).
"""

import json
import os
import subprocess
import tempfile
import urllib.parse

from oslo_config import cfg

from hil_os.common import exception

CONF = cfg.CONF

FORMATS = ('raw', 'qcow2')


def _run(argv, what):
    try:
        result = subprocess.run(argv, capture_output=True, text=True,
                                timeout=CONF.image.operation_timeout,
                                check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise exception.ImageBackendError(reason='%s: %s' % (what, e))
    return result


def check_source(source):
    """Refuse a source outside [image] import_schemes and import_dirs.

    :returns: the path or URL to give qemu-img.
    :raises: InvalidImageSource.
    """
    parsed = urllib.parse.urlparse(source)
    if parsed.scheme in ('', 'file'):
        path = os.path.realpath(parsed.path if parsed.scheme else source)
        for allowed in CONF.image.import_dirs:
            allowed = os.path.realpath(allowed)
            if os.path.commonpath([allowed, path]) == allowed:
                return path
        raise exception.InvalidImageSource(
            source=source, reason='local files can only be imported from '
                                  'the directories of [image] import_dirs')
    if parsed.scheme not in CONF.image.import_schemes:
        raise exception.InvalidImageSource(
            source=source, reason='scheme %s is not one of [image] '
                                  'import_schemes' % parsed.scheme)
    return source


def info(source):
    """(format, virtual size in bytes) of a checked import source."""
    result = _run(['qemu-img', 'info', '--output=json', source],
                  'qemu-img info')
    if result.returncode != 0:
        raise exception.InvalidImageSource(
            source=source, reason=result.stderr.strip() or 'unreadable')
    details = json.loads(result.stdout)
    fmt = details.get('format')
    if fmt not in FORMATS:
        raise exception.InvalidImageSource(
            source=source, reason='format %s is not raw or qcow2' % fmt)
    if details.get('backing-filename') or details.get('data-file'):
        raise exception.InvalidImageSource(
            source=source, reason='images with a backing or data file are '
                                  'refused')
    return fmt, int(details['virtual-size'])


def convert_to_file(source, fmt, dest):
    """Write ``source`` as a sparse raw file ``dest``."""
    result = _run(['qemu-img', 'convert', '-f', fmt, '-O', 'raw', '-S', '4k',
                   source, dest], 'qemu-img convert')
    if result.returncode != 0:
        raise exception.ImageBackendError(
            reason='could not convert %s: %s' % (source,
                                                 result.stderr.strip()))


def iscsi_opts(export, initiator_iqn, secret_id):
    """qemu --image-opts of a raw disk behind an iSCSI export.

    The CHAP secret is read from the qemu secret object ``secret_id``, so
    it never appears on a command line.
    """
    return ','.join([
        'driver=raw', 'file.driver=iscsi', 'file.transport=tcp',
        'file.portal=%s:%d' % (export.portal_host, export.portal_port),
        'file.target=%s' % export.target_iqn, 'file.lun=%d' % export.lun,
        'file.user=%s' % export.chap_username,
        'file.password-secret=%s' % secret_id,
        'file.initiator-name=%s' % initiator_iqn])


def convert_to_iscsi(source, fmt, export, initiator_iqn):
    """Write ``source`` onto an exported LUN (which must be large enough)."""
    with tempfile.NamedTemporaryFile('w', prefix='hil-chap-') as secret:
        secret.write(export.chap_secret)
        secret.flush()
        result = _run(['qemu-img', 'convert', '-n', '-f', fmt,
                       '--object', 'secret,id=chap,file=%s' % secret.name,
                       '--target-image-opts', source,
                       iscsi_opts(export, initiator_iqn, 'chap')],
                      'qemu-img convert')
    if result.returncode != 0:
        raise exception.ImageBackendError(
            reason='could not write %s to target %s: %s' % (
                source, export.target_iqn, result.stderr.strip()))
