"""The enforcer re-reads a changed policy file, at most once a second."""

import os

import fixtures

from hil_os.common import context
from hil_os.common import policy
from tests import base


class TestPolicyReload(base.TestCase):

    use_db = False

    def setUp(self):
        super().setUp()
        self.policy_file = os.path.join(
            self.useFixture(fixtures.TempDir()).path, 'policy.yaml')
        self._write('role:admin')
        policy.get_enforcer()  # registers the [oslo_policy] options
        self.config.config(policy_file=self.policy_file,
                           group='oslo_policy')
        policy.reset()
        self.now = 1000.0
        self.patch(policy.time, 'monotonic', lambda: self.now)
        self.reader = context.RequestContext(
            roles=['reader'], project_id='p1', user_id='u')

    def _write(self, check):
        with open(self.policy_file, 'w') as f:
            f.write('"hil:node:list": "%s"\n' % check)
        # The file cache compares modification times; make this one new.
        stamp = os.stat(self.policy_file).st_mtime + len(check)
        os.utime(self.policy_file, (stamp, stamp))

    def _may_list(self):
        return policy.check('hil:node:list', self.reader,
                            {'project_id': 'p1'})

    def test_an_edit_takes_effect_within_the_interval(self):
        self.assertFalse(self._may_list())
        self._write('role:reader')
        self.now += policy.RELOAD_INTERVAL / 2
        self.assertFalse(self._may_list())
        self.now += policy.RELOAD_INTERVAL
        self.assertTrue(self._may_list())

    def test_is_admin_is_asked_once_per_context(self):
        admin = context.RequestContext(roles=['admin'], project_id='p1')
        self.assertTrue(policy.is_admin(admin))
        self.assertFalse(policy.is_admin(self.reader))
        self._write('role:admin')
        self.patch(policy, 'check', lambda *a: self.fail('asked again'))
        self.assertTrue(policy.is_admin(admin))
        self.assertFalse(policy.is_admin(self.reader))
