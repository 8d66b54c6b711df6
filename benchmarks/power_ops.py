"""Time each power operation against real BMCs (ipmi_sim).

usage: tests/lab/peer-ipmisim.sh up DIR && set -a && . DIR/peer-ipmisim.env
       && set +a && python benchmarks/power_ops.py [--repeat 20]

For one ipmi_sim BMC it prints the median and worst time of: the first
call (pyghmi login), get_power_state on the open session, each power
request, set_boot_device, opening a Serial-over-LAN console; then of each
node action as hil-os runs it (claim, request, read-back until verified,
result recorded in the database), on a scratch SQLite database.
"""

import argparse
import atexit
import os
import shutil
import statistics
import tempfile
import time


def timed(func, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times)


def show(name, result):
    print('%-34s median %7.1f ms   worst %7.1f ms' % (
        name, result[0] * 1000, result[1] * 1000))


def setup(address, port, user, password):
    from hil_os.common import rpc
    from hil_os.common import secrets
    from hil_os import conf
    from hil_os.db import api as dbapi
    from hil_os.db import migration

    rpc.set_defaults()
    conf.CONF([], project='hil-os', default_config_files=[])
    conf.CONF.set_override('key', secrets.generate_key(), 'secrets')
    conf.CONF.set_override('enabled_drivers', ['ipmi'], 'power')
    conf.CONF.set_override('poll_interval', 0.01, 'power')
    workdir = tempfile.mkdtemp(prefix='hil-os-ops-')
    atexit.register(shutil.rmtree, workdir, True)
    url = 'sqlite:///%s/ops.sqlite' % workdir
    conf.CONF.set_override('connection', url, 'database')
    dbapi.configure(url)
    migration.upgrade()
    return dbapi.node_create({
        'name': 'ops-node', 'bmc_driver': 'ipmi', 'bmc_address': address,
        'bmc_port': port, 'bmc_username': user,
        'bmc_password': secrets.encrypt(password)})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--repeat', type=int, default=20)
    args = parser.parse_args()
    address, port = os.environ['HIL_OS_IPMISIM_BMCS'].split(',')[0].split(':')
    node = setup(address, int(port), os.environ['HIL_OS_IPMISIM_USER'],
                 os.environ['HIL_OS_IPMISIM_PASSWORD'])
    from hil_os.common import states
    from hil_os.conductor import node_actions
    from hil_os.conductor import power
    from hil_os.db import api as dbapi

    drivers = power.PowerDrivers()
    driver = drivers.get(node)
    print('ipmi_sim BMC %s:%s, %d repeats' % (address, port, args.repeat))
    show('first call (login + get_power)', timed(driver.get_power_state, 1))
    show('get_power_state', timed(driver.get_power_state, args.repeat))
    for request in ('on', 'off', 'soft_off'):
        show('set_power_state(%s) request' % request,
             timed(lambda: driver.set_power_state(request), args.repeat))
    show('set_boot_device(pxe)',
         timed(lambda: driver.set_boot_device('pxe', False), args.repeat))
    show('open + close SOL console',
         timed(lambda: driver.open_console(lambda data: None).close(), 5))

    class Inline:
        def submit(self, func, *a):
            func(*a)

    queue = node_actions.NodeActionQueue('bench', Inline(), drivers)

    def action(kind, **details):
        def run():
            dbapi.node_action_create(node.id, kind, 'bench', details)
            queue.submit(node.uuid)
        return run

    driver.set_power_state('off')
    for kind, details in ((states.ACTION_POWER_ON, {}),
                          (states.ACTION_POWER_OFF, {}),
                          (states.ACTION_REBOOT, {}),
                          (states.ACTION_SOFT_OFF, {}),
                          (states.ACTION_SET_BOOT_DEVICE,
                           {'device': 'pxe'})):
        show('action %s (verified, recorded)' % kind,
             timed(action(kind, **details), args.repeat))
    failed = [a for a in dbapi.action_list() if a.status != 'succeeded']
    print('actions not succeeded: %d' % len(failed))
    drivers.close_all()


if __name__ == '__main__':
    main()
