"""oslo.policy checks evaluated with their signature read once per class."""

import inspect
from unittest import mock

from oslo_policy import _checks

from hil_os.common import context
from hil_os.common import policy
from tests import base


class LegacyCheck(_checks.BaseCheck):
    """A check of the old signature: no rule name."""

    def __str__(self):
        return 'legacy'

    def __call__(self, target, creds, enforcer):
        return target.get('ok') == 'yes'


class NamedCheck(_checks.BaseCheck):
    """A check that is told the name of the rule being checked."""

    def __str__(self):
        return 'named'

    def __call__(self, target, creds, enforcer, current_rule=None):
        return current_rule == 'wanted'


class TestCheckOncePerClass(base.TestCase):

    use_db = False

    def setUp(self):
        super().setUp()
        self.spec = mock.Mock(wraps=inspect.getfullargspec)
        self.check = policy._check_once_per_class(self.spec)

    def test_old_and_new_signatures_get_their_arguments(self):
        legacy, named = LegacyCheck(), NamedCheck()
        self.assertTrue(self.check(legacy, {'ok': 'yes'}, {}, None, 'x'))
        self.assertFalse(self.check(legacy, {'ok': 'no'}, {}, None, 'x'))
        self.assertTrue(self.check(named, {}, {}, None, 'wanted'))
        self.assertFalse(self.check(named, {}, {}, None, 'other'))

    def test_signature_read_once_per_class(self):
        for _ in range(5):
            self.check(LegacyCheck(), {}, {}, None, 'r')
            self.check(NamedCheck(), {}, {}, None, 'r')
        self.assertEqual(2, self.spec.call_count)

    def test_installed_in_oslo_policy(self):
        # Nested checks (and/or/not) and the enforcer call the module's
        # _check: the decisions of the defaults go through ours.
        self.assertEqual('_check_once_per_class.<locals>.check',
                         _checks._check.__qualname__)
        member = context.RequestContext(roles=['member'], project_id='p1',
                                        user_id='u')
        self.assertTrue(policy.check('hil:node:get', member,
                                     {'project_id': 'p1'}))
        self.assertFalse(policy.check('hil:node:get', member,
                                      {'project_id': 'p2'}))
        self.assertFalse(policy.check('hil:node:create', member))
