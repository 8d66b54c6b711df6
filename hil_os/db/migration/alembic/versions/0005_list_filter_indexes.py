"""Indexes for the list filters that had none.

Lists filter networks and images by name, actions by status and kind, and
events by type; each filter now has an index (with the id, the paging
order, where the table grows without bound).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from alembic import op

revision = '0005'
down_revision = '0004'

INDEXES = [('networks_name_idx', 'networks', ['name']),
           ('images_name_idx', 'images', ['name']),
           ('actions_status_idx', 'actions', ['status', 'id']),
           ('actions_kind_idx', 'actions', ['kind', 'id']),
           ('events_type_idx', 'events', ['event_type', 'id'])]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
