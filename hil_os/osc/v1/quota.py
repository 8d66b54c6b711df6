"""openstack hil quota ...: per-project limits and what is in use."""

import argparse

from osc_lib.command import command
from osc_lib import exceptions

from hil_os.osc.v1 import common

RESOURCES = (('nodes', 'nodes held at once'), ('networks', 'networks'),
             ('images', 'images'), ('disk_gb', 'GiB of disks and images'))
COLUMNS = ('Resource', 'Limit', 'In Use', 'Default')


def limit(text):
    """argparse type of a limit: a number, -1 (none) or "default"."""
    if text == 'default':
        return None
    try:
        value = int(text)
    except ValueError:
        value = -2
    if value < -1:
        raise argparse.ArgumentTypeError(
            '%r is not a limit: give a number, -1 for none, or "default"'
            % text)
    return value


def _rows(quota):
    return (COLUMNS, [(name, quota[name]['limit'], quota[name]['in_use'],
                       quota[name]['default']) for name, _what in RESOURCES])


class ListQuota(command.Lister):
    """List quotas: projects with limits of their own (admin)."""

    def take_action(self, parsed_args):
        quotas = common.client(self).quotas.list()
        return (('Project',) + tuple(name for name, _w in RESOURCES),
                [(q['project_id'],) + tuple(q[name]['limit']
                                            for name, _w in RESOURCES)
                 for q in quotas])


class ShowQuota(command.Lister):
    """Show a project's limits and what it uses (-1: no limit)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('project', metavar='<project-id>', nargs='?',
                            help='The project (default: the caller\'s).')
        return parser

    def take_action(self, parsed_args):
        quotas = common.client(self).quotas
        if parsed_args.project:
            return _rows(quotas.get(parsed_args.project))
        own = quotas.list()
        if len(own) != 1:
            raise exceptions.CommandError(
                'Name the project: "openstack hil quota show <project-id>".')
        return _rows(own[0])


class SetQuota(command.Lister):
    """Set a project's limits (admin)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('project', metavar='<project-id>',
                            help='The project.')
        for name, what in RESOURCES:
            parser.add_argument(
                '--' + name.replace('_', '-'), metavar='<limit>',
                type=limit, default=argparse.SUPPRESS,
                help='Most %s; -1 for no limit, "default" for the '
                     'default.' % what)
        return parser

    def take_action(self, parsed_args):
        limits = {name: getattr(parsed_args, name)
                  for name, _what in RESOURCES if hasattr(parsed_args, name)}
        if not limits:
            raise exceptions.CommandError(
                'Nothing to change: give --nodes, --networks, --images or '
                '--disk-gb.')
        return _rows(common.client(self).quotas.update(parsed_args.project,
                                                       **limits))


class DeleteQuota(command.Command):
    """Put projects back on the default limits (admin)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('projects', metavar='<project-id>', nargs='+',
                            help='The projects.')
        return parser

    def take_action(self, parsed_args):
        quotas = common.client(self).quotas
        common.delete_all(
            'quota', parsed_args.projects,
            lambda project: quotas.update(
                project, **{name: None for name, _what in RESOURCES}))
