"""Every column a list filters on or a lookup selects by is indexed.

The paging marker is the UUID (unique) turned into the integer id (the
primary key), so pages are index range scans whatever the filter.
"""

import sqlalchemy as sa

from hil_os.db import api as dbapi
from tests import base

# table: the columns API lists filter on and lookups select by.
FILTERED = {
    'nodes': ['uuid', 'name', 'project_id', 'state'],
    'nics': ['uuid', 'node_id', 'mac', 'port_id'],
    'switches': ['uuid', 'name'],
    'ports': ['uuid', 'switch_id'],
    'networks': ['uuid', 'name', 'project_id'],
    'network_access': ['network_id', 'project_id'],
    'attachments': ['uuid', 'nic_id', 'network_id'],
    'actions': ['uuid', 'project_id', 'status', 'kind', 'node_uuid'],
    'events': ['uuid', 'project_id', 'resource_uuid', 'event_type'],
    'images': ['uuid', 'name', 'project_id', 'status'],
    'image_access': ['image_id', 'project_id'],
    'disks': ['uuid', 'project_id', 'node_id', 'status'],
    'leases': ['uuid', 'project_id', 'state'],
    'lease_nodes': ['lease_id', 'node_uuid'],
}


class TestFilterIndexes(base.TestCase):

    def test_every_filter_leads_an_index(self):
        inspector = sa.inspect(dbapi.get_engine())
        missing = []
        for table, columns in FILTERED.items():
            leading = {index['column_names'][0] for index in
                       inspector.get_indexes(table) +
                       inspector.get_unique_constraints(table)}
            leading.update(inspector.get_pk_constraint(table)[
                'constrained_columns'][:1])
            missing += ['%s.%s' % (table, column) for column in columns
                        if column not in leading]
        self.assertEqual([], missing)
