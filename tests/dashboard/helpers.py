"""Test cases of the dashboard: Horizon's helpers, hil-os in the catalog."""

import json
from unittest import mock
import urllib.parse

from openstack_dashboard.test import helpers
import requests

HIL_URL = 'http://hil.example.com:6390'


def catalog_entry(url):
    """A service catalog entry of hil-os at ``url`` (every interface)."""
    return {'type': 'bare-metal-isolation', 'name': 'hil-os',
            'endpoints_links': [],
            'endpoints': [{'region': region, 'interface': interface,
                           'url': url}
                          for region in ('RegionOne', 'RegionTwo')
                          for interface in ('public', 'internal', 'admin')]}


class CatalogMixin:
    """The test user's catalog has hil-os at ``hil_url``."""

    hil_url = HIL_URL

    def _setup_test_data(self):
        super()._setup_test_data()
        self.service_catalog.append(catalog_entry(self.hil_url))


class TestCase(CatalogMixin, helpers.TestCase):
    """A view test (Django's test client), the api module mocked."""


class AdminTestCase(CatalogMixin, helpers.BaseAdminViewTests):
    """A view test as a user with the admin role."""


class APITestCase(CatalogMixin, helpers.APITestCase):
    """A test of the api module with ``self.request``."""


class FakeHil:
    """Answers the HTTP requests keystoneauth sends, as hil-os would.

    ``routes`` maps (method, path) to (status, body); every request is
    kept in ``requests`` as (method, path, query, headers, body).
    """

    def __init__(self, testcase, routes):
        self.routes = routes
        self.requests = []
        patcher = mock.patch.object(requests.Session, 'request',
                                    autospec=True, side_effect=self._answer)
        patcher.start()
        testcase.addCleanup(patcher.stop)

    def _answer(self, _session, method, url, headers=None, data=None,
                params=None, **_kwargs):
        parts = urllib.parse.urlsplit(url)
        query = urllib.parse.parse_qs(parts.query)
        query.update({k: [str(v)] for k, v in (params or {}).items()})
        self.requests.append((method, parts.path, query,
                              dict(headers or {}),
                              json.loads(data) if data else None))
        status, body = self.routes.get((method, parts.path),
                                       (404, {'error': {
                                           'code': 404, 'message':
                                           'No route %s %s.' % (method,
                                                                parts.path)}}))
        response = requests.Response()
        response.status_code = status
        response.url = url
        response.headers['Content-Type'] = 'application/json'
        response._content = json.dumps(body).encode() if body else b''
        return response
