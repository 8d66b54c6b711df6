"""Test fixtures: databases on every engine, the API, the conductor."""

import atexit
import os
import shutil
import tempfile
import threading
import uuid

import fixtures
import futurist
import sqlalchemy as sa
import webtest

from hil_os.api import app as api_app
from hil_os.conductor import manager
from hil_os.conductor import rpcapi
from hil_os import conf
from hil_os.conf import network
from hil_os.db import api as dbapi
from hil_os.db import migration
from hil_os.db import models

CONF = conf.CONF

# Server URLs of the engines tests run on, overridable for other machines.
MYSQL_URL = os.environ.get('HIL_OS_TEST_MYSQL_URL',
                           'mysql+pymysql://root@127.0.0.1:3306/')
POSTGRESQL_URL = os.environ.get(
    'HIL_OS_TEST_POSTGRESQL_URL',
    'postgresql+psycopg2://postgres@127.0.0.1:5432/postgres')

_SQLITE_TEMPLATE = None
_SQLITE_LOCK = threading.Lock()
# Decided at import, before any test's NestedTempfile changes tempdir.
_TEMPLATE_DIR = tempfile.gettempdir()
_SERVER_DBS = {}


def _sqlite_template():
    """A SQLite file migrated once per test process, copied per test."""
    global _SQLITE_TEMPLATE
    with _SQLITE_LOCK:
        if _SQLITE_TEMPLATE is None:
            tmp = tempfile.mkdtemp(prefix='hil-os-template-',
                                   dir=_TEMPLATE_DIR)
            atexit.register(shutil.rmtree, tmp, True)
            path = os.path.join(tmp, 'template.sqlite')
            engine = sa.create_engine('sqlite:///' + path)
            with engine.begin() as conn:
                migration.upgrade(connection=conn)
                conn.execute(sa.insert(models.VlanPool), [
                    {'vlan': v} for v in network.vlan_ids(CONF)])
            engine.dispose()
            _SQLITE_TEMPLATE = path
    return _SQLITE_TEMPLATE


def server_available(url):
    """Whether a database server answers at ``url`` (None if it does)."""
    try:
        engine = sa.create_engine(url, connect_args={'connect_timeout': 3})
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as e:
        return '%s is not reachable: %s' % (url.split('@')[-1], e)


def _server_database(engine_name):
    """A database of this test process on a server, migrated once."""
    if engine_name in _SERVER_DBS:
        return _SERVER_DBS[engine_name]
    name = 'hil_test_%s' % uuid.uuid4().hex[:12]
    admin_url = MYSQL_URL if engine_name == 'mysql' else POSTGRESQL_URL
    admin = sa.create_engine(admin_url, isolation_level='AUTOCOMMIT')
    with admin.connect() as conn:
        conn.execute(sa.text('CREATE DATABASE %s' % name))
    admin.dispose()
    if engine_name == 'mysql':
        url = MYSQL_URL.rstrip('/') + '/' + name + '?charset=utf8mb4'
    else:
        url = POSTGRESQL_URL.rsplit('/', 1)[0] + '/' + name
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        migration.upgrade(connection=conn)
    engine.dispose()
    _SERVER_DBS[engine_name] = url
    return url


def drop_server_database(url, engine_name):
    """Drop a test database (used by tests that make their own)."""
    name = url.rsplit('/', 1)[1].split('?')[0]
    admin_url = MYSQL_URL if engine_name == 'mysql' else POSTGRESQL_URL
    admin = sa.create_engine(admin_url, isolation_level='AUTOCOMMIT')
    with admin.connect() as conn:
        if engine_name == 'postgresql':
            conn.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"),
                {'name': name})
        conn.execute(sa.text('DROP DATABASE IF EXISTS %s' % name))
    admin.dispose()


_SEEDED = {}


class Database(fixtures.Fixture):
    """A migrated hil-os database on ``engine`` for one test.

    SQLite: a copy of a template file. MariaDB and PostgreSQL: one database
    per test process, emptied before each test. ``seed`` (SQLite only) is a
    function filling the database and returning values for the test; it
    runs once per process, later tests get a copy of its result in
    ``seed_values``.
    """

    def __init__(self, engine='sqlite', seed=None):
        super().__init__()
        self.engine_name = engine
        self.seed = seed
        self.seed_values = None

    def _setUp(self):
        if self.engine_name == 'sqlite':
            tmp = self.useFixture(fixtures.TempDir()).path
            path = os.path.join(tmp, 'hil-os.sqlite')
            seeded = _SEEDED.get(self.seed)
            shutil.copyfile(seeded[0] if seeded else _sqlite_template(),
                            path)
            self.url = 'sqlite:///' + path
        else:
            self.url = _server_database(self.engine_name)
        CONF.set_override('connection', self.url, 'database')
        dbapi.configure(self.url, sqlite_synchronous=False)
        self.addCleanup(dbapi.dispose)
        if self.engine_name != 'sqlite':
            self._empty()
        dbapi.vlan_pool_sync(network.vlan_ids(CONF))
        if self.seed is not None:
            if seeded:
                self.seed_values = dict(seeded[1])
            else:
                self._seed(path)

    def _seed(self, path):
        self.seed_values = self.seed()
        dbapi.dispose()
        copy = os.path.join(_TEMPLATE_DIR, 'hil-os-seed-%s.sqlite' %
                            uuid.uuid4().hex)
        atexit.register(os.unlink, copy)
        shutil.copyfile(path, copy)
        _SEEDED[self.seed] = (copy, dict(self.seed_values))

    def _empty(self):
        with dbapi.get_engine().begin() as conn:
            for table in reversed(models.Base.metadata.sorted_tables):
                conn.execute(table.delete())


class Conductor(fixtures.Fixture):
    """A conductor in this process.

    ``threaded=False`` runs switch work inline in the caller, so an API
    call returns with its action already done; ``threaded=True`` runs the
    real thread pool and periodic loop.
    """

    def __init__(self, threaded=False, hostname='test-conductor'):
        super().__init__()
        self.threaded = threaded
        self.hostname = hostname

    def _setUp(self):
        self.manager = manager.ConductorManager(hostname=self.hostname)
        executor = None if self.threaded else futurist.SynchronousExecutor()
        self.manager.start(rpc_server=False, periodic=self.threaded,
                           executor=executor)
        self.addCleanup(self.manager.stop)


class Api(fixtures.Fixture):
    """The WSGI app under WebTest, with the real hooks and a conductor."""

    def __init__(self, conductor):
        super().__init__()
        self.conductor = conductor

    def _setUp(self):
        self.app = webtest.TestApp(api_app.setup_app(
            rpcapi.LocalConductorAPI(self.conductor.manager)))
