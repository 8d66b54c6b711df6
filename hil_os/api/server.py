"""The built-in threaded WSGI server of hil-os and hil-os-api."""

import signal

from cheroot import wsgi
from oslo_config import cfg
from oslo_log import log

CONF = cfg.CONF
LOG = log.getLogger(__name__)


def _interrupt(signum, frame):
    raise KeyboardInterrupt()


def serve(app):
    """Serve ``app`` on [api] host_ip:port until SIGINT or SIGTERM."""
    server = wsgi.Server((CONF.api.host_ip, CONF.api.port), app,
                         numthreads=CONF.api.threads,
                         request_queue_size=CONF.api.backlog,
                         server_name='hil-os')
    signal.signal(signal.SIGTERM, _interrupt)
    LOG.info('hil-os API listening on http://%s:%d/ (auth_strategy=%s).',
             CONF.api.host_ip, CONF.api.port, CONF.api.auth_strategy)
    try:
        server.start()
    except KeyboardInterrupt:
        LOG.info('hil-os API stopping.')
    finally:
        server.stop()
