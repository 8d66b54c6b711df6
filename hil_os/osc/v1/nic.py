"""openstack hil nic ...: a node's NICs and the switch ports they are on."""

from osc_lib.command import command
from osc_lib import exceptions

from hil_os.osc.v1 import common

LIST_COLUMNS = (('uuid', 'UUID'), ('name', 'Name'), ('mac', 'MAC'),
                ('switch', 'Switch'), ('port', 'Port'))
LONG_COLUMNS = LIST_COLUMNS + (('node_uuid', 'Node UUID'),
                               ('created_at', 'Created At'),
                               ('updated_at', 'Updated At'))


def add_node_argument(parser):
    parser.add_argument('--node', metavar='<node>', required=True,
                        help='Name or UUID of the node the NIC belongs to.')


def _check_cabling(parsed_args):
    if (parsed_args.switch is None) != (parsed_args.port is None):
        raise exceptions.CommandError(
            '--switch and --port go together: give both to cable the NIC '
            'to a switch port.')


class CreateNic(command.ShowOne):
    """Register a NIC of a node, optionally cabled to a switch port."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='<name>',
                            help='NIC name, unique on its node (e.g. eth0).')
        add_node_argument(parser)
        parser.add_argument('--mac', metavar='<mac>', required=True,
                            help='MAC address, like 52:54:00:12:34:56.')
        parser.add_argument('--switch', metavar='<switch>',
                            help='Switch the NIC is cabled to (with --port).')
        parser.add_argument('--port', metavar='<port>',
                            help='Port of that switch (with --switch).')
        return parser

    def take_action(self, parsed_args):
        _check_cabling(parsed_args)
        nic = common.client(self).nics.create(
            parsed_args.node, parsed_args.name, parsed_args.mac,
            switch=parsed_args.switch, port=parsed_args.port)
        return common.show(nic)


class ListNic(command.Lister):
    """List a node's NICs."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_node_argument(parser)
        parser.add_argument('--long', action='store_true',
                            help='Show more columns.')
        return parser

    def take_action(self, parsed_args):
        nics = common.client(self).nics.list(parsed_args.node)
        return common.table(nics, LONG_COLUMNS if parsed_args.long
                            else LIST_COLUMNS)


class ShowNic(command.ShowOne):
    """Show a NIC."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('nic', metavar='<nic>', help='NIC name or UUID.')
        add_node_argument(parser)
        return parser

    def take_action(self, parsed_args):
        return common.show(common.client(self).nics.get(
            parsed_args.node, parsed_args.nic))


class SetNic(command.ShowOne):
    """Rename a NIC or cable it to another switch port (admin)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('nic', metavar='<nic>', help='NIC name or UUID.')
        add_node_argument(parser)
        parser.add_argument('--name', metavar='<name>', help='New name.')
        cabling = parser.add_mutually_exclusive_group()
        cabling.add_argument('--switch', metavar='<switch>',
                             help='Switch the NIC is now cabled to '
                                  '(with --port).')
        cabling.add_argument('--no-port', action='store_true',
                             help='The NIC is no longer cabled to a port.')
        parser.add_argument('--port', metavar='<port>',
                            help='Port of that switch (with --switch).')
        return parser

    def take_action(self, parsed_args):
        fields = {}
        if parsed_args.name is not None:
            fields['name'] = parsed_args.name
        if parsed_args.no_port:
            if parsed_args.port is not None:
                raise exceptions.CommandError(
                    '--no-port and --port contradict each other.')
            fields.update(switch=None, port=None)
        else:
            _check_cabling(parsed_args)
            if parsed_args.switch is not None:
                fields.update(switch=parsed_args.switch,
                              port=parsed_args.port)
        if not fields:
            raise exceptions.CommandError(
                'Nothing to change: give --name, --switch with --port, or '
                '--no-port.')
        return common.show(common.client(self).nics.update(
            parsed_args.node, parsed_args.nic, **fields))


class DeleteNic(command.Command):
    """Delete NICs of a node that have no attachment (admin)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('nics', metavar='<nic>', nargs='+',
                            help='NIC names or UUIDs.')
        add_node_argument(parser)
        return parser

    def take_action(self, parsed_args):
        nics = common.client(self).nics
        common.delete_all('NIC', parsed_args.nics,
                          lambda nic: nics.delete(parsed_args.node, nic))
