"""A small Python client of the hil-os v1 API over a keystoneauth session.

::

    from keystoneauth1 import session
    from hil_os.osc import client

    hil = client.Client(session.Session(auth=...))          # from the catalog
    hil = client.Client(session.Session(), 'http://127.0.0.1:6390',
                        headers=client.identity_headers('research-a',
                                                        roles=['member']))
    action = hil.nics.attach('node1', 'eth0', 'net1')
    hil.wait(action, timeout=60)

Errors of the API raise :class:`HilError` carrying the API's message and
HTTP code; a failed action raises :class:`ActionFailed`.
"""

import time
import urllib.parse

from keystoneauth1 import adapter
from keystoneauth1 import exceptions as ksa_exc

from hil_os.osc import imaging
from hil_os.osc import leases
from hil_os.osc import resources

# The service type hil-os is registered under in the Keystone catalog.
SERVICE_TYPE = 'bare-metal-isolation'
API_VERSION = 'v1'

ACTION_DONE = ('succeeded', 'failed')


class HilError(Exception):
    """An error answer of the hil-os API, or a failure to reach it."""

    def __init__(self, message, code=None):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        if self.code:
            return '%s (HTTP %d)' % (self.message, self.code)
        return self.message


class ActionFailed(HilError):
    """A queued action ended in ``failed``; ``action`` is its last state."""

    def __init__(self, action):
        super().__init__('Action %s (%s) failed: %s' % (
            action['uuid'], action['kind'],
            action.get('message') or 'no message given'))
        self.action = action


class WaitTimeout(HilError):
    """An action did not finish in time; ``action`` is its last state."""

    def __init__(self, action, timeout):
        super().__init__(
            'Action %s (%s) is still %s after %.0f s; follow it with '
            '"openstack hil action show %s".' % (
                action['uuid'], action['kind'], action['status'], timeout,
                action['uuid']))
        self.action = action


def identity_headers(project_id=None, user_id=None, roles=None):
    """Identity headers for a hil-os that runs with ``auth_strategy=noauth``.

    With Keystone the token decides who the caller is and these headers are
    ignored; with noauth they pick the project and roles to act as.
    """
    headers = {}
    if project_id:
        headers['X-Project-Id'] = project_id
    if user_id:
        headers['X-User-Id'] = user_id
    if roles:
        headers['X-Roles'] = ','.join(roles)
    return headers


def versioned_endpoint(url):
    """``url`` ending in /v1, whether or not the catalog includes it."""
    url = url.rstrip('/')
    if not url.endswith('/' + API_VERSION):
        url += '/' + API_VERSION
    return url


def _error_message(response):
    try:
        return response.json()['error']['message']
    except (ValueError, KeyError, TypeError):
        return response.text.strip() or response.reason or 'HTTP error'


class Client:
    """The hil-os v1 API: one manager per resource.

    :param session: a keystoneauth session (with or without auth).
    :param endpoint: the API URL; by default the ``bare-metal-isolation``
        endpoint of the session's catalog.
    :param headers: headers sent with every request (see
        :func:`identity_headers`).
    """

    def __init__(self, session, endpoint=None, *, interface=None,
                 region_name=None, headers=None, user_agent='hil-os-client'):
        self._adapter = adapter.Adapter(
            session, service_type=SERVICE_TYPE, interface=interface,
            region_name=region_name, additional_headers=headers or {},
            user_agent=user_agent, raise_exc=False)
        if not endpoint:
            try:
                endpoint = self._adapter.get_endpoint()
            except ksa_exc.EndpointNotFound:
                endpoint = None
            if not endpoint:
                raise HilError(
                    'No %s endpoint of hil-os in the service catalog%s.' % (
                        interface or 'public',
                        ' of region %s' % region_name if region_name
                        else ''))
        self.endpoint = versioned_endpoint(endpoint)
        self._adapter.endpoint_override = self.endpoint
        # Tests replace these to poll without waiting.
        self.sleep = time.sleep
        self.clock = time.monotonic
        self.nodes = resources.Nodes(self)
        self.consoles = resources.Consoles(self)
        self.nics = resources.Nics(self)
        self.switches = resources.Switches(self)
        self.ports = resources.Ports(self)
        self.networks = resources.Networks(self)
        self.images = imaging.Images(self)
        self.disks = imaging.Disks(self)
        self.leases = leases.Leases(self)
        self.quotas = leases.Quotas(self)
        self.actions = resources.Actions(self)
        self.events = resources.Events(self)

    def request(self, method, path, body=None, params=None, headers=None):
        """Send a request to ``/v1/<path>``; the decoded JSON answer."""
        kwargs = {'params': params} if params else {}
        if body is not None:
            kwargs['json'] = body
        if headers:
            kwargs['headers'] = headers
        try:
            response = self._adapter.request(path, method, **kwargs)
        except ksa_exc.ConnectionError as e:
            raise HilError('Could not reach hil-os at %s: %s' % (
                self.endpoint, e))
        if response.status_code >= 400:
            raise HilError(_error_message(response), response.status_code)
        if not response.content:
            return None
        return response.json()

    def get(self, path, params=None):
        return self.request('GET', path, params=params)

    def post(self, path, body=None):
        return self.request('POST', path, body=body)

    def put(self, path, body=None):
        return self.request('PUT', path, body=body)

    def patch(self, path, body):
        return self.request('PATCH', path, body=body)

    def delete(self, path):
        return self.request('DELETE', path)

    def collect(self, path, collection, limit=None, marker=None, **filters):
        """The items of a paged list, following its pages.

        ``limit`` caps the number of items (None: all of them); filters
        whose value is None are left out.
        """
        params = {k: v for k, v in filters.items() if v is not None}
        if marker:
            params['marker'] = marker
        items = []
        while True:
            if limit:
                params['limit'] = limit - len(items)
            body = self.get(path, params=dict(params))
            items.extend(body[collection])
            following = body.get('next')
            if not following or (limit and len(items) >= limit):
                return items
            query = urllib.parse.parse_qs(
                urllib.parse.urlsplit(following).query)
            params['marker'] = query['marker'][0]

    def wait(self, action, timeout, progress=None):
        """Poll an action until it succeeds; return its last state.

        :param action: the action (a dict) as the API answered it.
        :param timeout: seconds to wait at most.
        :param progress: called with the action and the seconds waited
            after each poll.
        :raises ActionFailed: the action failed.
        :raises WaitTimeout: it did not finish within ``timeout``.
        """
        start = self.clock()
        delay = 0.1
        while True:
            if progress:
                progress(action, self.clock() - start)
            if action['status'] == 'failed':
                raise ActionFailed(action)
            if action['status'] in ACTION_DONE:
                return action
            remaining = timeout - (self.clock() - start)
            if remaining <= 0:
                raise WaitTimeout(action, timeout)
            self.sleep(min(delay, remaining))
            delay = min(delay * 2, 2.0)
            action = self._poll(action)

    def _poll(self, action):
        try:
            return self.actions.get(action['uuid'])
        except HilError as e:
            if e.code != 404:
                raise
            # Revoking access queues detaches in the other project.
            raise HilError(
                'Action %s (%s) belongs to project %s, which the caller '
                'cannot see; an admin can follow it with "openstack hil '
                'action show %s".' % (action['uuid'], action['kind'],
                                      action.get('project_id'),
                                      action['uuid']))
