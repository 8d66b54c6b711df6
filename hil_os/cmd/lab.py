"""``hil-os lab up|status|down``: the virtual lab (hil_os/lab)."""

import argparse
import sys

DEFAULT_DIR = '/var/lib/hil-os-lab'


def main(argv):
    parser = argparse.ArgumentParser(
        prog='hil-os lab',
        description='A virtual lab of QEMU nodes that hil-os powers over '
                    'IPMI, isolates on Open vSwitch VLANs and boots from '
                    'iSCSI (root; see the README, "Try it on real VMs").')
    parser.add_argument('command', choices=('up', 'status', 'down'))
    parser.add_argument('--dir', default=DEFAULT_DIR,
                        help='lab directory (default %(default)s)')
    parser.add_argument('--nodes', type=int, default=3,
                        help='number of nodes for "up" (default 3)')
    parser.add_argument('--url', default=None,
                        help='hil-os to register into; when nothing answers '
                             'there, "up" starts its own (default '
                             'http://127.0.0.1:6390)')
    parser.add_argument('--cache-dir', default=None,
                        help='where the Debian packages of the boot images '
                             'are kept (default ~/.cache/hil-os/lab)')
    parser.add_argument('--no-install', action='store_true',
                        help='fail with the apt-get command instead of '
                             'installing missing Debian packages')
    parser.add_argument('--no-linux', action='store_true',
                        help='import only the token image, not the Linux '
                             'one (faster)')
    args = parser.parse_args(argv)

    from hil_os.lab import lab
    from hil_os.lab import system

    def say(text):
        print('[hil-os lab] %s' % text, flush=True)
    try:
        if args.command == 'up':
            lab.up(args.dir, args.nodes, args.url or lab.DEFAULT_URL,
                   install=not args.no_install, linux=not args.no_linux,
                   cache_dir=args.cache_dir, say=say)
        elif args.command == 'status':
            return 0 if lab.status(args.dir, say=say) else 1
        else:
            return 1 if lab.down(args.dir, say=say) else 0
    except system.LabError as e:
        say('error: %s' % e)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
