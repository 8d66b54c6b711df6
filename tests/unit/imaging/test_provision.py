"""Provision, deprovision, snapshot, hand-back: the node-action workflows."""

import datetime
import itertools

from oslo_utils import timeutils
import sqlalchemy as sa

from hil_os.common import exception
from hil_os.common import states
from hil_os.conductor import node_actions
from hil_os.conductor import provision
from hil_os.db import api as dbapi
from hil_os.db import models
from hil_os.drivers import image as image_backends
from hil_os.drivers.image import fake as fake_image
from hil_os.drivers.power import fake as fake_power
from tests import base
from tests import factories
from tests import iscsi

MIB = 1024 * 1024
_ports = itertools.count(20000)


def make_node(project_id=base.PROJECT_A, power='off'):
    """A held node with its own fake BMC and a NIC; returns (node, mac)."""
    port = next(_ports)
    node = factories.create_test_node(project_id=project_id, bmc_port=port)
    nic = factories.create_test_nic(node)
    fake_power.bmc('127.0.0.1', port).power = power
    return node, nic.mac


class ProvisionTestCase(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.config.config(power_timeout=1, poll_interval=0.01,
                           group='power')
        self.node, self.mac = make_node()
        self.bmc = fake_power.bmc('127.0.0.1', self.node.bmc_port)
        self.image = self.request('post', '/v1/images',
                                  {'name': 'img', 'size': 4 * MIB},
                                  status=202, headers=base.A_MEMBER).json
        fake_image.write('image-%s' % self.image['uuid'], 'image bytes')

    def post(self, node, what, body=None, status=202,
             headers=base.A_MEMBER):
        return self.request('post', '/v1/nodes/%s/%s' % (node, what), body,
                            status=status, headers=headers).json

    def action(self, uuid):
        return self.request('get', '/v1/actions/%s' % uuid,
                            status=200).json

    def disks(self, headers=base.A_MEMBER):
        return self.request('get', '/v1/disks', status=200,
                            headers=headers).json['disks']

    def boot(self, mac=None):
        resp = self.request('get', '/v1/boot/%s' % (mac or self.mac),
                            status=200, headers={})
        self.assertEqual('text/plain', resp.content_type)
        return resp.text

    def provision(self, node=None, **body):
        node = node or self.node
        action = self.post(node.name, 'provision',
                           body or {'image': 'img'})
        return self.action(action['uuid'])


class TestProvision(ProvisionTestCase):

    def test_provision_clones_exports_and_boots(self):
        action = self.provision()
        self.assertEqual('succeeded', action['status'], action['message'])
        disk, = self.disks()
        self.assertEqual((self.node.uuid, 'available', self.image['uuid']),
                         (disk['node_uuid'], disk['status'],
                          disk['image_uuid']))
        ref = 'disk-%s' % disk['uuid']
        self.assertEqual(('image bytes', 'image-%s' % self.image['uuid']),
                         (fake_image.stored()[ref]['data'],
                          fake_image.stored()[ref]['from']))
        export, initiator = fake_image.exports()['target-of-' + ref]
        self.assertEqual('iqn.2026-11.org.hil-os:node:%s' % self.node.uuid,
                         initiator)
        self.assertEqual(('pxe', True),
                         (self.bmc.boot_device, self.bmc.persistent))
        self.assertEqual(['boot:pxe', 'on'], self.bmc.requests)
        self.assertEqual('on', self.bmc.power)
        login = iscsi.parse_ipxe(self.boot())
        self.assertEqual(
            (export.target_iqn, export.lun, export.chap_username,
             export.chap_secret, initiator, '192.0.2.10', 3260),
            (login.target, login.lun, login.username, login.password,
             login.initiator, login.host, login.port))
        self.assertEqual(24, len(login.password))

    def test_secret_is_never_returned_nor_logged(self):
        self.provision()
        secret = iscsi.parse_ipxe(self.boot()).password
        for path in ('/v1/disks', '/v1/actions', '/v1/events', '/v1/images',
                     '/v1/nodes/%s' % self.node.name, '/v1/openapi.json'):
            self.assertNotIn(secret, self.request('get', path,
                                                  status=200).text)
        self.assertNotIn(secret, self.log.output)
        with dbapi.get_engine().connect() as conn:
            stored = conn.execute(sa.select(
                models.DiskExport.chap_secret)).scalar()
        self.assertNotIn(secret, stored)

    def test_power_cycles_a_node_that_was_on(self):
        self.bmc.power = 'on'
        self.assertEqual('succeeded', self.provision()['status'])
        self.assertEqual(['boot:pxe', 'off', 'on'], self.bmc.requests)

    def test_unprovisioned_and_unknown_macs_get_an_exit_script(self):
        for mac in (self.mac, '52:54:00:ff:ff:ff'):
            script = self.boot(mac)
            self.assertIsNone(iscsi.parse_ipxe(script))
            self.assertIn('exit 0', script)

    def test_boot_scripts_limited_to_allowed_networks(self):
        self.provision()
        self.config.config(boot_allowed_cidrs=['10.20.0.0/16'],
                           group='image')
        self.request('get', '/v1/boot/%s' % self.mac, status=403,
                     headers={})
        resp = self.request('get', '/v1/boot/%s' % self.mac, status=200,
                            headers={}, environ={
                                'REMOTE_ADDR': '10.20.3.4'})
        self.assertIsNotNone(iscsi.parse_ipxe(resp.text))

    def test_second_provision_is_refused(self):
        self.provision()
        resp = self.post(self.node.name, 'provision', {'image': 'img'},
                         status=409)
        self.assertIn('already provisioned', resp['error']['message'])

    def test_image_being_cloned_cannot_be_deleted(self):
        action = dbapi.provision_begin(
            self.node.id, base.PROJECT_A,
            image_id=dbapi.image_get('img').id)
        resp = self.request('delete', '/v1/images/img', status=409,
                            headers=base.A_MEMBER)
        self.assertIn('being cloned', resp.json['error']['message'])
        self.conductor.manager.run_node_actions({}, self.node.uuid)
        self.assertEqual('succeeded', self.action(action.uuid)['status'])
        self.request('delete', '/v1/images/img', status=202,
                     headers=base.A_MEMBER)

    def test_node_of_no_project_or_other_project(self):
        free = factories.create_test_node(bmc_port=next(_ports))
        self.post(free.name, 'provision', {'image': 'img'}, status=409,
                  headers=base.ADMIN)
        other, _mac = make_node(project_id=base.PROJECT_B)
        self.post(other.name, 'provision', {'image': 'img'}, status=404)
        self.post(other.name, 'provision', {'image': 'img'}, status=404,
                  headers=base.B_MEMBER)

    def test_export_failure_rolls_back_and_says_what_failed(self):
        fake_image.inject_fault('export', exception.ImageBackendError(
            reason='target full'))
        action = self.provision()
        self.assertEqual('failed', action['status'])
        self.assertIn('while exporting the disk: Image backend error: '
                      'target full', action['message'])
        self.assertIn('the new disk was deleted', action['message'])
        self.assertEqual([], self.disks())
        self.assertEqual({}, fake_image.exports())
        self.assertIsNone(iscsi.parse_ipxe(self.boot()))
        self.assertEqual('succeeded', self.provision()['status'])

    def test_power_failure_unexports_and_keeps_a_resumed_disk(self):
        self.provision()
        self.post(self.node.name, 'deprovision')
        self.bmc.reachable = False
        action = self.provision(disk=self.disks()[0]['name'])
        self.assertEqual('failed', action['status'])
        self.assertIn('setting the boot device', action['message'])
        self.assertIn('the export was removed', action['message'])
        self.assertEqual({}, fake_image.exports())
        disk, = self.disks()
        self.assertIsNone(disk['node_uuid'])
        self.assertIsNone(iscsi.parse_ipxe(self.boot()))


class TestDeprovisionAndSnapshot(ProvisionTestCase):

    def test_deprovision_keeps_disk_and_resume_gets_new_secret(self):
        self.provision()
        first = iscsi.parse_ipxe(self.boot())
        disk, = self.disks()
        fake_image.write('disk-%s' % disk['uuid'], 'the node wrote this')
        action = self.action(self.post(self.node.name, 'deprovision')['uuid'])
        self.assertEqual('succeeded', action['status'], action['message'])
        self.assertEqual('off', self.bmc.power)
        self.assertEqual({}, fake_image.exports())
        kept, = self.disks()
        self.assertEqual((disk['uuid'], None),
                         (kept['uuid'], kept['node_uuid']))
        self.assertIsNone(iscsi.parse_ipxe(self.boot()))
        self.post(self.node.name, 'deprovision', status=409)
        action = self.provision(disk=disk['name'])
        self.assertEqual('succeeded', action['status'], action['message'])
        again = iscsi.parse_ipxe(self.boot())
        self.assertEqual(first.target, again.target)
        self.assertNotEqual(first.password, again.password)
        self.assertEqual('the node wrote this', fake_image.stored()[
            'disk-%s' % disk['uuid']]['data'])

    def test_deprovision_can_delete_the_disk(self):
        self.provision()
        disk, = self.disks()
        action = self.action(self.post(self.node.name, 'deprovision',
                                       {'delete_disk': True})['uuid'])
        self.assertEqual('succeeded', action['status'], action['message'])
        self.assertEqual([], self.disks())
        self.assertNotIn('disk-%s' % disk['uuid'], fake_image.stored())

    def test_kept_disk_is_deleted_by_api_and_resumed_elsewhere(self):
        self.provision()
        self.post(self.node.name, 'deprovision')
        disk, = self.disks()
        other, other_mac = make_node()
        self.assertEqual('succeeded', self.provision(
            node=other, disk=disk['uuid'])['status'])
        self.assertIsNotNone(iscsi.parse_ipxe(self.boot(other_mac)))
        resp = self.request('delete', '/v1/disks/%s' % disk['uuid'],
                            status=409, headers=base.A_MEMBER)
        self.assertIn('deprovision', resp.json['error']['message'])
        self.post(other.name, 'deprovision')
        self.request('delete', '/v1/disks/%s' % disk['uuid'], status=202,
                     headers=base.A_MEMBER)
        self.assertEqual([], self.disks())

    def test_other_projects_disk_cannot_be_resumed(self):
        self.provision()
        self.post(self.node.name, 'deprovision')
        disk, = self.disks()
        other, _mac = make_node(project_id=base.PROJECT_B)
        self.post(other.name, 'provision', {'disk': disk['uuid']},
                  status=404, headers=base.B_MEMBER)

    def test_snapshot_powers_off_copies_and_powers_on(self):
        self.bmc.power = 'on'
        self.provision()
        disk, = self.disks()
        fake_image.write('disk-%s' % disk['uuid'], 'configured node')
        self.bmc.requests.clear()
        resp = self.post(self.node.name, 'snapshot', {'name': 'golden'})
        self.assertEqual('creating', resp['status'])
        action = self.action(resp['action_uuid'])
        self.assertEqual('succeeded', action['status'], action['message'])
        self.assertEqual(['off', 'on'], self.bmc.requests)
        image = self.request('get', '/v1/images/golden', status=200,
                             headers=base.A_MEMBER).json
        self.assertEqual(('available', 'snapshot:%s' % disk['uuid']),
                         (image['status'], image['source']))
        self.assertEqual('configured node', fake_image.stored()[
            'image-%s' % image['uuid']]['data'])
        other, _mac = make_node()
        self.assertEqual('succeeded',
                         self.provision(node=other, image='golden')['status'])
        clone = [d for d in self.disks() if d['node_uuid'] == other.uuid][0]
        self.assertEqual('configured node', fake_image.stored()[
            'disk-%s' % clone['uuid']]['data'])

    def test_failed_snapshot_marks_image_error(self):
        self.provision()
        fake_image.inject_fault('snapshot', exception.ImageBackendError(
            reason='no space'))
        resp = self.post(self.node.name, 'snapshot', {'name': 'golden'})
        action = self.action(resp['action_uuid'])
        self.assertEqual('failed', action['status'])
        self.assertIn('no space', action['message'])
        image = self.request('get', '/v1/images/golden', status=200,
                             headers=base.A_MEMBER).json
        self.assertEqual('error', image['status'])
        self.assertEqual('on', self.bmc.power)

    def test_hand_back_takes_the_disk_off_and_keeps_it(self):
        self.provision()
        self.request('delete', '/v1/nodes/%s/project' % self.node.name,
                     status=202)
        self.conductor.manager.sweep()
        node = dbapi.node_get(self.node.uuid)
        self.assertEqual((states.NODE_FREE, None),
                         (node.state, node.project_id))
        disk, = self.disks()
        self.assertIsNone(disk['node_uuid'])
        self.assertEqual({}, fake_image.exports())
        self.assertIsNone(iscsi.parse_ipxe(self.boot()))


def _update_action(action_id, **values):
    with dbapi.get_engine().begin() as conn:
        conn.execute(sa.update(models.Action).where(
            models.Action.id == action_id).values(**values))


class TestResume(ProvisionTestCase):
    """A conductor dies mid-way; another finishes the provision."""

    def _dead_conductor_runs(self, *steps):
        action = dbapi.provision_begin(self.node.id, base.PROJECT_A,
                                       image_id=dbapi.image_get('img').id)
        claimed, _ = dbapi.node_action_claim(self.node.uuid, 'dead',
                                             datetime.datetime(2000, 1, 1))
        task = node_actions.Task(claimed, dbapi.node_get(self.node.uuid),
                                 'dead', False,
                                 self.conductor.manager.power_drivers)
        disk = dbapi.disk_by_uuid(action.details['disk'])
        backend = image_backends.get('fake')
        if 'clone' in steps:
            stored = backend.clone('image-%s' % self.image['uuid'],
                                   disk.uuid)
            dbapi.disk_stored(disk.id, stored.ref, stored.size)
            task.progress(step='cloned')
        if 'export' in steps:
            provision._export(task, backend, dbapi.disk_by_uuid(disk.uuid))
            task.progress(step='exported')
        self.config.config(claim_timeout=5, group='conductor')
        _update_action(claimed.id, claimed_at=timeutils.utcnow() -
                       datetime.timedelta(seconds=60))
        return action

    def _resume(self, action):
        self.conductor.manager.sweep()
        done = self.action(action.uuid)
        self.assertEqual('succeeded', done['status'], done['message'])
        return [c[0] for c in fake_image.calls()
                if c[0] in ('clone', 'export')]

    def test_crash_between_clone_and_export(self):
        action = self._dead_conductor_runs('clone')
        self.assertEqual(['clone', 'export'], self._resume(action))
        self.assertIsNotNone(iscsi.parse_ipxe(self.boot()))
        self.assertEqual('on', self.bmc.power)

    def test_crash_between_export_and_power_cycle(self):
        action = self._dead_conductor_runs('clone', 'export')
        secret = iscsi.parse_ipxe(self.boot()).password
        self.assertEqual(['clone', 'export'], self._resume(action))
        self.assertEqual(secret, iscsi.parse_ipxe(self.boot()).password)
        self.assertEqual(['boot:pxe', 'on'], self.bmc.requests)

    def test_crash_inside_export_is_redone_with_a_new_secret(self):
        action = self._dead_conductor_runs('clone', 'export')
        _update_action(action.id, details=dict(
            dbapi.action_get(action.uuid).details, step='cloned'))
        old = iscsi.parse_ipxe(self.boot()).password
        self.assertEqual(['clone', 'export', 'export'], self._resume(action))
        self.assertNotEqual(old, iscsi.parse_ipxe(self.boot()).password)


class TestInitiatorName(ProvisionTestCase):

    def test_node_initiator_iqn_is_used_and_validated(self):
        self.request('patch', '/v1/nodes/%s' % self.node.name,
                     {'initiator_iqn': 'bad name'}, status=400)
        shown = self.request('patch', '/v1/nodes/%s' % self.node.name,
                             {'initiator_iqn': 'iqn.2026-11.org.example:n1'},
                             status=200).json
        self.assertEqual('iqn.2026-11.org.example:n1', shown['initiator_iqn'])
        self.provision()
        self.assertEqual('iqn.2026-11.org.example:n1',
                         iscsi.parse_ipxe(self.boot()).initiator)


class TestBootBehindKeystone(ProvisionTestCase):
    """With Keystone, boot scripts need no token (iPXE has none)."""

    def test_boot_script_without_token(self):
        import webtest

        from hil_os.api import app as api_app
        from hil_os.conductor import rpcapi

        self.provision()
        self.config.config(auth_strategy='keystone', group='api')
        app = webtest.TestApp(api_app.setup_app(
            rpcapi.LocalConductorAPI(self.conductor.manager)))
        resp = app.get('/v1/boot/%s' % self.mac)
        self.assertIsNotNone(iscsi.parse_ipxe(resp.text))
