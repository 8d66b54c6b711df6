"""Power-state sweep over many simulated BMCs, beside its floor.

usage: python benchmarks/power_sweep.py [--bmcs 1000] [--workers 16]
           [--sweeps 3] [--base-port 17000]

Starts N in-process pyghmi fake BMCs (RECIPES.md §8, with its two patches)
in a child process on 127.0.0.1 UDP ports base..base+N-1, registers N nodes
with the ipmi driver in a scratch SQLite database, and runs hil-os's own
power-state sync (conductor/power_sync.py: driver cache, bounded pool,
compare-and-swap recording) several times. The first sweep logs in to
every BMC; later ones reuse the cached sessions.

The floor is one pyghmi round trip (median get_power on an open session,
measured one at a time) x N / workers: what the sweep would take if the
workers did nothing but wait for BMC answers. Everything prints to stdout.
"""

import argparse
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time


def serve(base, count, ready):
    """The fake BMCs (child process): power state and boot device only."""
    import pyghmi.ipmi.bmc as bmc
    import pyghmi.ipmi.private.serversession as serversession
    import pyghmi.ipmi.private.session as session

    original = serversession.ServerSession.create_open_session_response

    def open_sha1_only(self, request):
        # Refuse non-SHA-1 so that the client falls back (else it crashes).
        if request[12] != 1:
            self.clientsessionid = request[4:8]
            return bytearray([request[0], 0x11, 0, 0]) + request[4:8]
        return original(self, request)

    def io_sendto(sock, packet, addr):
        try:
            getattr(sock, 'fd', sock).sendto(packet, addr)
        except Exception:
            pass

    serversession.ServerSession.create_open_session_response = open_sha1_only
    session._io_sendto = io_sendto

    class FakeNode(bmc.Bmc):
        def __init__(self, port):
            super().__init__({'admin': 'pw'}, port=port, address='127.0.0.1')
            self.powerstate, self.bootdevice = 'off', 'default'

        def get_power_state(self):
            return self.powerstate

        def power_on(self):
            self.powerstate = 'on'

        def power_off(self):
            self.powerstate = 'off'

        def get_boot_device(self):
            return self.bootdevice

        def set_boot_device(self, device):
            self.bootdevice = device

    nodes = [FakeNode(base + i) for i in range(count)]
    ready.set()
    while nodes:    # what bmc.Bmc.listen does
        session.Session.wait_for_rsp(30)


def setup_hil_os(workdir, count, base, workers):
    from hil_os.common import rpc
    from hil_os.common import secrets
    from hil_os import conf
    from hil_os.db import api as dbapi
    from hil_os.db import migration

    rpc.set_defaults()
    conf.CONF([], project='hil-os', default_config_files=[])
    conf.CONF.set_override('key', secrets.generate_key(), 'secrets')
    conf.CONF.set_override('enabled_drivers', ['ipmi'], 'power')
    conf.CONF.set_override('sync_workers', workers, 'power')
    url = 'sqlite:///%s/bench.sqlite' % workdir
    conf.CONF.set_override('connection', url, 'database')
    dbapi.configure(url)
    migration.upgrade()
    password = secrets.encrypt('pw')
    for i in range(count):
        dbapi.node_create({'name': 'bench-%04d' % i, 'bmc_driver': 'ipmi',
                           'bmc_address': '127.0.0.1',
                           'bmc_port': base + i, 'bmc_username': 'admin',
                           'bmc_password': password})


def round_trip(base, samples=200):
    """Median seconds of one get_power on an open pyghmi session."""
    from pyghmi.ipmi import command

    cmd = command.Command(bmc='127.0.0.1', userid=b'admin', password=b'pw',
                          port=base)
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        cmd.get_power()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--bmcs', type=int, default=1000)
    parser.add_argument('--workers', type=int, default=16)
    parser.add_argument('--sweeps', type=int, default=3)
    parser.add_argument('--base-port', type=int, default=17000)
    args = parser.parse_args()

    ready = multiprocessing.Event()
    server = multiprocessing.Process(
        target=serve, args=(args.base_port, args.bmcs, ready), daemon=True)
    server.start()
    if not ready.wait(60):
        sys.exit('the fake BMCs did not start')
    workdir = tempfile.mkdtemp(prefix='hil-os-bench-')
    try:
        setup_hil_os(workdir, args.bmcs, args.base_port, args.workers)
        from hil_os.conductor import power
        from hil_os.conductor import power_sync

        rtt = round_trip(args.base_port)
        floor = rtt * args.bmcs / args.workers
        print('%d fake BMCs (one server process), %d sync workers, '
              '%d CPUs' % (args.bmcs, args.workers, os.cpu_count()))
        print('one pyghmi round trip (median get_power): %.2f ms; floor '
              '= %.2f ms x %d / %d = %.2f s' % (
                  rtt * 1000, rtt * 1000, args.bmcs, args.workers, floor))
        drivers = power.PowerDrivers()
        sync = power_sync.PowerSync('bench', drivers)
        try:
            for i in range(args.sweeps):
                summary = sync.run()
                what = ('logs in to every BMC' if i == 0 else
                        'cached sessions')
                print('sweep %d (%s): %.2f s for %d nodes, %d change(s), '
                      '%d error(s); %.1f x the floor' % (
                          i + 1, what, summary['seconds'], summary['nodes'],
                          summary['changed'], summary['errors'],
                          summary['seconds'] / floor))
        finally:
            sync.close()
            drivers.close_all()
    finally:
        server.terminate()
        server.join(5)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    main()
