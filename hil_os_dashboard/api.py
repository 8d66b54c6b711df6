"""hil-os calls for the dashboard: one function per call, as the user.

Each call builds a :class:`hil_os.osc.client.Client` on a keystoneauth
session that carries the Horizon user's token, aimed at the
``bare-metal-isolation`` endpoint of the user's service catalog. Errors of
hil-os raise :class:`hil_os.osc.client.HilError` (or a subclass Horizon
sorts, see :mod:`hil_os_dashboard.exceptions`) with hil-os's message.

Settings (``local_settings.py``):

``HIL_OS_TIMEOUT``
    seconds to wait for an answer of hil-os (default 30).
``HIL_OS_NOAUTH_IDENTITY``
    for a hil-os that runs with ``auth_strategy = noauth`` (``tools/demo``,
    development only): send the user's project, user and roles as identity
    headers, which such a hil-os trusts (default False).
"""

from concurrent import futures
import functools

from django.conf import settings
from keystoneauth1 import session
from keystoneauth1 import token_endpoint
from openstack_auth import utils as auth_utils
from openstack_dashboard.api import base

from hil_os.osc import client
from hil_os_dashboard import exceptions

SERVICE_TYPE = client.SERVICE_TYPE
# Requests in flight at once to list the NICs and attachments of nodes.
NIC_WORKERS = 8


class Resource(base.APIDictWrapper):
    """A hil-os resource (a dict of the API) with attribute access."""

    @property
    def id(self):
        return self._apidict.get('uuid') or self._apidict.get('name')


class Node(Resource):
    """A node; ``nics`` holds its NICs when listed with them."""

    nics = ()


class Nic(Resource):
    """A NIC of ``node_name``; ``attachments`` are its networks."""

    attachments = ()


def _translated(func):
    """Raise hil-os errors as the classes Horizon sorts by HTTP code."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except client.HilError as e:
            raise exceptions.classify(e) from None
    return wrapper


def hilclient(request):
    """A hil-os client acting with the token of ``request.user``."""
    endpoint = base.url_for(request, SERVICE_TYPE)
    insecure = getattr(settings, 'OPENSTACK_SSL_NO_VERIFY', False)
    cacert = getattr(settings, 'OPENSTACK_SSL_CACERT', None)
    sess = session.Session(
        auth=token_endpoint.Token(endpoint, request.user.token.id),
        original_ip=auth_utils.get_client_ip(request),
        verify=False if insecure else (cacert or True),
        timeout=getattr(settings, 'HIL_OS_TIMEOUT', 30))
    headers = None
    if getattr(settings, 'HIL_OS_NOAUTH_IDENTITY', False):
        headers = client.identity_headers(
            project_id=request.user.project_id, user_id=request.user.id,
            roles=[r['name'] for r in request.user.roles])
    return client.Client(sess, endpoint, headers=headers,
                         user_agent='hil-os-dashboard')


def _load_nics(hil, node):
    node.nics = [Nic(dict(nic, node_name=node.name))
                 for nic in hil.nics.list(node.uuid)]
    for nic in node.nics:
        nic.attachments = [Resource(a) for a in
                           hil.nics.attachments(node.uuid, nic.uuid)]


@_translated
def node_list(request):
    """The nodes of the user's project, with their NICs and attachments."""
    hil = hilclient(request)
    nodes = [Node(n) for n in hil.nodes.list(
        project_id=request.user.project_id)]
    if nodes:
        # hil-os lists attachments by NIC: 1 + 2 requests a node (with one
        # NIC each), sent a few at a time.
        with futures.ThreadPoolExecutor(
                min(NIC_WORKERS, len(nodes))) as pool:
            list(pool.map(functools.partial(_load_nics, hil), nodes))
    return nodes


@_translated
def node_list_all(request):
    """Every node (an admin's view), with its project and BMC."""
    return [Node(n) for n in hilclient(request).nodes.list()]


@_translated
def node_set_power(request, node, target):
    """Queue ``on``, ``off``, ``soft_off`` or ``reboot``; the action."""
    return hilclient(request).nodes.set_power(node, target)


@_translated
def node_set_boot_device(request, node, device, persistent=False):
    """Queue setting the boot device, for the next boot or always."""
    return hilclient(request).nodes.set_boot_device(node, device,
                                                    persistent=persistent)


@_translated
def nic_attach(request, node, nic, network, channel=None):
    """Queue attaching a node's NIC to a network; the action."""
    return hilclient(request).nics.attach(node, nic, network,
                                          channel=channel)


@_translated
def nic_detach(request, node, nic, network):
    """Queue detaching a node's NIC from a network; the action."""
    return hilclient(request).nics.detach(node, nic, network)


@_translated
def network_list(request):
    """The networks the user's project owns or may use."""
    return [Resource(n) for n in hilclient(request).networks.list()]


@_translated
def network_create(request, name):
    """A new network of the user's project, on a VLAN from the pool."""
    return Resource(hilclient(request).networks.create(name))


@_translated
def network_delete(request, network):
    hilclient(request).networks.delete(network)


@_translated
def lease_list(request):
    """The leases of the user's project."""
    return [Resource(lease) for lease in hilclient(request).leases.list(
        project_id=request.user.project_id)]


@_translated
def lease_get(request, lease):
    return Resource(hilclient(request).leases.get(lease))


@_translated
def lease_extend(request, lease, end):
    """Move the end of a lease; ``end`` is an ISO 8601 time (UTC)."""
    return Resource(hilclient(request).leases.update(lease, end=end))
