"""The images API: create, import, copy, rename, share, protect, delete."""

from hil_os.common import exception
from hil_os.drivers.image import fake as fake_image
from tests import base

MIB = 1024 * 1024


class ImagesTestCase(base.ApiTestCase):

    def create(self, name='img', headers=base.A_MEMBER, **body):
        body = dict({'name': name, 'size': MIB} if 'source' not in body
                    else {'name': name}, **body)
        return self.request('post', '/v1/images', body, status=202,
                            headers=headers).json

    def get(self, ident, headers=base.A_MEMBER, status=200):
        return self.request('get', '/v1/images/%s' % ident, status=status,
                            headers=headers).json

    def action(self, uuid, headers=base.A_MEMBER):
        return self.request('get', '/v1/actions/%s' % uuid, status=200,
                            headers=headers).json


class TestImages(ImagesTestCase):

    def test_create_empty_image_becomes_available(self):
        resp = self.request('post', '/v1/images',
                            {'name': 'img', 'size': 4 * MIB}, status=202,
                            headers=base.A_MEMBER)
        self.assertEqual('creating', resp.json['status'])
        self.assertTrue(resp.location.endswith(
            '/v1/actions/%s' % resp.json['action_uuid']))
        image = self.get('img')
        self.assertEqual(('available', 4 * MIB, 'fake', 'project-a'),
                         (image['status'], image['size'], image['backend'],
                          image['project_id']))
        self.assertEqual('succeeded',
                         self.action(image['action_uuid'])['status'])
        self.assertIn('image-%s' % image['uuid'], fake_image.stored())

    def test_import_and_failed_import(self):
        image = self.create('imported', source='fake:%d' % (8 * MIB))
        self.assertEqual((8 * MIB, 'available'),
                         (self.get(image['uuid'])['size'],
                          self.get(image['uuid'])['status']))
        bad = self.create('bad', source='http://example.invalid/x.img')
        shown = self.get('bad')
        self.assertEqual('error', shown['status'])
        self.assertIn('cannot be imported', shown['message'])
        action = self.action(bad['action_uuid'])
        self.assertEqual(('failed', shown['message']),
                         (action['status'], action['message']))

    def test_create_validates_body(self):
        for body, field in (({'name': 'x'}, 'either'),
                            ({'name': 'x', 'size': 10}, 'size'),
                            ({'name': 'x', 'size': MIB, 'source': 'a'},
                             'either'),
                            ({'name': 'x', 'size': MIB, 'owner': 'a'},
                             'Unknown field')):
            resp = self.request('post', '/v1/images', body, status=400,
                                headers=base.A_MEMBER)
            self.assertIn(field, resp.json['error']['message'])

    def test_duplicate_name_in_project_conflicts(self):
        self.create('img')
        self.request('post', '/v1/images', {'name': 'img', 'size': MIB},
                     status=409, headers=base.A_MEMBER)
        self.create('img', headers=base.B_MEMBER)

    def test_copy_rename_and_describe(self):
        src = self.create('src', source='fake:%d' % MIB)
        resp = self.request('post', '/v1/images/src/copy', {'name': 'dst'},
                            status=202, headers=base.A_MEMBER)
        copy = self.get(resp.json['uuid'])
        self.assertEqual(('available', 'copy:%s' % src['uuid'], MIB),
                         (copy['status'], copy['source'], copy['size']))
        self.assertEqual('image-%s' % src['uuid'], fake_image.stored()[
            'image-%s' % copy['uuid']]['from'])
        self.request('patch', '/v1/images/dst',
                     {'name': 'renamed', 'description': 'a copy'},
                     status=200, headers=base.A_MEMBER)
        self.assertEqual('a copy', self.get('renamed')['description'])
        self.get('dst', status=404)

    def test_other_project_sees_nothing_until_shared(self):
        self.create('img')
        self.get('img', headers=base.B_MEMBER, status=404)
        self.assertEqual([], self.request(
            'get', '/v1/images', status=200,
            headers=base.B_MEMBER).json['images'])
        self.request('put', '/v1/images/img/access/project-b', status=204,
                     headers=base.A_MEMBER)
        image = self.get('img', headers=base.B_MEMBER)
        self.assertEqual('project-a', image['project_id'])
        # A project may use a shared image, copy it, but not change it.
        self.request('delete', '/v1/images/%s' % image['uuid'], status=403,
                     headers=base.B_MEMBER)
        self.request('patch', '/v1/images/%s' % image['uuid'],
                     {'name': 'x'}, status=403, headers=base.B_MEMBER)
        self.request('post', '/v1/images/%s/copy' % image['uuid'],
                     {'name': 'mine'}, status=202, headers=base.B_MEMBER)
        self.assertEqual('project-b', self.get(
            'mine', headers=base.B_MEMBER)['project_id'])
        access = self.request('get', '/v1/images/img/access', status=200,
                              headers=base.A_MEMBER).json['access']
        self.assertEqual(['project-b'], [a['project_id'] for a in access])
        self.request('delete', '/v1/images/img/access/project-b',
                     status=204, headers=base.A_MEMBER)
        self.get(image['uuid'], headers=base.B_MEMBER, status=404)

    def test_reader_cannot_create(self):
        self.request('post', '/v1/images', {'name': 'img', 'size': MIB},
                     status=403, headers=base.A_READER)

    def test_delete_protected_then_unprotected(self):
        image = self.create('img')
        self.request('patch', '/v1/images/img', {'protected': True},
                     status=200, headers=base.A_MEMBER)
        resp = self.request('delete', '/v1/images/img', status=409,
                            headers=base.A_MEMBER)
        self.assertIn('protected', resp.json['error']['message'])
        self.request('patch', '/v1/images/img', {'protected': False},
                     status=200, headers=base.A_MEMBER)
        resp = self.request('delete', '/v1/images/img', status=202,
                            headers=base.A_MEMBER)
        action = self.action(resp.json['uuid'])
        self.assertEqual(('image_delete', 'succeeded'),
                         (action['kind'], action['status']))
        self.get(image['uuid'], status=404)
        self.assertNotIn('image-%s' % image['uuid'], fake_image.stored())

    def test_failed_backend_delete_leaves_error_and_can_retry(self):
        image = self.create('img')
        fake_image.inject_fault('delete', exception.ImageBackendError(
            reason='disk on fire'))
        action = self.action(self.request(
            'delete', '/v1/images/img', status=202,
            headers=base.A_MEMBER).json['uuid'])
        self.assertEqual('failed', action['status'])
        self.assertIn('disk on fire', action['message'])
        self.assertEqual('error', self.get('img')['status'])
        self.request('delete', '/v1/images/img', status=202,
                     headers=base.A_MEMBER)
        self.get(image['uuid'], status=404)

    def test_list_filters_and_pages(self):
        for i in range(3):
            self.create('img%d' % i)
        page = self.request('get', '/v1/images?limit=2', status=200,
                            headers=base.A_MEMBER).json
        self.assertEqual(['img0', 'img1'],
                         [i['name'] for i in page['images']])
        self.assertIn('marker=', page['next'])
        only = self.request('get', '/v1/images?name=img2', status=200,
                            headers=base.A_MEMBER).json['images']
        self.assertEqual(['img2'], [i['name'] for i in only])
        self.request('get', '/v1/images?status=bogus', status=400,
                     headers=base.A_MEMBER)
