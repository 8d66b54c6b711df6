"""openstack hil disk ...: the project's node disks, kept across leases."""

from osc_lib.command import command

from hil_os.osc.v1 import common
from hil_os.osc.v1 import image as image_commands

LIST_COLUMNS = (('uuid', 'UUID'), ('name', 'Name'), ('status', 'Status'),
                ('node_name', 'Node'), ('size', 'Size'))
LONG_COLUMNS = LIST_COLUMNS + (('project_id', 'Project'),
                               ('image_uuid', 'Image UUID'),
                               ('backend', 'Backend'),
                               ('message', 'Message'),
                               ('created_at', 'Created At'))


class ListDisk(command.Lister):
    """List the project's disks (all, for an admin) and their nodes."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--node', metavar='<node>',
                            help='Only the disk of this node.')
        parser.add_argument('--project', metavar='<project-id>',
                            help='Only disks of this project (admin).')
        parser.add_argument('--status', metavar='<status>',
                            choices=image_commands.STATUSES,
                            help='Only disks in this status (%s).' %
                                 ', '.join(image_commands.STATUSES))
        parser.add_argument('--long', action='store_true',
                            help='Show more columns.')
        common.add_limit_arguments(parser)
        return parser

    def take_action(self, parsed_args):
        disks = common.client(self).disks.list(
            node=parsed_args.node, project_id=parsed_args.project,
            status=parsed_args.status, limit=parsed_args.limit,
            marker=parsed_args.marker)
        return common.table(disks, LONG_COLUMNS if parsed_args.long
                            else LIST_COLUMNS)


class ShowDisk(command.ShowOne):
    """Show a disk."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('disk', metavar='<disk>',
                            help='Disk name or UUID.')
        return parser

    def take_action(self, parsed_args):
        return common.show(common.client(self).disks.get(parsed_args.disk))


class DeleteDisk(command.Command):
    """Delete kept disks that are on no node (their data is lost)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('disks', metavar='<disk>', nargs='+',
                            help='Disk names or UUIDs.')
        common.add_wait_arguments(parser, 'disks are deleted')
        return parser

    def take_action(self, parsed_args):
        common.check_wait_arguments(parsed_args)
        actions = common.delete_all('disk', parsed_args.disks,
                                    common.client(self).disks.delete)
        common.wait(self, parsed_args, actions)
