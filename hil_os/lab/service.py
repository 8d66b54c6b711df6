"""The hil-os the lab registers into: the lab's own, or a given one.

If nothing answers at the lab's URL, ``up`` starts ``hil-os`` (the
embedded shape: SQLite, fake:// messaging, noauth) with ``config()``,
its state under the lab's run directory, and tracks it by PID. A hil-os
given with ``--url`` must have those settings itself: ``config_lines()``
prints them.
"""

import os
import sys
import urllib.error
import urllib.parse
import urllib.request

from hil_os.lab import state as lab_state
from hil_os.lab import system


def config(state, url):
    """{section: {option: value}} of a hil-os that drives this lab."""
    parsed = urllib.parse.urlsplit(url)
    return {
        'DEFAULT': {'state_path': state.path_of('hil-os')},
        'api': {'auth_strategy': 'noauth',
                'host_ip': parsed.hostname or '127.0.0.1',
                'port': parsed.port or 80},
        'switch': {'enabled_drivers': 'fake,ngs'},
        # ipmi_sim is one thread: on a busy machine it may answer late.
        # A power sync every 10 s shows a node powered from outside
        # hil-os (ipmitool, QEMU exiting) within seconds.
        'power': {'enabled_drivers': 'fake,ipmi', 'bmc_timeout': 15,
                  'sync_interval': 10},
        'network': {'parking_vlan': lab_state.PARKING_VLAN},
        # Exports read back every 10 s: a restarted tgtd gets its
        # targets back within seconds.
        'image': {'enabled_backends': 'local', 'default_backend': 'local',
                  'import_dirs': state.path_of('images'),
                  'boot_allowed_cidrs': '127.0.0.0/8',
                  'export_audit_interval': 10},
        'image_local': {'tgt_control_port': state['tgt_control'],
                        'portal_address': lab_state.PROV_ADDRESS,
                        'portal_port': lab_state.PORTAL_PORT},
    }


def config_lines(state, url):
    """The settings as ini text (for a hil-os the lab did not start)."""
    lines = []
    for section, options in config(state, url).items():
        if section in ('DEFAULT', 'api'):
            continue
        lines.append('[%s]' % section)
        lines += ['%s = %s' % item for item in options.items()]
    return '\n'.join(lines)


def answers(url):
    """Whether a hil-os answers at ``url``."""
    try:
        with urllib.request.urlopen(url.rstrip('/') + '/v1', timeout=2) as r:
            return r.status == 200
    except (OSError, ValueError):
        return False


def start(state, url):
    """Start the lab's own hil-os on ``url``; wait until it answers."""
    path = state.path_of('hil-os.conf')
    os.makedirs(state.path_of('hil-os'), exist_ok=True)
    with open(path, 'w') as f:
        for section, options in config(state, url).items():
            f.write('[%s]\n' % section)
            f.writelines('%s = %s\n' % item for item in options.items())
    binary = os.path.join(os.path.dirname(sys.executable), 'hil-os')
    pid = system.spawn([binary, '--config-file', path],
                       state.path_of('hil-os.log'))
    state.add_pid('hil-os', pid)
    state.set('own_hil_os', True)
    system.wait_for('hil-os at %s' % url,
                    lambda: answers(url) or not system.pid_alive(pid), 60,
                    interval=0.2)
    if not system.pid_alive(pid):
        raise system.LabError('hil-os exited; see %s'
                              % state.path_of('hil-os.log'))
