"""Start a lab node's QEMU: ``python -m hil_os.lab.vmstart NODEDIR``.

Run by the node's chassis control when its BMC powers it on. QEMU runs in
the switch namespace (its taps are there); its serial port connects to
the lab's serial hub (hil_os/lab/serialhub.py) over a unix socket, and is
logged to ``NODEDIR/serial.log``. The boot device the BMC was given
(``NODEDIR/boot``) picks the boot order.
"""

import json
import os
import subprocess
import sys

# ipmi_sim's boot devices; the node has no local disk.
BOOT_ORDER = {'pxe': 'n', 'default': 'n', 'disk': 'c', 'cdrom': 'd'}


def main():
    node_dir = sys.argv[1]
    with open(os.path.join(node_dir, 'vm.json')) as f:
        vm = json.load(f)
    try:
        with open(os.path.join(node_dir, 'boot')) as f:
            boot = f.read().strip()
    except OSError:
        boot = 'default'
    argv = ['ip', 'netns', 'exec', vm['netns'], 'qemu-system-x86_64',
            '-name', vm['name'], '-accel', 'tcg', '-nodefaults',
            '-display', 'none', '-vga', 'none',
            '-m', str(vm['memory']), '-smp', '1',
            '-boot', 'order=%s' % BOOT_ORDER.get(boot, 'n'),
            '-chardev', 'socket,id=ser0,path=%s,reconnect=1,'
                        'logfile=%s,logappend=on' % (
                            os.path.join(node_dir, 'serial.sock'),
                            os.path.join(node_dir, 'serial.log')),
            '-serial', 'chardev:ser0',
            '-monitor', 'unix:%s,server=on,wait=off' % os.path.join(
                node_dir, 'monitor.sock'),
            '-pidfile', os.path.join(node_dir, 'qemu.pid'), '-daemonize']
    argv += vm['args']
    result = subprocess.run(argv, stdin=subprocess.DEVNULL, check=False)
    sys.exit(result.returncode)


if __name__ == '__main__':
    main()
