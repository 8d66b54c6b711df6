"""Tests of the Horizon plugin (hil_os_dashboard).

Importing this package sets Django up once per test process: Horizon's
test settings with our panels enabled and an in-memory test database.
"""

import os

import django
from django.db import connection
from django.test import utils

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tests.dashboard.settings')
django.setup()
utils.setup_test_environment()
connection.creation.create_test_db(verbosity=0, serialize=False)
