"""The API under load: lists, shows, creates and attaches, with wrk.

usage: python benchmarks/api_load.py [--shape production|embedded|both]
           [--duration 10] [--connections 1,8] [--soak 60] [--repeat 1]
           [--scenarios list_full,list_page,show,create,attach]

Needs wrk and hil-os installed in the venv of the Python running this
script; the production shape also wants mysqlclient, the C driver of
MariaDB (built with the C compiler and the Python headers), and falls back
to PyMySQL, saying so, without it. On a fresh Debian machine, as root::

    apt-get update && apt-get install -y wrk libmariadb-dev pkg-config
    .venv/bin/pip install -c upper-constraints.txt mysqlclient
    .venv/bin/python benchmarks/api_load.py --repeat 3

Two shapes of hil-os, each started fresh in a scratch directory:

- production: gunicorn with the recommended settings of
  etc/hil-os/gunicorn.conf.py (2 worker processes, gthread, 4 threads
  each, keep-alive; ``--gunicorn-conf``, ``--workers`` and ``--threads``
  change them) serving ``hil_os.api.wsgi:application``, a database pool of
  one connection per thread and none beyond (``[database] max_pool_size``
  = threads, ``max_overflow = 0``); MariaDB on ``$HIL_OS_TEST_MYSQL_URL``
  (default root@127.0.0.1:3306, a database of its own, dropped at the end)
  through mysqlclient; RabbitMQ on ``$HIL_OS_BENCH_TRANSPORT_URL``
  (default guest@127.0.0.1:5672, a topic of its own; fake:// if it does
  not answer); ``[api] auth_strategy = noauth`` with identity headers in
  place of keystonemiddleware. No conductor runs: the figures are the
  API's own, and queued actions stay pending.
- embedded: ``hil-os`` (API on cheroot's 16 threads and a conductor in one
  process) on SQLite.

Each is seeded through the API: a switch with 1000 ports, 1000 nodes (fake
BMC) each with a NIC cabled to a port and given to project ``bench``, and
100 networks of that project. Then wrk drives, at each connection count:

- list_full: ``GET /v1/nodes?limit=1000``, the 1000 nodes in full (admin)
- list_page: ``GET /v1/nodes``, the default page of 100
- show: ``GET /v1/nodes/{uuid}``, rotating over the 1000 nodes
- create: ``POST /v1/nodes``, a new name each time
- attach: ``POST .../nics/eth0/attachments`` then ``DELETE`` of the same
  (NIC, network) pair, both 202, one wrk thread per connection so that a
  pair is detached after its attach; never the same pair twice

and prints requests per second, latency percentiles, non-2xx answers (and
socket errors), the server's CPU milliseconds per request (all its
processes, from /proc), the share of it spent in the kernel (sys %) and
the share of its busiest process (busiest %: 50 when two workers share the
work evenly), the database server's CPU per request (MariaDB's when it
runs on this machine; SQLite's is the server's own) and wrk's. Last, a
soak of ``--soak`` seconds at 8 connections mixes show, list_page, create,
attach and detach and samples the server's open files, database
connections and memory every 5 s: they must not grow. Every figure is
printed with the load average of the machine when it was taken; on a
shared machine, run when it is quiet and use ``--repeat`` (best and median
are printed).

Where the time goes (profiled before optimising, in-process, cProfile
with CPU time, and checked with callgrind instruction counts; see
benchmarks/README.md for the figures):

- show, before: pecan re-inspecting controller signatures on every request
  (inspect plus a new namedtuple class each time: a third of the CPU);
  three oslo.policy checks, each searching the config directories for the
  policy file and policy.d; SQLite opening the file and running its
  PRAGMAs for every transaction (oslo.db's NullPool); oslo.db's
  eventlet-era sleep(0) at every connection check-in; then oslo.policy
  inspecting each check's signature at each evaluation, and building the
  node's SELECT anew (an eighth of the instructions each). Now: gunicorn's
  loop, routing and hooks, one SELECT built once, by a unique index, two
  policy checks, one JSON dump.
- list of 1000, before: reading Row attributes by name (15x slower than by
  position) and the json module calling a datetime hook twice per node;
  with PyMySQL, decoding the rows in Python took longer than everything
  else together. Now: one SELECT of the listed columns by the primary-key
  order (the marker resolved by the unique uuid index), rows unpacked
  into dict displays, orjson, and the C driver mysqlclient.
- create: jsonschema validation, one INSERT of the node and one of its
  event in one transaction, the commit's log flush.
"""

import argparse
import concurrent.futures
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import requests

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)

from tests.functional import api_process  # noqa: E402

BIN = os.path.dirname(sys.executable)
GUNICORN_CONF = os.path.join(TOP, 'etc', 'hil-os', 'gunicorn.conf.py')
ADMIN = {'X-Project-Id': 'admin', 'X-User-Id': 'bench-admin',
         'X-Roles': 'admin,member,reader'}
MEMBER = {'X-Project-Id': 'bench', 'X-User-Id': 'bench-member',
          'X-Roles': 'member,reader'}
NODES, NETWORKS = 1000, 100
SCENARIOS = ('list_full', 'list_page', 'show', 'create', 'attach')
TITLES = {'list_full': 'list 1000 full nodes', 'list_page':
          'list, default page (100)', 'show': 'show one node',
          'create': 'create a node', 'attach': 'attach/detach (202)',
          'soak': 'soak: mixed'}
# Targets of issue 10 for the production shape:
# (scenario, connections, figure, comparison, bound).
TARGETS = [('list_full', 1, 'p50', '<=', 10.0),
           ('list_full', 8, 'rps', '>=', 200.0),
           ('show', 8, 'rps', '>=', 1000.0),
           ('show', 8, 'p99', '<=', 20.0),
           ('create', 8, 'rps', '>=', 400.0)]

WRK_DONE = r'''
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "connect": %d, ' ..
    '"read": %d, "write": %d, "status": %d, "timeout": %d, "p50": %d, ' ..
    '"p90": %d, "p99": %d, "most_per_thread": %d}\n', summary.requests,
    summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90),
    latency:percentile(99), most_per_thread and most_per_thread() or 0))
end
'''


def lua_headers(headers):
    return ''.join('wrk.headers["%s"] = "%s"\n' % item
                   for item in headers.items())


def lua_static(path, headers):
    return 'wrk.path = "%s"\n%s%s' % (path, lua_headers(headers), WRK_DONE)


def lua_show(uuids):
    return '''%s
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[i %% #paths + 1])
end
%s''' % (lua_headers(ADMIN),
         ','.join('"/v1/nodes/%s"' % u for u in uuids), WRK_DONE)


def lua_create(run_id):
    return '''%s
wrk.headers["Content-Type"] = "application/json"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/v1/nodes", nil, string.format(
    '{"name": "c-%s-%%d-%%d", "bmc": {"driver": "fake"}}', tid, n))
end
%s''' % (lua_headers(ADMIN), run_id, WRK_DONE)


# Attach pair p is NIC eth0 of node p % 1000 with network
# (p % 1000 + p // 1000) % 100: 100000 distinct pairs. wrk runs one
# connection per thread, so each thread attaches then detaches its own
# pairs in order; threads take interleaved pair numbers from ``base``.
LUA_PAIRS = '''
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end
function init(args)
  nthreads = tonumber(args[1])
  base = tonumber(args[2])
end
-- A request is built from k, and k moves on with each response: wrk
-- builds one request of the first thread that it never sends.
k = 0
response = function(status, headers, body)
  k = k + 1
end
function most_per_thread()
  local most = 0
  for _, thread in ipairs(threads) do
    most = math.max(most, thread:get("k"))
  end
  return most
end
local function pair(p)
  p = p % 100000
  local nic = p % 1000
  return string.format("/v1/nodes/bench-node-%d/nics/eth0/attachments",
                       nic), string.format("bench-net-%d",
                       (nic + math.floor(p / 1000)) % 100)
end
'''


def lua_attach():
    return '''%s
wrk.headers["Content-Type"] = "application/json"
%s
request = function()
  local p = base + math.floor(k / 2) * nthreads + tid - 1
  local path, net = pair(p)
  if k %% 2 == 0 then
    return wrk.format("POST", path, nil,
      '{"network": "' .. net .. '", "channel": "tagged"}')
  end
  return wrk.format("DELETE", path .. "/" .. net)
end
%s''' % (lua_headers(MEMBER), LUA_PAIRS, WRK_DONE)


def lua_soak(uuids):
    """Per thread (connection): show, list page, create, attach, detach."""
    return '''%s
%s
local paths = {%s}
local admin = {["X-Project-Id"] = "admin", ["X-User-Id"] = "bench-admin",
               ["X-Roles"] = "admin,member,reader",
               ["Content-Type"] = "application/json"}
local member = {["X-Project-Id"] = "bench", ["X-User-Id"] = "bench-member",
                ["X-Roles"] = "member,reader",
                ["Content-Type"] = "application/json"}
request = function()
  local step = k %% 5
  local round = math.floor(k / 5)
  local p = base + round * nthreads + tid - 1
  local path, net = pair(p)
  if step == 0 then
    return wrk.format("GET", paths[p %% #paths + 1], admin)
  elseif step == 1 then
    return wrk.format("GET", "/v1/nodes", admin)
  elseif step == 2 then
    return wrk.format("POST", "/v1/nodes", admin, string.format(
      '{"name": "s-%%d-%%d", "bmc": {"driver": "fake"}}', tid, p))
  elseif step == 3 then
    return wrk.format("POST", path, member,
      '{"network": "' .. net .. '", "channel": "tagged"}')
  end
  return wrk.format("DELETE", path .. "/" .. net, member)
end
%s''' % (lua_headers(ADMIN), LUA_PAIRS,
         ','.join('"/v1/nodes/%s"' % u for u in uuids), WRK_DONE)


def loadavg():
    return '%.2f %.2f %.2f' % os.getloadavg()


def process_tree(pid):
    """``pid`` and its descendants."""
    children = {}
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open('/proc/%s/stat' % entry) as f:
                    ppid = int(f.read().rsplit(')', 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, ()))
    return tree


def cpu_seconds(pids):
    """User and system CPU seconds of these processes so far."""
    ticks = os.sysconf('SC_CLK_TCK')
    user = system = 0
    for pid in pids:
        try:
            with open('/proc/%d/stat' % pid) as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        user += int(fields[11])
        system += int(fields[12])
    return user / ticks, system / ticks


def named_processes(*names):
    """Processes whose command name is one of ``names``."""
    pids = []
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open('/proc/%s/comm' % entry) as f:
                    if f.read().strip() in names:
                        pids.append(int(entry))
            except OSError:
                continue
    return pids


def open_files(pids, suffix=None):
    """Open file descriptors of these processes (to ``suffix`` files)."""
    count = 0
    for pid in pids:
        fd_dir = '/proc/%d/fd' % pid
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            continue
        for fd in fds:
            if suffix is None:
                count += 1
                continue
            try:
                if os.readlink(os.path.join(fd_dir, fd)).endswith(suffix):
                    count += 1
            except OSError:
                pass
    return count


def rss_mb(pids):
    total = 0
    for pid in pids:
        try:
            with open('/proc/%d/status' % pid) as f:
                for line in f:
                    if line.startswith('VmRSS:'):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


class Gunicorn(api_process.ApiProcess):
    """hil_os.api.wsgi:application under gunicorn.

    With the settings of a gunicorn configuration file (by default
    etc/hil-os/gunicorn.conf.py) but for the address, the workers and the
    threads.
    """

    def __init__(self, config_file, port, gunicorn_conf, workers, threads):
        super().__init__(config_file, port, command='gunicorn',
                         env=dict(os.environ, HIL_OS_CONFIG_FILE=config_file))
        self.gunicorn_conf = gunicorn_conf
        self.workers, self.threads = workers, threads

    def command_line(self):
        return [os.path.join(BIN, 'gunicorn'), '--config', self.gunicorn_conf,
                '--workers', str(self.workers), '--threads',
                str(self.threads), '--bind', '127.0.0.1:%d' % self.port,
                'hil_os.api.wsgi:application']


class Shape:
    """One running hil-os: how to start it, count its DB connections."""

    name = None

    def __init__(self, workdir, args):
        self.workdir = workdir
        self.args = args
        self.port = api_process.free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.server = None

    def pids(self):
        return process_tree(self.server.process.pid)

    def db_server_pids(self):
        return []

    def stop(self):
        if self.server is not None:
            self.server.cleanUp()


class Production(Shape):

    name = 'production'

    def start(self):
        from cryptography import fernet
        import sqlalchemy as sa
        server_url = os.environ.get('HIL_OS_TEST_MYSQL_URL',
                                    'mysql+pymysql://root@127.0.0.1:3306/')
        self.dbname = 'hil_bench_%s' % uuid.uuid4().hex[:10]
        self.admin = sa.create_engine(server_url,
                                      isolation_level='AUTOCOMMIT')
        with self.admin.connect() as conn:
            conn.execute(sa.text('CREATE DATABASE %s' % self.dbname))
        driver = self.args.mysql_driver
        if driver == 'mysqldb':
            try:
                import MySQLdb  # noqa: F401
            except ImportError:
                print('mysqlclient is not installed: using PyMySQL, whose '
                      'pure-Python row decoding is much slower')
                driver = 'pymysql'
        self.driver = driver
        db_url = '%s/%s?charset=utf8mb4' % (
            server_url.split('://', 1)[1].rstrip('/'), self.dbname)
        transport = os.environ.get('HIL_OS_BENCH_TRANSPORT_URL',
                                   'rabbit://guest:guest@127.0.0.1:5672/')
        host, port = transport.rsplit('@', 1)[-1].split('/')[0].split(':')
        try:
            socket.create_connection((host, int(port)), 2).close()
        except OSError:
            print('RabbitMQ does not answer at %s:%s: using fake://' %
                  (host, port))
            transport = 'fake://'
        self.transport = transport.split('://')[0]
        config = os.path.join(self.workdir, 'hil-os.conf')
        api_process.write_config(
            config,
            DEFAULT={'transport_url': transport,
                     'state_path': self.workdir},
            api={'auth_strategy': 'noauth'},
            database={'connection': 'mysql+%s://%s' % (driver, db_url),
                      # One connection per gunicorn thread, none beyond.
                      'max_pool_size': self.args.threads,
                      'max_overflow': 0},
            conductor={'topic': 'hil-os-bench-%s' % self.dbname},
            secrets={'key': fernet.Fernet.generate_key().decode()})
        subprocess.run([os.path.join(BIN, 'hil-os-dbsync'), '--config-file',
                        config, 'upgrade'], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server = Gunicorn(config, self.port, self.args.gunicorn_conf,
                          self.args.workers, self.args.threads)
        server.setUp()
        self.server = server

    def describe(self):
        return ('gunicorn %d workers x %d threads (gthread), MariaDB via %s, '
                '%s messaging, noauth' % (self.args.workers,
                                          self.args.threads, self.driver,
                                          self.transport))

    def db_server_pids(self):
        """MariaDB's processes, when it runs on this machine."""
        return named_processes('mariadbd', 'mysqld')

    def db_connections(self):
        import sqlalchemy as sa
        with self.admin.connect() as conn:
            return conn.execute(sa.text(
                'SELECT COUNT(*) FROM information_schema.PROCESSLIST '
                'WHERE DB = :db'), {'db': self.dbname}).scalar()

    def stop(self):
        super().stop()
        import sqlalchemy as sa
        with self.admin.connect() as conn:
            conn.execute(sa.text('DROP DATABASE IF EXISTS %s' % self.dbname))
        self.admin.dispose()


class Embedded(Shape):

    name = 'embedded'

    def start(self):
        config = os.path.join(self.workdir, 'hil-os.conf')
        api_process.write_config(
            config, DEFAULT={'state_path': self.workdir},
            api={'port': self.port})
        server = api_process.ApiProcess(config, self.port, command='hil-os')
        server.setUp()
        self.server = server

    def describe(self):
        return 'hil-os (API on cheroot, 16 threads, and a conductor), SQLite'

    def db_connections(self):
        return open_files(self.pids(), suffix='hil-os.sqlite')


def seed(shape):
    """Fill hil-os through its API; return the node UUIDs."""
    local = threading.local()

    def call(method, path, body=None, headers=ADMIN, expect=(200, 201)):
        if not hasattr(local, 'session'):
            local.session = requests.Session()
        response = local.session.request(method, shape.url + path,
                                         json=body, headers=headers,
                                         timeout=60)
        if response.status_code not in expect:
            raise RuntimeError('%s %s: %s %s' % (method, path,
                                                 response.status_code,
                                                 response.text))
        return response.json() if response.content else None

    def node(i):
        uuid_ = call('POST', '/v1/nodes', {'name': 'bench-node-%d' % i,
                                           'bmc': {'driver': 'fake'}})['uuid']
        call('POST', '/v1/switches/bench-sw/ports', {'name': 'p%d' % i})
        call('POST', '/v1/nodes/%s/nics' % uuid_, {
            'name': 'eth0', 'mac': '52:54:00:00:%02x:%02x' % divmod(i, 256),
            'switch': 'bench-sw', 'port': 'p%d' % i})
        call('PUT', '/v1/nodes/%s/project' % uuid_, {'project_id': 'bench'})
        return uuid_

    started = time.monotonic()
    call('POST', '/v1/switches', {'name': 'bench-sw', 'driver': 'fake'})
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        uuids = list(pool.map(node, range(NODES)))
    # One at a time: concurrent creations race for the next free VLAN and
    # the losers are told to try again (409).
    for i in range(NETWORKS):
        call('POST', '/v1/networks', {'name': 'bench-net-%d' % i},
             headers=MEMBER)
    print('seeded %d nodes with NICs, %d networks through the API in %.0f s'
          % (NODES, NETWORKS, time.monotonic() - started))
    return uuids


def run_wrk(shape, script, connections, duration, threads=None, args=()):
    """Run wrk; return its figures and the server's and its own CPU."""
    threads = threads or min(connections, 2)
    path = os.path.join(shape.workdir, 'script.lua')
    with open(path, 'w') as f:
        f.write(script)
    pids = shape.pids()
    db_pids = shape.db_server_pids()
    load = loadavg()
    server_before, db_before = cpu_seconds(pids), cpu_seconds(db_pids)
    each_before = {pid: sum(cpu_seconds([pid])) for pid in pids}
    wrk_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        ['wrk', '-t', str(threads), '-c', str(connections), '-d',
         '%ds' % duration, '--timeout', '10s', '-s', path, shape.url] +
        (['--'] + [str(a) for a in args] if args else []),
        check=True, capture_output=True, text=True).stdout
    server_user, server_system = (
        after - before for after, before in zip(cpu_seconds(pids),
                                                server_before))
    db_cpu = sum(cpu_seconds(db_pids)) - sum(db_before)
    # The busiest process's share: workers that took unequal numbers of
    # wrk's (kept-alive) connections do unequal work.
    busiest = max(sum(cpu_seconds([pid])) - cpu
                  for pid, cpu in each_before.items())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu = (after.ru_utime + after.ru_stime -
               wrk_cpu.ru_utime - wrk_cpu.ru_stime)
    line = [x for x in out.splitlines() if x.startswith('BENCH-JSON ')][-1]
    figures = json.loads(line.split(' ', 1)[1])
    count = max(figures['requests'], 1)
    seconds = figures['duration_us'] / 1e6
    return {'rps': figures['requests'] / seconds,
            'p50': figures['p50'] / 1000, 'p90': figures['p90'] / 1000,
            'p99': figures['p99'] / 1000, 'non2xx': figures['status'],
            'socket_errors': sum(figures[k] for k in
                                 ('connect', 'read', 'write', 'timeout')),
            'requests': figures['requests'],
            'most': figures['most_per_thread'],
            'server_ms': (server_user + server_system) / count * 1000,
            'server_sys': server_system / max(server_user + server_system,
                                              1e-9) * 100,
            'db_ms': db_cpu / count * 1000 if db_pids else None,
            'busiest': (busiest / max(server_user + server_system, 1e-9) *
                        100 if len(pids) > 1 else None),
            'wrk_ms': wrk_cpu / count * 1000, 'load': load}


class Runner:
    """The scenarios against one shape."""

    def __init__(self, shape, uuids, args):
        self.shape, self.uuids, self.args = shape, uuids, args
        self.pair_base = 0
        self.results = {}

    def script(self, scenario):
        if scenario == 'list_full':
            return lua_static('/v1/nodes?limit=%d' % NODES, ADMIN), {}
        if scenario == 'list_page':
            return lua_static('/v1/nodes', ADMIN), {}
        if scenario == 'show':
            return lua_show(self.uuids), {}
        if scenario == 'create':
            return lua_create(uuid.uuid4().hex[:8]), {}
        return lua_attach(), {'pairs': True}

    def once(self, scenario, connections, duration):
        script, options = self.script(scenario)
        if options.get('pairs'):
            result = run_wrk(self.shape, script, connections, duration,
                             threads=connections,
                             args=(connections, self.pair_base))
            # Past every pair a thread took (attached or in flight).
            self.pair_base += (result['most'] // 2 + 1) * connections
        else:
            result = run_wrk(self.shape, script, connections, duration)
        return result

    def scenario(self, scenario, connections):
        self.once(scenario, connections, 1)  # warm every worker up
        runs = [self.once(scenario, connections, self.args.duration)
                for _ in range(self.args.repeat)]
        self.results[scenario, connections] = runs
        print_row(TITLES[scenario], connections, runs)

    def soak(self, seconds, connections=8):
        path = os.path.join(self.shape.workdir, 'soak.lua')
        with open(path, 'w') as f:
            f.write(lua_soak(self.uuids))
        pids = self.shape.pids()
        samples = []
        load = loadavg()
        process = subprocess.Popen(
            ['wrk', '-t', str(connections), '-c', str(connections), '-d',
             '%ds' % seconds, '--timeout', '10s', '-s', path, self.shape.url,
             '--', str(connections), str(self.pair_base)],
            stdout=subprocess.PIPE, text=True)
        started = time.monotonic()
        while process.poll() is None:
            time.sleep(5)
            if process.poll() is None:
                samples.append((time.monotonic() - started,
                                open_files(pids),
                                self.shape.db_connections(), rss_mb(pids)))
        out = process.stdout.read()
        line = [x for x in out.splitlines()
                if x.startswith('BENCH-JSON ')][-1]
        figures = json.loads(line.split(' ', 1)[1])
        self.pair_base += (figures['most_per_thread'] // 5 + 1) * connections
        print('\n%s, %d connections, %d s (load %s): %.0f req/s, p99 '
              '%.1f ms, %d non-2xx, %d socket errors' % (
                  TITLES['soak'], connections, seconds, load,
                  figures['requests'] / (figures['duration_us'] / 1e6),
                  figures['p99'] / 1000, figures['status'],
                  sum(figures[k] for k in ('connect', 'read', 'write',
                                           'timeout'))))
        print('  %6s %11s %15s %10s' % ('t (s)', 'open files',
                                        'DB connections', 'RSS (MB)'))
        for t, fds, conns, rss in samples:
            print('  %6.0f %11d %15d %10.0f' % (t, fds, conns, rss))
        half = len(samples) // 2
        grew = [name for i, name in ((1, 'open files'),
                                     (2, 'DB connections'))
                if half and max(s[i] for s in samples[half:]) >
                max(s[i] for s in samples[:half])]
        verdict = ('grew: ' + ', '.join(grew)) if grew else 'no growth'
        print('  open files and DB connections: %s' % verdict)
        self.soak_result = (figures['status'], grew)


def print_header():
    print('%-26s %5s %8s %8s %8s %8s %7s %9s %5s %9s %9s %9s  %s' % (
        'scenario', 'conns', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms',
        'non-2xx', 'server ms', 'sys %', 'busiest %', 'DB ms', 'wrk ms',
        'load (1, 5, 15 min)'))


def print_row(title, connections, runs):
    def cell(key, fmt, best):
        values = [r[key] for r in runs]
        if None in values:
            return '-'
        if len(values) == 1:
            return fmt % values[0]
        return (fmt % best(values)) + '/' + (fmt % statistics.median(values))
    print('%-26s %5d %8s %8s %8s %8s %7s %9s %5s %9s %9s %9s  %s' % (
        title, connections, cell('rps', '%.0f', max),
        cell('p50', '%.1f', min), cell('p90', '%.1f', min),
        cell('p99', '%.1f', min),
        sum(r['non2xx'] + r['socket_errors'] for r in runs),
        cell('server_ms', '%.2f', min), cell('server_sys', '%.0f', min),
        cell('busiest', '%.0f', min), cell('db_ms', '%.2f', min),
        cell('wrk_ms', '%.2f', min),
        ' | '.join(r['load'] for r in runs)))


def print_targets(runner):
    print('\nTargets (production shape, issue 10); with --repeat, the best '
          'run:')
    for scenario, connections, key, op, bound in TARGETS:
        runs = runner.results.get((scenario, connections))
        if not runs:
            continue
        best = (max if key == 'rps' else min)(r[key] for r in runs)
        met = best <= bound if op == '<=' else best >= bound
        unit = 'req/s' if key == 'rps' else 'ms'
        print('  %-22s %d conn: %-4s %s %6.0f %-5s measured %8.1f  %s' % (
            TITLES[scenario], connections, key, op, bound, unit, best,
            'met' if met else 'NOT MET'))
    errors = sum(r['non2xx'] + r['socket_errors']
                 for runs in runner.results.values() for r in runs)
    print('  non-2xx and socket errors in all runs: %d' % errors)
    if hasattr(runner, 'soak_result'):
        status, grew = runner.soak_result
        print('  soak: %d non-2xx; %s' % (
            status, 'growth in ' + ', '.join(grew) if grew else
            'no growth in open files or DB connections'))


def bench(shape_class, args):
    workdir = tempfile.mkdtemp(prefix='hil-os-api-load-')
    shape = shape_class(workdir, args)
    try:
        shape.start()
        print('\n== %s shape: %s' % (shape.name, shape.describe()))
        print('load average before seeding: %s' % loadavg())
        uuids = seed(shape)
        runner = Runner(shape, uuids, args)
        print('%d s per run, %d run(s) each%s; server/DB/wrk ms = CPU '
              'milliseconds per request\n' % (
                  args.duration, args.repeat,
                  ' (best/median)' if args.repeat > 1 else ''))
        print_header()
        for scenario in args.scenarios:
            for connections in args.connections:
                runner.scenario(scenario, connections)
        if args.soak:
            runner.soak(args.soak)
        if shape.name == 'production':
            print_targets(runner)
    finally:
        shape.stop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print('kept %s' % workdir)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--shape', default='both',
                        choices=['production', 'embedded', 'both'])
    parser.add_argument('--duration', type=int, default=10,
                        help='seconds per run (10 to 60)')
    parser.add_argument('--connections', default='1,8',
                        type=lambda s: [int(x) for x in s.split(',')])
    parser.add_argument('--scenarios', default=','.join(SCENARIOS),
                        type=lambda s: s.split(','))
    parser.add_argument('--soak', type=int, default=60,
                        help='seconds of the mixed soak at 8 connections '
                             '(0: none)')
    parser.add_argument('--repeat', type=int, default=1)
    parser.add_argument('--gunicorn-conf', default=GUNICORN_CONF,
                        help='gunicorn settings of the production shape')
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--threads', type=int, default=4,
                        help='threads per gunicorn worker')
    parser.add_argument('--mysql-driver', default='mysqldb',
                        choices=['mysqldb', 'pymysql'])
    parser.add_argument('--keep', action='store_true',
                        help='keep the scratch directory (server logs)')
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress, also to a file
    if not shutil.which('wrk'):
        sys.exit('wrk is not installed: apt-get install wrk')
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        sys.exit('unknown scenarios: %s' % ', '.join(sorted(unknown)))
    print('hil-os API load benchmark, %d CPUs, load average %s' % (
        os.cpu_count(), loadavg()))
    shapes = {'production': [Production], 'embedded': [Embedded],
              'both': [Production, Embedded]}[args.shape]
    for shape_class in shapes:
        bench(shape_class, args)


if __name__ == '__main__':
    main()
