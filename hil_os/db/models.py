"""SQLAlchemy models of the hil-os database.

Integer primary keys stay internal (joins and paging markers); the API
shows UUIDs and names.
"""

import datetime

from oslo_utils import timeutils
import sqlalchemy as sa
from sqlalchemy import orm


def _now():
    return timeutils.utcnow()


class Base(orm.DeclarativeBase):
    # Unique constraints named uniq_<table>0<column>[0<column>] let oslo.db
    # report the columns of a duplicate on every engine.
    metadata = sa.MetaData(naming_convention={
        'ix': '%(table_name)s_%(column_0_N_name)s_idx',
        'uq': 'uniq_%(table_name)s0%(column_0_name)s',
        'fk': '%(table_name)s_%(column_0_name)s_fkey',
        'pk': '%(table_name)s_pkey',
    })
    type_annotation_map = {
        datetime.datetime: sa.DateTime(),
        dict: sa.JSON(),
    }


class TimestampMixin:
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(
        default=_now)
    updated_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        onupdate=_now)


class Conductor(Base):
    """A running conductor and its last heartbeat."""

    __tablename__ = 'conductors'

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    hostname: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                  unique=True)
    started_at: orm.Mapped[datetime.datetime] = orm.mapped_column(
        default=_now)
    heartbeat_at: orm.Mapped[datetime.datetime] = orm.mapped_column(
        default=_now)


class Node(TimestampMixin, Base):
    """A physical machine, its BMC, and the project holding it."""

    __tablename__ = 'nodes'
    __table_args__ = (sa.Index('nodes_project_id_idx', 'project_id', 'id'),
                      sa.Index('nodes_state_idx', 'state'))

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), unique=True)
    description: orm.Mapped[str | None] = orm.mapped_column(sa.String(1024))
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    state: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    bmc_driver: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    bmc_address: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    bmc_port: orm.Mapped[int | None]
    bmc_username: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    bmc_password: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    power_state: orm.Mapped[str | None] = orm.mapped_column(sa.String(16))
    power_updated_at: orm.Mapped[datetime.datetime | None]
    power_error: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    boot_device: orm.Mapped[str | None] = orm.mapped_column(sa.String(16))
    boot_persistent: orm.Mapped[bool | None]
    initiator_iqn: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(223))


class Switch(TimestampMixin, Base):
    """A switch, how to reach it, and which conductor is applying to it."""

    __tablename__ = 'switches'

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), unique=True)
    driver: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    device_type: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    address: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    ssh_port: orm.Mapped[int | None]
    username: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    password: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    enable_secret: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    options: orm.Mapped[dict] = orm.mapped_column(default=dict)
    claimed_by: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    claimed_at: orm.Mapped[datetime.datetime | None]


class Port(TimestampMixin, Base):
    """A switch port and whether the switch holds its desired state.

    ``desired_generation`` grows with every change of intent on the port;
    the conductor sets ``applied_generation`` once the switch verifiably
    holds that intent. The port is dirty while they differ.
    """

    __tablename__ = 'ports'
    __table_args__ = (
        sa.UniqueConstraint('switch_id', 'name',
                            name='uniq_ports0switch_id0name'),
        sa.Index('ports_sync_idx', 'sync_state', 'switch_id'),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True)
    switch_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey('switches.id'))
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    desired_generation: orm.Mapped[int] = orm.mapped_column(default=0)
    applied_generation: orm.Mapped[int] = orm.mapped_column(default=0)
    sync_state: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    attempts: orm.Mapped[int] = orm.mapped_column(default=0)
    next_attempt_at: orm.Mapped[datetime.datetime | None]
    last_error: orm.Mapped[str | None] = orm.mapped_column(sa.Text)


class Nic(TimestampMixin, Base):
    """A network interface of a node, cabled to at most one switch port."""

    __tablename__ = 'nics'
    __table_args__ = (
        sa.UniqueConstraint('node_id', 'name', name='uniq_nics0node_id0name'),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True)
    node_id: orm.Mapped[int] = orm.mapped_column(sa.ForeignKey('nodes.id'))
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    mac: orm.Mapped[str] = orm.mapped_column(sa.String(17), unique=True)
    port_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey('ports.id'), unique=True)


class Network(TimestampMixin, Base):
    """A project's layer-2 network, backed by one VLAN."""

    __tablename__ = 'networks'
    __table_args__ = (
        sa.UniqueConstraint('project_id', 'name',
                            name='uniq_networks0project_id0name'),
        sa.Index('networks_name_idx', 'name'))

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    vlan: orm.Mapped[int] = orm.mapped_column(unique=True)
    provider: orm.Mapped[bool] = orm.mapped_column(default=False)


class VlanPool(Base):
    """One VLAN of the configured pool and the network holding it."""

    __tablename__ = 'vlan_pool'

    vlan: orm.Mapped[int] = orm.mapped_column(primary_key=True,
                                              autoincrement=False)
    network_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey('networks.id'), unique=True)


class NetworkAccess(Base):
    """A project other than the owner that may use a network."""

    __tablename__ = 'network_access'
    __table_args__ = (
        sa.UniqueConstraint('network_id', 'project_id',
                            name='uniq_network_access0network_id0project_id'),
        sa.Index('network_access_project_idx', 'project_id'))

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    network_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey('networks.id'))
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(
        default=_now)


class Attachment(TimestampMixin, Base):
    """Desired state: a NIC attached to a network on a channel.

    ``access_nic_id`` equals ``nic_id`` for the access channel and is NULL
    otherwise; its unique index lets the database refuse a second access
    network on one NIC, whatever the engine.
    """

    __tablename__ = 'attachments'
    __table_args__ = (
        sa.UniqueConstraint('nic_id', 'network_id',
                            name='uniq_attachments0nic_id0network_id'),
        sa.Index('attachments_network_idx', 'network_id'))

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True)
    nic_id: orm.Mapped[int] = orm.mapped_column(sa.ForeignKey('nics.id'))
    network_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey('networks.id'))
    channel: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    access_nic_id: orm.Mapped[int | None] = orm.mapped_column(unique=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    generation: orm.Mapped[int] = orm.mapped_column(default=0)


class Action(TimestampMixin, Base):
    """Queued work a client polls: attach, detach, release, power, ...

    References are UUIDs so the history outlives the resources.
    ``port_id`` and ``target_generation`` tie switch work to the port
    generation that completes it. ``node_queue`` actions are run by a
    conductor through the node-action handlers: ``claimed_by`` and
    ``claimed_at`` hold the claim, and ``running_node_uuid`` equals
    ``node_uuid`` while one runs, so its unique index lets the database
    refuse a second running action on a node, whatever the engine.
    """

    __tablename__ = 'actions'
    __table_args__ = (
        sa.Index('actions_project_idx', 'project_id', 'id'),
        sa.Index('actions_port_idx', 'port_id', 'status'),
        sa.Index('actions_node_idx', 'node_uuid', 'status'),
        sa.Index('actions_queue_idx', 'node_queue', 'status'),
        sa.Index('actions_status_idx', 'status', 'id'),
        sa.Index('actions_kind_idx', 'kind', 'id'),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True)
    kind: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    status: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    node_uuid: orm.Mapped[str | None] = orm.mapped_column(sa.String(36))
    nic_uuid: orm.Mapped[str | None] = orm.mapped_column(sa.String(36))
    network_uuid: orm.Mapped[str | None] = orm.mapped_column(sa.String(36))
    port_id: orm.Mapped[int | None]
    target_generation: orm.Mapped[int | None]
    details: orm.Mapped[dict] = orm.mapped_column(default=dict)
    message: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    finished_at: orm.Mapped[datetime.datetime | None]
    node_queue: orm.Mapped[bool] = orm.mapped_column(default=False)
    claimed_by: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    claimed_at: orm.Mapped[datetime.datetime | None]
    running_node_uuid: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(36), unique=True)


class Event(Base):
    """One line of the audit trail of a resource."""

    __tablename__ = 'events'
    __table_args__ = (
        sa.Index('events_project_idx', 'project_id', 'id'),
        sa.Index('events_resource_idx', 'resource_uuid', 'id'),
        sa.Index('events_type_idx', 'event_type', 'id'))

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True)
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(
        default=_now)
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    event_type: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    resource_type: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    resource_uuid: orm.Mapped[str | None] = orm.mapped_column(sa.String(36))
    message: orm.Mapped[str] = orm.mapped_column(sa.Text)
    details: orm.Mapped[dict] = orm.mapped_column(default=dict)


class ConsoleToken(Base):
    """A short-lived credential to a node's serial console, stored hashed."""

    __tablename__ = 'console_tokens'
    __table_args__ = (sa.Index('console_tokens_node_idx', 'node_id'),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True)
    node_id: orm.Mapped[int] = orm.mapped_column(sa.ForeignKey('nodes.id'))
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    token_hash: orm.Mapped[str] = orm.mapped_column(sa.String(64),
                                                    unique=True)
    created_by: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(
        default=_now)
    expires_at: orm.Mapped[datetime.datetime]


class NodeConsole(Base):
    """A node's serial console: who holds its session, its recent output.

    ``data`` keeps the last output, ``total`` counts every character
    ever received, so a reader can ask for what came after an offset.
    ``conductor`` holds the Serial-over-LAN session while tokens live.
    """

    __tablename__ = 'node_consoles'

    node_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey('nodes.id'), primary_key=True, autoincrement=False)
    conductor: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    claimed_at: orm.Mapped[datetime.datetime | None]
    data: orm.Mapped[str] = orm.mapped_column(sa.Text, default='')
    total: orm.Mapped[int] = orm.mapped_column(sa.BigInteger, default=0)
    updated_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        default=_now, onupdate=_now)


# Imaging

class Image(TimestampMixin, Base):
    """A bootable disk image of a project, stored on an image backend.

    ``status`` is creating, available, deleting or error; a conductor that
    works on a creating or deleting image holds ``claimed_by``.
    ``action_uuid`` is the action a client polls for that work.
    """

    __tablename__ = 'images'
    __table_args__ = (
        sa.UniqueConstraint('project_id', 'name',
                            name='uniq_images0project_id0name'),
        sa.Index('images_status_idx', 'status'),
        sa.Index('images_name_idx', 'name'))

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    description: orm.Mapped[str | None] = orm.mapped_column(sa.String(1024))
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    status: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    protected: orm.Mapped[bool] = orm.mapped_column(default=False)
    backend: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    backend_ref: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    size: orm.Mapped[int | None] = orm.mapped_column(sa.BigInteger)
    source: orm.Mapped[str | None] = orm.mapped_column(sa.String(2048))
    message: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    action_uuid: orm.Mapped[str | None] = orm.mapped_column(sa.String(36))
    claimed_by: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    claimed_at: orm.Mapped[datetime.datetime | None]


class ImageAccess(Base):
    """A project other than the owner that may use an image."""

    __tablename__ = 'image_access'
    __table_args__ = (
        sa.UniqueConstraint('image_id', 'project_id',
                            name='uniq_image_access0image_id0project_id'),
        sa.Index('image_access_project_idx', 'project_id'))

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    image_id: orm.Mapped[int] = orm.mapped_column(sa.ForeignKey('images.id'))
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(
        default=_now)


class Disk(TimestampMixin, Base):
    """A node disk: a clone of an image, kept across leases.

    Status, claim and action work as for images (deleting a kept disk).
    ``node_id`` is the node the disk is provisioned on (or being
    provisioned on or taken off); NULL when it waits to be resumed.
    """

    __tablename__ = 'disks'
    __table_args__ = (
        sa.UniqueConstraint('project_id', 'name',
                            name='uniq_disks0project_id0name'),
        sa.Index('disks_status_idx', 'status'))

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    node_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey('nodes.id'), unique=True)
    image_uuid: orm.Mapped[str | None] = orm.mapped_column(sa.String(36))
    status: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    backend: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    backend_ref: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    size: orm.Mapped[int | None] = orm.mapped_column(sa.BigInteger)
    message: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    action_uuid: orm.Mapped[str | None] = orm.mapped_column(sa.String(36))
    claimed_by: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    claimed_at: orm.Mapped[datetime.datetime | None]


class DiskExport(TimestampMixin, Base):
    """A disk exported over iSCSI to one node, with its CHAP login.

    ``chap_secret`` is encrypted (common/secrets.py), returned only in the
    node's iPXE script. ``status`` is exporting until the target verifiably
    exists, then active.
    """

    __tablename__ = 'disk_exports'

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    disk_id: orm.Mapped[int] = orm.mapped_column(sa.ForeignKey('disks.id'),
                                                 unique=True)
    node_id: orm.Mapped[int] = orm.mapped_column(sa.ForeignKey('nodes.id'),
                                                 unique=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    initiator_iqn: orm.Mapped[str] = orm.mapped_column(sa.String(223))
    chap_username: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    chap_secret: orm.Mapped[str] = orm.mapped_column(sa.Text)
    backend_ref: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    target_iqn: orm.Mapped[str | None] = orm.mapped_column(sa.String(223))
    portal_host: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    portal_port: orm.Mapped[int | None]
    lun: orm.Mapped[int | None]


# Leases and quotas

class Lease(TimestampMixin, Base):
    """A project holding nodes from ``start_at`` to ``end_at``.

    Either names its nodes (lease_nodes reserved at creation) or asks for
    ``node_count`` free nodes matching ``node_filter``, chosen at start.
    ``message`` says what the lease engine last did or waits for.
    """

    __tablename__ = 'leases'
    __table_args__ = (
        sa.Index('leases_state_idx', 'state', 'start_at'),
        sa.Index('leases_project_idx', 'project_id', 'id'))

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True)
    name: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    description: orm.Mapped[str | None] = orm.mapped_column(sa.String(1024))
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    state: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    start_at: orm.Mapped[datetime.datetime]
    end_at: orm.Mapped[datetime.datetime]
    node_count: orm.Mapped[int] = orm.mapped_column(default=1)
    node_filter: orm.Mapped[dict | None] = orm.mapped_column()
    message: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    created_by: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    started_at: orm.Mapped[datetime.datetime | None]
    ended_at: orm.Mapped[datetime.datetime | None]


class LeaseNode(Base):
    """A node of a lease and where its lease stands with it.

    Nodes are named by UUID (and name, for the history) so that a lease's
    record outlives the node. ``action_uuid`` is the hand-back's release
    action.
    """

    __tablename__ = 'lease_nodes'
    __table_args__ = (
        sa.UniqueConstraint('lease_id', 'node_uuid',
                            name='uniq_lease_nodes0lease_id0node_uuid'),
        sa.Index('lease_nodes_node_idx', 'node_uuid', 'state'))

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    lease_id: orm.Mapped[int] = orm.mapped_column(sa.ForeignKey('leases.id'))
    node_uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36))
    node_name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    state: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    action_uuid: orm.Mapped[str | None] = orm.mapped_column(sa.String(36))


class Quota(Base):
    """A project's limits; NULL takes the default from [quota].

    The row is also what concurrent requests of a project lock while
    they check and consume quota, so the checks are race-free.
    """

    __tablename__ = 'quotas'

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64),
                                                    unique=True)
    nodes: orm.Mapped[int | None]
    networks: orm.Mapped[int | None]
    images: orm.Mapped[int | None]
    disk_gb: orm.Mapped[int | None]
    updated_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        onupdate=_now)
