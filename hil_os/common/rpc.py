"""oslo.messaging transports for RPC and notifications."""

from oslo_config import cfg
import oslo_messaging as messaging
from oslo_messaging import opts as messaging_opts

CONF = cfg.CONF

_TRANSPORT = None


def set_defaults():
    """hil-os's defaults: the in-process fake:// transport."""
    messaging.set_transport_defaults(control_exchange='hil_os')
    for group, opts in messaging_opts.list_opts():
        if group is None:
            CONF.register_opts(opts)
    CONF.set_default('transport_url', 'fake://')


def get_transport():
    """The RPC transport of this process, created on first use."""
    global _TRANSPORT
    if _TRANSPORT is None:
        _TRANSPORT = messaging.get_rpc_transport(CONF)
    return _TRANSPORT


def cleanup():
    """Close the transport (at shutdown)."""
    global _TRANSPORT
    if _TRANSPORT is not None:
        _TRANSPORT.cleanup()
    _TRANSPORT = None
