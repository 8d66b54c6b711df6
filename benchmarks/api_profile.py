"""Where the time of one kind of API request goes, in-process.

usage: python benchmarks/api_profile.py [--scenario show] [--engine sqlite]
           [--requests 300] [--profile cprofile|pyinstrument]
           [--dump FILE]

The WSGI app runs in this process (its real hooks, noauth admin identity,
no HTTP server and no network) against a database of 1000 nodes with a
NIC each: a SQLite file, or with ``--engine mysql`` a MariaDB database of
its own on ``$HIL_OS_TEST_MYSQL_URL`` through mysqlclient (PyMySQL with
``--driver pymysql``), dropped at the end. Scenarios: list_full (the 1000
nodes), list_page (the default page), show (one node by UUID), create (a
node). It prints the CPU milliseconds per request, the best of 5 batches
(on a shared machine the best batch is the least disturbed one), then,
with ``--profile``, the profile of ``--requests`` more: cProfile ordered by
CPU time, or pyinstrument's call tree.

Instruction counts do not depend on the machine's load. Under callgrind,
only the measured requests are counted (they run inside
``sys.call_tracing``, which nothing else calls)::

    valgrind --tool=callgrind --collect-atstart=no \\
        --toggle-collect=sys_call_tracing --callgrind-out-file=show.out \\
        python benchmarks/api_profile.py --scenario show --requests 100
    callgrind_annotate show.out | head -20

and the total divided by the requests is the instructions per request.
benchmarks/README.md has the figures and the notes made with this script.
"""

import argparse
import cProfile
import datetime
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
import uuid

import sqlalchemy as sa

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)

KEY = 'x9FiV0rL2uFn3zPjXG0Df6oKQYVd3BgmNQtiq8EEHgA='
NODES = 1000


def database(args, workdir):
    """The URL of an empty database, and how to drop it."""
    if args.engine == 'sqlite':
        return 'sqlite:///%s/hil-os.sqlite' % workdir, lambda: None
    server = os.environ.get('HIL_OS_TEST_MYSQL_URL',
                            'mysql+pymysql://root@127.0.0.1:3306/')
    name = 'hil_profile_%s' % uuid.uuid4().hex[:10]
    admin = sa.create_engine(server, isolation_level='AUTOCOMMIT')
    with admin.connect() as conn:
        conn.execute(sa.text('CREATE DATABASE %s' % name))

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text('DROP DATABASE %s' % name))
    return ('mysql+%s://%s/%s?charset=utf8mb4' % (
        args.driver, server.split('://', 1)[1].rstrip('/'), name), drop)


def seed(models, engine):
    """1000 nodes with a NIC each, written in bulk (the API is not timed)."""
    now = datetime.datetime.utcnow().replace(microsecond=0)
    nodes = [{'id': i + 1, 'uuid': str(uuid.uuid4()), 'name': 'node-%d' % i,
              'state': 'free', 'bmc_driver': 'fake', 'created_at': now}
             for i in range(NODES)]
    with engine.begin() as conn:
        conn.execute(sa.insert(models.Node), nodes)
        conn.execute(sa.insert(models.Nic), [
            {'uuid': str(uuid.uuid4()), 'node_id': n['id'], 'name': 'eth0',
             'mac': '52:54:00:00:%02x:%02x' % divmod(n['id'], 256),
             'created_at': now} for n in nodes])
    return [n['uuid'] for n in nodes]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--scenario', default='show', choices=[
        'list_full', 'list_page', 'show', 'create'])
    parser.add_argument('--engine', default='sqlite',
                        choices=['sqlite', 'mysql'])
    parser.add_argument('--driver', default='mysqldb',
                        choices=['mysqldb', 'pymysql'])
    parser.add_argument('--requests', type=int, default=300)
    parser.add_argument('--profile', choices=['cprofile', 'pyinstrument'])
    parser.add_argument('--dump', metavar='FILE',
                        help='with --profile cprofile, also write the '
                             'stats to FILE (for pstats callers/callees)')
    args = parser.parse_args()

    from hil_os.common import service
    from hil_os.db import api as dbapi
    from hil_os.db import migration
    from hil_os.db import models
    workdir = tempfile.mkdtemp(prefix='hil-os-profile-')
    url, drop = database(args, workdir)
    config = os.path.join(workdir, 'hil-os.conf')
    with open(config, 'w') as f:
        f.write('[DEFAULT]\ntransport_url = fake://\nstate_path = %s\n'
                '[api]\nauth_strategy = noauth\n[database]\nconnection = %s\n'
                '[secrets]\nkey = %s\n' % (workdir, url, KEY))
    try:
        service.prepare(['--config-file', config])
        migration.upgrade()
        uuids = seed(models, dbapi.get_engine())
        run(args, uuids)
    finally:
        dbapi.dispose()
        drop()
        shutil.rmtree(workdir, ignore_errors=True)


def run(args, uuids):
    import webob

    from hil_os.api import app
    from hil_os.conductor import rpcapi
    application = app.setup_app(rpcapi.ConductorAPI())
    headers = {'X-Project-Id': 'admin', 'X-Roles': 'admin,member,reader'}
    counter = iter(range(10 ** 9))

    def call(method, path, body=None):
        request = webob.Request.blank(path, method=method, headers=headers)
        if body is not None:
            request.body = body
            request.content_type = 'application/json'
        response = request.get_response(application)
        assert response.status_code < 300, response.text

    scenarios = {
        'list_full': lambda: call('GET', '/v1/nodes?limit=%d' % NODES),
        'list_page': lambda: call('GET', '/v1/nodes'),
        'show': lambda: call('GET', '/v1/nodes/%s' % uuids[
            next(counter) % NODES]),
        'create': lambda: call('POST', '/v1/nodes', (
            '{"name": "new-%d", "bmc": {"driver": "fake"}}' %
            next(counter)).encode()),
    }
    request = scenarios[args.scenario]
    batch = max(1, args.requests // 5)
    for _ in range(batch):  # warm up: caches, compiled statements, pools
        request()
    best = float('inf')
    for _ in range(5):
        started = time.process_time()
        for _ in range(batch):
            request()
        best = min(best, (time.process_time() - started) / batch)
    print('%s on %s: %.2f ms of CPU per request (best of 5 batches of %d)'
          % (args.scenario, args.engine, best * 1000, batch))

    def loop():
        for _ in range(args.requests):
            request()

    if args.profile == 'cprofile':
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        loop()
        profiler.disable()
        if args.dump:
            profiler.dump_stats(args.dump)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(
            'cumulative').print_stats(40)
        print(out.getvalue())
    elif args.profile == 'pyinstrument':
        import pyinstrument
        profiler = pyinstrument.Profiler(interval=0.0002)
        profiler.start()
        loop()
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False))
    else:
        # Under callgrind --toggle-collect=sys_call_tracing, only this
        # counts (no tracer is set: call_tracing just calls).
        sys.call_tracing(loop, ())


if __name__ == '__main__':
    main()
