"""openstack hil node ...: nodes and the project holding them."""

from osc_lib.command import command
from osc_lib import exceptions

from hil_os.osc.v1 import common

LIST_COLUMNS = (('uuid', 'UUID'), ('name', 'Name'),
                ('project_id', 'Project'), ('state', 'State'),
                ('power_state', 'Power State'))
LONG_COLUMNS = LIST_COLUMNS + (('description', 'Description'),
                               ('bmc', 'BMC'), ('created_at', 'Created At'),
                               ('updated_at', 'Updated At'))
BMC_FIELDS = ('driver', 'address', 'port', 'username', 'password')


def _add_bmc_arguments(parser, driver_required):
    parser.add_argument(
        '--bmc-driver', metavar='<driver>', required=driver_required,
        help='Power driver of the BMC (e.g. ipmi, fake).')
    parser.add_argument('--bmc-address', metavar='<host>',
                        help='BMC host name or IP address.')
    parser.add_argument('--bmc-port', metavar='<port>', type=int,
                        help='BMC UDP/TCP port.')
    parser.add_argument('--bmc-username', metavar='<username>',
                        help='BMC user name.')
    parser.add_argument('--bmc-password', metavar='<password>',
                        help='BMC password (stored encrypted, never shown).')


def _add_initiator_argument(parser):
    parser.add_argument(
        '--initiator-iqn', metavar='<iqn>',
        help='iSCSI initiator name the node boots its disk with (default: '
             'one derived from the node UUID).')


def _bmc(parsed_args):
    return {key: getattr(parsed_args, 'bmc_' + key) for key in BMC_FIELDS
            if getattr(parsed_args, 'bmc_' + key) is not None}


class CreateNode(command.ShowOne):
    """Register a node and its BMC (admin)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='<name>', help='Node name.')
        parser.add_argument('--description', metavar='<text>',
                            help='Free text about the node.')
        _add_initiator_argument(parser)
        _add_bmc_arguments(parser, driver_required=True)
        return parser

    def take_action(self, parsed_args):
        node = common.client(self).nodes.create(
            parsed_args.name, _bmc(parsed_args),
            description=parsed_args.description,
            initiator_iqn=parsed_args.initiator_iqn)
        return common.show(node)


class ListNode(command.Lister):
    """List nodes: a project's own, or all of them for an admin."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--project', metavar='<project-id>',
                            help='Only nodes held by this project (admin).')
        parser.add_argument('--state', metavar='<state>',
                            help='Only nodes in this state (free, '
                                 'allocated, releasing, handback_failed).')
        free = parser.add_mutually_exclusive_group()
        free.add_argument('--free', dest='free', action='store_true',
                          default=None, help='Only free nodes.')
        free.add_argument('--held', dest='free', action='store_false',
                          help='Only nodes held by a project.')
        parser.add_argument('--name', metavar='<name>',
                            help='Only the node with this name.')
        parser.add_argument('--long', action='store_true',
                            help='Show more columns.')
        common.add_limit_arguments(parser)
        return parser

    def take_action(self, parsed_args):
        nodes = common.client(self).nodes.list(
            project_id=parsed_args.project, state=parsed_args.state,
            free=parsed_args.free, name=parsed_args.name,
            limit=parsed_args.limit, marker=parsed_args.marker)
        return common.table(nodes, LONG_COLUMNS if parsed_args.long
                            else LIST_COLUMNS)


class ShowNode(command.ShowOne):
    """Show a node."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('node', metavar='<node>',
                            help='Node name or UUID.')
        return parser

    def take_action(self, parsed_args):
        return common.show(common.client(self).nodes.get(parsed_args.node))


class SetNode(command.ShowOne):
    """Change a node's name, description or BMC (admin)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('node', metavar='<node>',
                            help='Node name or UUID.')
        parser.add_argument('--name', metavar='<name>', help='New name.')
        parser.add_argument('--description', metavar='<text>',
                            help='New description ("" clears it).')
        _add_initiator_argument(parser)
        _add_bmc_arguments(parser, driver_required=False)
        return parser

    def take_action(self, parsed_args):
        fields = {}
        if parsed_args.name is not None:
            fields['name'] = parsed_args.name
        if parsed_args.description is not None:
            fields['description'] = parsed_args.description or None
        if parsed_args.initiator_iqn is not None:
            fields['initiator_iqn'] = parsed_args.initiator_iqn
        bmc = _bmc(parsed_args)
        if bmc:
            fields['bmc'] = bmc
        if not fields:
            raise exceptions.CommandError(
                'Nothing to change: give --name, --description, '
                '--initiator-iqn or a --bmc-* option.')
        return common.show(common.client(self).nodes.update(
            parsed_args.node, **fields))


class DeleteNode(command.Command):
    """Delete free nodes and their NICs (admin)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('nodes', metavar='<node>', nargs='+',
                            help='Node names or UUIDs.')
        return parser

    def take_action(self, parsed_args):
        common.delete_all('node', parsed_args.nodes,
                          common.client(self).nodes.delete)


class AssignNodeProject(command.ShowOne):
    """Give a free node to a project (admin)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('node', metavar='<node>',
                            help='Node name or UUID.')
        parser.add_argument('project', metavar='<project-id>',
                            help='The project that gets the node.')
        return parser

    def take_action(self, parsed_args):
        return common.show(common.client(self).nodes.assign(
            parsed_args.node, parsed_args.project))


class ReleaseNodeProject(command.ShowOne):
    """Take a node back from its project: detach its networks, free it."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('node', metavar='<node>',
                            help='Node name or UUID.')
        common.add_wait_arguments(parser, 'hand-back')
        return parser

    def take_action(self, parsed_args):
        common.check_wait_arguments(parsed_args)
        action = common.client(self).nodes.release(parsed_args.node)
        return common.show(common.wait(self, parsed_args, [action])[0])
