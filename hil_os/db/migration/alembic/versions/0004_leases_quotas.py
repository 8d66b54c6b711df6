"""Leases, their nodes, and per-project quotas.

Hand-backs become node actions run by conductors: a release left running
by an older conductor (which finished hand-backs from its sweep) is
queued again, and the new hand-back handler runs it from the start.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'


def _id(table):
    return [sa.Column('id', sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint('id', name='%s_pkey' % table)]


def _unique(table, *columns):
    return sa.UniqueConstraint(
        *columns, name='uniq_%s0%s' % (table, '0'.join(columns)))


def upgrade():
    op.create_table(
        'leases', *_id('leases'),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', sa.String(255), nullable=True),
        sa.Column('description', sa.String(1024), nullable=True),
        sa.Column('project_id', sa.String(64), nullable=False),
        sa.Column('state', sa.String(16), nullable=False),
        sa.Column('start_at', sa.DateTime(), nullable=False),
        sa.Column('end_at', sa.DateTime(), nullable=False),
        sa.Column('node_count', sa.Integer(), nullable=False),
        sa.Column('node_filter', sa.JSON(), nullable=True),
        sa.Column('message', sa.Text(), nullable=True),
        sa.Column('created_by', sa.String(255), nullable=True),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        _unique('leases', 'uuid'))
    op.create_index('leases_state_idx', 'leases', ['state', 'start_at'])
    op.create_index('leases_project_idx', 'leases', ['project_id', 'id'])

    op.create_table(
        'lease_nodes', *_id('lease_nodes'),
        sa.Column('lease_id', sa.Integer(), nullable=False),
        sa.Column('node_uuid', sa.String(36), nullable=False),
        sa.Column('node_name', sa.String(255), nullable=False),
        sa.Column('state', sa.String(16), nullable=False),
        sa.Column('action_uuid', sa.String(36), nullable=True),
        sa.ForeignKeyConstraint(['lease_id'], ['leases.id'],
                                name='lease_nodes_lease_id_fkey'),
        _unique('lease_nodes', 'lease_id', 'node_uuid'))
    op.create_index('lease_nodes_node_idx', 'lease_nodes',
                    ['node_uuid', 'state'])

    op.create_table(
        'quotas', *_id('quotas'),
        sa.Column('project_id', sa.String(64), nullable=False),
        sa.Column('nodes', sa.Integer(), nullable=True),
        sa.Column('networks', sa.Integer(), nullable=True),
        sa.Column('images', sa.Integer(), nullable=True),
        sa.Column('disk_gb', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        _unique('quotas', 'project_id'))

    actions = sa.table('actions', sa.column('kind', sa.String),
                       sa.column('status', sa.String),
                       sa.column('node_queue', sa.Boolean))
    op.execute(actions.update()
               .where(actions.c.kind == 'release',
                      actions.c.status == 'running',
                      actions.c.node_queue == sa.false())
               .values(status='pending', node_queue=True))
