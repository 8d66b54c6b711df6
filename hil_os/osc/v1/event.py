"""openstack hil event list: what happened to the project's resources."""

from osc_lib.command import command
from osc_lib import exceptions

from hil_os.osc.v1 import common

LIST_COLUMNS = (('created_at', 'Time'), ('event_type', 'Type'),
                ('message', 'Message'))
LONG_COLUMNS = (('uuid', 'UUID'),) + LIST_COLUMNS + (
    ('resource_type', 'Resource Type'), ('resource_uuid', 'Resource UUID'),
    ('project_id', 'Project'), ('details', 'Details'))


class ListEvent(command.Lister):
    """List events, oldest first: the project's own (all, for an admin)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        about = parser.add_mutually_exclusive_group()
        about.add_argument('--node', metavar='<node>',
                           help='Only events about this node.')
        about.add_argument('--network', metavar='<network>',
                           help='Only events about this network.')
        about.add_argument('--resource', metavar='<uuid>',
                           help='Only events about the resource with this '
                                'UUID.')
        parser.add_argument('--type', metavar='<event-type>',
                            help='Only events of this type (e.g. '
                                 'node.assigned).')
        parser.add_argument('--project', metavar='<project-id>',
                            help='Only events of this project (admin).')
        parser.add_argument('--long', action='store_true',
                            help='Show more columns.')
        common.add_limit_arguments(parser)
        return parser

    def take_action(self, parsed_args):
        hil = common.client(self)
        resource = parsed_args.resource
        if resource and not common.is_uuid(resource):
            raise exceptions.CommandError(
                '--resource takes a UUID; use --node or --network to name '
                'a node or network.')
        if parsed_args.node:
            resource = common.node_uuid(hil, parsed_args.node)
        elif parsed_args.network:
            resource = hil.networks.get(parsed_args.network)['uuid']
        events = hil.events.list(
            resource=resource, event_type=parsed_args.type,
            project_id=parsed_args.project, limit=parsed_args.limit,
            marker=parsed_args.marker)
        return common.table(events, LONG_COLUMNS if parsed_args.long
                            else LIST_COLUMNS)
