"""List requests run as many SQL statements for 200 rows as for 10.

A query per listed row (an N+1, or a lazy load while serialising) shows as
more statements with more rows. Every list is requested through the WSGI
app and its real hooks, as an admin and as a project member where they
differ, on SQLite, MariaDB and PostgreSQL; a SQLAlchemy listener counts
the statements. Not timed: benchmarks/api_load.py measures.
"""

import datetime

from oslo_utils import uuidutils
import sqlalchemy as sa
import testscenarios

from hil_os.common import states
from hil_os.db import api as dbapi
from hil_os.db import models
from tests import base
from tests import factories

load_tests = testscenarios.load_tests_apply_scenarios

FEW, MANY = 10, 200
# A list is one SELECT, plus one for a paging marker or for the resource
# whose list it is (the node of its NICs).
MOST_STATEMENTS = 3


class TestListStatements(base.ApiTestCase):

    scenarios = [('sqlite', {'db_engine': 'sqlite'}),
                 ('mysql', {'db_engine': 'mysql'}),
                 ('postgresql', {'db_engine': 'postgresql'})]

    def setUp(self):
        super().setUp()
        self.statements = []
        engine = dbapi.get_engine()
        sa.event.listen(engine, 'before_cursor_execute', self._record)
        self.addCleanup(sa.event.remove, engine, 'before_cursor_execute',
                        self._record)

    def _record(self, conn, cursor, statement, *args):
        if statement != 'BEGIN':  # oslo.db's own, on SQLite
            self.statements.append(statement)

    def _list(self, path, key, headers):
        self.statements = []
        body = self.request('GET', path, status=200, headers=headers).json
        return len(body[key]), list(self.statements)

    def _assert_flat(self, path, key, add, headers=base.ADMIN, before=0):
        """List with FEW rows, add up to MANY, list again: same count."""
        add(FEW)
        few, few_statements = self._list(path, key, headers)
        add(MANY - FEW)
        many, many_statements = self._list(path, key, headers)
        self.assertEqual((before + FEW, before + MANY), (few, many))
        self.assertEqual(len(few_statements), len(many_statements),
                         '\n'.join(many_statements))
        self.assertLessEqual(len(many_statements), MOST_STATEMENTS,
                             '\n'.join(many_statements))

    def _bulk(self, model, rows):
        with dbapi.get_engine().begin() as conn:
            conn.execute(sa.insert(model), rows)

    def test_nodes(self):
        def add(count):
            for _ in range(count):
                factories.create_test_node(project_id=base.PROJECT_A)
        self._assert_flat('/v1/nodes?limit=1000', 'nodes', add)
        self._assert_flat('/v1/nodes?limit=1000', 'nodes', add,
                          headers=base.A_READER, before=MANY)

    def test_nodes_page_after_a_marker(self):
        nodes = [factories.create_test_node() for _ in range(3)]

        def add(count):
            for _ in range(count):
                factories.create_test_node()
        self._assert_flat('/v1/nodes?limit=1000&marker=%s' % nodes[-1].uuid,
                          'nodes', add)

    def test_nics_of_a_node(self):
        node = factories.create_test_node(project_id=base.PROJECT_A)

        def add(count):
            for _ in range(count):
                factories.create_test_nic(node)
        self._assert_flat('/v1/nodes/%s/nics' % node.uuid, 'nics', add,
                          headers=base.A_READER)

    def test_ports_of_a_switch(self):
        switch = factories.create_test_switch()

        def add(count):
            for _ in range(count):
                node = factories.create_test_node()
                factories.create_test_nic(
                    node, factories.create_test_port(switch))
        self._assert_flat('/v1/switches/%s/ports?limit=1000' % switch.uuid,
                          'ports', add)

    def test_networks(self):
        self.config.config(networks=-1, group='quota')

        def add(count):
            for _ in range(count):
                factories.create_test_network(base.PROJECT_A)
        self._assert_flat('/v1/networks?limit=1000', 'networks', add,
                          headers=base.A_READER)
        self._assert_flat('/v1/networks?limit=1000', 'networks', add,
                          before=MANY)

    def test_attachments_of_a_network(self):
        network = factories.create_test_network(base.PROJECT_A)
        switch = factories.create_test_switch()

        def add(count):
            for _ in range(count):
                _node, nic, _port = factories.create_cabled_node(
                    base.PROJECT_A, switch)
                dbapi.attachment_create(nic.id, network.id, states.ACCESS,
                                        base.PROJECT_A)
        self._assert_flat('/v1/networks/%s/attachments' % network.uuid,
                          'attachments', add, headers=base.A_READER)

    def test_actions(self):
        def add(count):
            self._bulk(models.Action, [
                {'uuid': uuidutils.generate_uuid(), 'project_id':
                 base.PROJECT_A, 'kind': states.ACTION_ATTACH,
                 'status': states.SUCCEEDED, 'node_uuid':
                 uuidutils.generate_uuid(), 'details': {'nic': 'eth0'},
                 'message': 'done', 'finished_at': datetime.datetime.now()}
                for _ in range(count)])
        self._assert_flat('/v1/actions?limit=1000', 'actions', add,
                          headers=base.A_READER)

    def test_events(self):
        def add(count):
            self._bulk(models.Event, [
                {'uuid': uuidutils.generate_uuid(), 'project_id':
                 base.PROJECT_A, 'event_type': 'node.updated',
                 'resource_type': 'node', 'resource_uuid':
                 uuidutils.generate_uuid(), 'message': 'Node updated.',
                 'details': {'fields': ['name']}}
                for _ in range(count)])
        self._assert_flat('/v1/events?limit=1000', 'events', add,
                          headers=base.A_READER)
