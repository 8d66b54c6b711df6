"""The export audit and the reexport node action (fake image backend)."""

from hil_os.common import exception
from hil_os.common import states
from hil_os.conductor import export_audit
from hil_os.db import api as dbapi
from hil_os.drivers.image import fake as fake_image
from tests import base
from tests import iscsi
from tests.unit.imaging import test_provision


class TestExportAudit(test_provision.ProvisionTestCase):

    def setUp(self):
        super().setUp()
        action = self.provision()
        self.assertEqual('succeeded', action['status'], action['message'])
        self.disk, = self.disks()
        self.login = iscsi.parse_ipxe(self.boot())

    def actions(self, kind=states.ACTION_REEXPORT):
        return [a for a in self.request(
            'get', '/v1/actions?limit=100', status=200,
            headers=base.A_MEMBER).json['actions'] if a['kind'] == kind]

    def test_present_exports_queue_nothing(self):
        self.conductor.manager.audit_exports()
        self.assertEqual([], self.actions())
        self.assertEqual(1, len(fake_image.exports()))

    def test_vanished_export_is_recreated_with_the_same_login(self):
        fake_image.forget_exports()
        self.conductor.manager.audit_exports()
        action, = self.actions()
        self.assertEqual('succeeded', action['status'], action['message'])
        self.assertIn('had vanished from backend fake', action['message'])
        self.assertEqual(self.node.uuid, action['node_uuid'])
        export, initiator = fake_image.exports()[
            'target-of-disk-%s' % self.disk['uuid']]
        self.assertEqual(self.login.initiator, initiator)
        # The node logs in as before: same target, user and secret.
        self.assertEqual(self.login, iscsi.parse_ipxe(self.boot()))
        self.assertEqual((self.login.username, self.login.password),
                         (export.chap_username, export.chap_secret))
        self.assertIn('is gone from backend fake; queueing its re-export',
                      self.log.output)
        self.assertNotIn(self.login.password, self.log.output)
        events = self.request('get', '/v1/events?limit=100', status=200,
                              headers=base.A_MEMBER).json['events']
        self.assertIn('node.reexport_requested',
                      [e['event_type'] for e in events])
        # Once back, the next audit finds it in place.
        self.conductor.manager.audit_exports()
        self.assertEqual(1, len(self.actions()))

    def test_node_with_work_in_flight_is_left_for_the_next_audit(self):
        fake_image.forget_exports()
        dbapi.node_action_create(self.node.id, states.ACTION_POWER_ON)
        self.assertEqual([], export_audit.audit())
        self.assertEqual([], self.actions())

    def test_export_removed_before_the_reexport_runs_stays_removed(self):
        fake_image.forget_exports()
        queued, = export_audit.audit()
        # A deprovision finished meanwhile: the export row is gone.
        disk = dbapi.disk_by_uuid(self.disk['uuid'])
        dbapi.export_delete(disk.id)
        self.conductor.manager.node_actions.submit(self.node.uuid)
        action, = self.actions()
        self.assertEqual((queued.uuid, 'succeeded'),
                         (action['uuid'], action['status']))
        self.assertIn('no longer exported', action['message'])
        self.assertEqual({}, fake_image.exports())

    def test_deprovision_queued_behind_a_reexport_ends_unexported(self):
        fake_image.forget_exports()
        export_audit.audit()
        deprovision = self.post(self.node.name, 'deprovision')
        self.assertEqual('succeeded', self.action(deprovision['uuid'])[
            'status'])
        self.assertEqual(['succeeded'],
                         [a['status'] for a in self.actions()])
        self.assertEqual({}, fake_image.exports())
        self.assertIsNone(iscsi.parse_ipxe(self.boot()))

    def test_backend_that_cannot_be_read_is_reported_not_acted_on(self):
        fake_image.inject_fault('is_exported', exception.ImageBackendError(
            reason='tgtadm could not be run'))
        self.assertEqual([], export_audit.audit())
        self.assertIn('could not be read back: Image backend error: tgtadm '
                      'could not be run', self.log.output)
        self.assertEqual([], self.actions())
