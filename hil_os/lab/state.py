"""The lab's state file, its names and its addresses.

Everything ``up`` creates is recorded here as soon as it exists, so that
``down`` can remove it even after a crash. Names of namespaces and
devices start with the lab's tag, derived from its directory, so that a
sweep finds whatever the state file missed and two labs never collide.
"""

import hashlib
import json
import os

PROV_VLAN = 3900
PARKING_VLAN = 4000
PROV_NET = '10.202.0'
PROV_ADDRESS = PROV_NET + '.1'
PROV_ADDRESS6 = 'fd00:4c41:4202::1'
RELAY_PORT = 8080
PORTAL_PORT = 3260
MAX_NODES = 16
USER, PASSWORD = 'admin', 'pw'


def tag_of(directory):
    """The lab's name prefix: 'hl' and 4 hex digits of its directory."""
    digest = hashlib.sha1(os.path.realpath(directory).encode()).hexdigest()
    return 'hl' + digest[:4]


def mac(index, nic):
    """MAC of a node's NIC: 52:54:00:4c:NN:00 boots, :01 carries data."""
    return '52:54:00:4c:%02x:%02x' % (index, nic)


class State:
    """The JSON state file of one lab directory."""

    def __init__(self, directory):
        self.directory = os.path.realpath(directory)
        self.run_dir = os.path.join(self.directory, 'run')
        self.path = os.path.join(self.run_dir, 'state.json')
        self.tag = tag_of(self.directory)
        self.data = {'tag': self.tag, 'netns': [], 'pids': {},
                     'pidfiles': {}, 'nodes': {}}
        if os.path.exists(self.path):
            with open(self.path) as f:
                self.data.update(json.load(f))

    def exists(self):
        return os.path.exists(self.path)

    def save(self):
        os.makedirs(self.run_dir, exist_ok=True)
        tmp = self.path + '.tmp'
        with open(tmp, 'w') as f:
            json.dump(self.data, f, indent=1, sort_keys=True)
        os.rename(tmp, self.path)

    def __getitem__(self, key):
        return self.data[key]

    def get(self, key, default=None):
        return self.data.get(key, default)

    def set(self, key, value):
        self.data[key] = value
        self.save()

    def add_netns(self, name):
        if name not in self.data['netns']:
            self.data['netns'].append(name)
        self.save()

    def add_pid(self, label, pid):
        self.data['pids'][label] = pid
        self.save()

    def add_pidfile(self, label, path):
        self.data['pidfiles'][label] = path
        self.save()

    def path_of(self, *parts):
        return os.path.join(self.run_dir, *parts)

    def name(self, suffix):
        """A namespace or device name of this lab (at most 15 chars)."""
        return '%s-%s' % (self.tag, suffix)

    @property
    def switch_ns(self):
        return self.name('sw')

    @property
    def prov_ns(self):
        return self.name('prov')

    def tap(self, index, kind):
        """The switch port of node ``index``'s boot (b) or data (d) NIC."""
        return self.name('%d%s' % (index, kind))
