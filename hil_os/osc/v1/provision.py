"""openstack hil node provision|deprovision|snapshot: a node's disk."""

from osc_lib.command import command
from osc_lib import exceptions

from hil_os.osc.v1 import common


def _add_node_argument(parser):
    parser.add_argument('node', metavar='<node>',
                        help='Node name or UUID.')


class ProvisionNode(command.ShowOne):
    """Boot a node from a new clone of an image, or resume a kept disk."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_node_argument(parser)
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument('--image', metavar='<image>',
                            help='Clone this image into a new disk.')
        source.add_argument('--disk', metavar='<disk>',
                            help='Boot from this kept disk of the project.')
        parser.add_argument('--disk-name', metavar='<name>',
                            help='With --image: name of the new disk.')
        common.add_wait_arguments(parser, 'node boots from its disk')
        return parser

    def take_action(self, parsed_args):
        common.check_wait_arguments(parsed_args)
        if parsed_args.disk_name and not parsed_args.image:
            raise exceptions.CommandError(
                '--disk-name names a new disk: use it with --image.')
        action = common.client(self).nodes.provision(
            parsed_args.node, image=parsed_args.image,
            disk=parsed_args.disk, disk_name=parsed_args.disk_name)
        return common.show(common.wait(self, parsed_args, [action])[0])


class DeprovisionNode(command.ShowOne):
    """Power a node off and stop exporting its disk; the disk is kept."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_node_argument(parser)
        parser.add_argument('--delete-disk', action='store_true',
                            help='Delete the disk too (its data is lost).')
        common.add_wait_arguments(parser, 'deprovision')
        return parser

    def take_action(self, parsed_args):
        common.check_wait_arguments(parsed_args)
        action = common.client(self).nodes.deprovision(
            parsed_args.node, delete_disk=parsed_args.delete_disk)
        return common.show(common.wait(self, parsed_args, [action])[0])


class SnapshotNode(command.ShowOne):
    """Make a new image of a node's disk (taken with the node off)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_node_argument(parser)
        parser.add_argument('name', metavar='<image-name>',
                            help='Name of the new image.')
        parser.add_argument('--description', metavar='<text>',
                            help='Description of the new image.')
        common.add_wait_arguments(parser, 'image is stored')
        return parser

    def take_action(self, parsed_args):
        common.check_wait_arguments(parsed_args)
        image = common.client(self).nodes.snapshot(
            parsed_args.node, parsed_args.name,
            description=parsed_args.description)
        return common.show(common.wait_for_image(self, parsed_args, image))
