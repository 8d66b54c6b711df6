"""Version 1 of the hil-os API."""

import pecan

from hil_os.api.controllers.v1 import actions
from hil_os.api.controllers.v1 import boot
from hil_os.api.controllers.v1 import console as console_api
from hil_os.api.controllers.v1 import disks
from hil_os.api.controllers.v1 import events
from hil_os.api.controllers.v1 import images
from hil_os.api.controllers.v1 import leases
from hil_os.api.controllers.v1 import networks
from hil_os.api.controllers.v1 import nodes
from hil_os.api.controllers.v1 import quotas
from hil_os.api.controllers.v1 import switches
from hil_os.api import expose
from hil_os.api import openapi
from hil_os.api import pagination

RESOURCES = ('nodes', 'switches', 'networks', 'actions', 'events',
             'console', 'images', 'disks', 'boot', 'leases', 'quotas')


class V1Controller:
    """GET /v1 lists the resources; the rest are sub-controllers."""

    nodes = nodes.NodesController()
    switches = switches.SwitchesController()
    networks = networks.NetworksController()
    actions = actions.ActionsController()
    events = events.EventsController()
    console = console_api.ConsoleStreamController()
    images = images.ImagesController()
    disks = disks.DisksController()
    boot = boot.BootController()
    leases = leases.LeasesController()
    quotas = quotas.QuotasController()

    @expose.expose()
    def index(self):
        """The resources of /v1 and where the OpenAPI document is."""
        body = {'id': 'v1', 'status': 'CURRENT',
                'openapi': pagination.link('/v1/openapi.json')}
        for name in RESOURCES:
            body[name] = [{'rel': 'self',
                           'href': pagination.link('/v1/%s' % name)}]
        return body


class OpenAPIController:
    """GET /v1/openapi.json: the OpenAPI 3 description of /v1."""

    @expose.expose()
    def index(self):
        """The OpenAPI document, built from the controllers themselves."""
        return openapi.document()


pecan.route(V1Controller, 'openapi.json', OpenAPIController())
