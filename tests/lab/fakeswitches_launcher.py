"""Run fake-switches Cisco IOS simulators on 127.0.0.1 for the tests.

Usage: fakeswitches_launcher.py MODEL:PORT:NPORTS [...]
(e.g. cisco_generic:22101:48). Each switch has ports FastEthernet0/1 to
FastEthernet0/NPORTS, SSH user "admin" with password "secret", and enable
secret "secret". Runs under the fake-switches venv (Twisted), not ours.

Fixes fake-switches 1.5.0 needs on Python 3.11 / Twisted 26, written here
rather than patched into its code: its command line launcher denies every
enable password and binds 0.0.0.0, and no model knows the "end" command
netmiko leaves configuration mode with.
"""

import importlib
import sys

from fake_switches import switch_configuration
from fake_switches import switch_factory
from fake_switches.transports.ssh_service import SwitchSshService
from twisted.internet import reactor

USER = 'admin'
PASSWORD = 'secret'


def _do_end(self, *args):
    self.is_done = True
    self.sub_processor = None


def add_end_command():
    for name in ('cisco', 'brocade', 'dell', 'dell10g', 'arista'):
        module = importlib.import_module(
            'fake_switches.%s.command_processor.config' % name)
        for attr, cls in vars(module).items():
            if (isinstance(cls, type) and attr.startswith('Config') and
                    attr.endswith('CommandProcessor') and
                    cls.__module__ == module.__name__ and
                    not hasattr(cls, 'do_end')):
                cls.do_end = _do_end


def main(specs):
    add_end_command()
    factory = switch_factory.SwitchFactory()
    for spec in specs:
        model, port, count = spec.split(':')
        ports = [switch_configuration.Port('FastEthernet0/%d' % i)
                 for i in range(1, int(count) + 1)]
        core = factory.get(model, hostname='sw-%s' % port,
                           password=PASSWORD, ports=ports)
        SwitchSshService(ip='127.0.0.1', port=int(port), switch_core=core,
                         users={USER: PASSWORD.encode()}
                         ).hook_to_reactor(reactor)
    reactor.run()


if __name__ == '__main__':
    main(sys.argv[1:])
