"""Project > Bare Metal > Leases, with the api module mocked."""

from unittest import mock

from django.urls import reverse

from hil_os.osc import client
from hil_os_dashboard import api
from hil_os_dashboard.content.leases import forms as lease_forms
from tests.dashboard import helpers

INDEX_URL = reverse('horizon:project:hil_leases:index')
EXTEND_URL = reverse('horizon:project:hil_leases:extend', args=['u-exp1'])


def lease(**fields):
    body = {'uuid': 'u-exp1', 'name': 'exp-1', 'state': 'active',
            'start': '2026-11-27T04:34:00', 'end': '2026-11-28T04:34:00',
            'message': 'Active: project p holds node5 until '
                       '2026-11-28T04:34:00.',
            'nodes': [{'uuid': 'u-node5', 'name': 'node5',
                       'state': 'held'}]}
    body.update(fields)
    return api.Resource(body)


class TestLeasesPanel(helpers.TestCase):

    def _patch(self, name, **kwargs):
        patcher = mock.patch.object(api, name, **kwargs)
        self.addCleanup(patcher.stop)
        return patcher.start()

    def test_index(self):
        self._patch('lease_list', return_value=[
            lease(), lease(uuid='u-old', name=None, state='expired',
                           nodes=[{'uuid': 'u-node5', 'name': 'node5',
                                   'state': 'released'}])])
        res = self.client.get(INDEX_URL)
        table = res.context['table']
        self.assertEqual(['exp-1', 'u-old'],
                         [table.get_object_display(d) for d in table.data])
        self.assertContains(res, '2026-11-28 04:34 UTC')
        self.assertContains(res, 'node5 (held)')
        self.assertContains(res, 'node5 (released)')
        self.assertContains(res, 'holds node5 until')
        # Only a lease that has not ended can be extended.
        self.assertEqual(['extend'], [a.name for a in
                                      table.get_row_actions(table.data[0])])
        self.assertEqual([], table.get_row_actions(table.data[1]))

    def test_index_error(self):
        self._patch('lease_list', side_effect=client.HilError(
            'Could not reach hil-os at http://hil.example.com:6390/v1: '
            'timed out'))
        res = self.client.get(INDEX_URL)
        self.assertEqual([], res.context['table'].data)
        self.assertContains(res, 'timed out')

    def test_extend(self):
        self._patch('lease_get', return_value=lease())
        res = self.client.get(EXTEND_URL)
        self.assertEqual('2026-11-29 04:34',
                         res.context['form'].initial['end'])
        extend = self._patch('lease_extend', return_value=lease())
        res = self.client.post(EXTEND_URL, {'end': '2026-12-01 09:00'})
        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        extend.assert_called_once_with(mock.ANY, 'u-exp1',
                                       '2026-12-01T09:00:00Z')

    def test_extend_converts_an_offset_to_utc(self):
        self._patch('lease_get', return_value=lease())
        extend = self._patch('lease_extend', return_value=lease())
        self.client.post(EXTEND_URL, {'end': '2026-12-01T11:00:00+02:00'})
        extend.assert_called_once_with(mock.ANY, 'u-exp1',
                                       '2026-12-01T09:00:00Z')

    def test_extend_refuses_an_earlier_end_or_a_bad_time(self):
        self._patch('lease_get', return_value=lease())
        extend = self._patch('lease_extend')
        res = self.client.post(EXTEND_URL, {'end': '2026-11-28 04:00'})
        self.assertContains(res, 'The lease already ends at '
                                 '2026-11-28 04:34:00 UTC')
        res = self.client.post(EXTEND_URL, {'end': 'next tuesday'})
        self.assertFormErrors(res, 1)
        extend.assert_not_called()

    def test_extend_error_of_hil_os_stays_in_the_form(self):
        self._patch('lease_get', return_value=lease())
        self._patch('lease_extend', side_effect=client.HilError(
            'Invalid body field end: a lease may last at most 30 days '
            '(from 2026-11-27T04:34:00, so end by 2026-12-27T04:34:00).',
            400))
        res = self.client.post(EXTEND_URL, {'end': '2027-02-01 00:00'})
        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'a lease may last at most 30 days')

    def test_extend_of_an_unknown_lease(self):
        self._patch('lease_get', side_effect=client.HilError(
            'Lease u-exp1 could not be found.', 404))
        res = self.client.get(EXTEND_URL)
        self.assertRedirectsNoFollow(res, INDEX_URL)


class TestParseUtc(helpers.TestCase):

    def test_forms(self):
        for text in ('2026-12-01 09:00', '2026-12-01T09:00:00',
                     '2026-12-01T09:00:00Z', '2026-12-01T10:00+01:00'):
            self.assertEqual('2026-12-01T09:00:00',
                             lease_forms.parse_utc(text).isoformat(), text)
