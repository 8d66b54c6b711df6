"""openstack hil nic attach|detach, hil attachment list: NICs on networks."""

from osc_lib.command import command
from osc_lib import exceptions

from hil_os.osc.v1 import common
from hil_os.osc.v1 import nic as nic_commands

CHANNELS = ('access', 'tagged')

LIST_COLUMNS = (('node_name', 'Node'), ('nic_name', 'NIC'),
                ('network_name', 'Network'), ('vlan', 'VLAN'),
                ('channel', 'Channel'), ('status', 'Status'),
                ('error', 'Error'))
LONG_COLUMNS = (('uuid', 'UUID'),) + LIST_COLUMNS + (
    ('node_uuid', 'Node UUID'), ('nic_uuid', 'NIC UUID'),
    ('network_uuid', 'Network UUID'), ('created_at', 'Created At'),
    ('updated_at', 'Updated At'))


class _AttachmentCommand(command.ShowOne):

    what = None

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('nic', metavar='<nic>', help='NIC name or UUID.')
        nic_commands.add_node_argument(parser)
        parser.add_argument('--network', metavar='<network>', required=True,
                            help='Network name or UUID.')
        common.add_wait_arguments(parser, self.what)
        return parser


class AttachNic(_AttachmentCommand):
    """Attach a NIC to a network; shows the queued action."""

    what = 'switch port is configured'

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--channel', metavar='<channel>', choices=CHANNELS,
            help='access: untagged, one network per NIC (default); tagged: '
                 'on the NIC\'s VLAN trunk.')
        return parser

    def take_action(self, parsed_args):
        common.check_wait_arguments(parsed_args)
        action = common.client(self).nics.attach(
            parsed_args.node, parsed_args.nic, parsed_args.network,
            channel=parsed_args.channel)
        return common.show(common.wait(self, parsed_args, [action])[0])


class DetachNic(_AttachmentCommand):
    """Detach a NIC from a network; shows the queued action."""

    what = 'switch port is reconfigured'

    def take_action(self, parsed_args):
        common.check_wait_arguments(parsed_args)
        action = common.client(self).nics.detach(
            parsed_args.node, parsed_args.nic, parsed_args.network)
        return common.show(common.wait(self, parsed_args, [action])[0])


class ListAttachment(command.Lister):
    """List attachments of a network, of a node's NICs, or of one NIC."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--network', metavar='<network>',
                            help='The NICs attached to this network.')
        parser.add_argument('--node', metavar='<node>',
                            help='The networks of this node\'s NICs.')
        parser.add_argument('--nic', metavar='<nic>',
                            help='With --node: only this NIC.')
        parser.add_argument('--long', action='store_true',
                            help='Show more columns.')
        return parser

    def take_action(self, parsed_args):
        hil = common.client(self)
        if parsed_args.nic and not parsed_args.node:
            raise exceptions.CommandError(
                '--nic needs --node: NIC names are unique per node.')
        if bool(parsed_args.network) == bool(parsed_args.node):
            raise exceptions.CommandError(
                'Give either --network <network> or --node <node> '
                '[--nic <nic>].')
        if parsed_args.network:
            rows = hil.networks.attachments(parsed_args.network)
        else:
            nics = ([parsed_args.nic] if parsed_args.nic else
                    [n['uuid'] for n in hil.nics.list(parsed_args.node)])
            rows = [row for nic in nics
                    for row in hil.nics.attachments(parsed_args.node, nic)]
        return common.table(rows, LONG_COLUMNS if parsed_args.long
                            else LIST_COLUMNS)
