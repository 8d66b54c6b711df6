"""Migrations build exactly the schema the models describe, on every
engine."""

from alembic import autogenerate
from alembic import migration as alembic_migration
import sqlalchemy as sa
import testscenarios

from hil_os.db import migration
from hil_os.db import models
from tests import base

load_tests = testscenarios.load_tests_apply_scenarios


class TestMigrations(base.TestCase):

    scenarios = [('sqlite', {'db_engine': 'sqlite'}),
                 ('mysql', {'db_engine': 'mysql'}),
                 ('postgresql', {'db_engine': 'postgresql'})]

    def test_models_match_migrations(self):
        engine = sa.create_engine(self.db.url)
        self.addCleanup(engine.dispose)
        with engine.connect() as conn:
            self.assertEqual(migration.head(), migration.version(conn))
            context = alembic_migration.MigrationContext.configure(conn)
            diff = autogenerate.compare_metadata(context,
                                                 models.Base.metadata)
        self.assertEqual([], diff)

    def test_upgrade_twice_is_a_no_op(self):
        engine = sa.create_engine(self.db.url)
        self.addCleanup(engine.dispose)
        with engine.begin() as conn:
            migration.upgrade(connection=conn)
            self.assertEqual(migration.head(), migration.version(conn))


class TestEmptyDatabase(base.TestCase):

    use_db = False

    def test_version_of_empty_database_is_none(self):
        engine = sa.create_engine('sqlite://')
        with engine.connect() as conn:
            self.assertIsNone(migration.version(conn))
