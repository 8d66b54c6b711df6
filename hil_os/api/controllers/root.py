"""The root of the API: version discovery."""

from hil_os.api.controllers import v1
from hil_os.api import expose
from hil_os.api import pagination


def version_document():
    return {'id': 'v1', 'status': 'CURRENT',
            'links': [{'rel': 'self', 'href': pagination.link('/v1/')}]}


class RootController:
    """GET / lists the API versions."""

    v1 = v1.V1Controller()

    @expose.expose()
    def index(self):
        """The versions this server offers."""
        return {'name': 'hil-os',
                'description': 'Bare-metal isolation and imaging service.',
                'versions': [version_document()],
                'default_version': version_document()}
