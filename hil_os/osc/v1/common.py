"""What the hil commands share: output, deletes, arguments, waiting."""

import argparse
import uuid

from osc_lib.cli import format_columns
from osc_lib import exceptions

DEFAULT_TIMEOUT = 300


def client(command):
    """The hil-os client of a command."""
    return command.app.client_manager.hil


def is_uuid(text):
    try:
        uuid.UUID(text)
        return True
    except ValueError:
        return False


def node_uuid(hil, node):
    """The UUID of a node given by name or UUID (None stays None)."""
    if node is None or is_uuid(node):
        return node
    return hil.nodes.get(node)['uuid']


def _formatted(value):
    if isinstance(value, dict):
        return format_columns.DictColumn(value)
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return format_columns.ListDictColumn(value)
        return format_columns.ListColumn(value)
    return value


def show(item, hidden=()):
    """(columns, values) of one resource for a ShowOne, in API order."""
    columns = tuple(k for k in item if k not in hidden)
    return columns, tuple(_formatted(item[k]) for k in columns)


def table(items, columns):
    """(headers, rows) for a Lister; ``columns`` are (key, header) pairs."""
    return (tuple(header for _key, header in columns),
            (tuple(_formatted(item.get(key)) for key, _header in columns)
             for item in items))


def delete_all(kind, names, delete):
    """Call ``delete(name)`` for each name; one error listing failures.

    Answers what the deletes answered (the actions of queued deletes).
    """
    failures = []
    answers = []
    for name in names:
        try:
            answers.append(delete(name))
        except Exception as e:
            failures.append('%s %s: %s' % (kind, name, e))
    if failures:
        raise exceptions.CommandError(
            'Failed to delete %d of %d %ss:\n%s' % (
                len(failures), len(names), kind, '\n'.join(failures)))
    return answers


def key_value(text):
    """argparse type of KEY=VALUE arguments."""
    key, sep, value = text.partition('=')
    if not sep or not key:
        raise argparse.ArgumentTypeError(
            '%r is not KEY=VALUE (e.g. ngs_ovs_bridge=br0)' % text)
    return key, value


def positive_int(text):
    """argparse type of a count or number of seconds (at least 1)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            '%r is not a positive whole number' % text)
    return value


def add_limit_arguments(parser):
    parser.add_argument(
        '--limit', metavar='<count>', type=positive_int,
        help='Show at most this many items (default: all).')
    parser.add_argument(
        '--marker', metavar='<uuid>',
        help='Start after this item (the UUID of the last item of the '
             'previous page).')


def add_wait_arguments(parser, what):
    parser.add_argument(
        '--wait', action='store_true',
        help='Wait until the %s is done; fail if it fails.' % what)
    parser.add_argument(
        '--timeout', metavar='<seconds>', type=positive_int,
        help='With --wait: give up after this many seconds '
             '(default: %d).' % DEFAULT_TIMEOUT)


def check_wait_arguments(parsed_args):
    if parsed_args.timeout and not parsed_args.wait:
        raise exceptions.CommandError(
            '--timeout only applies with --wait: add --wait to wait for '
            'the action to finish.')


class Progress:
    """Shows an action's progress on stderr, only when a person watches."""

    def __init__(self, command, parsed_args):
        stream = command.app.stderr
        self.stream = stream
        watched = hasattr(stream, 'isatty') and stream.isatty()
        self.enabled = watched and getattr(
            parsed_args, 'formatter', 'table') == 'table'
        self.shown = False

    def __call__(self, action, elapsed):
        self.line('Action %s (%s): %-9s' % (action['uuid'], action['kind'],
                                            action['status']), elapsed)

    def line(self, text, elapsed):
        """Show ``text`` and the seconds waited, over the previous line."""
        if not self.enabled:
            return
        self.stream.write('\r%s %5.1f s' % (text, elapsed))
        self.stream.flush()
        self.shown = True

    def end(self):
        if self.shown:
            self.stream.write('\n')
            self.stream.flush()


def wait_for_image(command, parsed_args, image):
    """With --wait, wait for the work storing an image; its last state."""
    if not parsed_args.wait:
        return image
    hil = client(command)
    wait(command, parsed_args, [hil.actions.get(image['action_uuid'])])
    return hil.images.get(image['uuid'])


def poll(command, parsed_args, fetch, done, describe):
    """Call ``fetch()`` until ``done(item)``; the last item.

    :param describe: the progress text of an item.
    :raises CommandError: not done within --timeout.
    """
    hil = client(command)
    timeout = parsed_args.timeout or DEFAULT_TIMEOUT
    progress = Progress(command, parsed_args)
    start = hil.clock()
    delay = 0.1
    try:
        while True:
            item = fetch()
            progress.line(describe(item), hil.clock() - start)
            if done(item):
                return item
            remaining = timeout - (hil.clock() - start)
            if remaining <= 0:
                raise exceptions.CommandError(
                    'Gave up after %d s: %s' % (timeout, describe(item)))
            hil.sleep(min(delay, remaining))
            delay = min(delay * 2, 2.0)
    finally:
        progress.end()


def wait(command, parsed_args, actions):
    """Wait for every action if --wait was given; their last states."""
    if not parsed_args.wait:
        return actions
    hil = client(command)
    timeout = parsed_args.timeout or DEFAULT_TIMEOUT
    start = hil.clock()
    done = []
    for action in actions:
        progress = Progress(command, parsed_args)
        try:
            remaining = max(timeout - (hil.clock() - start), 0)
            done.append(hil.wait(action, remaining, progress=progress))
        finally:
            progress.end()
    return done
