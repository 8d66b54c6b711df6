"""Initial schema: inventory, networks, attachments, actions, events.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa

revision = '0001'
down_revision = None


def _uuid():
    return sa.Column('uuid', sa.String(36), nullable=False)


def _timestamps():
    return [sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=True)]


def _id(table):
    return [sa.Column('id', sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint('id', name='%s_pkey' % table)]


def _unique(table, *columns):
    return sa.UniqueConstraint(
        *columns, name='uniq_%s0%s' % (table, '0'.join(columns)))


def _fk(table, column, target):
    return sa.ForeignKeyConstraint([column], [target],
                                   name='%s_%s_fkey' % (table, column))


def upgrade():
    op.create_table(
        'conductors', *_id('conductors'),
        sa.Column('hostname', sa.String(255), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('heartbeat_at', sa.DateTime(), nullable=False),
        _unique('conductors', 'hostname'))

    op.create_table(
        'nodes', *_id('nodes'), _uuid(),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('description', sa.String(1024), nullable=True),
        sa.Column('project_id', sa.String(64), nullable=True),
        sa.Column('state', sa.String(32), nullable=False),
        sa.Column('bmc_driver', sa.String(64), nullable=False),
        sa.Column('bmc_address', sa.String(255), nullable=True),
        sa.Column('bmc_port', sa.Integer(), nullable=True),
        sa.Column('bmc_username', sa.String(255), nullable=True),
        sa.Column('bmc_password', sa.Text(), nullable=True),
        *_timestamps(),
        _unique('nodes', 'name'), _unique('nodes', 'uuid'))
    op.create_index('nodes_project_id_idx', 'nodes', ['project_id', 'id'])
    op.create_index('nodes_state_idx', 'nodes', ['state'])

    op.create_table(
        'switches', *_id('switches'), _uuid(),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('driver', sa.String(64), nullable=False),
        sa.Column('device_type', sa.String(64), nullable=True),
        sa.Column('address', sa.String(255), nullable=True),
        sa.Column('ssh_port', sa.Integer(), nullable=True),
        sa.Column('username', sa.String(255), nullable=True),
        sa.Column('password', sa.Text(), nullable=True),
        sa.Column('enable_secret', sa.Text(), nullable=True),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('claimed_by', sa.String(255), nullable=True),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        *_timestamps(),
        _unique('switches', 'name'), _unique('switches', 'uuid'))

    op.create_table(
        'ports', *_id('ports'), _uuid(),
        sa.Column('switch_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('desired_generation', sa.Integer(), nullable=False),
        sa.Column('applied_generation', sa.Integer(), nullable=False),
        sa.Column('sync_state', sa.String(16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        *_timestamps(),
        _fk('ports', 'switch_id', 'switches.id'),
        _unique('ports', 'switch_id', 'name'), _unique('ports', 'uuid'))
    op.create_index('ports_sync_idx', 'ports', ['sync_state', 'switch_id'])

    op.create_table(
        'nics', *_id('nics'), _uuid(),
        sa.Column('node_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('mac', sa.String(17), nullable=False),
        sa.Column('port_id', sa.Integer(), nullable=True),
        *_timestamps(),
        _fk('nics', 'node_id', 'nodes.id'),
        _fk('nics', 'port_id', 'ports.id'),
        _unique('nics', 'mac'), _unique('nics', 'node_id', 'name'),
        _unique('nics', 'port_id'), _unique('nics', 'uuid'))

    op.create_table(
        'networks', *_id('networks'), _uuid(),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('project_id', sa.String(64), nullable=False),
        sa.Column('vlan', sa.Integer(), nullable=False),
        sa.Column('provider', sa.Boolean(), nullable=False),
        *_timestamps(),
        _unique('networks', 'project_id', 'name'),
        _unique('networks', 'uuid'), _unique('networks', 'vlan'))

    op.create_table(
        'vlan_pool',
        sa.Column('vlan', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('network_id', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('vlan', name='vlan_pool_pkey'),
        _fk('vlan_pool', 'network_id', 'networks.id'),
        _unique('vlan_pool', 'network_id'))

    op.create_table(
        'network_access', *_id('network_access'),
        sa.Column('network_id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.String(64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        _fk('network_access', 'network_id', 'networks.id'),
        _unique('network_access', 'network_id', 'project_id'))
    op.create_index('network_access_project_idx', 'network_access',
                    ['project_id'])

    op.create_table(
        'attachments', *_id('attachments'), _uuid(),
        sa.Column('nic_id', sa.Integer(), nullable=False),
        sa.Column('network_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(16), nullable=False),
        sa.Column('access_nic_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('generation', sa.Integer(), nullable=False),
        *_timestamps(),
        _fk('attachments', 'nic_id', 'nics.id'),
        _fk('attachments', 'network_id', 'networks.id'),
        _unique('attachments', 'access_nic_id'),
        _unique('attachments', 'nic_id', 'network_id'),
        _unique('attachments', 'uuid'))
    op.create_index('attachments_network_idx', 'attachments', ['network_id'])

    op.create_table(
        'actions', *_id('actions'), _uuid(),
        sa.Column('kind', sa.String(32), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('project_id', sa.String(64), nullable=True),
        sa.Column('node_uuid', sa.String(36), nullable=True),
        sa.Column('nic_uuid', sa.String(36), nullable=True),
        sa.Column('network_uuid', sa.String(36), nullable=True),
        sa.Column('port_id', sa.Integer(), nullable=True),
        sa.Column('target_generation', sa.Integer(), nullable=True),
        sa.Column('details', sa.JSON(), nullable=False),
        sa.Column('message', sa.Text(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        *_timestamps(),
        _unique('actions', 'uuid'))
    op.create_index('actions_project_idx', 'actions', ['project_id', 'id'])
    op.create_index('actions_port_idx', 'actions', ['port_id', 'status'])
    op.create_index('actions_node_idx', 'actions', ['node_uuid', 'status'])

    op.create_table(
        'events', *_id('events'), _uuid(),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('project_id', sa.String(64), nullable=True),
        sa.Column('event_type', sa.String(64), nullable=False),
        sa.Column('resource_type', sa.String(32), nullable=False),
        sa.Column('resource_uuid', sa.String(36), nullable=True),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('details', sa.JSON(), nullable=False),
        _unique('events', 'uuid'))
    op.create_index('events_project_idx', 'events', ['project_id', 'id'])
    op.create_index('events_resource_idx', 'events',
                    ['resource_uuid', 'id'])
