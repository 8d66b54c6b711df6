"""A battery of malformed requests to every route: 4xx, never 5xx.

Routes come from the OpenAPI document; a valid body for each comes from the
RBAC matrix; the battery mutates bodies by their JSON Schema, query strings
and path identifiers.
"""

import copy
import re

from hil_os.api import openapi
from tests import base
from tests.unit.api import test_rbac

WEIRD_IDENTS = ['x' * 300, '%00', '..', '%C3%BC', '%2F', '%20', 'a%25b',
                '00000000-0000-0000-0000-000000000000', '-1']
BAD_QUERIES = ['limit=-1', 'limit=abc', 'limit=99999999999999',
               'limit=1&limit=2', 'marker=not-a-uuid', 'unknown=1',
               'free=maybe', 'marker=8d3c2c3e-6a39-4c3c-9d7f-0d7a5b7f1a10',
               'limit=%00', 'project_id=' + 'p' * 300]


def _wrong_values(schema):
    """Values that break a property schema's type or bounds."""
    types = schema.get('type', [])
    types = [types] if isinstance(types, str) else types
    values = [[], {}, True] if 'boolean' not in types else [[], {}, 'x']
    if 'string' in types:
        values += [12345, 'x' * 5000, '\u0000', 'ü' * 300]
    if 'integer' in types:
        values += ['12', 1.5, -1, 10 ** 12]
    if 'object' in types:
        values += ['x', 1]
    if 'null' not in types:
        values.append(None)
    if 'enum' in schema:
        values.append('not-a-choice')
    return values


def _valid_bodies():
    bodies = {}
    for case in test_rbac.MATRIX.values():
        if 'body' in case:
            bodies[(case.get('method', 'GET').upper(), case['path'])] = \
                case['body']
    return bodies


class TestBadInput(base.ApiTestCase):

    db_seed = staticmethod(test_rbac.create_fixture)

    def setUp(self):
        super().setUp()
        self.values = self.db.seed_values
        self.bodies = _valid_bodies()
        self.operations = []
        for template, ops in openapi.document()['paths'].items():
            pattern = re.compile('^%s$' % re.sub(r'\{[a-z_]+\}', '[^/]+',
                                                 template))
            concrete = next(
                (case['path'].format(**self.values)
                 for case in test_rbac.MATRIX.values()
                 if pattern.match(case['path'])), None)
            for method, operation in ops.items():
                self.operations.append((method.upper(), template, concrete,
                                        operation))

    def _send(self, method, path, **kw):
        resp = self.request(method, path, **kw)
        self.assertLess(resp.status_int, 500,
                        '%s %s %r: %s' % (method, path, kw, resp.text))
        if resp.status_int >= 400:
            error = resp.json['error']
            self.assertEqual(resp.status_int, error['code'])
            self.assertTrue(error['message'])
        return resp

    def _valid_body(self, method, concrete):
        for (m, path), body in self.bodies.items():
            if m == method and path.format(**self.values) == concrete:
                return body
        self.fail('no valid body for %s %s in the RBAC matrix' %
                  (method, concrete))

    def test_route_is_served(self):
        """No documented operation is a routing 404 or a 405."""
        for method, template, concrete, _op in self.operations:
            self.assertIsNotNone(concrete, 'no example path for ' + template)
            resp = self.request(method, concrete, body=(
                self._valid_body(method, concrete)
                if method in ('POST', 'PUT', 'PATCH') and
                'requestBody' in _op else None))
            self.assertNotEqual(405, resp.status_int, resp.text)
            if resp.status_int == 404:
                self.assertNotIn('The resource /v1', resp.text)

    def test_malformed_bodies(self):
        for method, template, concrete, operation in self.operations:
            if 'requestBody' not in operation:
                continue
            schema = operation['requestBody']['content'][
                'application/json']['schema']
            raws = [b'{bad', b'[]', b'"x"', b'1', b'null']
            if operation['requestBody']['required']:
                raws += [b'', b'{}']
            for raw in raws:
                resp = self._send(method, concrete, body=raw)
                self.assertEqual(400, resp.status_int,
                                 '%s %s %r' % (method, template, raw))
            valid = self._valid_body(method, concrete)
            resp = self._send(method, concrete,
                              body=dict(valid, surprise=1))
            self.assertEqual(400, resp.status_int)
            self.assertIn('surprise', resp.json['error']['message'])
            for field, prop in schema['properties'].items():
                for value in _wrong_values(prop):
                    body = copy.deepcopy(valid)
                    body[field] = value
                    resp = self._send(method, concrete, body=body)
                    if resp.status_int == 400:
                        self.assertIn(field, resp.json['error']['message'])

    def test_required_fields_are_named(self):
        for method, template, concrete, operation in self.operations:
            if 'requestBody' not in operation:
                continue
            schema = operation['requestBody']['content'][
                'application/json']['schema']
            valid = self._valid_body(method, concrete)
            for field in schema.get('required', []):
                body = {k: v for k, v in valid.items() if k != field}
                resp = self._send(method, concrete, body=body)
                self.assertEqual(400, resp.status_int)
                self.assertIn(field, resp.json['error']['message'])

    def test_bad_query_strings(self):
        for method, template, concrete, operation in self.operations:
            if method != 'GET':
                continue
            for query in BAD_QUERIES:
                self._send(method, '%s?%s' % (concrete, query))

    def test_list_query_errors_are_400(self):
        for query in ('limit=-1', 'limit=abc', 'marker=x', 'unknown=1',
                      'limit=1&limit=2', 'free=maybe'):
            resp = self._send('GET', '/v1/nodes?' + query)
            self.assertEqual(400, resp.status_int, query)

    def test_weird_path_identifiers(self):
        for method, template, concrete, operation in self.operations:
            params = re.findall(r'\{([a-z_]+)\}', template)
            for index in range(len(params)):
                for weird in WEIRD_IDENTS:
                    parts = iter(concrete.split('/'))
                    segments = []
                    count = -1
                    for segment in template.split('/'):
                        real = next(parts)
                        if segment.startswith('{'):
                            count += 1
                            segments.append(weird if count == index
                                            else real)
                        else:
                            segments.append(real)
                    body = None
                    if 'requestBody' in operation:
                        body = self._valid_body(method, concrete)
                    self._send(method, '/'.join(segments), body=body)

    def test_every_method_on_every_parent_path(self):
        """Methods sent to paths missing an identifier: 4xx, never 5xx."""
        paths = set()
        for _method, template, concrete, _op in self.operations:
            segments = concrete.split('/')
            for cut in range(3, len(segments)):
                paths.add('/'.join(segments[:cut]))
        for path in sorted(paths):
            for method in ('GET', 'POST', 'PUT', 'PATCH', 'DELETE'):
                self._send(method, path, body={} if method in (
                    'POST', 'PUT', 'PATCH') else None)

    def test_unknown_routes_and_methods_are_json(self):
        resp = self._send('GET', '/v1/nothing')
        self.assertEqual(404, resp.status_int)
        resp = self._send('PUT', '/v1/nodes')
        self.assertEqual(405, resp.status_int)
        resp = self._send('GET', '/v1/nodes/node_a/nics/eth0/x/y/z')
        self.assertEqual(404, resp.status_int)
