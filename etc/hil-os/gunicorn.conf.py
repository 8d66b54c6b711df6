"""gunicorn settings for the hil-os API, the production shape::

    HIL_OS_CONFIG_FILE=/etc/hil-os/hil-os.conf \
        gunicorn -c /etc/hil-os/gunicorn.conf.py hil_os.api.wsgi:application

One worker process per core of the API host: the Python work of a request
holds its process's lock (the GIL), so processes, not threads, use the
cores. Each worker runs a few threads, which overlap the database round
trips of its requests, and keeps clients' connections open between their
requests (gthread; the default sync worker closes each one). Give each
worker a database pool of one connection per thread (``[database]
max_pool_size = 4``, ``max_overflow = 0``): no thread waits for a
connection, and the database sees at most workers x threads of them.

Each worker listens on a socket of its own (``reuse_port``), among which
the kernel spreads new connections. On one shared socket, whichever worker
woke first took the connections: kept-alive clients stayed where they
landed, and in one run of lists at 8 connections one worker did 99 % of
the work, on one core, while the other idled. The kernel spreads
connections among the sockets by a hash: even on average, not always.

benchmarks/api_load.py runs the API with this file; benchmarks/README.md
has its figures, and those of the other shapes tried (fewer threads, more
workers), which did worse on 2 cores.
"""

bind = '0.0.0.0:6390'
workers = 2
worker_class = 'gthread'
threads = 4
reuse_port = True
backlog = 2048
