"""The conductor's periodic loop: which audits run, and when."""

from unittest import mock

import fixtures

from hil_os.conductor import periodics
from tests import base


class Manager:
    """What the loop calls, counted; the drift audit fails."""

    hostname = 'test-conductor'

    def __init__(self):
        self.calls = []

    def sweep(self):
        self.calls.append('sweep')

    def renew_claims(self):
        self.calls.append('renew')

    def audit_switches(self):
        self.calls.append('drift')
        raise RuntimeError('switch unreachable')

    def audit_exports(self):
        self.calls.append('exports')


class TestPeriodicTasks(base.TestCase):

    def setUp(self):
        super().setUp()
        self.manager = Manager()
        self.clock = self.useFixture(fixtures.MockPatch(
            'time.monotonic', return_value=1000.0)).mock
        self.tasks = periodics.PeriodicTasks(self.manager)

    def run_at(self, when):
        self.clock.return_value = when
        self.manager.calls = []
        with mock.patch.object(periodics.dbapi, 'conductor_heartbeat'):
            self.tasks._run_once()
        return [c for c in self.manager.calls if c in ('drift', 'exports')]

    def test_each_audit_runs_once_per_interval(self):
        self.config.config(switch_audit_interval=300, group='conductor')
        self.config.config(export_audit_interval=60, group='image')
        self.assertEqual([], self.run_at(1030))
        self.assertEqual(['exports'], self.run_at(1060))
        self.assertEqual([], self.run_at(1100))
        self.assertEqual(['exports'], self.run_at(1125))
        # The drift audit fails; it is logged and the export audit runs.
        self.assertEqual(['drift', 'exports'], self.run_at(1300))
        self.assertIn('Drift audit of conductor test-conductor failed',
                      self.log.output)

    def test_zero_turns_an_audit_off(self):
        self.config.config(switch_audit_interval=0, group='conductor')
        self.config.config(export_audit_interval=0, group='image')
        self.assertEqual([], self.run_at(10 ** 6))
