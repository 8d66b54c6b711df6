"""Boot times on the virtual lab: power-on to "booted from iSCSI".

usage (root): python benchmarks/lab_boot.py [--nodes 8] [--image token|linux]
              [--dir DIR]

Brings a lab of N nodes up (``hil-os lab up``'s code, its own hil-os on a
free port, lab directory DIR or a scratch one), provisions every node from
the image through the API (which power-cycles it), then, with the nodes
off:

1. one node at a time: ``PUT /v1/nodes/{node}/power {"target": "on"}``,
   then the time until the node's serial line shows it booted from its
   iSCSI disk (token image: ``HILLAB-MBR: done``; Linux image:
   ``HILLAB-LINUX: up``), measured from the request and from the moment
   its BMC started QEMU (the chassis-control event);
2. all N at once: the same per node, and until the last one booted.

The lab is taken down at the end. TCG only (no KVM): iPXE's DHCP and the
SeaBIOS/iPXE banners dominate the token image's time; the Linux image
adds loading the kernel and initramfs over iSCSI through INT 13h.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP)

from hil_os.lab import images  # noqa: E402
from hil_os.lab import lab  # noqa: E402
from hil_os.lab import register  # noqa: E402

BOOTED = {'token': b'HILLAB-MBR: done', 'linux': b'HILLAB-LINUX: up'}
PROJECT = 'bench'


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def act(api, method, path, body=None, timeout=300):
    action = api.call(method, path, body)[1]
    uuid = action.get('action_uuid') or action['uuid']
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = api.call('get', '/v1/actions/%s' % uuid)[1]
        if row['status'] in ('succeeded', 'failed', 'cancelled'):
            if row['status'] != 'succeeded':
                raise RuntimeError('%s %s: %s' % (method, path, row))
            return row
        time.sleep(0.1)
    raise RuntimeError('%s %s did not finish' % (method, path))


def power_on_event(node_dir, after):
    """When the BMC got "set power 1" (the chassis-control event log)."""
    with open(os.path.join(node_dir, 'events')) as f:
        for line in f:
            stamp, _, what = line.partition(' ')
            if what.strip() == 'set power 1' and float(stamp) >= after:
                return float(stamp)
    return None


def boot(api, state, names, image, timeout=300):
    """Power ``names`` on at once; {name: (from request, from BMC)}."""
    logs = {n: os.path.join(state['nodes'][n]['dir'], 'serial.log')
            for n in names}
    offsets = {n: os.path.getsize(p) if os.path.exists(p) else 0
               for n, p in logs.items()}
    started = {}

    def power_on(name):
        started[name] = time.time()
        act(api, 'put', '/v1/nodes/%s/power' % name, {'target': 'on'})
    threads = [threading.Thread(target=power_on, args=(n,)) for n in names]
    for t in threads:
        t.start()
    result = {}
    deadline = time.monotonic() + timeout
    while len(result) < len(names) and time.monotonic() < deadline:
        for name in names:
            if name in result or not os.path.exists(logs[name]):
                continue
            with open(logs[name], 'rb') as f:
                f.seek(offsets[name])
                if BOOTED[image] in f.read():
                    now = time.time()
                    bmc = power_on_event(state['nodes'][name]['dir'],
                                         started[name] - 1)
                    result[name] = (now - started[name],
                                    now - bmc if bmc else None)
        time.sleep(0.02)
    for t in threads:
        t.join()
    missing = set(names) - set(result)
    if missing:
        raise RuntimeError('not booted within %s s: %s' % (
            timeout, ', '.join(sorted(missing))))
    return result


def power_off(api, names):
    threads = [threading.Thread(target=act, args=(
        api, 'put', '/v1/nodes/%s/power' % n, {'target': 'off'}))
        for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def show(title, result):
    print(title)
    for name, (request, bmc) in sorted(result.items(),
                                       key=lambda i: int(i[0][4:])):
        print('  %-7s %6.2f s from the API request, %6.2f s from the BMC '
              'power-on' % (name, request, bmc))
    values = [r for r, _ in result.values()]
    print('  median %.2f s, max %.2f s (from the API request)' % (
        statistics.median(values), max(values)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--nodes', type=int, default=8)
    parser.add_argument('--image', choices=('token', 'linux'),
                        default='token')
    parser.add_argument('--dir', default=None)
    args = parser.parse_args()
    directory = args.dir or tempfile.mkdtemp(prefix='hil-lab-bench-')
    url = 'http://127.0.0.1:%d' % free_port()
    started = time.monotonic()
    state = lab.up(directory, args.nodes, url, linux=args.image == 'linux',
                   say=lambda text: None)
    print('lab up (%d nodes, own hil-os): %.1f s' % (
        args.nodes, time.monotonic() - started))
    try:
        api = register.Api(url)
        image = (images.LINUX_IMAGE if args.image == 'linux'
                 else images.TOKEN_IMAGE)
        names = sorted(state['nodes'], key=lambda n: int(n[4:]))
        for name in names:
            api.call('put', '/v1/nodes/%s/project' % name,
                     {'project_id': PROJECT})
        api.call('put', '/v1/images/%s/access/%s' % (image, PROJECT))
        for name in names:
            act(api, 'post', '/v1/nodes/%s/provision' % name,
                {'image': image})
        power_off(api, names)
        one = {}
        for name in names:
            one.update(boot(api, state, [name], args.image))
            power_off(api, [name])
        show('one node at a time (%s image):' % args.image, one)
        t0 = time.monotonic()
        together = boot(api, state, names, args.image)
        total = time.monotonic() - t0
        show('%d nodes powered on at once (%s image):' % (
            len(names), args.image), together)
        print('  all %d booted %.2f s after the first request' % (
            len(names), total))
    finally:
        lab.down(directory, say=lambda text: None)
        if not args.dir:
            shutil.rmtree(directory, ignore_errors=True)
        if not args.dir and not os.listdir(directory):
            os.rmdir(directory)


if __name__ == '__main__':
    main()
