"""The real switches of the integration tests (tests/lab/peer-*.sh)."""

import os
import subprocess
import uuid

from tests import base


def unique(prefix):
    """A short unique name (OVS port names are at most 15 characters)."""
    return '%s%s' % (prefix, uuid.uuid4().hex[:15 - len(prefix)])


class Ovs:
    """The userspace Open vSwitch behind sshd (peer-ovs.sh)."""

    def __init__(self, testcase):
        self.testcase = testcase
        self.ssh_port = int(base.require_peer(
            testcase, 'HIL_OS_TEST_OVS_SSH_PORT', 'Open vSwitch over SSH'))
        self.key = os.environ['HIL_OS_TEST_OVS_KEY']
        self.rundir = os.environ['HIL_OS_TEST_OVS_RUNDIR']
        self.bridge = os.environ['HIL_OS_TEST_OVS_BRIDGE']
        self.netns = os.environ['HIL_OS_TEST_OVS_NETNS']

    def vsctl(self, *args):
        """Run ovs-vsctl locally against the peer's database."""
        return subprocess.run(
            ('ovs-vsctl', '--timeout=10') + args, check=True,
            capture_output=True, text=True,
            env=dict(os.environ, OVS_RUNDIR=self.rundir)).stdout.strip()

    def add_port(self, name=None, internal=True):
        """A port on the bridge (internal, or an existing device)."""
        name = name or unique('hp')
        extra = (('--', 'set', 'interface', name, 'type=internal')
                 if internal else ())
        self.vsctl('add-port', self.bridge, name, *extra)
        self.testcase.addCleanup(self.vsctl, '--if-exists', 'del-port',
                                 self.bridge, name)
        return name

    def port_vlans(self, name):
        """(vlan_mode, tag, trunks) of a port, straight from OVSDB."""
        values = self.vsctl('--format=csv', '--data=bare', '--no-headings',
                            '--columns=vlan_mode,tag,trunks', 'list',
                            'port', name).split(',')
        mode, tag, trunks = values
        return (mode or None, int(tag) if tag else None,
                sorted(int(v) for v in trunks.split()) if trunks else [])

    def switch_body(self, name=None, **options):
        """The POST /v1/switches body registering this OVS."""
        opts = {'key_file': self.key, 'use_keys': True,
                'ngs_ovs_bridge': self.bridge}
        opts.update(options)
        return {'name': name or unique('ovs-'), 'driver': 'ngs',
                'device_type': 'netmiko_ovs_linux', 'address': '127.0.0.1',
                'ssh_port': self.ssh_port, 'username': 'root',
                'options': opts}


class Cisco:
    """fake-switches Cisco IOS simulators (peer-fakeswitches.sh)."""

    def __init__(self, testcase, second=False):
        var = ('HIL_OS_TEST_CISCO2_SSH_PORT' if second
               else 'HIL_OS_TEST_CISCO_SSH_PORT')
        self.ssh_port = int(base.require_peer(
            testcase, var, 'fake-switches Cisco IOS'))
        self.username = os.environ['HIL_OS_TEST_CISCO_USER']
        self.password = os.environ['HIL_OS_TEST_CISCO_PASSWORD']
        self.enable = os.environ['HIL_OS_TEST_CISCO_ENABLE']
        self.nports = int(os.environ['HIL_OS_TEST_CISCO_PORTS'])

    def switch_body(self, name=None, password=None):
        return {'name': name or unique('ios-'), 'driver': 'ngs',
                'device_type': 'netmiko_cisco_ios', 'address': '127.0.0.1',
                'ssh_port': self.ssh_port, 'username': self.username,
                'password': password or self.password,
                'enable_secret': self.enable,
                'options': {'ngs_save_configuration': False}}

    def show(self, command):
        """A show command over our own netmiko session (not hil-os's)."""
        import netmiko
        connection = netmiko.ConnectHandler(
            device_type='cisco_ios', host='127.0.0.1', port=self.ssh_port,
            username=self.username, password=self.password,
            secret=self.enable, conn_timeout=10)
        try:
            connection.enable()
            return connection.send_command(command)
        finally:
            connection.disconnect()

    def interface(self, name):
        """The configuration lines of one interface."""
        lines = self.show('show running-config').splitlines()
        start = lines.index('interface %s' % name)
        block = []
        for line in lines[start + 1:]:
            if not line.startswith(' '):
                break
            block.append(line.strip())
        return block
