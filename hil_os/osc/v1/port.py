"""openstack hil port ...: switch ports and their sync state (admin)."""

from osc_lib.command import command

from hil_os.osc.v1 import common

LIST_COLUMNS = (('uuid', 'UUID'), ('name', 'Name'),
                ('sync_state', 'Sync State'), ('nic', 'NIC'))
LONG_COLUMNS = LIST_COLUMNS + (('attempts', 'Attempts'),
                               ('last_error', 'Last Error'),
                               ('created_at', 'Created At'),
                               ('updated_at', 'Updated At'))


def add_switch_argument(parser):
    parser.add_argument('--switch', metavar='<switch>', required=True,
                        help='Name or UUID of the switch the port is on.')


def _nic_text(port):
    nic = port.get('nic')
    return dict(port, nic='%s/%s' % (nic['node_name'], nic['name'])
                if nic else None)


class CreatePort(command.ShowOne):
    """Register a switch port; hil-os parks it on the parking VLAN."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='<name>',
                            help='Port name as the switch knows it (e.g. '
                                 'Gi1/0/3, p1).')
        add_switch_argument(parser)
        return parser

    def take_action(self, parsed_args):
        return common.show(common.client(self).ports.create(
            parsed_args.switch, parsed_args.name))


class ListPort(command.Lister):
    """List a switch's ports, the NIC on each (node/nic) and sync state."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_switch_argument(parser)
        parser.add_argument('--long', action='store_true',
                            help='Show more columns.')
        common.add_limit_arguments(parser)
        return parser

    def take_action(self, parsed_args):
        ports = common.client(self).ports.list(
            parsed_args.switch, limit=parsed_args.limit,
            marker=parsed_args.marker)
        return common.table([_nic_text(p) for p in ports],
                            LONG_COLUMNS if parsed_args.long
                            else LIST_COLUMNS)


class ShowPort(command.ShowOne):
    """Show a switch port."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('port', metavar='<port>',
                            help='Port name or UUID.')
        add_switch_argument(parser)
        return parser

    def take_action(self, parsed_args):
        return common.show(common.client(self).ports.get(
            parsed_args.switch, parsed_args.port))


class _PortAction(command.ShowOne):

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('port', metavar='<port>',
                            help='Port name or UUID.')
        add_switch_argument(parser)
        common.add_wait_arguments(parser, 'switch port is configured')
        return parser

    def take_action(self, parsed_args):
        common.check_wait_arguments(parsed_args)
        action = self.queue(common.client(self).ports, parsed_args.switch,
                            parsed_args.port)
        return common.show(common.wait(self, parsed_args, [action])[0])


class RetryPort(_PortAction):
    """Give a port whose change failed fresh attempts (admin)."""

    def queue(self, ports, switch, port):
        return ports.retry(switch, port)


class RevertPort(_PortAction):
    """Detach every network from a port and park it (admin)."""

    def queue(self, ports, switch, port):
        return ports.revert(switch, port)


class DeletePort(command.Command):
    """Delete switch ports no NIC is cabled to."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('ports', metavar='<port>', nargs='+',
                            help='Port names or UUIDs.')
        add_switch_argument(parser)
        return parser

    def take_action(self, parsed_args):
        ports = common.client(self).ports
        common.delete_all('port', parsed_args.ports,
                          lambda port: ports.delete(parsed_args.switch, port))
