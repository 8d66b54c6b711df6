"""openstack hil switch ...: the switches hil-os configures (admin)."""

from osc_lib.command import command
from osc_lib import exceptions

from hil_os.osc.v1 import common

LIST_COLUMNS = (('uuid', 'UUID'), ('name', 'Name'), ('driver', 'Driver'),
                ('device_type', 'Device Type'), ('address', 'Address'))
LONG_COLUMNS = LIST_COLUMNS + (('ssh_port', 'SSH Port'),
                               ('username', 'Username'),
                               ('options', 'Options'),
                               ('created_at', 'Created At'),
                               ('updated_at', 'Updated At'))
AUDIT_COLUMNS = (('name', 'Port'), ('status', 'Status'),
                 ('desired_description', 'Desired'),
                 ('actual_description', 'Read Back'),
                 ('sync_state', 'Sync State'))
FIELDS = ('device_type', 'address', 'ssh_port', 'username', 'password',
          'enable_secret')


def _add_arguments(parser):
    parser.add_argument(
        '--device-type', metavar='<type>',
        help='NGS device type, e.g. netmiko_ovs_linux, netmiko_cisco_ios.')
    parser.add_argument('--address', metavar='<host>',
                        help='Management address of the switch.')
    parser.add_argument('--ssh-port', metavar='<port>', type=int,
                        help='SSH port of the switch.')
    parser.add_argument('--username', metavar='<username>',
                        help='Login user name.')
    parser.add_argument('--password', metavar='<password>',
                        help='Login password (stored encrypted, never '
                             'shown).')
    parser.add_argument('--enable-secret', metavar='<secret>',
                        help='Enable secret (stored encrypted, never shown).')
    parser.add_argument(
        '--option', metavar='<key=value>', dest='options', action='append',
        type=common.key_value, default=[],
        help='Driver option, e.g. ngs_ovs_bridge=br0 (repeat for several).')


def _fields(parsed_args):
    return {key: getattr(parsed_args, key) for key in FIELDS
            if getattr(parsed_args, key) is not None}


class CreateSwitch(command.ShowOne):
    """Register a switch: driver, address, credentials and options."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='<name>', help='Switch name.')
        parser.add_argument('--driver', metavar='<driver>', required=True,
                            help='Switch driver (e.g. ngs, fake).')
        _add_arguments(parser)
        return parser

    def take_action(self, parsed_args):
        fields = _fields(parsed_args)
        if parsed_args.options:
            fields['options'] = dict(parsed_args.options)
        return common.show(common.client(self).switches.create(
            name=parsed_args.name, driver=parsed_args.driver, **fields))


class ListSwitch(command.Lister):
    """List switches."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--long', action='store_true',
                            help='Show more columns.')
        common.add_limit_arguments(parser)
        return parser

    def take_action(self, parsed_args):
        switches = common.client(self).switches.list(
            limit=parsed_args.limit, marker=parsed_args.marker)
        return common.table(switches, LONG_COLUMNS if parsed_args.long
                            else LIST_COLUMNS)


class ShowSwitch(command.ShowOne):
    """Show a switch (never its credentials)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('switch', metavar='<switch>',
                            help='Switch name or UUID.')
        return parser

    def take_action(self, parsed_args):
        return common.show(common.client(self).switches.get(
            parsed_args.switch))


class SetSwitch(command.ShowOne):
    """Change a switch's name, address, credentials or options."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('switch', metavar='<switch>',
                            help='Switch name or UUID.')
        parser.add_argument('--name', metavar='<name>', help='New name.')
        _add_arguments(parser)
        parser.add_argument(
            '--unset-option', metavar='<key>', dest='unset_options',
            action='append', default=[],
            help='Remove a driver option (repeat for several).')
        return parser

    def take_action(self, parsed_args):
        hil = common.client(self)
        fields = _fields(parsed_args)
        if parsed_args.name is not None:
            fields['name'] = parsed_args.name
        if parsed_args.options or parsed_args.unset_options:
            current = hil.switches.get(parsed_args.switch)['options']
            options = dict(current or {})
            options.update(parsed_args.options)
            for key in parsed_args.unset_options:
                options.pop(key, None)
            fields['options'] = options
        if not fields:
            raise exceptions.CommandError(
                'Nothing to change: give --name, --address, --option or '
                'another option (see --help).')
        return common.show(hil.switches.update(parsed_args.switch, **fields))


class AuditSwitch(command.Lister):
    """Read every port back from a switch and compare with hil-os."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('switch', metavar='<switch>',
                            help='Switch name or UUID.')
        parser.add_argument('--drift', action='store_true',
                            help='Only ports whose status is not ok.')
        return parser

    def take_action(self, parsed_args):
        report = common.client(self).switches.audit(parsed_args.switch)
        ports = [p for p in report['ports']
                 if not parsed_args.drift or p['status'] != 'ok']
        return common.table(ports, AUDIT_COLUMNS)


class DeleteSwitch(command.Command):
    """Delete switches and their ports (refused while NICs are cabled)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('switches', metavar='<switch>', nargs='+',
                            help='Switch names or UUIDs.')
        return parser

    def take_action(self, parsed_args):
        common.delete_all('switch', parsed_args.switches,
                          common.client(self).switches.delete)
