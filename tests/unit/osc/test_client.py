"""Tests of the Python client: requests, errors, pages, waiting."""

import json

from keystoneauth1 import exceptions as ksa_exc
from keystoneauth1 import session as ksa_session
import requests

from hil_os.osc import client
from tests import base
from tests.unit.osc import fakes

URL = 'http://127.0.0.1:6390'


def response(status, body=None):
    resp = requests.Response()
    resp.status_code = status
    resp._content = b'' if body is None else json.dumps(body).encode()
    return resp


class FakeSession(ksa_session.Session):
    """Records requests and answers them from a list of responses."""

    def __init__(self, responses=(), endpoint=None):
        super().__init__()
        self.responses = list(responses)
        self.endpoint = endpoint
        self.calls = []

    def request(self, url, method, **kwargs):
        self.calls.append((method, url, kwargs))
        answer = self.responses.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def get_endpoint(self, auth=None, **kwargs):
        self.endpoint_filter = kwargs
        return self.endpoint


class TestRequests(base.TestCase):

    use_db = False

    def client(self, *responses, **kwargs):
        self.session = FakeSession(responses)
        return client.Client(self.session, URL, **kwargs)

    def test_paths_and_bodies_reach_the_versioned_endpoint(self):
        hil = self.client(response(202, fakes.ACTION))
        self.assertEqual(fakes.ACTION,
                         hil.nics.attach('node 1', 'eth0', 'net1', 'tagged'))
        method, url, kwargs = self.session.calls[0]
        self.assertEqual(('POST', 'nodes/node%201/nics/eth0/attachments'),
                         (method, url))
        self.assertEqual(URL + '/v1', kwargs['endpoint_override'])
        self.assertEqual({'network': 'net1', 'channel': 'tagged'},
                         kwargs['json'])
        self.assertEqual('bare-metal-isolation',
                         kwargs['endpoint_filter']['service_type'])

    def test_endpoint_with_version_is_kept(self):
        hil = client.Client(FakeSession(), URL + '/v1/')
        self.assertEqual(URL + '/v1', hil.endpoint)

    def test_noauth_identity_headers(self):
        hil = self.client(response(200, fakes.NODE),
                          headers=client.identity_headers(
                              'research-a', 'u1', ['member', 'reader']))
        hil.nodes.get('node1')
        self.assertEqual({'X-Project-Id': 'research-a', 'X-User-Id': 'u1',
                          'X-Roles': 'member,reader'},
                         self.session.calls[0][2]['headers'])

    def test_no_content(self):
        hil = self.client(response(204))
        self.assertIsNone(hil.networks.delete('net1'))
        self.assertEqual(('DELETE', 'networks/net1'),
                         self.session.calls[0][:2])

    def test_api_error_carries_its_message_and_code(self):
        hil = self.client(response(404, {'error': {
            'code': 404, 'title': 'Not Found',
            'message': 'Node nodeX could not be found.'}}))
        e = self.assertRaises(client.HilError, hil.nodes.get, 'nodeX')
        self.assertEqual(404, e.code)
        self.assertEqual('Node nodeX could not be found. (HTTP 404)', str(e))

    def test_error_without_json_body(self):
        resp = response(502)
        resp._content = b'Bad Gateway from the proxy'
        hil = self.client(resp)
        e = self.assertRaises(client.HilError, hil.nodes.get, 'node1')
        self.assertEqual('Bad Gateway from the proxy (HTTP 502)', str(e))

    def test_unreachable_server(self):
        hil = self.client(ksa_exc.ConnectFailure('Connection refused'))
        e = self.assertRaises(client.HilError, hil.nodes.list)
        self.assertIn('Could not reach hil-os at %s/v1' % URL, str(e))
        self.assertIsNone(e.code)

    def test_list_follows_pages(self):
        hil = self.client(
            response(200, {'nodes': [{'uuid': 'a'}, {'uuid': 'b'}],
                           'next': 'http://proxy/v1/nodes?limit=2&marker=b'
                                   '&free=true'}),
            response(200, {'nodes': [{'uuid': 'c'}]}))
        self.assertEqual(['a', 'b', 'c'],
                         [n['uuid'] for n in hil.nodes.list(free=True)])
        self.assertEqual([{'free': 'true'}, {'free': 'true', 'marker': 'b'}],
                         [c[2]['params'] for c in self.session.calls])

    def test_list_stops_at_limit(self):
        hil = self.client(
            response(200, {'nodes': [{'uuid': 'a'}, {'uuid': 'b'}],
                           'next': 'http://x/v1/nodes?limit=2&marker=b'}),
            response(200, {'nodes': [{'uuid': 'c'}],
                           'next': 'http://x/v1/nodes?limit=1&marker=c'}))
        self.assertEqual(3, len(hil.nodes.list(limit=3, marker='z')))
        self.assertEqual([{'limit': 3, 'marker': 'z'},
                          {'limit': 1, 'marker': 'b'}],
                         [c[2]['params'] for c in self.session.calls])

    def test_port_name_with_slash_is_found_by_listing(self):
        port = fakes.fake(fakes.PORT, name='Gi1/0/3')
        hil = self.client(response(200, {'ports': [fakes.PORT, port]}),
                          response(200, port))
        hil.ports.get('sw1', 'Gi1/0/3')
        self.assertEqual([('GET', 'switches/sw1/ports'),
                          ('GET', 'switches/sw1/ports/' + fakes.PORT_UUID)],
                         [c[:2] for c in self.session.calls])

    def test_revoke_answers_actions(self):
        hil = self.client(response(200, {'actions': [fakes.ACTION]}))
        self.assertEqual([fakes.ACTION],
                         hil.networks.revoke('net1', 'research-b'))
        self.assertEqual(('DELETE', 'networks/net1/access/research-b'),
                         self.session.calls[0][:2])

    def test_set_power_and_boot_device(self):
        hil = self.client(response(202, fakes.ACTION),
                          response(202, fakes.ACTION))
        hil.nodes.set_power('node1', 'soft_off')
        hil.nodes.set_boot_device('node1', 'pxe', persistent=True)
        self.assertEqual(
            [('PUT', 'nodes/node1/power', {'target': 'soft_off'}),
             ('PUT', 'nodes/node1/boot_device',
              {'device': 'pxe', 'persistent': True})],
            [(m, u, k['json']) for m, u, k in self.session.calls])

    def test_console_stream_sends_the_token_header(self):
        hil = self.client(response(200, {'data': 'login: ', 'offset': 7}),
                          response(202))
        self.assertEqual({'data': 'login: ', 'offset': 7},
                         hil.consoles.read('tok', offset=3, wait=5))
        hil.consoles.write('tok', 'root\n')
        (m1, u1, k1), (m2, u2, k2) = self.session.calls
        self.assertEqual(('GET', 'console', {'offset': 3, 'wait': 5}),
                         (m1, u1, k1['params']))
        self.assertEqual(('POST', 'console', {'data': 'root\n'}),
                         (m2, u2, k2['json']))
        self.assertEqual(['tok', 'tok'],
                         [k1['headers']['X-Console-Token'],
                          k2['headers']['X-Console-Token']])

    def test_imaging_paths(self):
        hil = self.client(*[response(202, fakes.ACTION)] * 5)
        hil.nodes.provision('node1', image='img1', disk_name='d1')
        hil.nodes.provision('node1', disk='d1')
        hil.nodes.deprovision('node1')
        hil.nodes.snapshot('node1', 'snap')
        hil.ports.revert('sw1', 'p1')
        self.assertEqual(
            [('POST', 'nodes/node1/provision',
              {'image': 'img1', 'disk_name': 'd1'}),
             ('POST', 'nodes/node1/provision', {'disk': 'd1'}),
             ('POST', 'nodes/node1/deprovision', {'delete_disk': False}),
             ('POST', 'nodes/node1/snapshot', {'name': 'snap'}),
             ('POST', 'switches/sw1/ports/p1/revert', None)],
            [(m, u, k.get('json')) for m, u, k in self.session.calls])


class TestEndpoint(base.TestCase):

    use_db = False

    def test_from_the_catalog(self):
        session = FakeSession(endpoint='http://hil.example.org:6390')
        hil = client.Client(session, interface='internal',
                            region_name='RegionTwo')
        self.assertEqual('http://hil.example.org:6390/v1', hil.endpoint)
        self.assertEqual({'service_type': 'bare-metal-isolation',
                          'interface': 'internal',
                          'region_name': 'RegionTwo'},
                         {k: session.endpoint_filter[k] for k in
                          ('service_type', 'interface', 'region_name')})

    def test_missing_from_the_catalog(self):
        e = self.assertRaises(client.HilError, client.Client,
                              FakeSession(endpoint=None),
                              region_name='RegionTwo')
        self.assertEqual('No public endpoint of hil-os in the service '
                         'catalog of region RegionTwo.', str(e))


class TestWait(base.TestCase):

    use_db = False

    def setUp(self):
        super().setUp()
        self.session = FakeSession()
        self.hil = client.Client(self.session, URL)
        self.now = 0.0
        self.sleeps = []
        self.hil.clock = lambda: self.now
        self.hil.sleep = self._sleep

    def _sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def answers(self, *statuses, message=None):
        self.session.responses = [
            response(200, fakes.fake(fakes.ACTION, status=s,
                                     message=message))
            for s in statuses]

    def test_polls_with_growing_delays_until_done(self):
        self.answers('running', 'running', 'running', 'succeeded')
        seen = []
        done = self.hil.wait(fakes.fake(fakes.ACTION), 60,
                             progress=lambda a, t: seen.append(a['status']))
        self.assertEqual('succeeded', done['status'])
        self.assertEqual([0.1, 0.2, 0.4, 0.8], self.sleeps)
        self.assertEqual(['pending', 'running', 'running', 'running',
                          'succeeded'], seen)
        self.assertEqual(
            ['actions/' + fakes.ACTION_UUID] * 4,
            [c[1] for c in self.session.calls])

    def test_done_action_is_not_polled(self):
        done = self.hil.wait(fakes.fake(fakes.ACTION, status='succeeded'), 5)
        self.assertEqual('succeeded', done['status'])
        self.assertEqual([], self.session.calls)

    def test_failed_action(self):
        self.answers('failed', message='Switch sw1 did not answer.')
        e = self.assertRaises(client.ActionFailed, self.hil.wait,
                              fakes.fake(fakes.ACTION), 60)
        self.assertEqual('Switch sw1 did not answer.',
                         e.action['message'])
        self.assertIn('(attach) failed: Switch sw1 did not answer.', str(e))

    def test_timeout(self):
        self.answers(*['running'] * 20)
        e = self.assertRaises(client.WaitTimeout, self.hil.wait,
                              fakes.fake(fakes.ACTION), 3)
        self.assertEqual(3, round(self.now, 6))
        self.assertIn('is still running after 3 s', str(e))
        self.assertIn('openstack hil action show %s' % fakes.ACTION_UUID,
                      str(e))

    def test_action_of_another_project(self):
        self.session.responses = [response(404, {'error': {
            'code': 404, 'message': 'Action x could not be found.'}})]
        e = self.assertRaises(client.HilError, self.hil.wait,
                              fakes.fake(fakes.ACTION, kind='detach',
                                         project_id='guest'), 60)
        self.assertIn('belongs to project guest, which the caller cannot '
                      'see; an admin can follow it', str(e))
