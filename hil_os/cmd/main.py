"""The ``hil-os`` command: the all-in-one service, or ``hil-os lab ...``.

The lab subcommand is dispatched before the service's modules load, so
``hil-os lab status`` answers at once.
"""

import sys


def main():
    if sys.argv[1:2] == ['lab']:
        from hil_os.cmd import lab
        sys.exit(lab.main(sys.argv[2:]))
    from hil_os.cmd import all as all_in_one
    all_in_one.main()
