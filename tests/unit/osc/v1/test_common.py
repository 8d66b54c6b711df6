"""Tests of what the commands share: progress, waiting, argument types."""

import argparse
import io

from hil_os.osc.v1 import attachment
from hil_os.osc.v1 import common
from tests.unit.osc import fakes


class Terminal(io.StringIO):

    def isatty(self):
        return True


class TestProgress(fakes.TestCommand):

    def setUp(self):
        super().setUp()
        self.hil.nics.attach.return_value = fakes.fake(fakes.ACTION)

        def wait(action, timeout, progress=None):
            progress(action, 0.0)
            progress(dict(action, status='running'), 0.5)
            return dict(action, status='succeeded')
        self.hil.wait.side_effect = wait

    def attach(self, stderr, *extra):
        self.app.stderr = stderr
        return self.run_command(
            attachment.AttachNic,
            ['eth0', '--node', 'node1', '--network', 'net1', '--wait',
             *extra])

    def test_shown_on_a_terminal(self):
        stderr = Terminal()
        self.attach(stderr)
        self.assertEqual(
            '\rAction %s (attach): pending     0.0 s'
            '\rAction %s (attach): running     0.5 s\n'
            % (fakes.ACTION_UUID, fakes.ACTION_UUID), stderr.getvalue())

    def test_quiet_when_not_a_terminal(self):
        stderr = io.StringIO()
        self.attach(stderr)
        self.assertEqual('', stderr.getvalue())

    def test_quiet_with_json_output(self):
        stderr = Terminal()
        self.app.stderr = stderr
        cmd = attachment.AttachNic(self.app, None)
        parsed_args = cmd.get_parser('test').parse_args(
            ['eth0', '--node', 'node1', '--network', 'net1', '--wait',
             '-f', 'json'])
        cmd.take_action(parsed_args)
        self.assertEqual('', stderr.getvalue())


class TestWaitDeadline(fakes.TestCommand):

    def test_several_actions_share_one_timeout(self):
        now = [0.0]
        self.hil.clock.side_effect = lambda: now[0]

        def wait(action, timeout, progress=None):
            now[0] += 4
            return action
        self.hil.wait.side_effect = wait
        parsed_args = argparse.Namespace(wait=True, timeout=10,
                                         formatter='value')
        common.wait(self.cmd(), parsed_args, [{'uuid': 'a'}, {'uuid': 'b'},
                                              {'uuid': 'c'}, {'uuid': 'd'}])
        self.assertEqual([10, 6, 2, 0],
                         [c.args[1] for c in self.hil.wait.call_args_list])

    def cmd(self):
        return attachment.DetachNic(self.app, None)


class TestArgumentTypes(fakes.TestCommand):

    def test_key_value(self):
        self.assertEqual(('a', 'b=c'), common.key_value('a=b=c'))
        self.assertEqual(('a', ''), common.key_value('a='))
        for bad in ('a', '=b'):
            self.assertRaises(argparse.ArgumentTypeError, common.key_value,
                              bad)

    def test_positive_int(self):
        self.assertEqual(5, common.positive_int('5'))
        for bad in ('0', '-1', 'x', '1.5'):
            self.assertRaises(argparse.ArgumentTypeError,
                              common.positive_int, bad)
