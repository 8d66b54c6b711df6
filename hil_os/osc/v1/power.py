"""openstack hil node power ... and node boot device ...: a node's BMC."""

from osc_lib.command import command

from hil_os.osc.v1 import common

BOOT_DEVICES = ('pxe', 'disk', 'cdrom', 'bios', 'default')


def _add_node_argument(parser):
    parser.add_argument('node', metavar='<node>',
                        help='Node name or UUID.')


class _SetPower(command.ShowOne):

    target = None

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_node_argument(parser)
        common.add_wait_arguments(parser, 'BMC reports the new power state')
        return parser

    def _target(self, parsed_args):
        return self.target

    def take_action(self, parsed_args):
        common.check_wait_arguments(parsed_args)
        action = common.client(self).nodes.set_power(
            parsed_args.node, self._target(parsed_args))
        return common.show(common.wait(self, parsed_args, [action])[0])


class PowerOn(_SetPower):
    """Power a node on; shows the queued action."""

    target = 'on'


class PowerOff(_SetPower):
    """Power a node off (or ask its OS to shut down with --soft)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--soft', action='store_true',
                            help='Ask the operating system to shut down '
                                 '(ACPI) instead of cutting the power.')
        return parser

    def _target(self, parsed_args):
        return 'soft_off' if parsed_args.soft else 'off'


class PowerReboot(_SetPower):
    """Reboot a node (power cycle); shows the queued action."""

    target = 'reboot'


class PowerStatus(command.ShowOne):
    """Show a node's last known power state, boot device and queued work."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_node_argument(parser)
        return parser

    def take_action(self, parsed_args):
        return common.show(common.client(self).nodes.power(parsed_args.node))


class SetBootDevice(command.ShowOne):
    """Choose the device a node boots from next (or always)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_node_argument(parser)
        parser.add_argument('device', metavar='<device>',
                            choices=BOOT_DEVICES,
                            help='One of %s.' % ', '.join(BOOT_DEVICES))
        parser.add_argument('--persistent', action='store_true',
                            help='For every boot, not only the next one.')
        common.add_wait_arguments(parser, 'BMC has the boot device')
        return parser

    def take_action(self, parsed_args):
        common.check_wait_arguments(parsed_args)
        action = common.client(self).nodes.set_boot_device(
            parsed_args.node, parsed_args.device,
            persistent=parsed_args.persistent)
        return common.show(common.wait(self, parsed_args, [action])[0])


class ShowBootDevice(command.ShowOne):
    """Show the device a node boots from, as last set through hil-os."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_node_argument(parser)
        return parser

    def take_action(self, parsed_args):
        power = common.client(self).nodes.power(parsed_args.node)
        return common.show({key: power[key] for key in
                            ('node_uuid', 'boot_device', 'boot_persistent')})
