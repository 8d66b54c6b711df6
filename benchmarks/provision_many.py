"""Clone-to-many on the local image backend, through the real API.

Provisions N nodes (default 20) from one sparse image (default 10 GiB, of
which 256 MiB hold data) with hil-os's API and conductor in this process,
a real tgtd, and fake BMCs; then snapshots one node. Prints the time of
each provision, the storage used before and after, and the snapshot time
beside a plain copy of the same disk.

The images directory is an XFS file system made for the run on a loop
device (reflink clones) unless --dir names another directory (for
instance on ext4, where clones are sparse copies). Needs root, tgtd,
qemu-img, and mkfs.xfs for the default. Run:

    sudo .venv/bin/python benchmarks/provision_many.py [--nodes 20]
"""

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import futurist
import webtest

GIB = 1024 ** 3
MIB = 1024 ** 2


def free_port(first, last):
    for port in range(first, last + 1):
        with socket.socket() as s:
            try:
                s.bind(('127.0.0.1', port))
            except OSError:
                continue
            return port
    raise SystemExit('no free port in %d-%d' % (first, last))


class Tgtd:
    """A tgtd of this run on a free port (control socket = port)."""

    def __init__(self, workdir):
        self.port = free_port(13050, 13099)
        self.proc = subprocess.Popen(
            ['tgtd', '-f', '-C', str(self.port), '--iscsi',
             'portal=127.0.0.1:%d' % self.port],
            stdout=open(os.path.join(workdir, 'tgtd.log'), 'w'),
            stderr=subprocess.STDOUT, start_new_session=True)
        for _ in range(50):
            if subprocess.run(['tgtadm', '-C', str(self.port), '--op',
                               'show', '--mode', 'sys'],
                              capture_output=True).returncode == 0:
                return
            time.sleep(0.1)
        raise SystemExit('tgtd did not start')

    def stop(self):
        tgtadm = ['tgtadm', '-C', str(self.port)]
        subprocess.run(tgtadm + ['--op', 'update', '--mode', 'sys', '--name',
                                 'State', '-v', 'offline'],
                       capture_output=True)
        out = subprocess.run(tgtadm + ['--lld', 'iscsi', '--op', 'show',
                                       '--mode', 'target'],
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith('Target '):
                tid = line.split()[1].rstrip(':')
                subprocess.run(tgtadm + ['--lld', 'iscsi', '--op', 'delete',
                                         '--force', '--mode', 'target',
                                         '--tid', tid], capture_output=True)
        subprocess.run(tgtadm + ['--op', 'delete', '--mode', 'system'],
                       capture_output=True)
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        for suffix in ('', '.lock'):
            path = '/var/run/tgtd/socket.%d%s' % (self.port, suffix)
            if os.path.exists(path):
                os.unlink(path)


class XfsMount:
    """An XFS file system with reflink on a sparse file and a loop device."""

    def __init__(self, workdir, size_gib):
        self.backing = os.path.join(workdir, 'xfs.img')
        self.path = os.path.join(workdir, 'images')
        os.makedirs(self.path)
        with open(self.backing, 'wb') as f:
            f.truncate(size_gib * GIB)
        subprocess.run(['mkfs.xfs', '-q', '-m', 'reflink=1', self.backing],
                       check=True)
        subprocess.run(['mount', '-o', 'loop', self.backing, self.path],
                       check=True)

    def stop(self):
        subprocess.run(['umount', self.path], check=False)


def used_bytes(path):
    """Bytes in use on the file system holding ``path``."""
    st = os.statvfs(path)
    return (st.f_blocks - st.f_bfree) * st.f_frsize


def allocated(path):
    return sum(os.stat(os.path.join(path, f)).st_blocks * 512
               for f in os.listdir(path))


def fs_type(path):
    return subprocess.run(['stat', '-f', '-c', '%T', path],
                          capture_output=True, text=True).stdout.strip()


def setup_hil_os(workdir, images_dir, tgtd):
    from hil_os.api import app as api_app
    from hil_os.common import rpc
    from hil_os.common import secrets
    from hil_os.conductor import manager
    from hil_os.conductor import rpcapi
    from hil_os import conf
    from hil_os.db import api as dbapi
    from hil_os.db import migration

    CONF = conf.CONF
    rpc.set_defaults()
    CONF([], project='hil-os', default_config_files=[])
    for group, values in {
            None: {'state_path': workdir},
            'api': {'auth_strategy': 'noauth'},
            'secrets': {'key': secrets.generate_key()},
            'database': {'connection': 'sqlite:///%s/hil.sqlite' % workdir},
            'image': {'enabled_backends': ['local'],
                      'default_backend': 'local',
                      'import_dirs': [workdir]},
            'image_local': {'images_dir': images_dir,
                            'tgt_control_port': tgtd.port,
                            'portal_port': tgtd.port},
            'power': {'power_timeout': 5, 'poll_interval': 0.01}}.items():
        for key, value in values.items():
            CONF.set_override(key, value, group)
    dbapi.configure(CONF.database.connection)
    migration.upgrade()
    conductor = manager.ConductorManager(hostname='bench')
    conductor.start(rpc_server=False, periodic=False,
                    executor=futurist.SynchronousExecutor())
    app = webtest.TestApp(api_app.setup_app(
        rpcapi.LocalConductorAPI(conductor)))
    return app, conductor, dbapi


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--nodes', type=int, default=20)
    parser.add_argument('--size-gib', type=int, default=10)
    parser.add_argument('--data-mib', type=int, default=256)
    parser.add_argument('--dir', help='images directory to use instead of '
                                      'a fresh XFS file system')
    args = parser.parse_args()
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
    from tests import factories

    workdir = tempfile.mkdtemp(prefix='hil-bench-')
    tgtd = Tgtd(workdir)
    xfs = None
    try:
        if args.dir:
            images_dir = tempfile.mkdtemp(prefix='hil-bench-', dir=args.dir)
        else:
            xfs = XfsMount(workdir, 3 * args.size_gib + 8)
            images_dir = xfs.path
        app, conductor, dbapi = setup_hil_os(workdir, images_dir, tgtd)
        member = {'X-Project-Id': 'bench', 'X-Roles': 'member,reader'}

        source = os.path.join(workdir, 'source.raw')
        with open(source, 'wb') as f:
            f.truncate(args.size_gib * GIB)
            block = os.urandom(MIB)
            for _ in range(args.data_mib):
                f.write(block)
        start = time.monotonic()
        app.post_json('/v1/images', {'name': 'base', 'source': source},
                      headers=member)
        image = app.get('/v1/images/base', headers=member).json
        assert image['status'] == 'available', image
        print('file system: %s (%s); image: %d GiB, %d MiB of data, '
              'imported in %.2f s' % (
                  fs_type(images_dir),
                  'reflink clones' if _cow() else 'sparse copies',
                  args.size_gib, args.data_mib, time.monotonic() - start))

        nodes = []
        for i in range(args.nodes):
            node = factories.create_test_node(
                name='bench-%02d' % i, project_id='bench', bmc_port=30000 + i)
            nodes.append(node)
        before = used_bytes(images_dir)
        times = []
        for node in nodes:
            start = time.monotonic()
            action = app.post_json('/v1/nodes/%s/provision' % node.name,
                                   {'image': 'base'}, headers=member).json
            times.append(time.monotonic() - start)
            status = dbapi.action_get(action['uuid'])
            assert status.status == 'succeeded', status.message
        after = used_bytes(images_dir)
        print('provisioned %d nodes: per provision min %.3f s, median '
              '%.3f s, max %.3f s; total %.2f s' % (
                  len(times), min(times), statistics.median(times),
                  max(times), sum(times)))
        print('storage used: before %.1f MiB, after %.1f MiB: +%.1f MiB '
              'for %d disks (a full copy each would be +%d GiB; sum of '
              'file allocations %.1f GiB)' % (
                  before / MIB, after / MIB, (after - before) / MIB,
                  len(nodes), len(nodes) * args.size_gib,
                  allocated(images_dir) / GIB))
        targets = subprocess.run(
            ['tgtadm', '-C', str(tgtd.port), '--lld', 'iscsi', '--op',
             'show', '--mode', 'target'], capture_output=True,
            text=True).stdout.count('\nTarget ') + 1
        print('tgtd targets: %d' % targets)

        start = time.monotonic()
        action = app.post_json('/v1/nodes/%s/snapshot' % nodes[0].name,
                               {'name': 'golden'}, headers=member).json
        snapshot = time.monotonic() - start
        assert dbapi.action_get(action['action_uuid']).status == 'succeeded'
        disk = app.get('/v1/disks?node=%s' % nodes[0].name,
                       headers=member).json['disks'][0]
        disk_file = os.path.join(images_dir, 'disk-%s.raw' % disk['uuid'])
        copies = {}
        for label, argv in (
                ('sparse-aware copy (cp --reflink=never)',
                 ['cp', '--reflink=never', disk_file, disk_file + '.c1']),
                ('full copy (cp --sparse=never)',
                 ['cp', '--reflink=never', '--sparse=never', disk_file,
                  disk_file + '.c2'])):
            start = time.monotonic()
            subprocess.run(argv, check=True)
            os.sync()
            copies[label] = time.monotonic() - start
        print('snapshot of one node (API to image available, power off/on '
              'included): %.3f s' % snapshot)
        for label, seconds in copies.items():
            print('  vs %s of the same %d GiB disk: %.2f s' % (
                label, args.size_gib, seconds))
        for suffix in ('.c1', '.c2'):
            os.unlink(disk_file + suffix)
        conductor.stop()
    finally:
        tgtd.stop()
        if xfs:
            xfs.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def _cow():
    from hil_os.drivers import image
    return image.get('local').copy_on_write


if __name__ == '__main__':
    main()
