"""openstack hil action ...: queued work and its outcome."""

from osc_lib.command import command

from hil_os.osc.v1 import common

STATUSES = ('pending', 'running', 'succeeded', 'failed')
LIST_COLUMNS = (('uuid', 'UUID'), ('kind', 'Kind'), ('status', 'Status'),
                ('node_uuid', 'Node UUID'), ('message', 'Message'))
LONG_COLUMNS = LIST_COLUMNS + (('project_id', 'Project'),
                               ('details', 'Details'),
                               ('created_at', 'Created At'),
                               ('finished_at', 'Finished At'))


def add_action_argument(parser):
    parser.add_argument('action', metavar='<action>', help='Action UUID.')


class ListAction(command.Lister):
    """List actions of the caller's project, oldest first."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--status', metavar='<status>', choices=STATUSES,
                            help='Only actions in this status (%s).' %
                                 ', '.join(STATUSES))
        parser.add_argument('--kind', metavar='<kind>',
                            help='Only actions of this kind (e.g. attach, '
                                 'detach, release).')
        parser.add_argument('--node', metavar='<node>',
                            help='Only actions on this node.')
        parser.add_argument('--project', metavar='<project-id>',
                            help='Only actions of this project (admin).')
        parser.add_argument('--long', action='store_true',
                            help='Show more columns.')
        common.add_limit_arguments(parser)
        return parser

    def take_action(self, parsed_args):
        hil = common.client(self)
        actions = hil.actions.list(
            status=parsed_args.status, kind=parsed_args.kind,
            node=common.node_uuid(hil, parsed_args.node),
            project_id=parsed_args.project, limit=parsed_args.limit,
            marker=parsed_args.marker)
        return common.table(actions, LONG_COLUMNS if parsed_args.long
                            else LIST_COLUMNS)


class ShowAction(command.ShowOne):
    """Show an action: pending, running, succeeded or failed."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_action_argument(parser)
        return parser

    def take_action(self, parsed_args):
        return common.show(common.client(self).actions.get(
            parsed_args.action))


class WaitAction(command.ShowOne):
    """Wait for an action to finish; fail if it fails."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_action_argument(parser)
        parser.add_argument(
            '--timeout', metavar='<seconds>', type=common.positive_int,
            help='Give up after this many seconds (default: %d).' %
                 common.DEFAULT_TIMEOUT)
        return parser

    def take_action(self, parsed_args):
        parsed_args.wait = True
        action = common.client(self).actions.get(parsed_args.action)
        return common.show(common.wait(self, parsed_args, [action])[0])
