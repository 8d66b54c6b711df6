"""The Debian packages the lab runs on, installed when missing."""

import os
import subprocess

from hil_os.lab import system

PACKAGES = ('openvswitch-switch', 'openssh-server', 'qemu-system-x86',
            'ipxe-qemu', 'qemu-utils', 'qemu-block-extra', 'tgt',
            'libiscsi-bin', 'openipmi', 'ipmitool', 'dnsmasq-base',
            'iproute2', 'ethtool', 'procps')


def missing():
    """The packages of PACKAGES that dpkg does not list as installed."""
    argv = ['dpkg-query', '-W', '-f', '${Package} ${db:Status-Status}\n']
    result = subprocess.run(argv + list(PACKAGES), capture_output=True,
                            text=True, check=False)
    installed = {line.split()[0] for line in result.stdout.splitlines()
                 if line.endswith(' installed')}
    return [p for p in PACKAGES if p not in installed]


def command(packages):
    return ('apt-get install -y --no-install-recommends %s'
            % ' '.join(packages))


def ensure(install=True, say=print):
    """Install missing packages with apt-get, or say how and fail."""
    needed = missing()
    if not needed:
        return
    if not install:
        raise system.LabError('missing Debian packages; install them '
                              'with: %s' % command(needed))
    say('installing %s' % ' '.join(needed))
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    system.run('apt-get', 'update', '-q', env=env, timeout=600)
    system.run(*command(needed).split(), env=env, timeout=1200)
