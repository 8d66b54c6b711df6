"""WSGI entry point for a WSGI server (gunicorn, uWSGI, mod_wsgi).

The configuration file comes from $HIL_OS_CONFIG_FILE (default
/etc/hil-os/hil-os.conf); the recommended server settings are in
etc/hil-os/gunicorn.conf.py::

    gunicorn -c etc/hil-os/gunicorn.conf.py hil_os.api.wsgi:application
"""

import os
import threading

from hil_os.api import app
from hil_os.common import service
from hil_os.conductor import rpcapi


def initialize_wsgi_app():
    """Parse configuration and return the API application."""
    config = os.environ.get('HIL_OS_CONFIG_FILE', '/etc/hil-os/hil-os.conf')
    service.prepare([], default_config_files=[config])
    return app.setup_app(rpcapi.ConductorAPI())


_APP = None
_LOCK = threading.Lock()


def application(environ, start_response):
    """The API application, initialised on the first request."""
    global _APP
    if _APP is None:
        with _LOCK:
            if _APP is None:
                _APP = initialize_wsgi_app()
    return _APP(environ, start_response)
