"""openstack hil node console ...: a node's serial console."""

import select
import threading
import time

from osc_lib.command import command

from hil_os.osc import client as hil_client
from hil_os.osc.v1 import common

# How long output may take to come back once input has ended.
DRAIN_SECONDS = 2
OPEN_TIMEOUT = 10


def _add_node_argument(parser):
    parser.add_argument('node', metavar='<node>',
                        help='Node name or UUID.')


class ShowConsole(command.ShowOne):
    """Show a node's console: live tokens, session and recent output."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_node_argument(parser)
        return parser

    def take_action(self, parsed_args):
        return common.show(common.client(self).consoles.get(parsed_args.node))


class CreateConsole(command.ShowOne):
    """Issue a short-lived console token (shown once); the session opens."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_node_argument(parser)
        return parser

    def take_action(self, parsed_args):
        return common.show(common.client(self).consoles.create(
            parsed_args.node))


class RevokeConsole(command.Command):
    """Revoke every console token of a node; its session closes."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_node_argument(parser)
        return parser

    def take_action(self, parsed_args):
        common.client(self).consoles.revoke(parsed_args.node)


class ConnectConsole(command.Command):
    """Attach this terminal to a node's console (end with Ctrl-D).

    Shows the recent output, then what the node prints; each line typed
    is sent to the node.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_node_argument(parser)
        return parser

    def take_action(self, parsed_args):
        consoles = common.client(self).consoles
        token = consoles.create(parsed_args.node)['token']
        reader = _Reader(consoles, token, self.app.stdout)
        reader.start()
        try:
            self._send_input(consoles, token, reader)
            reader.drain()
        except KeyboardInterrupt:
            pass
        finally:
            reader.stop()
        if reader.error:
            raise reader.error

    def _send_input(self, consoles, token, reader):
        stdin = self.app.stdin
        while not reader.stopped.is_set():
            ready, _w, _x = select.select([stdin], [], [], 0.5)
            if not ready:
                continue
            line = stdin.readline()
            if not line:
                return
            _write(consoles, token, line)


def _write(consoles, token, data):
    """Type ``data``, waiting for the session to open if it is not yet."""
    deadline = time.monotonic() + OPEN_TIMEOUT
    while True:
        try:
            return consoles.write(token, data)
        except hil_client.HilError as e:
            if e.code != 409 or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class _Reader(threading.Thread):
    """Copies console output to ``out`` until stopped or an error."""

    def __init__(self, consoles, token, out):
        super().__init__(daemon=True)
        self.consoles = consoles
        self.token = token
        self.out = out
        self.offset = 0
        self.error = None
        self.until = None
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            if self.until is not None and time.monotonic() >= self.until:
                return
            if not self.read(wait=1):
                return

    def read(self, wait):
        """Copy what arrives within ``wait`` seconds; False on an error."""
        try:
            answer = self.consoles.read(self.token, self.offset, wait)
        except Exception as e:
            self.error = e
            self.stopped.set()
            return False
        if answer['data']:
            self.out.write(answer['data'])
            self.out.flush()
        self.offset = answer['offset']
        return True

    def drain(self):
        """After the input ended: let the node's answer arrive, then stop."""
        self.until = time.monotonic() + DRAIN_SECONDS
        self.join(DRAIN_SECONDS + 10)

    def stop(self):
        self.stopped.set()
        self.join(10)
