"""openstack hil lease ...: nodes held by a project for a period."""

import argparse
import datetime
import re

from osc_lib.command import command
from osc_lib import exceptions

from hil_os.osc.v1 import common

STATES = ('created', 'active', 'expired', 'cancelled', 'error')
# Nodes of a lease that have nothing more to do.
NODE_DONE = ('released', 'failed', 'dropped')
LIST_COLUMNS = (('uuid', 'UUID'), ('name', 'Name'),
                ('project_id', 'Project'), ('state', 'State'),
                ('start', 'Start'), ('end', 'End'), ('node_names', 'Nodes'))
LONG_COLUMNS = LIST_COLUMNS + (('node_count', 'Node Count'),
                               ('filter', 'Filter'),
                               ('message', 'Message'),
                               ('created_by', 'Created By'),
                               ('description', 'Description'))
UNITS = {'m': 60, 'h': 3600, 'd': 86400, 'w': 604800}


def duration(text):
    """argparse type of a duration like 90m, 2h, 3d or 1h30m."""
    parts = re.findall(r'([0-9]+)\s*([mhdw])', text.lower())
    if not parts or re.sub(r'[0-9]+\s*[mhdw]|\s', '', text.lower()):
        raise argparse.ArgumentTypeError(
            '%r is not a duration such as 90m, 2h, 3d or 1h30m' % text)
    return datetime.timedelta(seconds=sum(int(n) * UNITS[u]
                                          for n, u in parts))


def _iso(moment):
    return moment.astimezone(datetime.timezone.utc).strftime(
        '%Y-%m-%dT%H:%M:%SZ')


def _parse(text):
    """An ISO 8601 time of the API or the user, as aware UTC."""
    moment = datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment


def _view(lease):
    return dict(lease, node_names=', '.join(n['name'] for n in
                                            lease['nodes']))


def add_lease_argument(parser):
    parser.add_argument('lease', metavar='<lease>',
                        help='Lease name or UUID.')


class CreateLease(command.ShowOne):
    """Lease a node, or a number of free nodes, to a project (admin)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--project', metavar='<project-id>',
                            required=True,
                            help='The project that gets the nodes.')
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument('--node', metavar='<node>',
                           help='This node (reserved at once).')
        which.add_argument('--count', metavar='<count>',
                           type=common.positive_int,
                           help='This many free nodes, chosen at the start.')
        parser.add_argument('--node-filter', metavar='<pattern>',
                            help='With --count: only nodes whose name '
                                 'matches this pattern, e.g. "gpu-*".')
        parser.add_argument('--start', metavar='<time>',
                            help='Start (ISO 8601, UTC unless an offset is '
                                 'given; default: now).')
        until = parser.add_mutually_exclusive_group(required=True)
        until.add_argument('--end', metavar='<time>',
                           help='End (ISO 8601, e.g. 2026-12-01T18:00Z).')
        until.add_argument('--duration', metavar='<duration>',
                           type=duration,
                           help='Length from the start, e.g. 8h or 2d.')
        parser.add_argument('--name', metavar='<name>', help='Lease name.')
        parser.add_argument('--description', metavar='<text>',
                            help='Free text about the lease.')
        common.add_wait_arguments(parser, 'lease has started')
        return parser

    def take_action(self, parsed_args):
        common.check_wait_arguments(parsed_args)
        if parsed_args.node_filter and not parsed_args.count:
            raise exceptions.CommandError(
                '--node-filter chooses among free nodes: use it with '
                '--count.')
        end = parsed_args.end
        if parsed_args.duration:
            try:
                start = (_parse(parsed_args.start) if parsed_args.start
                         else datetime.datetime.now(datetime.timezone.utc))
            except ValueError:
                raise exceptions.CommandError(
                    '--start %r is not an ISO 8601 time such as '
                    '2026-12-01T09:00Z.' % parsed_args.start)
            end = _iso(start + parsed_args.duration)
        hil = common.client(self)
        lease = hil.leases.create(
            parsed_args.project, end, node=parsed_args.node,
            count=parsed_args.count, node_filter=parsed_args.node_filter,
            start=parsed_args.start, name=parsed_args.name,
            description=parsed_args.description)
        if parsed_args.wait:
            lease = common.poll(
                self, parsed_args, lambda: hil.leases.get(lease['uuid']),
                lambda item: item['state'] != 'created',
                lambda item: 'Lease %s: %s' % (item['uuid'], item['state']))
            if lease['state'] == 'error':
                raise exceptions.CommandError(
                    'Lease %s failed to start: %s' % (
                        lease['uuid'], lease.get('message')))
        return common.show(lease)


class ListLease(command.Lister):
    """List the project's leases (all, for an admin)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--project', metavar='<project-id>',
                            help='Only leases of this project (admin).')
        parser.add_argument('--state', metavar='<state>', choices=STATES,
                            help='Only leases in this state (%s).' %
                                 ', '.join(STATES))
        parser.add_argument('--node', metavar='<node>',
                            help='Only leases of this node.')
        parser.add_argument('--long', action='store_true',
                            help='Show more columns.')
        common.add_limit_arguments(parser)
        return parser

    def take_action(self, parsed_args):
        leases = common.client(self).leases.list(
            project_id=parsed_args.project, state=parsed_args.state,
            node=parsed_args.node, limit=parsed_args.limit,
            marker=parsed_args.marker)
        return common.table([_view(lease) for lease in leases],
                            LONG_COLUMNS if parsed_args.long
                            else LIST_COLUMNS)


class ShowLease(command.ShowOne):
    """Show a lease and where it stands with each node."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_lease_argument(parser)
        return parser

    def take_action(self, parsed_args):
        return common.show(common.client(self).leases.get(parsed_args.lease))


class SetLease(command.ShowOne):
    """Rename a lease, move its start, or extend or shorten it."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_lease_argument(parser)
        parser.add_argument('--name', metavar='<name>', help='New name.')
        parser.add_argument('--description', metavar='<text>',
                            help='New description ("" clears it).')
        parser.add_argument('--start', metavar='<time>',
                            help='New start (ISO 8601).')
        until = parser.add_mutually_exclusive_group()
        until.add_argument('--end', metavar='<time>',
                           help='New end (ISO 8601).')
        until.add_argument('--extend', metavar='<duration>', type=duration,
                           help='Move the end this much later, e.g. 4h.')
        return parser

    def take_action(self, parsed_args):
        hil = common.client(self)
        fields = {}
        if parsed_args.name is not None:
            fields['name'] = parsed_args.name
        if parsed_args.description is not None:
            fields['description'] = parsed_args.description or None
        if parsed_args.start is not None:
            fields['start'] = parsed_args.start
        if parsed_args.end is not None:
            fields['end'] = parsed_args.end
        if parsed_args.extend:
            end = _parse(hil.leases.get(parsed_args.lease)['end'])
            fields['end'] = _iso(end + parsed_args.extend)
        if not fields:
            raise exceptions.CommandError(
                'Nothing to change: give --name, --description, --start, '
                '--end or --extend.')
        return common.show(hil.leases.update(parsed_args.lease, **fields))


class DeleteLease(command.Command):
    """Cancel leases: the nodes they hold are handed back."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('leases', metavar='<lease>', nargs='+',
                            help='Lease names or UUIDs.')
        common.add_wait_arguments(parser, 'nodes are handed back')
        return parser

    def take_action(self, parsed_args):
        common.check_wait_arguments(parsed_args)
        hil = common.client(self)
        cancelled = common.delete_all('lease', parsed_args.leases,
                                      hil.leases.delete)
        if not parsed_args.wait:
            return
        for lease in cancelled:
            self._wait_handed_back(parsed_args, hil, lease['uuid'])

    def _wait_handed_back(self, parsed_args, hil, uuid):
        lease = common.poll(
            self, parsed_args, lambda: hil.leases.get(uuid),
            lambda item: all(n['state'] in NODE_DONE
                             for n in item['nodes']),
            lambda item: 'Lease %s: %s' % (uuid, ', '.join(
                '%s %s' % (n['name'], n['state']) for n in item['nodes'])))
        failed = [n['name'] for n in lease['nodes']
                  if n['state'] == 'failed']
        if failed:
            raise exceptions.CommandError(
                'Lease %s: the hand-back of %s failed; "openstack hil '
                'event list --node %s" says why, and "openstack hil '
                'node project release %s" retries it.' % (
                    lease['uuid'], ', '.join(failed), failed[0],
                    failed[0]))
