"""The OpenStackClient plugin of hil-os: ``openstack hil ...``.

The endpoint comes, first match wins, from ``--os-hil-url`` (HIL_OS_URL),
``bare_metal_isolation_endpoint_override`` in clouds.yaml, ``--os-endpoint``
with ``--os-auth-type none``, or the ``bare-metal-isolation`` entry of the
Keystone catalog. With ``--os-auth-type none`` (a hil-os running noauth,
like the embedded ``hil-os``) the identity to act as is given by
``--os-hil-project-id``, ``--os-hil-roles`` and ``--os-hil-user-id``.
"""

import logging

from osc_lib import exceptions
from osc_lib import utils

from hil_os.osc import client

LOG = logging.getLogger(__name__)

API_NAME = 'hil'
API_VERSION_OPTION = 'os_hil_api_version'
DEFAULT_API_VERSION = '1'
API_VERSIONS = {'1': 'hil_os.osc.client.Client'}


def make_client(instance):
    """The hil-os client of an OSC ClientManager."""
    config = instance.get_configuration()
    noauth = config.get('auth_type') == 'none'
    endpoint = config.get('hil_url')
    if not endpoint:
        try:
            endpoint = instance.get_endpoint_for_service_type(
                client.SERVICE_TYPE, region_name=instance.region_name,
                interface=instance.interface)
        except Exception as e:
            raise exceptions.CommandError(
                'hil-os is not in the service catalog (%s). Register it '
                'with "openstack service create --name hil-os %s" and an '
                'endpoint, or give its URL with --os-hil-url or HIL_OS_URL.'
                % (e, client.SERVICE_TYPE))
    if not endpoint:
        raise exceptions.CommandError(
            'No hil-os URL: give it with --os-hil-url or HIL_OS_URL (with '
            '--os-auth-type none), or register hil-os in the Keystone '
            'catalog as service type %s.' % client.SERVICE_TYPE)
    headers = {}
    if noauth:
        roles = config.get('hil_roles')
        headers = client.identity_headers(
            project_id=config.get('hil_project_id'),
            user_id=config.get('hil_user_id'),
            roles=[r.strip() for r in roles.split(',') if r.strip()]
            if roles else None)
    LOG.debug('hil-os endpoint %s', endpoint)
    return client.Client(instance.session, endpoint,
                         interface=instance.interface,
                         region_name=instance.region_name, headers=headers)


def build_option_parser(parser):
    """The global options of the plugin."""
    parser.add_argument(
        '--os-hil-api-version', metavar='<version>',
        default=utils.env('OS_HIL_API_VERSION', default=DEFAULT_API_VERSION),
        choices=sorted(API_VERSIONS),
        help='hil-os API version (Env: OS_HIL_API_VERSION; default: 1).')
    parser.add_argument(
        '--os-hil-url', metavar='<url>', default=utils.env('HIL_OS_URL'),
        help='hil-os API URL, overriding the service catalog, e.g. '
             'http://127.0.0.1:6390 (Env: HIL_OS_URL).')
    parser.add_argument(
        '--os-hil-project-id', metavar='<project-id>',
        default=utils.env('HIL_OS_PROJECT_ID'),
        help='With --os-auth-type none: the project to act as '
             '(Env: HIL_OS_PROJECT_ID; default: the server\'s).')
    parser.add_argument(
        '--os-hil-roles', metavar='<role,role>',
        default=utils.env('HIL_OS_ROLES'),
        help='With --os-auth-type none: comma-separated roles to act with '
             '(Env: HIL_OS_ROLES; default: the server\'s, admin).')
    parser.add_argument(
        '--os-hil-user-id', metavar='<user-id>',
        default=utils.env('HIL_OS_USER_ID'),
        help='With --os-auth-type none: the user to act as '
             '(Env: HIL_OS_USER_ID).')
    return parser
