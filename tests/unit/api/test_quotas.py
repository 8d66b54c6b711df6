"""Quotas through the API: limits, defaults, and refusals naming them."""

from hil_os.drivers.image import fake as fake_image
from tests import base
from tests import factories

GIB = 1 << 30
MIB = 1 << 20


class TestQuotas(base.ApiTestCase):

    def quota(self, project=base.PROJECT_A, headers=base.ADMIN):
        return self.request('get', '/v1/quotas/%s' % project, status=200,
                            headers=headers).json

    def set(self, project=base.PROJECT_A, status=200, **limits):
        return self.request('put', '/v1/quotas/%s' % project, limits,
                            status=status).json

    def test_defaults_come_from_config(self):
        self.config.config(nodes=3, networks=4, images=5, disk_gb=6,
                           group='quota')
        factories.create_test_node(project_id=base.PROJECT_A)
        self.assertEqual(
            {'project_id': base.PROJECT_A,
             'nodes': {'limit': 3, 'in_use': 1, 'default': True},
             'networks': {'limit': 4, 'in_use': 0, 'default': True},
             'images': {'limit': 5, 'in_use': 0, 'default': True},
             'disk_gb': {'limit': 6, 'in_use': 0.0, 'default': True}},
            self.quota(headers=base.A_READER))

    def test_set_and_reset_limits(self):
        self.config.config(networks=4, group='quota')
        quota = self.set(networks=10, nodes=-1)
        self.assertEqual({'limit': 10, 'in_use': 0, 'default': False},
                         quota['networks'])
        self.assertEqual(-1, quota['nodes']['limit'])
        self.assertEqual(4, self.set(networks=None)['networks']['limit'])
        listed = self.request('get', '/v1/quotas', status=200).json
        self.assertEqual([base.PROJECT_A],
                         [q['project_id'] for q in listed['quotas']])
        self.assertEqual([base.PROJECT_B], [
            q['project_id'] for q in self.request(
                'get', '/v1/quotas', status=200,
                headers=base.B_MEMBER).json['quotas']])
        self.assertIn('networks', self.set(status=400,
                                           networks=-2)['error']['message'])
        self.set(status=400)

    def test_networks_over_quota_are_refused_with_the_limit(self):
        self.set(networks=2)
        for name in ('a', 'b'):
            self.request('post', '/v1/networks', {'name': name}, status=201,
                         headers=base.A_MEMBER)
        message = self.request('post', '/v1/networks', {'name': 'c'},
                               status=409, headers=base.A_MEMBER).json
        self.assertEqual('Quota exceeded: project project-a may have at most '
                         '2 networks and has 2; this request needs 1 more.',
                         message['error']['message'])
        self.request('post', '/v1/networks', {'name': 'c'}, status=201,
                     headers=base.B_MEMBER)

    def test_nodes_held_at_once(self):
        self.set(nodes=1)
        for name in ('n1', 'n2'):
            factories.create_test_node(name=name)
        self.request('put', '/v1/nodes/n1/project',
                     {'project_id': base.PROJECT_A}, status=200)
        message = self.request('put', '/v1/nodes/n2/project',
                               {'project_id': base.PROJECT_A},
                               status=409).json['error']['message']
        self.assertIn('at most 1 node and has 1', message)
        self.request('delete', '/v1/nodes/n1/project', status=202)
        self.request('put', '/v1/nodes/n2/project',
                     {'project_id': base.PROJECT_A}, status=200)

    def test_images_and_disk_space(self):
        self.set(images=2, disk_gb=1)
        self.request('post', '/v1/images', {'name': 'big', 'size': 2 * GIB},
                     status=413, headers=base.A_MEMBER)
        image = self.request('post', '/v1/images',
                             {'name': 'half', 'size': GIB // 2},
                             status=202, headers=base.A_MEMBER).json
        self.request('post', '/v1/images/half/copy', {'name': 'copy'},
                     status=202, headers=base.A_MEMBER)
        message = self.request('post', '/v1/images',
                               {'name': 'third', 'size': MIB}, status=409,
                               headers=base.A_MEMBER).json['error']
        self.assertIn('at most 2 images', message['message'])
        self.assertEqual(1.0, self.quota()['disk_gb']['in_use'])
        # No room left for a disk cloned from the image.
        node = factories.create_test_node(project_id=base.PROJECT_A)
        refused = self.request('post', '/v1/nodes/%s/provision' % node.name,
                               {'image': image['uuid']}, status=413,
                               headers=base.A_MEMBER).json['error']
        self.assertEqual(
            'Quota exceeded: project project-a may use at most 1 GiB of '
            'image and disk space and uses 1.0 GiB; this request needs 0.5 '
            'GiB more.', refused['message'])

    def test_an_import_too_big_for_the_space_left_fails_and_is_deleted(self):
        self.set(disk_gb=1)
        self.request('post', '/v1/images', {'name': 'half', 'size': GIB // 2},
                     status=202, headers=base.A_MEMBER)
        image = self.request('post', '/v1/images', {
            'name': 'big', 'source': 'fake:%d' % GIB}, status=202,
            headers=base.A_MEMBER).json
        image = self.request('get', '/v1/images/%s' % image['uuid'],
                             status=200, headers=base.A_MEMBER).json
        self.assertEqual('error', image['status'])
        self.assertIn('may use at most 1 GiB', image['message'])
        self.assertNotIn('image-%s' % image['uuid'], fake_image.stored())
        self.assertEqual(0.5, self.quota()['disk_gb']['in_use'])
