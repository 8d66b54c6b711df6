"""Imaging: images, their sharing, node disks and their iSCSI exports.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'


def _id(table):
    return [sa.Column('id', sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint('id', name='%s_pkey' % table)]


def _timestamps():
    return [sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=True)]


def _unique(table, *columns):
    return sa.UniqueConstraint(
        *columns, name='uniq_%s0%s' % (table, '0'.join(columns)))


def _fk(table, column, target):
    return sa.ForeignKeyConstraint([column], [target],
                                   name='%s_%s_fkey' % (table, column))


def upgrade():
    op.add_column('nodes', sa.Column('initiator_iqn', sa.String(223),
                                     nullable=True))

    op.create_table(
        'images', *_id('images'),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('description', sa.String(1024), nullable=True),
        sa.Column('project_id', sa.String(64), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('protected', sa.Boolean(), nullable=False),
        sa.Column('backend', sa.String(64), nullable=False),
        sa.Column('backend_ref', sa.String(255), nullable=True),
        sa.Column('size', sa.BigInteger(), nullable=True),
        sa.Column('source', sa.String(2048), nullable=True),
        sa.Column('message', sa.Text(), nullable=True),
        sa.Column('action_uuid', sa.String(36), nullable=True),
        sa.Column('claimed_by', sa.String(255), nullable=True),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        *_timestamps(),
        _unique('images', 'uuid'), _unique('images', 'project_id', 'name'))
    op.create_index('images_status_idx', 'images', ['status'])

    op.create_table(
        'image_access', *_id('image_access'),
        sa.Column('image_id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.String(64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        _fk('image_access', 'image_id', 'images.id'),
        _unique('image_access', 'image_id', 'project_id'))
    op.create_index('image_access_project_idx', 'image_access',
                    ['project_id'])

    op.create_table(
        'disks', *_id('disks'),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('project_id', sa.String(64), nullable=False),
        sa.Column('node_id', sa.Integer(), nullable=True),
        sa.Column('image_uuid', sa.String(36), nullable=True),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('backend', sa.String(64), nullable=False),
        sa.Column('backend_ref', sa.String(255), nullable=True),
        sa.Column('size', sa.BigInteger(), nullable=True),
        sa.Column('message', sa.Text(), nullable=True),
        sa.Column('action_uuid', sa.String(36), nullable=True),
        sa.Column('claimed_by', sa.String(255), nullable=True),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        *_timestamps(),
        _fk('disks', 'node_id', 'nodes.id'),
        _unique('disks', 'uuid'), _unique('disks', 'node_id'),
        _unique('disks', 'project_id', 'name'))
    op.create_index('disks_status_idx', 'disks', ['status'])

    op.create_table(
        'disk_exports', *_id('disk_exports'),
        sa.Column('disk_id', sa.Integer(), nullable=False),
        sa.Column('node_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('initiator_iqn', sa.String(223), nullable=False),
        sa.Column('chap_username', sa.String(255), nullable=False),
        sa.Column('chap_secret', sa.Text(), nullable=False),
        sa.Column('backend_ref', sa.String(255), nullable=True),
        sa.Column('target_iqn', sa.String(223), nullable=True),
        sa.Column('portal_host', sa.String(255), nullable=True),
        sa.Column('portal_port', sa.Integer(), nullable=True),
        sa.Column('lun', sa.Integer(), nullable=True),
        *_timestamps(),
        _fk('disk_exports', 'disk_id', 'disks.id'),
        _fk('disk_exports', 'node_id', 'nodes.id'),
        _unique('disk_exports', 'disk_id'),
        _unique('disk_exports', 'node_id'))
