"""The export audit's query on MariaDB and PostgreSQL.

The unit tests of tests/unit/imaging/test_export_audit.py run on SQLite;
the audit's statement (a correlated NOT EXISTS over the node's actions)
runs here on the two database servers too.
"""

import testscenarios

from tests.unit.imaging import test_export_audit

load_tests = testscenarios.load_tests_apply_scenarios


class TestExportAuditOnServers(test_export_audit.TestExportAudit):

    scenarios = [('mysql', {'db_engine': 'mysql'}),
                 ('postgresql', {'db_engine': 'postgresql'})]
