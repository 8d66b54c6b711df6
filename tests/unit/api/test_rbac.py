"""The RBAC matrix: every route x persona, as data in rbac_matrix.yaml."""

import datetime
import os
import re

import testscenarios
import yaml

from hil_os.db import api as dbapi
from tests import base
from tests import factories

load_tests = testscenarios.load_tests_apply_scenarios

PERSONAS = {
    'admin': base.ADMIN,
    'a_member': base.A_MEMBER,
    'a_reader': base.A_READER,
    'b_member': base.B_MEMBER,
    'anonymous': {},
}


def _load():
    with open(os.path.join(os.path.dirname(__file__),
                           'rbac_matrix.yaml')) as f:
        return yaml.safe_load(f)


MATRIX = _load()


def _scenarios():
    for name, case in sorted(MATRIX.items()):
        for persona, status in sorted(case['expect'].items()):
            yield ('%s-%s' % (name, persona),
                   {'case': case, 'persona': persona, 'expected': status})


def create_fixture():
    """The resources the matrix paths name; returns values for the paths."""
    switch = factories.create_test_switch(name='sw')
    ports = {name: factories.create_test_port(switch, name=name)
             for name in ('p-a', 'p-b', 'p-free', 'p-spare')}
    node_a = factories.create_test_node(name='node_a',
                                        project_id=base.PROJECT_A)
    nic_a = factories.create_test_nic(node_a, ports['p-a'], name='eth0')
    node_b = factories.create_test_node(name='node_b',
                                        project_id=base.PROJECT_B)
    factories.create_test_nic(node_b, ports['p-b'], name='eth0')
    node_free = factories.create_test_node(name='node_free')
    factories.create_test_nic(node_free, ports['p-free'], name='eth0')
    net_a = factories.create_test_network(base.PROJECT_A, name='net-a')
    factories.create_test_network(base.PROJECT_A, name='net-a-idle')
    factories.create_test_network(base.PROJECT_B, name='net-b')
    shared = factories.create_test_network(base.PROJECT_B, name='net-shared')
    dbapi.access_grant(shared.id, base.PROJECT_A)
    _attachment, action = dbapi.attachment_create(
        nic_a.id, net_a.id, 'access', base.PROJECT_A)
    _imaging_fixture()
    _lease_fixture(node_free)
    return {'action_a': action.uuid}


def _imaging_fixture():
    """Images, disks and a provisioned node (see rbac_matrix.yaml)."""
    factories.create_test_image(base.PROJECT_A, name='img-a')
    factories.create_test_image(base.PROJECT_B, name='img-b')
    shared = factories.create_test_image(base.PROJECT_B, name='img-shared')
    dbapi.image_access_grant(shared.id, base.PROJECT_A)
    factories.create_test_disk(base.PROJECT_A, name='disk-a')
    node_a2 = factories.create_test_node(name='node_a2',
                                         project_id=base.PROJECT_A)
    factories.create_test_nic(node_a2, name='eth0', mac='52:54:00:aa:00:02')
    factories.create_test_disk(base.PROJECT_A, name='disk-a2', node=node_a2,
                               export=True)


def _lease_fixture(node):
    """lease-a (project-a) and lease-b (project-b) of node_free in 2099."""
    for name, project, day in (('lease-a', base.PROJECT_A, 1),
                               ('lease-b', base.PROJECT_B, 5)):
        dbapi.lease_create({
            'name': name, 'project_id': project,
            'start_at': datetime.datetime(2099, 1, day),
            'end_at': datetime.datetime(2099, 1, day + 1),
            'node_count': 1}, node_id=node.id)


class TestRbacMatrix(base.ApiTestCase):

    scenarios = list(_scenarios())
    db_seed = staticmethod(create_fixture)

    def setUp(self):
        super().setUp()
        # "anonymous" sends no identity headers; noauth must refuse it.
        self.config.config(noauth_default_roles=[], group='api')
        self.values = self.db.seed_values

    def test_route(self):
        case = self.case
        path = case['path'].format(**self.values)
        resp = self.request(case.get('method', 'GET'), path,
                            body=case.get('body'),
                            headers=PERSONAS[self.persona])
        self.assertEqual(
            self.expected, resp.status_int,
            '%s %s as %s: %s' % (case.get('method', 'GET'), path,
                                 self.persona, resp.text))
        if resp.status_int >= 400:
            self.assertEqual(resp.status_int,
                             resp.json['error']['code'])
        if resp.status_int == 401:
            self.assertNotIn('node_a', resp.text)


class TestMatrixCoversEveryRoute(base.TestCase):
    """The matrix names every operation of the OpenAPI document."""

    use_db = False

    def test_every_route_is_in_the_matrix(self):
        from hil_os.api import openapi
        templates = {}
        for path, operations in openapi.document()['paths'].items():
            pattern = re.compile('^%s$' % re.sub(r'\{[a-z_]+\}', '[^/]+',
                                                 path))
            for method in operations:
                templates[(method.upper(), path)] = pattern
        covered = set()
        for case in MATRIX.values():
            method = case.get('method', 'GET')
            covered.update(key for key, pattern in templates.items()
                           if key[0] == method and
                           pattern.match(case['path']))
        self.assertEqual(set(), set(templates) - covered)
