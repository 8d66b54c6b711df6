"""openstack hil network ...: networks and the projects they are shared
with."""

from osc_lib.command import command

from hil_os.osc.v1 import common

LIST_COLUMNS = (('uuid', 'UUID'), ('name', 'Name'), ('vlan', 'VLAN'),
                ('project_id', 'Project'))
LONG_COLUMNS = LIST_COLUMNS + (('provider', 'Provider'),
                               ('created_at', 'Created At'),
                               ('updated_at', 'Updated At'))
ACTION_COLUMNS = (('uuid', 'UUID'), ('kind', 'Kind'), ('status', 'Status'),
                  ('details', 'Details'), ('message', 'Message'))


def add_network_argument(parser):
    parser.add_argument('network', metavar='<network>',
                        help='Network name or UUID.')


class CreateNetwork(command.ShowOne):
    """Create a network on a VLAN from the pool (or a chosen one)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='<name>', help='Network name.')
        parser.add_argument('--vlan', metavar='<vlan-id>', type=int,
                            help='Use this VLAN instead of one from the '
                                 'pool (admin).')
        parser.add_argument('--project', metavar='<project-id>',
                            help='Owner project (admin; default: the '
                                 'caller\'s).')
        return parser

    def take_action(self, parsed_args):
        return common.show(common.client(self).networks.create(
            parsed_args.name, vlan=parsed_args.vlan,
            project_id=parsed_args.project))


class ListNetwork(command.Lister):
    """List the networks the caller's project owns or may use."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--name', metavar='<name>',
                            help='Only the network with this name.')
        parser.add_argument('--project', metavar='<project-id>',
                            help='Only networks owned by this project.')
        parser.add_argument('--long', action='store_true',
                            help='Show more columns.')
        common.add_limit_arguments(parser)
        return parser

    def take_action(self, parsed_args):
        networks = common.client(self).networks.list(
            name=parsed_args.name, project_id=parsed_args.project,
            limit=parsed_args.limit, marker=parsed_args.marker)
        return common.table(networks, LONG_COLUMNS if parsed_args.long
                            else LIST_COLUMNS)


class ShowNetwork(command.ShowOne):
    """Show a network."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_network_argument(parser)
        return parser

    def take_action(self, parsed_args):
        return common.show(common.client(self).networks.get(
            parsed_args.network))


class DeleteNetwork(command.Command):
    """Delete networks with no attachment; their VLANs go back."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('networks', metavar='<network>', nargs='+',
                            help='Network names or UUIDs.')
        return parser

    def take_action(self, parsed_args):
        common.delete_all('network', parsed_args.networks,
                          common.client(self).networks.delete)


class ListNetworkAccess(command.Lister):
    """List the projects a network is shared with."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_network_argument(parser)
        return parser

    def take_action(self, parsed_args):
        access = common.client(self).networks.access(parsed_args.network)
        return common.table(access, (('project_id', 'Project'),
                                     ('created_at', 'Created At')))


class GrantNetworkAccess(command.Command):
    """Let another project attach its NICs to a network."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_network_argument(parser)
        parser.add_argument('project', metavar='<project-id>',
                            help='The project that may use the network.')
        return parser

    def take_action(self, parsed_args):
        common.client(self).networks.grant(parsed_args.network,
                                           parsed_args.project)


class RevokeNetworkAccess(command.Lister):
    """Stop sharing a network; lists the detach actions this queued."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_network_argument(parser)
        parser.add_argument('project', metavar='<project-id>',
                            help='The project that loses the network.')
        common.add_wait_arguments(parser, 'detaches are')
        return parser

    def take_action(self, parsed_args):
        common.check_wait_arguments(parsed_args)
        actions = common.client(self).networks.revoke(parsed_args.network,
                                                      parsed_args.project)
        return common.table(common.wait(self, parsed_args, actions),
                            ACTION_COLUMNS)
