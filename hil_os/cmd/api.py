"""hil-os-api: the REST API alone, with its built-in WSGI server.

For several worker processes, run hil_os.api.wsgi:application under a WSGI
server such as gunicorn or uWSGI instead.
"""

import sys

from hil_os.api import app as api_app
from hil_os.api import server
from hil_os.common import service
from hil_os.conductor import rpcapi


def main():
    service.prepare(sys.argv[1:])
    server.serve(api_app.setup_app(rpcapi.ConductorAPI()))
