"""Serialising API answers: JSON bytes, times to the second."""

import datetime

from hil_os.api import expose
from tests import base


class TestDumps(base.TestCase):

    use_db = False

    def test_times_are_iso_8601_to_the_second(self):
        value = {'at': datetime.datetime(2026, 11, 27, 3, 44, 45, 123456),
                 'zoned': datetime.datetime(2026, 11, 27, 3, 44, 45,
                                            tzinfo=datetime.timezone.utc),
                 'none': None, 'text': 'n\u0153ud'}
        self.assertEqual(
            '{"at":"2026-11-27T03:44:45",'
            '"zoned":"2026-11-27T03:44:45+00:00",'
            '"none":null,"text":"n\u0153ud"}',
            expose.dumps(value).decode('utf-8'))

    def test_an_unknown_type_is_refused(self):
        self.assertRaises(TypeError, expose.dumps, {'x': object()})
