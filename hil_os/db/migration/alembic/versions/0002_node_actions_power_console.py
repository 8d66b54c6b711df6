"""Node actions run by conductors, power state, serial consoles.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'


def upgrade():
    with op.batch_alter_table('nodes') as batch:
        batch.add_column(sa.Column('power_state', sa.String(16),
                                   nullable=True))
        batch.add_column(sa.Column('power_updated_at', sa.DateTime(),
                                   nullable=True))
        batch.add_column(sa.Column('power_error', sa.Text(), nullable=True))
        batch.add_column(sa.Column('boot_device', sa.String(16),
                                   nullable=True))
        batch.add_column(sa.Column('boot_persistent', sa.Boolean(),
                                   nullable=True))
    with op.batch_alter_table('actions') as batch:
        batch.add_column(sa.Column('node_queue', sa.Boolean(),
                                   nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('claimed_by', sa.String(255),
                                   nullable=True))
        batch.add_column(sa.Column('claimed_at', sa.DateTime(),
                                   nullable=True))
        batch.add_column(sa.Column('running_node_uuid', sa.String(36),
                                   nullable=True))
        batch.create_unique_constraint('uniq_actions0running_node_uuid',
                                       ['running_node_uuid'])
        batch.create_index('actions_queue_idx', ['node_queue', 'status'])
    op.create_table(
        'console_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('node_id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.String(64), nullable=True),
        sa.Column('token_hash', sa.String(64), nullable=False),
        sa.Column('created_by', sa.String(255), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name='console_tokens_pkey'),
        sa.ForeignKeyConstraint(['node_id'], ['nodes.id'],
                                name='console_tokens_node_id_fkey'),
        sa.UniqueConstraint('uuid', name='uniq_console_tokens0uuid'),
        sa.UniqueConstraint('token_hash',
                            name='uniq_console_tokens0token_hash'))
    op.create_index('console_tokens_node_idx', 'console_tokens', ['node_id'])
    op.create_table(
        'node_consoles',
        sa.Column('node_id', sa.Integer(), autoincrement=False,
                  nullable=False),
        sa.Column('conductor', sa.String(255), nullable=True),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        sa.Column('data', sa.Text(), nullable=False),
        sa.Column('total', sa.BigInteger(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('node_id', name='node_consoles_pkey'),
        sa.ForeignKeyConstraint(['node_id'], ['nodes.id'],
                                name='node_consoles_node_id_fkey'))
