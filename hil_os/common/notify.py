"""oslo.messaging notifications with plain dict payloads.

Configured by the ``[oslo_messaging_notifications]`` options (``driver``,
``transport_url``, ``topics``); with no driver nothing is sent. Payloads
name resources by UUID and never carry credentials.
"""

import threading

from oslo_config import cfg
from oslo_log import log
import oslo_messaging as messaging

CONF = cfg.CONF
LOG = log.getLogger(__name__)

_LOCK = threading.Lock()
_NOTIFIER = None


def get_notifier():
    """The process-wide notifier, created on first use."""
    global _NOTIFIER
    with _LOCK:
        if _NOTIFIER is None:
            transport = messaging.get_notification_transport(CONF)
            _NOTIFIER = messaging.Notifier(
                transport, publisher_id='hil-os.%s' % CONF.host)
        return _NOTIFIER


def reset():
    """Drop the notifier so that the next use re-reads config (tests)."""
    global _NOTIFIER
    with _LOCK:
        _NOTIFIER = None


def info(event_type, payload, ctx=None):
    """Emit ``hil_os.<event_type>`` at INFO; failures are only logged."""
    try:
        get_notifier().info(ctx.to_dict() if ctx else {},
                            'hil_os.%s' % event_type, payload)
    except Exception:
        LOG.exception('Notification hil_os.%s could not be sent.',
                      event_type)


def lease_payload(lease, **extra):
    """The payload of a lease's notifications (lease.start, .end, ...)."""
    return dict({'lease_uuid': lease.uuid, 'name': lease.name,
                 'project_id': lease.project_id, 'state': lease.state,
                 'start': lease.start_at.isoformat(),
                 'end': lease.end_at.isoformat(),
                 'message': lease.message}, **extra)
