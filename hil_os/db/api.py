"""The database API: every query hil-os runs goes through this module.

Each function runs in one explicit oslo.db enginefacade transaction (nested
calls join the caller's). Getters raise a NotFound subclass and never
return None; integrity errors become Conflict subclasses naming what
clashed. Lists return lightweight rows (attribute access, no ORM
identity map) so that a page of a thousand costs one query.
"""

import contextlib
import datetime
import fnmatch
import threading

from oslo_config import cfg
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_log import log
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa

from hil_os.common import exception
from hil_os.common import states
from hil_os.db import connections
from hil_os.db import models

CONF = cfg.CONF
LOG = log.getLogger(__name__)

_CONTEXT = threading.local()
# No eventlet here: oslo.db's yield at every connection check-in
# (thread_checkin) would only add a sleep(0) per transaction.
_ENGINE_DEFAULTS = {'sqlite_fk': True, 'thread_checkin': False,
                    'on_engine_create': [connections.pool_sqlite_files]}
_TXN = enginefacade.transaction_context()
_TXN.configure(**_ENGINE_DEFAULTS)
# SQLite allows one writer; in the one-process embedded mode a process lock
# queues writers instead of failing them with "database is locked".
_SQLITE_WRITE_LOCK = threading.RLock()


@sa.event.listens_for(sa.engine.Engine, 'connect')
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Tune SQLite for the embedded mode.

    WAL lets readers run beside the writer, and with WAL, synchronous=NORMAL
    is safe (a power cut may lose the last commits, never corrupt the file);
    a connection already set to OFF ([database] sqlite_synchronous=false)
    stays so.
    """
    if type(dbapi_connection).__module__.startswith('sqlite3'):
        cursor = dbapi_connection.cursor()
        cursor.execute('PRAGMA journal_mode=WAL')
        cursor.execute('PRAGMA busy_timeout=10000')
        if cursor.execute('PRAGMA synchronous').fetchone()[0] > 1:
            cursor.execute('PRAGMA synchronous=NORMAL')
        cursor.close()


def configure(connection=None, **kwargs):
    """Use a new transaction factory (tests; a different connection)."""
    global _TXN
    old, _TXN = _TXN, enginefacade.transaction_context()
    if connection:
        kwargs['connection'] = connection
    _TXN.configure(**dict(_ENGINE_DEFAULTS, **kwargs))
    with contextlib.suppress(AttributeError):
        old.dispose_pool()


def get_engine():
    """The engine of the writer transactions."""
    return _TXN.writer.get_engine()


def dispose():
    """Close every pooled connection (before fork, at shutdown, tests)."""
    _TXN.dispose_pool()


def _reader():
    return _TXN.reader.using(_CONTEXT)


@contextlib.contextmanager
def _writer():
    if get_engine().dialect.name == 'sqlite':
        with _SQLITE_WRITE_LOCK, _TXN.writer.using(_CONTEXT) as session:
            yield session
    else:
        with _TXN.writer.using(_CONTEXT) as session:
            yield session


def _for_update(stmt, session):
    """Lock the selected rows where the engine can (not on SQLite)."""
    if session.bind.dialect.name == 'sqlite':
        return stmt
    return stmt.with_for_update()


def _by_ident(model, ident):
    """A where-clause selecting a row by UUID or by name."""
    if uuidutils.is_uuid_like(ident):
        return model.uuid == ident
    return model.name == ident


def _paginate(stmt, model, limit, marker_id):
    stmt = stmt.order_by(model.id)
    if marker_id is not None:
        stmt = stmt.where(model.id > marker_id)
    if limit:
        stmt = stmt.limit(limit)
    return stmt


def _rows(session, stmt):
    """The rows of a select of plain columns, run as Core.

    Through the ORM, each row of a column select passes through its
    per-row loading: 40 % of the time of a list of a thousand nodes.
    """
    return session.connection().execute(stmt).all()


def _marker_id(session, model, marker, not_found):
    """Internal id of the row a paging marker (UUID) names."""
    if marker is None:
        return None
    row_id = session.execute(
        sa.select(model.id).where(model.uuid == marker)).scalar()
    if row_id is None:
        raise not_found
    return row_id


def _event(session, event_type, resource_type, resource_uuid, project_id,
           message, **details):
    session.add(models.Event(
        uuid=uuidutils.generate_uuid(), event_type=event_type,
        resource_type=resource_type, resource_uuid=resource_uuid,
        project_id=project_id, message=message, details=details))


def _action(session, kind, project_id, status=states.PENDING, **fields):
    action = models.Action(uuid=uuidutils.generate_uuid(), kind=kind,
                           status=status, project_id=project_id, **fields)
    session.add(action)
    return action


# Nodes

def node_create(values):
    """Register a node; raise DuplicateName if the name is taken."""
    node = models.Node(uuid=values.pop('uuid', None) or
                       uuidutils.generate_uuid(),
                       state=states.NODE_FREE, **values)
    try:
        with _writer() as session:
            session.add(node)
            session.flush()
            _event(session, 'node.created', 'node', node.uuid, None,
                   'Node %s registered.' % node.name)
    except db_exc.DBDuplicateEntry:
        raise exception.DuplicateName(resource='node', name=node.name)
    return node


# Built once, run with the identifier bound: building the statement was an
# eighth of the instructions of showing a node.
_NODE_BY = {column: sa.select(models.Node).where(
    getattr(models.Node, column) == sa.bindparam('ident'))
    for column in ('uuid', 'name')}


def node_get(ident):
    """The node of that UUID or name; raise NodeNotFound."""
    column = 'uuid' if uuidutils.is_uuid_like(ident) else 'name'
    with _reader() as session:
        node = session.execute(_NODE_BY[column], {'ident': ident}).scalar()
    if node is None:
        raise exception.NodeNotFound(node=ident)
    return node


NODE_LIST_COLUMNS = tuple(
    getattr(models.Node, c) for c in
    ('id', 'uuid', 'name', 'description', 'project_id', 'state',
     'bmc_driver', 'bmc_address', 'bmc_port', 'bmc_username', 'power_state',
     'initiator_iqn', 'created_at', 'updated_at'))


_NODE_LIST = sa.select(*NODE_LIST_COLUMNS)


def node_list(project_id=None, state=None, free=None, name=None,
              limit=None, marker=None):
    """A page of nodes, those of ``project_id`` only unless it is None."""
    stmt = _NODE_LIST
    if project_id is not None:
        stmt = stmt.where(models.Node.project_id == project_id)
    if state is not None:
        stmt = stmt.where(models.Node.state == state)
    if free is not None:
        stmt = stmt.where(models.Node.project_id.is_(None) if free
                          else models.Node.project_id.is_not(None))
    if name is not None:
        stmt = stmt.where(models.Node.name == name)
    with _reader() as session:
        marker_id = _marker_id(session, models.Node, marker,
                               exception.NodeNotFound(node=marker))
        return _rows(session, _paginate(stmt, models.Node, limit, marker_id))


def node_update(node_id, values):
    """Change fields of a node; raise DuplicateName on a taken name."""
    try:
        with _writer() as session:
            node = session.get(models.Node, node_id)
            if node is None:
                raise exception.NodeNotFound(node=node_id)
            for key, value in values.items():
                setattr(node, key, value)
            session.flush()
            _event(session, 'node.updated', 'node', node.uuid,
                   node.project_id, 'Node %s updated (%s).' %
                   (node.name, ', '.join(sorted(values))))
    except db_exc.DBDuplicateEntry:
        raise exception.DuplicateName(resource='node', name=values['name'])
    return node


def node_delete(node_id):
    """Delete a free node and its NICs."""
    with _writer() as session:
        node = session.execute(_for_update(
            sa.select(models.Node).where(models.Node.id == node_id),
            session)).scalar_one()
        if node.project_id is not None:
            raise exception.NodeBusy(
                node=node.name,
                reason='it is held by project %s; take it back first' %
                node.project_id)
        session.execute(sa.delete(models.Nic).where(
            models.Nic.node_id == node.id))
        _console_forget(session, node.id)
        session.delete(node)
        _event(session, 'node.deleted', 'node', node.uuid, None,
               'Node %s deleted.' % node.name)


def node_assign(node_id, project_id):
    """Give a free node to a project; raise NodeBusy if it is not free.

    Raises QuotaExceeded if the project holds its quota of nodes.
    """
    _quota_ensure(project_id)
    with _writer() as session:
        _quota_check(session, project_id, nodes=1)
        result = session.execute(
            sa.update(models.Node)
            .where(models.Node.id == node_id,
                   models.Node.project_id.is_(None),
                   models.Node.state == states.NODE_FREE)
            .values(project_id=project_id, state=states.NODE_ALLOCATED,
                    updated_at=timeutils.utcnow()))
        node = session.get(models.Node, node_id)
        if result.rowcount != 1:
            raise exception.NodeBusy(
                node=node.name,
                reason='it is not free (held by project %s, state %s)' %
                (node.project_id, node.state))
        session.refresh(node)
        _event(session, 'node.assigned', 'node', node.uuid, project_id,
               'Node %s given to project %s.' % (node.name, project_id))
    return node


def nodes_releasing():
    """Nodes being handed back."""
    with _reader() as session:
        return session.execute(sa.select(models.Node).where(
            models.Node.state == states.NODE_RELEASING)).scalars().all()


# NICs

def nic_create(node_id, values):
    """Register a NIC of a node, optionally cabled to a switch port."""
    nic = models.Nic(uuid=uuidutils.generate_uuid(), node_id=node_id,
                     **values)
    try:
        with _writer() as session:
            session.add(nic)
            session.flush()
            node = session.get(models.Node, node_id)
            _event(session, 'nic.created', 'node', node.uuid,
                   node.project_id, 'NIC %s (%s) added to node %s.' %
                   (nic.name, nic.mac, node.name))
    except db_exc.DBDuplicateEntry as e:
        raise _nic_duplicate(e, values)
    return nic


def _nic_duplicate(e, values):
    if 'mac' in e.columns:
        return exception.DuplicateEntry(
            reason='MAC address %s is already registered.' % values['mac'])
    if 'port_id' in e.columns:
        return exception.DuplicateEntry(
            reason='That switch port is already cabled to another NIC.')
    return exception.DuplicateName(resource='NIC of this node',
                                   name=values.get('name'))


def nic_get(node_id, ident, node_ident=None):
    """The NIC of a node by UUID or name; raise NicNotFound."""
    with _reader() as session:
        nic = session.execute(
            sa.select(models.Nic).where(models.Nic.node_id == node_id,
                                        _by_ident(models.Nic, ident))
        ).scalar()
    if nic is None:
        raise exception.NicNotFound(nic=ident, node=node_ident or node_id)
    return nic


NIC_LIST_COLUMNS = (
    models.Nic.id, models.Nic.uuid, models.Nic.name, models.Nic.mac,
    models.Nic.port_id, models.Nic.created_at, models.Nic.updated_at,
    models.Node.uuid.label('node_uuid'),
    models.Port.name.label('port_name'),
    models.Switch.name.label('switch_name'))


def _nic_select():
    return (sa.select(*NIC_LIST_COLUMNS)
            .join(models.Node, models.Nic.node_id == models.Node.id)
            .outerjoin(models.Port, models.Nic.port_id == models.Port.id)
            .outerjoin(models.Switch,
                       models.Port.switch_id == models.Switch.id))


def nic_list(node_id):
    """The NICs of a node, with the switch port each is cabled to."""
    with _reader() as session:
        return _rows(session, _nic_select().where(
            models.Nic.node_id == node_id).order_by(models.Nic.id))


def nic_show(nic_id):
    """One NIC with its node and switch port, as in nic_list."""
    with _reader() as session:
        return session.execute(
            _nic_select().where(models.Nic.id == nic_id)).one()


def nic_update(nic_id, values):
    """Change a NIC; re-cabling is refused while it has attachments."""
    try:
        with _writer() as session:
            nic = session.get(models.Nic, nic_id)
            if 'port_id' in values and values['port_id'] != nic.port_id:
                _refuse_if_attached(session, nic, 'change the switch port of')
            for key, value in values.items():
                setattr(nic, key, value)
            session.flush()
    except db_exc.DBDuplicateEntry as e:
        raise _nic_duplicate(e, values)
    return nic


def _refuse_if_attached(session, nic, what):
    count = session.execute(
        sa.select(sa.func.count()).select_from(models.Attachment)
        .where(models.Attachment.nic_id == nic.id)).scalar()
    if count:
        raise exception.AttachmentConflict(
            reason='Cannot %s NIC %s: it has %d network attachment(s); '
                   'detach them first.' % (what, nic.name, count))


def nic_delete(nic_id):
    """Delete a NIC that has no attachment."""
    with _writer() as session:
        nic = session.get(models.Nic, nic_id)
        _refuse_if_attached(session, nic, 'delete')
        node = session.get(models.Node, nic.node_id)
        session.delete(nic)
        _event(session, 'nic.deleted', 'node', node.uuid, node.project_id,
               'NIC %s removed from node %s.' % (nic.name, node.name))


# Switches and ports

def switch_create(values):
    """Register a switch; raise DuplicateName if the name is taken."""
    switch = models.Switch(uuid=uuidutils.generate_uuid(), **values)
    try:
        with _writer() as session:
            session.add(switch)
            session.flush()
            _event(session, 'switch.created', 'switch', switch.uuid, None,
                   'Switch %s registered (driver %s).' %
                   (switch.name, switch.driver))
    except db_exc.DBDuplicateEntry:
        raise exception.DuplicateName(resource='switch', name=switch.name)
    return switch


def switch_get(ident):
    """The switch of that UUID, name or internal id; raise SwitchNotFound."""
    with _reader() as session:
        if isinstance(ident, int):
            switch = session.get(models.Switch, ident)
        else:
            switch = session.execute(sa.select(models.Switch).where(
                _by_ident(models.Switch, ident))).scalar()
    if switch is None:
        raise exception.SwitchNotFound(switch=ident)
    return switch


def switch_list(limit=None, marker=None):
    """A page of switches."""
    with _reader() as session:
        marker_id = _marker_id(session, models.Switch, marker,
                               exception.SwitchNotFound(switch=marker))
        return session.execute(_paginate(
            sa.select(models.Switch), models.Switch, limit, marker_id)
        ).scalars().all()


def switch_update(switch_id, values):
    """Change a switch; raise DuplicateName on a taken name."""
    try:
        with _writer() as session:
            switch = session.get(models.Switch, switch_id)
            for key, value in values.items():
                setattr(switch, key, value)
            session.flush()
            _event(session, 'switch.updated', 'switch', switch.uuid, None,
                   'Switch %s updated (%s).' %
                   (switch.name, ', '.join(sorted(values))))
    except db_exc.DBDuplicateEntry:
        raise exception.DuplicateName(resource='switch', name=values['name'])
    return switch


def switch_delete(switch_id):
    """Delete a switch and its ports; refused while a NIC is cabled."""
    with _writer() as session:
        switch = session.get(models.Switch, switch_id)
        cabled = session.execute(
            sa.select(sa.func.count()).select_from(models.Nic)
            .join(models.Port, models.Nic.port_id == models.Port.id)
            .where(models.Port.switch_id == switch_id)).scalar()
        if cabled:
            raise exception.Conflict(
                reason='Switch %s has %d port(s) cabled to NICs; delete '
                       'or re-cable those NICs first.' %
                       (switch.name, cabled))
        session.execute(sa.delete(models.Port).where(
            models.Port.switch_id == switch_id))
        session.delete(switch)
        _event(session, 'switch.deleted', 'switch', switch.uuid, None,
               'Switch %s deleted.' % switch.name)


def _bump_port(session, port_id):
    """Record new intent on a port; return its new desired generation."""
    session.execute(
        sa.update(models.Port).where(models.Port.id == port_id)
        .values(desired_generation=models.Port.desired_generation + 1,
                sync_state=states.SYNC_PENDING, attempts=0,
                next_attempt_at=None, updated_at=timeutils.utcnow()))
    return session.execute(sa.select(models.Port.desired_generation).where(
        models.Port.id == port_id)).scalar_one()


def port_create(switch_id, name):
    """Register a switch port; it is parked by the conductor at once."""
    port = models.Port(uuid=uuidutils.generate_uuid(), switch_id=switch_id,
                       name=name, desired_generation=1,
                       applied_generation=0,
                       sync_state=states.SYNC_PENDING)
    try:
        with _writer() as session:
            session.add(port)
            session.flush()
    except db_exc.DBDuplicateEntry:
        raise exception.DuplicateName(resource='port of this switch',
                                      name=name)
    return port


def port_get(switch_id, ident, switch_ident=None):
    """The port of a switch by UUID or name; raise PortNotFound."""
    with _reader() as session:
        port = session.execute(
            sa.select(models.Port).where(models.Port.switch_id == switch_id,
                                         _by_ident(models.Port, ident))
        ).scalar()
    if port is None:
        raise exception.PortNotFound(port=ident,
                                     switch=switch_ident or switch_id)
    return port


PORT_LIST_COLUMNS = (
    models.Port.id, models.Port.uuid, models.Port.name,
    models.Port.sync_state, models.Port.desired_generation,
    models.Port.applied_generation, models.Port.attempts,
    models.Port.last_error, models.Port.created_at, models.Port.updated_at,
    models.Switch.uuid.label('switch_uuid'),
    models.Nic.uuid.label('nic_uuid'), models.Nic.name.label('nic_name'),
    models.Node.uuid.label('node_uuid'), models.Node.name.label('node_name'))


def _port_select():
    return (sa.select(*PORT_LIST_COLUMNS)
            .join(models.Switch, models.Port.switch_id == models.Switch.id)
            .outerjoin(models.Nic, models.Nic.port_id == models.Port.id)
            .outerjoin(models.Node, models.Nic.node_id == models.Node.id))


def port_list(switch_id, limit=None, marker=None):
    """A page of a switch's ports, with the NIC cabled to each."""
    with _reader() as session:
        marker_id = _marker_id(session, models.Port, marker,
                               exception.PortNotFound(port=marker,
                                                      switch=switch_id))
        return _rows(session, _paginate(
            _port_select().where(models.Port.switch_id == switch_id),
            models.Port, limit, marker_id))


def port_show(port_id):
    """One port with its switch and cabled NIC, as in port_list."""
    with _reader() as session:
        return session.execute(
            _port_select().where(models.Port.id == port_id)).one()


def port_switch_id(port_id):
    """The switch a port belongs to."""
    with _reader() as session:
        switch_id = session.execute(sa.select(models.Port.switch_id).where(
            models.Port.id == port_id)).scalar()
    if switch_id is None:
        raise exception.PortNotFound(port=port_id, switch='?')
    return switch_id


def port_delete(port_id):
    """Delete a port that no NIC is cabled to."""
    with _writer() as session:
        port = session.get(models.Port, port_id)
        nic = session.execute(sa.select(models.Nic).where(
            models.Nic.port_id == port_id)).scalar()
        if nic is not None:
            raise exception.Conflict(
                reason='Port %s is cabled to NIC %s; delete or re-cable the '
                       'NIC first.' % (port.name, nic.name))
        session.delete(port)


# Networks and the VLAN pool

def vlan_pool_sync(vlans):
    """Make the pool hold exactly ``vlans``, keeping VLANs in use."""
    wanted = set(vlans)
    with _writer() as session:
        existing = dict(session.execute(
            sa.select(models.VlanPool.vlan, models.VlanPool.network_id)).all())
        stale = [v for v, net in existing.items()
                 if v not in wanted and net is None]
        if stale:
            session.execute(sa.delete(models.VlanPool).where(
                models.VlanPool.vlan.in_(stale)))
        taken = set(session.execute(sa.select(models.Network.vlan)).scalars())
        missing = sorted(wanted - set(existing) - taken)
        if missing:
            session.execute(sa.insert(models.VlanPool),
                            [{'vlan': v} for v in missing])
    if stale or missing:
        LOG.info('VLAN pool synchronised: %d added, %d removed.',
                 len(missing), len(stale))


def _free_pool_vlan(session, ranges_text):
    """Pick a free pool VLAN, preferring rows no other transaction holds.

    SKIP LOCKED can skip more rows than those being allocated (InnoDB locks
    the gaps it scans), so an empty answer is confirmed by a waiting
    locking read before the pool is called exhausted.
    """
    stmt = (sa.select(models.VlanPool.vlan)
            .where(models.VlanPool.network_id.is_(None))
            .order_by(models.VlanPool.vlan).limit(1))
    if session.bind.dialect.name == 'sqlite':
        vlan = session.execute(stmt).scalar()
    else:
        vlan = session.execute(
            stmt.with_for_update(skip_locked=True)).scalar()
        if vlan is None:
            vlan = session.execute(stmt.with_for_update()).scalar()
    if vlan is None:
        raise exception.VlanPoolExhausted(ranges=ranges_text)
    return vlan


def network_create(project_id, name, vlan=None, ranges_text=''):
    """Create a network on a pool VLAN, or on ``vlan`` (provider).

    The pool row is locked (SKIP LOCKED) while the network is inserted, and
    networks.vlan is unique, so no VLAN is ever given twice; a lost race
    on an engine without row locks is retried.
    """
    for _attempt in range(10):
        try:
            return _network_create(project_id, name, vlan, ranges_text)
        except db_exc.DBDeadlock:
            continue
        except db_exc.DBDuplicateEntry as e:
            if 'vlan' not in e.columns:
                raise exception.DuplicateName(
                    resource='network in this project', name=name)
            if vlan is not None:
                raise exception.VlanInUse(vlan=vlan)
    raise exception.Conflict(reason='Too many concurrent network creations; '
                                    'try again.')


def _network_create(project_id, name, vlan, ranges_text):
    _quota_ensure(project_id)
    with _writer() as session:
        _quota_check(session, project_id, networks=1)
        chosen = vlan if vlan is not None else _free_pool_vlan(session,
                                                               ranges_text)
        network = models.Network(uuid=uuidutils.generate_uuid(), name=name,
                                 project_id=project_id, vlan=chosen,
                                 provider=vlan is not None)
        session.add(network)
        session.flush()
        session.execute(
            sa.update(models.VlanPool)
            .where(models.VlanPool.vlan == chosen,
                   models.VlanPool.network_id.is_(None))
            .values(network_id=network.id))
        _event(session, 'network.created', 'network', network.uuid,
               project_id, 'Network %s created on VLAN %d.' % (name, chosen))
    return network


def _visible(project_id):
    """Where-clause: networks a project owns or may use."""
    shared = sa.select(models.NetworkAccess.network_id).where(
        models.NetworkAccess.project_id == project_id)
    return sa.or_(models.Network.project_id == project_id,
                  models.Network.id.in_(shared))


def network_get(ident, project_id=None):
    """A network by UUID or name, among those ``project_id`` may see.

    With ``project_id`` None every network is visible (admin); a name must
    then be unique among the matches or it is ambiguous.
    """
    stmt = sa.select(models.Network).where(_by_ident(models.Network, ident))
    if project_id is not None:
        stmt = stmt.where(_visible(project_id))
    with _reader() as session:
        matches = session.execute(stmt.limit(2)).scalars().all()
    if not matches:
        raise exception.NetworkNotFound(network=ident)
    if len(matches) > 1:
        raise exception.Conflict(
            reason='More than one network is named %s; use its UUID.' %
            ident)
    return matches[0]


def network_list(project_id=None, name=None, owner=None, limit=None,
                 marker=None):
    """A page of the networks ``project_id`` may see (None: all)."""
    stmt = sa.select(models.Network)
    if project_id is not None:
        stmt = stmt.where(_visible(project_id))
    if name is not None:
        stmt = stmt.where(models.Network.name == name)
    if owner is not None:
        stmt = stmt.where(models.Network.project_id == owner)
    with _reader() as session:
        marker_id = _marker_id(session, models.Network, marker,
                               exception.NetworkNotFound(network=marker))
        return session.execute(_paginate(
            stmt, models.Network, limit, marker_id)).scalars().all()


def network_delete(network_id, pool_vlans=()):
    """Delete a network with no attachment.

    Its VLAN goes back to the pool if it is among ``pool_vlans`` (the
    configured ranges); a VLAN taken out of the ranges while in use leaves
    the pool now.
    """
    with _writer() as session:
        network = session.execute(_for_update(
            sa.select(models.Network).where(models.Network.id == network_id),
            session)).scalar_one()
        count = session.execute(
            sa.select(sa.func.count()).select_from(models.Attachment)
            .where(models.Attachment.network_id == network_id)).scalar()
        if count:
            raise exception.NetworkInUse(
                network=network.name,
                reason='%d NIC attachment(s) remain; detach them first' %
                count)
        if network.vlan in pool_vlans:
            session.execute(sa.update(models.VlanPool)
                            .where(models.VlanPool.network_id == network_id)
                            .values(network_id=None))
        else:
            session.execute(sa.delete(models.VlanPool).where(
                models.VlanPool.network_id == network_id))
        session.execute(sa.delete(models.NetworkAccess).where(
            models.NetworkAccess.network_id == network_id))
        session.delete(network)
        _event(session, 'network.deleted', 'network', network.uuid,
               network.project_id, 'Network %s (VLAN %d) deleted.' %
               (network.name, network.vlan))


def access_list(network_id):
    """Projects a network is shared with."""
    with _reader() as session:
        return session.execute(
            sa.select(models.NetworkAccess)
            .where(models.NetworkAccess.network_id == network_id)
            .order_by(models.NetworkAccess.id)).scalars().all()


def access_grant(network_id, project_id):
    """Let a project use a network; granting twice changes nothing."""
    with _writer() as session:
        network = session.get(models.Network, network_id)
        if project_id == network.project_id:
            return False
        exists = session.execute(sa.select(models.NetworkAccess.id).where(
            models.NetworkAccess.network_id == network_id,
            models.NetworkAccess.project_id == project_id)).scalar()
        if exists:
            return False
        session.add(models.NetworkAccess(network_id=network_id,
                                         project_id=project_id))
        _event(session, 'network.access_granted', 'network', network.uuid,
               network.project_id, 'Project %s may now use network %s.' %
               (project_id, network.name))
    return True


def access_revoke(network_id, project_id):
    """Stop sharing a network; detach the NICs of that project from it.

    Returns the detach actions queued.
    """
    with _writer() as session:
        network = session.execute(_for_update(
            sa.select(models.Network).where(models.Network.id == network_id),
            session)).scalar_one()
        access = session.execute(sa.select(models.NetworkAccess).where(
            models.NetworkAccess.network_id == network_id,
            models.NetworkAccess.project_id == project_id)).scalar()
        if access is None:
            raise exception.AccessNotFound(project=project_id,
                                           network=network.name)
        session.delete(access)
        rows = session.execute(
            sa.select(models.Attachment, models.Nic, models.Node)
            .join(models.Nic, models.Attachment.nic_id == models.Nic.id)
            .join(models.Node, models.Nic.node_id == models.Node.id)
            .where(models.Attachment.network_id == network_id,
                   models.Node.project_id == project_id,
                   models.Attachment.status != states.DETACHING)).all()
        actions = [_detach(session, attachment, nic, project_id, node.uuid)
                   for attachment, nic, node in rows]
        _event(session, 'network.access_revoked', 'network', network.uuid,
               network.project_id,
               'Project %s may no longer use network %s; %d attachment(s) '
               'being removed.' % (project_id, network.name, len(actions)))
    return actions


# Attachments

def attachment_create(nic_id, network_id, channel, project_id):
    """Queue attaching a NIC to a network; return (attachment, action).

    Checks, under row locks, that the NIC's node is held by ``project_id``,
    that the project may use the network and that the NIC is cabled.
    """
    names = {}
    try:
        with _writer() as session:
            nic = session.get(models.Nic, nic_id)
            node = session.execute(_for_update(
                sa.select(models.Node).where(models.Node.id == nic.node_id),
                session)).scalar_one()
            network = session.execute(_for_update(
                sa.select(models.Network).where(
                    models.Network.id == network_id), session)).scalar_one()
            names = {'nic': nic.name, 'network': network.name}
            _check_attach_allowed(session, node, nic, network, project_id)
            generation = _bump_port(session, nic.port_id)
            attachment = models.Attachment(
                uuid=uuidutils.generate_uuid(), nic_id=nic.id,
                network_id=network.id, channel=channel,
                access_nic_id=nic.id if channel == states.ACCESS else None,
                status=states.ATTACHING, generation=generation)
            session.add(attachment)
            action = _action(
                session, states.ACTION_ATTACH, node.project_id,
                node_uuid=node.uuid, nic_uuid=nic.uuid,
                network_uuid=network.uuid, port_id=nic.port_id,
                target_generation=generation,
                details={'nic': nic.name, 'network': network.name,
                         'channel': channel, 'vlan': network.vlan})
            session.flush()
            _event(session, 'attachment.requested', 'node', node.uuid,
                   node.project_id,
                   'Attach of NIC %s of node %s to network %s (VLAN %d, %s) '
                   'queued.' % (nic.name, node.name, network.name,
                                network.vlan, channel),
                   action=action.uuid)
    except db_exc.DBDuplicateEntry as e:
        if 'access_nic_id' in e.columns:
            raise exception.AttachmentConflict(
                reason='NIC %(nic)s already has a network on the access '
                       'channel; detach it first or use the tagged '
                       'channel.' % names)
        raise exception.AttachmentConflict(
            reason='NIC %(nic)s is already attached to network %(network)s.'
            % names)
    return attachment, action


def _check_attach_allowed(session, node, nic, network, project_id):
    if node.project_id is None or node.project_id != project_id:
        raise exception.NodeBusy(
            node=node.name, reason='it is not held by project %s' %
            project_id)
    if node.state != states.NODE_ALLOCATED:
        raise exception.NodeBusy(node=node.name,
                                 reason='it is %s' % node.state)
    if network.project_id != project_id and not session.execute(
            sa.select(models.NetworkAccess.id).where(
                models.NetworkAccess.network_id == network.id,
                models.NetworkAccess.project_id == project_id)).scalar():
        raise exception.NetworkNotFound(network=network.uuid)
    if nic.port_id is None:
        raise exception.AttachmentConflict(
            reason='NIC %s is not cabled to any switch port.' % nic.name)


def _detach(session, attachment, nic, project_id, node_uuid):
    generation = _bump_port(session, nic.port_id)
    attachment.status = states.DETACHING
    attachment.generation = generation
    network = session.get(models.Network, attachment.network_id)
    return _action(session, states.ACTION_DETACH, project_id,
                   node_uuid=node_uuid, nic_uuid=nic.uuid,
                   network_uuid=network.uuid, port_id=nic.port_id,
                   target_generation=generation,
                   details={'nic': nic.name, 'network': network.name,
                            'channel': attachment.channel,
                            'vlan': network.vlan})


def attachment_delete(nic_id, network_id):
    """Queue detaching a NIC from a network; return the action."""
    with _writer() as session:
        nic = session.get(models.Nic, nic_id)
        node = session.execute(_for_update(
            sa.select(models.Node).where(models.Node.id == nic.node_id),
            session)).scalar_one()
        attachment = session.execute(sa.select(models.Attachment).where(
            models.Attachment.nic_id == nic_id,
            models.Attachment.network_id == network_id)).scalar()
        network = session.get(models.Network, network_id)
        if attachment is None:
            raise exception.AttachmentNotFound(nic=nic.name,
                                               network=network.name)
        if attachment.status == states.DETACHING:
            raise exception.AttachmentConflict(
                reason='NIC %s is already being detached from network %s.'
                % (nic.name, network.name))
        action = _detach(session, attachment, nic, node.project_id,
                         node.uuid)
        session.flush()
        _event(session, 'attachment.detach_requested', 'node', node.uuid,
               node.project_id,
               'Detach of NIC %s of node %s from network %s queued.' %
               (nic.name, node.name, network.name), action=action.uuid)
    return action


ATTACHMENT_LIST_COLUMNS = (
    models.Attachment.uuid, models.Attachment.channel,
    models.Node.uuid.label('node_uuid'), models.Node.name.label('node_name'),
    models.Attachment.status, models.Attachment.created_at,
    models.Attachment.updated_at, models.Network.uuid.label('network_uuid'),
    models.Network.name.label('network_name'), models.Network.vlan,
    models.Nic.uuid.label('nic_uuid'), models.Nic.name.label('nic_name'),
    models.Port.sync_state, models.Port.last_error)


def attachment_list(nic_id=None, network_id=None, project_id=None):
    """Attachments of a NIC or of a network, with their port's sync state.

    ``project_id`` limits them to NICs of nodes that project holds.
    """
    stmt = (sa.select(*ATTACHMENT_LIST_COLUMNS)
            .join(models.Network,
                  models.Attachment.network_id == models.Network.id)
            .join(models.Nic, models.Attachment.nic_id == models.Nic.id)
            .join(models.Node, models.Nic.node_id == models.Node.id)
            .join(models.Port, models.Nic.port_id == models.Port.id)
            .order_by(models.Attachment.id))
    for column, value in ((models.Attachment.nic_id, nic_id),
                          (models.Attachment.network_id, network_id),
                          (models.Node.project_id, project_id)):
        if value is not None:
            stmt = stmt.where(column == value)
    with _reader() as session:
        return _rows(session, stmt)


# Actions and events

def action_get(ident, project_id=None):
    """An action by UUID, among ``project_id``'s (None: any)."""
    stmt = sa.select(models.Action).where(models.Action.uuid == ident)
    if project_id is not None:
        stmt = stmt.where(models.Action.project_id == project_id)
    with _reader() as session:
        action = session.execute(stmt).scalar()
    if action is None:
        raise exception.ActionNotFound(action=ident)
    return action


def action_list(project_id=None, status=None, kind=None, node_uuid=None,
                limit=None, marker=None):
    """A page of actions, ``project_id``'s only unless it is None."""
    stmt = sa.select(models.Action)
    for column, value in ((models.Action.project_id, project_id),
                          (models.Action.status, status),
                          (models.Action.kind, kind),
                          (models.Action.node_uuid, node_uuid)):
        if value is not None:
            stmt = stmt.where(column == value)
    with _reader() as session:
        marker_id = _marker_id(session, models.Action, marker,
                               exception.ActionNotFound(action=marker))
        return session.execute(_paginate(
            stmt, models.Action, limit, marker_id)).scalars().all()


def event_list(project_id=None, resource_uuid=None, event_type=None,
               limit=None, marker=None):
    """A page of events, ``project_id``'s only unless it is None."""
    stmt = sa.select(models.Event)
    for column, value in ((models.Event.project_id, project_id),
                          (models.Event.resource_uuid, resource_uuid),
                          (models.Event.event_type, event_type)):
        if value is not None:
            stmt = stmt.where(column == value)
    with _reader() as session:
        marker_id = _marker_id(
            session, models.Event, marker,
            exception.ResourceNotFound(path='event %s' % marker))
        return session.execute(_paginate(
            stmt, models.Event, limit, marker_id)).scalars().all()


# Node actions: work on one node that conductors run (power, imaging, ...)

def node_action_create(node_id, kind, requested_by=None, details=None,
                       during_release=False):
    """Queue an action on a node for the conductors; return it.

    The action belongs to the project holding the node. Refused while
    the node is being handed back, except for the hand-back's own work
    (``during_release``).
    """
    with _writer() as session:
        node = session.execute(_for_update(
            sa.select(models.Node).where(models.Node.id == node_id),
            session)).scalar_one()
        return _node_action(session, node, kind, requested_by,
                            details or {}, during_release)


def _node_action(session, node, kind, requested_by, details,
                 during_release=False):
    if not during_release and node.state in (states.NODE_RELEASING,
                                             states.NODE_RELEASE_FAILED):
        raise exception.NodeBusy(node=node.name,
                                 reason='it is being handed back')
    action = _action(session, kind, node.project_id, node_uuid=node.uuid,
                     node_queue=True,
                     details=dict(details, requested_by=requested_by))
    session.flush()
    _event(session, 'node.%s_requested' % kind, 'node', node.uuid,
           node.project_id, '%s of node %s queued.' % (
               kind.replace('_', ' ').capitalize(), node.name),
           action=action.uuid)
    return action


def _cancel_node_actions(session, node, reason):
    """Fail the pending node actions of a node (it changes hands)."""
    actions = session.execute(
        sa.select(models.Action)
        .where(models.Action.node_uuid == node.uuid,
               models.Action.node_queue.is_(True),
               models.Action.status == states.PENDING)).scalars().all()
    now = timeutils.utcnow()
    for action in actions:
        action.status, action.message, action.finished_at = (
            states.FAILED, reason, now)
    return actions


def node_action_claim(node_uuid, hostname, expires_before):
    """Claim the next action of a node for this conductor.

    A running action whose claim expired (its conductor died) is taken
    over first; otherwise the oldest pending one starts. Returns
    ``(action, resumed)``, or ``(None, False)`` when the node has no
    action due or another conductor is running one.
    """
    now = timeutils.utcnow()
    with _writer() as session:
        running = session.execute(sa.select(models.Action).where(
            models.Action.running_node_uuid == node_uuid)).scalar()
        if running is not None:
            taken = session.execute(
                sa.update(models.Action)
                .where(models.Action.id == running.id,
                       models.Action.status == states.RUNNING,
                       sa.or_(models.Action.claimed_by.is_(None),
                              models.Action.claimed_at < expires_before))
                .values(claimed_by=hostname, claimed_at=now)).rowcount
            if not taken:
                return None, False
            session.refresh(running)
            return running, True
    try:
        with _writer() as session:
            action = session.execute(
                sa.select(models.Action)
                .where(models.Action.node_uuid == node_uuid,
                       models.Action.node_queue.is_(True),
                       models.Action.status == states.PENDING)
                .order_by(models.Action.id).limit(1)).scalar()
            if action is None:
                return None, False
            started = session.execute(
                sa.update(models.Action)
                .where(models.Action.id == action.id,
                       models.Action.status == states.PENDING)
                .values(status=states.RUNNING, running_node_uuid=node_uuid,
                        claimed_by=hostname, claimed_at=now,
                        updated_at=now)).rowcount
            if not started:
                return None, False
            session.refresh(action)
            return action, False
    except db_exc.DBDuplicateEntry:
        # Another conductor started an action on this node meanwhile.
        return None, False


def node_action_progress(action_id, hostname, details):
    """Merge ``details`` into a running action and renew its claim.

    Returns False if the claim was lost to another conductor.
    """
    with _writer() as session:
        action = session.execute(_for_update(
            sa.select(models.Action).where(
                models.Action.id == action_id,
                models.Action.status == states.RUNNING,
                models.Action.claimed_by == hostname), session)).scalar()
        if action is None:
            return False
        action.details = dict(action.details, **details)
        action.claimed_at = timeutils.utcnow()
        return True


def node_action_finish(action_id, hostname, status, message, details=None,
                       node_values=None):
    """End a running action, in one transaction with its event.

    ``node_values`` are node fields the action established (for instance
    its power state). Returns the previous values of those node fields,
    or None if this conductor no longer holds the claim.
    """
    now = timeutils.utcnow()
    with _writer() as session:
        action = session.execute(_for_update(
            sa.select(models.Action).where(
                models.Action.id == action_id,
                models.Action.status == states.RUNNING,
                models.Action.claimed_by == hostname), session)).scalar()
        if action is None:
            return None
        node = session.execute(sa.select(models.Node).where(
            models.Node.uuid == action.node_uuid)).scalar()
        previous = {}
        if node is not None:
            for key, value in (node_values or {}).items():
                previous[key] = getattr(node, key)
                setattr(node, key, value)
        action.status, action.message, action.finished_at = (
            status, message, now)
        action.running_node_uuid = action.claimed_by = None
        action.claimed_at = None
        if details:
            action.details = dict(action.details, **details)
        done = 'done' if status == states.SUCCEEDED else 'failed'
        _event(session, 'node.%s_%s' % (action.kind, done), 'node',
               action.node_uuid, action.project_id,
               message or '%s of node %s %s.' % (
                   action.kind.replace('_', ' ').capitalize(),
                   node.name if node is not None else action.node_uuid,
                   done), action=action.uuid)
        return previous


def node_actions_unclaim_all(hostname):
    """Make a conductor's running actions claimable (at its start-up).

    They stay running: the next claim resumes them where their recorded
    progress says.
    """
    with _writer() as session:
        return session.execute(
            sa.update(models.Action)
            .where(models.Action.claimed_by == hostname,
                   models.Action.status == states.RUNNING)
            .values(claimed_by=None, claimed_at=None)).rowcount


def nodes_with_actions_due(expires_before):
    """UUIDs of nodes with a pending action or an expired running one."""
    stmt = (sa.select(models.Action.node_uuid).distinct()
            .where(models.Action.node_queue.is_(True),
                   sa.or_(models.Action.status == states.PENDING,
                          sa.and_(models.Action.status == states.RUNNING,
                                  sa.or_(models.Action.claimed_by.is_(None),
                                         models.Action.claimed_at <
                                         expires_before)))))
    with _reader() as session:
        return session.execute(stmt).scalars().all()


def node_actions_active(node_uuid):
    """The pending and running node actions of a node, oldest first."""
    with _reader() as session:
        return session.execute(
            sa.select(models.Action)
            .where(models.Action.node_uuid == node_uuid,
                   models.Action.node_queue.is_(True),
                   models.Action.status.in_((states.PENDING,
                                             states.RUNNING)))
            .order_by(models.Action.id)).scalars().all()


# Power state

POWER_SYNC_COLUMNS = tuple(
    getattr(models.Node, c) for c in
    ('id', 'uuid', 'name', 'project_id', 'bmc_driver', 'bmc_address',
     'bmc_port', 'bmc_username', 'bmc_password', 'power_state'))


def nodes_for_power_sync():
    """Nodes with their BMC and last power state, for a sync.

    Nodes an action is running on are left out: their power is in flux.
    """
    busy = sa.select(models.Action.running_node_uuid).where(
        models.Action.running_node_uuid.is_not(None))
    with _reader() as session:
        return session.execute(
            sa.select(*POWER_SYNC_COLUMNS)
            .where(models.Node.uuid.not_in(busy))
            .order_by(models.Node.id)).all()


def node_power_state_update(node_id, previous, power_state, error=None):
    """Record a power state read from a BMC.

    The change is recorded (with an event) only if the node still has
    ``previous``, so that concurrent syncs record one change once.
    Returns the node if its power state changed, else None.
    """
    now = timeutils.utcnow()
    with _writer() as session:
        changed = session.execute(
            sa.update(models.Node)
            .where(models.Node.id == node_id,
                   models.Node.power_state.is_not_distinct_from(previous),
                   models.Node.power_state.is_distinct_from(power_state))
            .values(power_state=power_state, power_updated_at=now,
                    power_error=error)).rowcount
        if not changed:
            return None
        node = session.get(models.Node, node_id)
        message = 'Power state of node %s changed from %s to %s.' % (
            node.name, previous or 'unknown', power_state)
        if error:
            message += ' ' + error
        _event(session, 'node.power_state.changed', 'node', node.uuid,
               node.project_id, message, previous=previous,
               power_state=power_state)
        return node


def nodes_power_checked(node_ids):
    """Record that the power state of these nodes was read just now."""
    if not node_ids:
        return
    with _writer() as session:
        session.execute(
            sa.update(models.Node).where(models.Node.id.in_(node_ids))
            .values(power_updated_at=timeutils.utcnow()))


# Consoles

def _console_forget(session, node_id):
    """Revoke a node's console tokens and drop its console log."""
    revoked = session.execute(sa.delete(models.ConsoleToken).where(
        models.ConsoleToken.node_id == node_id)).rowcount
    session.execute(sa.delete(models.NodeConsole).where(
        models.NodeConsole.node_id == node_id))
    return revoked


def console_token_create(node_id, token_hash, ttl, created_by):
    """Record a console token (its hash) of the project holding a node."""
    now = timeutils.utcnow()
    with _writer() as session:
        node = session.execute(_for_update(
            sa.select(models.Node).where(models.Node.id == node_id),
            session)).scalar_one()
        if node.state in (states.NODE_RELEASING,
                          states.NODE_RELEASE_FAILED):
            raise exception.NodeBusy(node=node.name,
                                     reason='it is being handed back')
        token = models.ConsoleToken(
            uuid=uuidutils.generate_uuid(), node_id=node.id,
            project_id=node.project_id, token_hash=token_hash,
            created_by=created_by, created_at=now,
            expires_at=now + datetime.timedelta(seconds=ttl))
        session.add(token)
        if session.get(models.NodeConsole, node.id) is None:
            session.add(models.NodeConsole(node_id=node.id, data='',
                                           total=0))
        session.flush()
        _event(session, 'node.console_opened', 'node', node.uuid,
               node.project_id, 'Console token for node %s issued to %s, '
               'valid until %s.' % (node.name, created_by,
                                    token.expires_at.isoformat()),
               token=token.uuid)
    return token


def console_token_check(token_hash):
    """(token, node) of a live token hash; raise ConsoleTokenInvalid."""
    with _reader() as session:
        row = session.execute(
            sa.select(models.ConsoleToken, models.Node)
            .join(models.Node, models.ConsoleToken.node_id == models.Node.id)
            .where(models.ConsoleToken.token_hash == token_hash,
                   models.ConsoleToken.expires_at > timeutils.utcnow(),
                   models.Node.state.not_in((states.NODE_RELEASING,
                                             states.NODE_RELEASE_FAILED)))
        ).first()
    if row is None:
        raise exception.ConsoleTokenInvalid()
    return row


def console_tokens(node_id):
    """The live console tokens of a node."""
    with _reader() as session:
        return session.execute(
            sa.select(models.ConsoleToken)
            .where(models.ConsoleToken.node_id == node_id,
                   models.ConsoleToken.expires_at > timeutils.utcnow())
            .order_by(models.ConsoleToken.id)).scalars().all()


def console_revoke(node_id, requested_by):
    """Revoke every console token of a node; return how many."""
    with _writer() as session:
        node = session.get(models.Node, node_id)
        revoked = session.execute(sa.delete(models.ConsoleToken).where(
            models.ConsoleToken.node_id == node_id)).rowcount
        _event(session, 'node.console_revoked', 'node', node.uuid,
               node.project_id, '%d console token(s) of node %s revoked by '
               '%s.' % (revoked, node.name, requested_by))
    return revoked


def console_get(node_id):
    """A node's console row (holder, recent output), or None."""
    with _reader() as session:
        return session.get(models.NodeConsole, node_id)


def console_read(node_id, offset):
    """Output of a node's console after ``offset``: (data, new offset).

    Output older than the kept log is gone; reading resumes at the
    oldest kept character.
    """
    console = console_get(node_id)
    if console is None:
        return '', 0
    start = console.total - len(console.data)
    offset = max(min(offset, console.total), start)
    return console.data[offset - start:], console.total


def console_append(node_id, text, keep):
    """Append output to a node's console log, keeping the last ``keep``."""
    with _writer() as session:
        console = session.execute(_for_update(
            sa.select(models.NodeConsole).where(
                models.NodeConsole.node_id == node_id), session)).scalar()
        if console is None:
            return
        console.data = (console.data + text)[-keep:]
        console.total += len(text)


def consoles_wanted(expires_before):
    """Consoles with live tokens and no conductor holding their session.

    Returns (node_id, node_uuid) rows; a holder whose claim is older than
    ``expires_before`` died.
    """
    live = sa.select(models.ConsoleToken.node_id).where(
        models.ConsoleToken.expires_at > timeutils.utcnow())
    with _reader() as session:
        return session.execute(
            sa.select(models.NodeConsole.node_id, models.Node.uuid)
            .join(models.Node, models.NodeConsole.node_id == models.Node.id)
            .where(models.NodeConsole.node_id.in_(live),
                   sa.or_(models.NodeConsole.conductor.is_(None),
                          models.NodeConsole.claimed_at < expires_before))
        ).all()


def console_claim(node_id, hostname, expires_before):
    """Hold (or renew) a node's console session; False if another does."""
    with _writer() as session:
        return session.execute(
            sa.update(models.NodeConsole)
            .where(models.NodeConsole.node_id == node_id,
                   sa.or_(models.NodeConsole.conductor.is_(None),
                          models.NodeConsole.conductor == hostname,
                          models.NodeConsole.claimed_at < expires_before))
            .values(conductor=hostname, claimed_at=timeutils.utcnow())
        ).rowcount == 1


def console_unclaim(node_id, hostname):
    """Stop holding a node's console session."""
    with _writer() as session:
        session.execute(
            sa.update(models.NodeConsole)
            .where(models.NodeConsole.node_id == node_id,
                   models.NodeConsole.conductor == hostname)
            .values(conductor=None, claimed_at=None))


# Conductors and switch claims

def conductor_heartbeat(hostname):
    """Register a conductor or refresh its heartbeat."""
    now = timeutils.utcnow()
    with _writer() as session:
        updated = session.execute(
            sa.update(models.Conductor)
            .where(models.Conductor.hostname == hostname)
            .values(heartbeat_at=now)).rowcount
        if not updated:
            session.add(models.Conductor(hostname=hostname, started_at=now,
                                         heartbeat_at=now))


def conductors_alive(heartbeat_after):
    """Host names of conductors whose heartbeat is recent, sorted."""
    with _reader() as session:
        return session.execute(
            sa.select(models.Conductor.hostname)
            .where(models.Conductor.heartbeat_at >= heartbeat_after)
            .order_by(models.Conductor.hostname)).scalars().all()


def conductor_unregister(hostname):
    """Forget a conductor that stops cleanly."""
    with _writer() as session:
        session.execute(sa.delete(models.Conductor).where(
            models.Conductor.hostname == hostname))


def _claim_is_stale(expires_before, dead_before):
    """Where-clause: the switch's claim may be taken over.

    A claim is stale when nobody holds it, when its holder stopped renewing
    it before ``expires_before``, or when its holder's heartbeat is older
    than ``dead_before`` (a conductor killed without a chance to clean up).
    """
    alive = sa.select(models.Conductor.id).where(
        models.Conductor.hostname == models.Switch.claimed_by,
        models.Conductor.heartbeat_at >= dead_before)
    return sa.or_(models.Switch.claimed_by.is_(None),
                  models.Switch.claimed_at < expires_before,
                  ~alive.exists())


def switch_claim(switch_id, hostname, expires_before, dead_before=None):
    """Take (or renew) a switch for reconciliation; False if another holds it.

    A compare-and-swap UPDATE: it succeeds only if this conductor already
    holds the claim or the claim is stale (see :func:`_claim_is_stale`).
    """
    if dead_before is None:
        dead_before = expires_before
    with _writer() as session:
        return session.execute(
            sa.update(models.Switch)
            .where(models.Switch.id == switch_id,
                   sa.or_(models.Switch.claimed_by == hostname,
                          _claim_is_stale(expires_before, dead_before)))
            .values(claimed_by=hostname, claimed_at=timeutils.utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount == 1


def switch_claims_renew(switch_ids, hostname):
    """Refresh this conductor's claims on switches it is working on."""
    if not switch_ids:
        return 0
    with _writer() as session:
        return session.execute(
            sa.update(models.Switch)
            .where(models.Switch.id.in_(list(switch_ids)),
                   models.Switch.claimed_by == hostname)
            .values(claimed_at=timeutils.utcnow())).rowcount


def switch_release(switch_id, hostname):
    """Drop this conductor's claim on a switch."""
    with _writer() as session:
        session.execute(
            sa.update(models.Switch)
            .where(models.Switch.id == switch_id,
                   models.Switch.claimed_by == hostname)
            .values(claimed_by=None, claimed_at=None))


def switch_release_all(hostname):
    """Drop every claim of a conductor (at its start-up)."""
    with _writer() as session:
        return session.execute(
            sa.update(models.Switch)
            .where(models.Switch.claimed_by == hostname)
            .values(claimed_by=None, claimed_at=None)).rowcount


def switches_with_work(now, expires_before, dead_before=None):
    """IDs of switches with dirty ports due now and no live claim."""
    if dead_before is None:
        dead_before = expires_before
    stmt = (sa.select(models.Port.switch_id).distinct()
            .join(models.Switch, models.Port.switch_id == models.Switch.id)
            .where(models.Port.sync_state == states.SYNC_PENDING,
                   sa.or_(models.Port.next_attempt_at.is_(None),
                          models.Port.next_attempt_at <= now),
                   _claim_is_stale(expires_before, dead_before)))
    with _reader() as session:
        return session.execute(stmt).scalars().all()


def switch_ids():
    """IDs of every switch (for the drift audit)."""
    with _reader() as session:
        return session.execute(
            sa.select(models.Switch.id).order_by(models.Switch.id)
        ).scalars().all()


def _with_attachments(session, ports):
    """[(port, [(channel, vlan), ...])]: what each port must carry.

    Attachments being detached are left out: they must not be on the
    switch any more.
    """
    if not ports:
        return []
    rows = session.execute(
        sa.select(models.Nic.port_id, models.Attachment.channel,
                  models.Network.vlan)
        .join(models.Nic, models.Attachment.nic_id == models.Nic.id)
        .join(models.Network,
              models.Attachment.network_id == models.Network.id)
        .where(models.Nic.port_id.in_([p.id for p in ports]),
               models.Attachment.status != states.DETACHING)).all()
    wanted = {p.id: [] for p in ports}
    for port_id, channel, vlan in rows:
        wanted[port_id].append((channel, vlan))
    return [(p, wanted[p.id]) for p in ports]


def dirty_ports(switch_id, now):
    """Ports of a switch due for reconciliation, with their desired state.

    Returns a list of (port, [(channel, vlan), ...]) where the attachments
    are those that must be on the switch (being detached ones excluded).
    """
    with _reader() as session:
        ports = session.execute(
            sa.select(models.Port)
            .where(models.Port.switch_id == switch_id,
                   models.Port.sync_state == states.SYNC_PENDING,
                   sa.or_(models.Port.next_attempt_at.is_(None),
                          models.Port.next_attempt_at <= now))
            .order_by(models.Port.id)).scalars().all()
        return _with_attachments(session, ports)


def switch_desired_ports(switch_id):
    """Every port of a switch with its desired state, as dirty_ports."""
    with _reader() as session:
        ports = session.execute(
            sa.select(models.Port)
            .where(models.Port.switch_id == switch_id)
            .order_by(models.Port.id)).scalars().all()
        return _with_attachments(session, ports)


def _holds_claim(session, port, hostname):
    """Whether ``hostname`` still holds the claim on a port's switch.

    A conductor that lost its claim (it stalled and another took over)
    must not record results: the new holder recomputes and verifies.
    """
    if hostname is None:
        return True
    holder = session.execute(sa.select(models.Switch.claimed_by).where(
        models.Switch.id == port.switch_id)).scalar()
    if holder != hostname:
        LOG.warning('Conductor %s lost its claim on the switch of port %s '
                    '(now held by %s); its result is not recorded.',
                    hostname, port.name, holder)
        return False
    return True


def _action_message(action, port_name):
    if action.kind in (states.ACTION_ATTACH, states.ACTION_DETACH):
        return '%s of NIC %s %s network %s done on port %s.' % (
            action.kind.capitalize(), action.details.get('nic'),
            'to' if action.kind == states.ACTION_ATTACH else 'from',
            action.details.get('network'), port_name)
    return '%s of port %s of switch %s done.' % (
        action.kind.replace('_', ' ').capitalize(), port_name,
        action.details.get('switch'))


def port_sync_succeeded(port_id, generation, hostname=None):
    """Record that the switch verifiably holds a port's intent at a generation.

    In one transaction: attachments up to that generation become active or
    are removed, and their actions succeed. Nothing is recorded (None is
    returned) if ``hostname`` no longer holds the claim on the switch.
    """
    now = timeutils.utcnow()
    with _writer() as session:
        port = session.execute(_for_update(
            sa.select(models.Port).where(models.Port.id == port_id),
            session)).scalar_one()
        if not _holds_claim(session, port, hostname):
            return None
        port.applied_generation = max(port.applied_generation, generation)
        port.sync_state = (states.IN_SYNC
                           if port.desired_generation <= generation
                           else states.SYNC_PENDING)
        port.attempts, port.last_error, port.next_attempt_at = 0, None, None
        nic_id = session.execute(sa.select(models.Nic.id).where(
            models.Nic.port_id == port_id)).scalar()
        if nic_id is not None:
            session.execute(
                sa.update(models.Attachment)
                .where(models.Attachment.nic_id == nic_id,
                       models.Attachment.status == states.ATTACHING,
                       models.Attachment.generation <= generation)
                .values(status=states.ACTIVE, updated_at=now))
            session.execute(
                sa.delete(models.Attachment)
                .where(models.Attachment.nic_id == nic_id,
                       models.Attachment.status == states.DETACHING,
                       models.Attachment.generation <= generation))
        actions = session.execute(
            sa.select(models.Action)
            .where(models.Action.port_id == port_id,
                   models.Action.status.in_((states.PENDING,
                                             states.RUNNING)),
                   models.Action.target_generation <= generation)
        ).scalars().all()
        for action in actions:
            action.status, action.finished_at = states.SUCCEEDED, now
            action.message = None
            _event(session, _event_type(action, 'done'), 'node'
                   if action.node_uuid else 'switch',
                   action.node_uuid or action.details.get('switch_uuid'),
                   action.project_id, _action_message(action, port.name),
                   action=action.uuid)
    return actions


def _event_type(action, outcome):
    """attachment.attach_done, port.revert_failed, ..."""
    if action.kind in (states.ACTION_ATTACH, states.ACTION_DETACH):
        return 'attachment.%s_%s' % (action.kind, outcome)
    return 'port.%s_%s' % (action.kind.replace('port_', ''), outcome)


def port_sync_failed(port_id, generation, error, retry_at, hostname=None):
    """Record a failed attempt to apply a port's intent.

    After the last attempt (``retry_at`` None) the port is marked failed
    and its pending actions fail with ``error``. Nothing is recorded if
    ``hostname`` no longer holds the claim on the switch.
    """
    now = timeutils.utcnow()
    with _writer() as session:
        port = session.execute(_for_update(
            sa.select(models.Port).where(models.Port.id == port_id),
            session)).scalar_one()
        if not _holds_claim(session, port, hostname):
            return []
        if port.desired_generation != generation:
            # New intent arrived meanwhile: it gets fresh attempts.
            return []
        port.attempts += 1
        port.last_error = error
        port.next_attempt_at = retry_at
        if retry_at is not None:
            return []
        port.sync_state = states.SYNC_FAILED
        actions = session.execute(
            sa.select(models.Action)
            .where(models.Action.port_id == port_id,
                   models.Action.status.in_((states.PENDING,
                                             states.RUNNING)))
        ).scalars().all()
        for action in actions:
            action.status, action.finished_at = states.FAILED, now
            action.message = error
            _event(session, _event_type(action, 'failed'), 'node'
                   if action.node_uuid else 'switch',
                   action.node_uuid or action.details.get('switch_uuid'),
                   action.project_id, error, action=action.uuid)
    return actions


# Switch port administration and drift audit

def _port_for_admin(session, port_id):
    port = session.execute(_for_update(
        sa.select(models.Port).where(models.Port.id == port_id),
        session)).scalar_one()
    switch = session.get(models.Switch, port.switch_id)
    return port, switch


def _port_action(session, kind, port, switch, requested_by, **details):
    details.update({'port': port.name, 'switch': switch.name,
                    'switch_uuid': switch.uuid,
                    'requested_by': requested_by})
    return _action(session, kind, None, port_id=port.id,
                   target_generation=port.desired_generation,
                   details=details)


def port_retry(port_id, requested_by):
    """Give a failed port fresh attempts; return the action to poll.

    Raises Conflict unless the port's last change failed.
    """
    with _writer() as session:
        port, switch = _port_for_admin(session, port_id)
        if port.sync_state != states.SYNC_FAILED:
            raise exception.Conflict(
                reason='Port %s of switch %s has not failed (it is %s); '
                       'there is nothing to retry.' %
                       (port.name, switch.name, port.sync_state))
        port.sync_state = states.SYNC_PENDING
        port.attempts, port.next_attempt_at = 0, None
        action = _port_action(session, states.ACTION_PORT_RETRY, port,
                              switch, requested_by,
                              last_error=port.last_error)
        session.flush()
        _event(session, 'port.retry_requested', 'switch', switch.uuid, None,
               'Retry of port %s of switch %s requested by %s after: %s' %
               (port.name, switch.name, requested_by, port.last_error),
               action=action.uuid)
    return action


def port_revert(port_id, requested_by):
    """Clear a port back to parked: detach everything the NIC on it has.

    Each attachment gets its own detach action (visible to its project);
    the returned admin action succeeds once the switch verifiably holds
    the parked port.
    """
    with _writer() as session:
        port, switch = _port_for_admin(session, port_id)
        nic = session.execute(sa.select(models.Nic).where(
            models.Nic.port_id == port.id)).scalar()
        detached = []
        if nic is not None:
            node = session.execute(_for_update(
                sa.select(models.Node).where(models.Node.id == nic.node_id),
                session)).scalar_one()
            attachments = session.execute(
                sa.select(models.Attachment).where(
                    models.Attachment.nic_id == nic.id,
                    models.Attachment.status != states.DETACHING)
            ).scalars().all()
            for attachment in attachments:
                detach = _detach(session, attachment, nic, node.project_id,
                                 node.uuid)
                detach.details = dict(detach.details,
                                      reason='port revert by %s' %
                                      requested_by)
                detached.append(detach)
        # Bump once more: a parked port is re-parked, a failed one retried.
        _bump_port(session, port.id)
        session.refresh(port)
        action = _port_action(session, states.ACTION_PORT_REVERT, port,
                              switch, requested_by,
                              detached=len(detached))
        session.flush()
        _event(session, 'port.revert_requested', 'switch', switch.uuid,
               None, 'Revert of port %s of switch %s to the parking VLAN '
               'requested by %s; %d attachment(s) removed.' %
               (port.name, switch.name, requested_by, len(detached)),
               action=action.uuid)
    return action


def port_generations(switch_id):
    """{port id: (desired_generation, sync_state)} of a switch's ports."""
    with _reader() as session:
        return {row.id: (row.desired_generation, row.sync_state)
                for row in session.execute(
                    sa.select(models.Port.id, models.Port.desired_generation,
                              models.Port.sync_state)
                    .where(models.Port.switch_id == switch_id))}


def port_drift(port_id, generation, message, repair):
    """Record drift found on an in-sync port; optionally queue a repair.

    The repair is new intent at the same desired state (a generation
    bump), so the ordinary reconciliation re-applies and verifies it.
    Returns whether a repair was queued; nothing happens if the port's
    intent changed since it was audited.
    """
    with _writer() as session:
        port, switch = _port_for_admin(session, port_id)
        if (port.desired_generation != generation or
                port.sync_state != states.IN_SYNC):
            return False
        _event(session, 'port.drift', 'switch', switch.uuid, None, message,
               port=port.name, repair=repair)
        if repair:
            _bump_port(session, port.id)
    return repair


# Imaging: images, their sharing, node disks and their exports

def _image_visible(project_id):
    """Where-clause: images a project owns or may use."""
    shared = sa.select(models.ImageAccess.image_id).where(
        models.ImageAccess.project_id == project_id)
    return sa.or_(models.Image.project_id == project_id,
                  models.Image.id.in_(shared))


def _locked(session, model, row_id):
    return session.execute(_for_update(
        sa.select(model).where(model.id == row_id), session)).scalar_one()


def image_create(project_id, values, kind, copy_of=None):
    """Record a new image (creating) and the action that will store it.

    ``copy_of`` is the id of an available image to copy; the copy lives on
    its backend. Returns (image, action).
    """
    image = models.Image(uuid=uuidutils.generate_uuid(), project_id=project_id,
                         status=states.STORE_CREATING, protected=False,
                         **values)
    _quota_ensure(project_id)
    try:
        with _writer() as session:
            _quota_lock(session, project_id)
            if copy_of is not None:
                src = _locked(session, models.Image, copy_of)
                if src.status != states.STORE_AVAILABLE:
                    raise exception.ImageInUse(
                        image=src.name, reason='it is %s' % src.status)
                image.source = 'copy:%s' % src.uuid
                image.backend, image.size = src.backend, src.size
            # An import's size is known once stored: it needs some room.
            _quota_check(session, project_id, images=1,
                         disk_bytes=image.size or 1)
            session.add(image)
            session.flush()
            action = _action(session, kind, project_id,
                             details={'image': image.uuid,
                                      'name': image.name})
            image.action_uuid = action.uuid
            _event(session, 'image.create_requested', 'image', image.uuid,
                   project_id, 'Image %s requested (%s).' %
                   (image.name, image.source or 'empty'),
                   action=action.uuid)
    except db_exc.DBDuplicateEntry:
        raise exception.DuplicateName(resource='image in this project',
                                      name=image.name)
    return image, action


def image_get(ident, project_id=None):
    """An image by UUID or name, among those ``project_id`` may see."""
    stmt = sa.select(models.Image).where(_by_ident(models.Image, ident))
    if project_id is not None:
        stmt = stmt.where(_image_visible(project_id))
    with _reader() as session:
        matches = session.execute(stmt.limit(2)).scalars().all()
    if not matches:
        raise exception.ImageNotFound(image=ident)
    if len(matches) > 1:
        own = [m for m in matches if m.project_id == project_id]
        if len(own) == 1:
            return own[0]
        raise exception.Conflict(
            reason='More than one image is named %s; use its UUID.' % ident)
    return matches[0]


def image_list(project_id=None, name=None, owner=None, status=None,
               limit=None, marker=None):
    """A page of the images ``project_id`` may see (None: all)."""
    stmt = sa.select(models.Image)
    if project_id is not None:
        stmt = stmt.where(_image_visible(project_id))
    for column, value in ((models.Image.name, name),
                          (models.Image.project_id, owner),
                          (models.Image.status, status)):
        if value is not None:
            stmt = stmt.where(column == value)
    with _reader() as session:
        marker_id = _marker_id(session, models.Image, marker,
                               exception.ImageNotFound(image=marker))
        return session.execute(_paginate(
            stmt, models.Image, limit, marker_id)).scalars().all()


def image_update(image_id, values):
    """Rename an image or change its description or protection."""
    try:
        with _writer() as session:
            image = _locked(session, models.Image, image_id)
            for key, value in values.items():
                setattr(image, key, value)
            session.flush()
            _event(session, 'image.updated', 'image', image.uuid,
                   image.project_id, 'Image %s updated (%s).' %
                   (image.name, ', '.join(sorted(values))))
    except db_exc.DBDuplicateEntry:
        raise exception.DuplicateName(resource='image in this project',
                                      name=values.get('name'))
    return image


def _image_readers(session, image):
    """Why an image is being read: disks cloned or images copied from it."""
    clones = session.execute(
        sa.select(sa.func.count()).select_from(models.Disk).where(
            models.Disk.image_uuid == image.uuid,
            models.Disk.status == states.STORE_CREATING)).scalar()
    copies = session.execute(
        sa.select(sa.func.count()).select_from(models.Image).where(
            models.Image.source == 'copy:%s' % image.uuid,
            models.Image.status == states.STORE_CREATING)).scalar()
    return clones, copies


def image_delete_begin(image_id):
    """Queue deleting an image nobody is reading; return the action."""
    with _writer() as session:
        image = _locked(session, models.Image, image_id)
        if image.protected:
            raise exception.ImageInUse(
                image=image.name, reason='it is protected; unprotect it '
                                         'first')
        if image.status in (states.STORE_CREATING, states.STORE_DELETING):
            raise exception.ImageInUse(image=image.name,
                                       reason='it is %s' % image.status)
        clones, copies = _image_readers(session, image)
        if clones or copies:
            raise exception.ImageInUse(
                image=image.name,
                reason='%d disk(s) are being cloned and %d image(s) copied '
                       'from it' % (clones, copies))
        action = _action(session, states.ACTION_IMAGE_DELETE,
                         image.project_id,
                         details={'image': image.uuid, 'name': image.name})
        image.status, image.action_uuid = states.STORE_DELETING, action.uuid
        image.claimed_by = image.claimed_at = None
        session.flush()
        _event(session, 'image.delete_requested', 'image', image.uuid,
               image.project_id, 'Deletion of image %s queued.' % image.name,
               action=action.uuid)
    return action


def image_access_list(image_id):
    """Projects an image is shared with."""
    with _reader() as session:
        return session.execute(
            sa.select(models.ImageAccess)
            .where(models.ImageAccess.image_id == image_id)
            .order_by(models.ImageAccess.id)).scalars().all()


def image_access_grant(image_id, project_id):
    """Let another project use an image; granting twice changes nothing."""
    with _writer() as session:
        image = session.get(models.Image, image_id)
        if project_id == image.project_id or session.execute(
                sa.select(models.ImageAccess.id).where(
                    models.ImageAccess.image_id == image_id,
                    models.ImageAccess.project_id == project_id)).scalar():
            return False
        session.add(models.ImageAccess(image_id=image_id,
                                       project_id=project_id))
        _event(session, 'image.access_granted', 'image', image.uuid,
               image.project_id, 'Project %s may now use image %s.' %
               (project_id, image.name))
    return True


def image_access_revoke(image_id, project_id):
    """Stop sharing an image (disks already cloned from it stay)."""
    with _writer() as session:
        image = session.get(models.Image, image_id)
        deleted = session.execute(sa.delete(models.ImageAccess).where(
            models.ImageAccess.image_id == image_id,
            models.ImageAccess.project_id == project_id)).rowcount
        if not deleted:
            raise exception.ResourceNotFound(
                path='access of project %s to image %s' % (
                    project_id, image.name))
        _event(session, 'image.access_revoked', 'image', image.uuid,
               image.project_id, 'Project %s may no longer use image %s.' %
               (project_id, image.name))


DISK_LIST_COLUMNS = tuple(
    getattr(models.Disk, c) for c in
    ('id', 'uuid', 'name', 'project_id', 'image_uuid', 'status', 'backend',
     'size', 'message', 'action_uuid', 'created_at', 'updated_at')) + (
    models.Node.uuid.label('node_uuid'), models.Node.name.label('node_name'))


def _disk_select():
    return sa.select(*DISK_LIST_COLUMNS).outerjoin(
        models.Node, models.Disk.node_id == models.Node.id)


def disk_get(ident, project_id=None):
    """A disk (with its node, as in disk_list) by UUID or name."""
    stmt = _disk_select().where(_by_ident(models.Disk, ident))
    if project_id is not None:
        stmt = stmt.where(models.Disk.project_id == project_id)
    with _reader() as session:
        matches = session.execute(stmt.limit(2)).all()
    if not matches:
        raise exception.DiskNotFound(disk=ident)
    if len(matches) > 1:
        raise exception.Conflict(
            reason='More than one disk is named %s; use its UUID.' % ident)
    return matches[0]


def disk_list(project_id=None, node_id=None, status=None, limit=None,
              marker=None):
    """A page of disks with the node each is on, ``project_id``'s only."""
    stmt = _disk_select()
    for column, value in ((models.Disk.project_id, project_id),
                          (models.Disk.node_id, node_id),
                          (models.Disk.status, status)):
        if value is not None:
            stmt = stmt.where(column == value)
    with _reader() as session:
        marker_id = _marker_id(session, models.Disk, marker,
                               exception.DiskNotFound(disk=marker))
        return session.execute(_paginate(
            stmt, models.Disk, limit, marker_id)).all()


def disk_delete_begin(disk_id):
    """Queue deleting a kept disk that no node uses; return the action."""
    with _writer() as session:
        disk = _locked(session, models.Disk, disk_id)
        if disk.node_id is not None:
            node = session.get(models.Node, disk.node_id)
            raise exception.DiskInUse(
                disk=disk.name, reason='it is on node %s; deprovision it '
                                       'with delete_disk instead' % node.name)
        if disk.status not in (states.STORE_AVAILABLE, states.STORE_ERROR):
            raise exception.DiskInUse(disk=disk.name,
                                      reason='it is %s' % disk.status)
        action = _action(session, states.ACTION_DISK_DELETE,
                         disk.project_id,
                         details={'disk': disk.uuid, 'name': disk.name})
        disk.status, disk.action_uuid = states.STORE_DELETING, action.uuid
        disk.claimed_by = disk.claimed_at = None
        _event(session, 'disk.delete_requested', 'disk', disk.uuid,
               disk.project_id, 'Deletion of disk %s queued.' % disk.name,
               action=action.uuid)
    return action


# Imaging: storage jobs (image create/import/copy/delete, disk delete)

def _claimable(model, expires_before):
    return sa.or_(model.claimed_by.is_(None),
                  model.claimed_at < expires_before)


def storage_jobs(expires_before):
    """[(kind, id)] of images and disks with storage work and no live claim.

    Images being made by a node snapshot belong to that node's action, so
    they are left out.
    """
    images = (sa.select(models.Image.id)
              .where(models.Image.status.in_((states.STORE_CREATING,
                                              states.STORE_DELETING)),
                     sa.or_(models.Image.source.is_(None),
                            ~models.Image.source.like('snapshot:%')),
                     _claimable(models.Image, expires_before))
              .order_by(models.Image.id))
    disks = (sa.select(models.Disk.id)
             .where(models.Disk.status == states.STORE_DELETING,
                    models.Disk.node_id.is_(None),
                    _claimable(models.Disk, expires_before))
             .order_by(models.Disk.id))
    with _reader() as session:
        return ([('image', i) for i in session.execute(images).scalars()] +
                [('disk', i) for i in session.execute(disks).scalars()])


_STORAGE_MODELS = {'image': models.Image, 'disk': models.Disk}


def storage_claim(kind, row_id, hostname, expires_before):
    """Take an image or disk for storage work; None if claimed elsewhere.

    Returns the row when claimed.
    """
    model = _STORAGE_MODELS[kind]
    with _writer() as session:
        claimed = session.execute(
            sa.update(model)
            .where(model.id == row_id,
                   sa.or_(_claimable(model, expires_before),
                          model.claimed_by == hostname))
            .values(claimed_by=hostname, claimed_at=timeutils.utcnow())
        ).rowcount == 1
        return session.get(model, row_id) if claimed else None


def storage_release_all(hostname):
    """Drop a conductor's storage claims (at its start-up)."""
    with _writer() as session:
        return sum(session.execute(
            sa.update(model).where(model.claimed_by == hostname)
            .values(claimed_by=None, claimed_at=None)).rowcount
            for model in _STORAGE_MODELS.values())


def _finish_action(session, action_uuid, status, message=None):
    if action_uuid is None:
        return
    session.execute(
        sa.update(models.Action)
        .where(models.Action.uuid == action_uuid,
               models.Action.status.in_((states.PENDING, states.RUNNING)))
        .values(status=status, message=message,
                finished_at=timeutils.utcnow(),
                updated_at=timeutils.utcnow()))


def image_stored(image_id, ref, size):
    """An image is stored: available, its action succeeded.

    An import's size is known only now: it must fit the project's disk
    space quota (raise DiskQuotaExceeded; the caller deletes the data).
    """
    with _reader() as session:
        project_id = session.execute(sa.select(models.Image.project_id).where(
            models.Image.id == image_id)).scalar_one()
    with _writer() as session:
        _quota_lock(session, project_id)
        image = _locked(session, models.Image, image_id)
        if size > (image.size or 0):
            _quota_check(session, image.project_id,
                         disk_bytes=size - (image.size or 0))
        image.status, image.backend_ref, image.size = (
            states.STORE_AVAILABLE, ref, size)
        image.message = image.claimed_by = image.claimed_at = None
        message = 'Image %s is available (%d bytes).' % (image.name, size)
        _finish_action(session, image.action_uuid, states.SUCCEEDED)
        _event(session, 'image.available', 'image', image.uuid,
               image.project_id, message)
    return image


def storage_failed(kind, row_id, error):
    """Storage work on an image or disk failed: error, action failed."""
    with _writer() as session:
        row = _locked(session, _STORAGE_MODELS[kind], row_id)
        row.status, row.message = states.STORE_ERROR, error
        row.claimed_by = row.claimed_at = None
        _finish_action(session, row.action_uuid, states.FAILED, error)
        _event(session, '%s.error' % kind, kind, row.uuid, row.project_id,
               error)


def storage_deleted(kind, row_id):
    """An image or disk is gone from its backend: forget it."""
    with _writer() as session:
        row = _locked(session, _STORAGE_MODELS[kind], row_id)
        if kind == 'image':
            session.execute(sa.delete(models.ImageAccess).where(
                models.ImageAccess.image_id == row_id))
        session.delete(row)
        _finish_action(session, row.action_uuid, states.SUCCEEDED)
        _event(session, '%s.deleted' % kind, kind, row.uuid, row.project_id,
               '%s %s deleted.' % (kind.capitalize(), row.name))


# Imaging: provisioning intent and its steps

_IMAGING_KINDS = (states.ACTION_PROVISION, states.ACTION_DEPROVISION,
                  states.ACTION_SNAPSHOT)


def _node_for_imaging(session, node_id, project_id):
    """Lock a node held by ``project_id`` with no imaging action under way."""
    node = _locked(session, models.Node, node_id)
    if node.project_id is None or node.project_id != project_id:
        raise exception.NodeBusy(
            node=node.name, reason='it is not held by project %s' %
            project_id)
    if node.state != states.NODE_ALLOCATED:
        raise exception.NodeBusy(node=node.name,
                                 reason='it is %s' % node.state)
    busy = session.execute(
        sa.select(models.Action.kind).where(
            models.Action.node_uuid == node.uuid,
            models.Action.kind.in_(_IMAGING_KINDS),
            models.Action.status.in_((states.PENDING, states.RUNNING)))
    ).scalar()
    if busy:
        raise exception.NodeBusy(node=node.name,
                                 reason='a %s is under way' % busy)
    return node


def _node_disk(session, node):
    return session.execute(sa.select(models.Disk).where(
        models.Disk.node_id == node.id)).scalar()


def provision_begin(node_id, project_id, image_id=None, disk_id=None,
                    disk_name=None, requested_by=None):
    """Record provisioning a node from an image or a kept disk.

    From an image, a new disk (creating) is reserved for the node; from a
    disk, that disk must belong to the project and be on no node. Returns
    the pending provision action.
    """
    _quota_ensure(project_id)
    try:
        with _writer() as session:
            _quota_lock(session, project_id)
            node = _node_for_imaging(session, node_id, project_id)
            current = _node_disk(session, node)
            if current is not None:
                raise exception.NodeBusy(
                    node=node.name, reason='it is already provisioned with '
                                           'disk %s; deprovision it first'
                                           % current.name)
            if image_id is not None:
                disk = _provision_new_disk(session, node, project_id,
                                           image_id, disk_name)
            else:
                disk = _provision_kept_disk(session, node, project_id,
                                            disk_id)
            session.flush()
            action = _node_action(session, node, states.ACTION_PROVISION,
                                  requested_by,
                                  {'disk': disk.uuid,
                                   'disk_name': disk.name,
                                   'image': disk.image_uuid,
                                   'new_disk': image_id is not None})
    except db_exc.DBDuplicateEntry as e:
        if 'node_id' in e.columns:
            raise exception.NodeBusy(node=node_id,
                                     reason='it is already provisioned')
        raise exception.DuplicateName(resource='disk in this project',
                                      name=disk_name)
    return action


def _provision_new_disk(session, node, project_id, image_id, disk_name):
    image = _locked(session, models.Image, image_id)
    if image.status != states.STORE_AVAILABLE:
        raise exception.ImageInUse(image=image.name,
                                   reason='it is %s' % image.status)
    _quota_check(session, project_id, disk_bytes=image.size or 0)
    disk = models.Disk(
        uuid=uuidutils.generate_uuid(), project_id=project_id,
        node_id=node.id, image_uuid=image.uuid,
        status=states.STORE_CREATING, backend=image.backend, size=image.size)
    disk.name = disk_name or '%s-%s' % (node.name, disk.uuid[:8])
    session.add(disk)
    return disk


def _provision_kept_disk(session, node, project_id, disk_id):
    disk = _locked(session, models.Disk, disk_id)
    if disk.project_id != project_id:
        raise exception.DiskNotFound(disk=disk.uuid)
    if disk.node_id is not None:
        raise exception.DiskInUse(disk=disk.name,
                                  reason='it is on another node')
    if disk.status != states.STORE_AVAILABLE:
        raise exception.DiskInUse(disk=disk.name,
                                  reason='it is %s' % disk.status)
    disk.node_id = node.id
    return disk


def deprovision_begin(node_id, project_id, delete_disk=False,
                      requested_by=None):
    """Record taking a node's disk off it (and deleting it if asked)."""
    with _writer() as session:
        node = _node_for_imaging(session, node_id, project_id)
        disk = _node_disk(session, node)
        if disk is None:
            raise exception.NodeBusy(node=node.name,
                                     reason='it is not provisioned')
        action = _node_action(session, node, states.ACTION_DEPROVISION,
                              requested_by,
                              {'disk': disk.uuid, 'disk_name': disk.name,
                               'delete_disk': bool(delete_disk)})
    return action


def snapshot_begin(node_id, project_id, name, description=None,
                   requested_by=None):
    """Record a snapshot of a node's disk into a new image (creating).

    Returns (image, action).
    """
    _quota_ensure(project_id)
    try:
        with _writer() as session:
            _quota_lock(session, project_id)
            node = _node_for_imaging(session, node_id, project_id)
            disk = _node_disk(session, node)
            if disk is None or disk.status != states.STORE_AVAILABLE:
                raise exception.NodeBusy(
                    node=node.name, reason='it has no disk ready to '
                                           'snapshot')
            _quota_check(session, project_id, images=1,
                         disk_bytes=disk.size or 0)
            image = models.Image(
                uuid=uuidutils.generate_uuid(), name=name,
                description=description, project_id=project_id,
                status=states.STORE_CREATING, protected=False,
                backend=disk.backend, size=disk.size,
                source='snapshot:%s' % disk.uuid)
            session.add(image)
            session.flush()
            action = _node_action(session, node, states.ACTION_SNAPSHOT,
                                  requested_by,
                                  {'disk': disk.uuid, 'image': image.uuid,
                                   'image_name': name})
            image.action_uuid = action.uuid
    except db_exc.DBDuplicateEntry:
        raise exception.DuplicateName(resource='image in this project',
                                      name=name)
    return image, action


def disk_by_uuid(disk_uuid):
    """The disk row of a UUID (conductor side); raise DiskNotFound."""
    with _reader() as session:
        disk = session.execute(sa.select(models.Disk).where(
            models.Disk.uuid == disk_uuid)).scalar()
    if disk is None:
        raise exception.DiskNotFound(disk=disk_uuid)
    return disk


def image_by_uuid(image_uuid):
    """The image row of a UUID (conductor side); raise ImageNotFound."""
    with _reader() as session:
        image = session.execute(sa.select(models.Image).where(
            models.Image.uuid == image_uuid)).scalar()
    if image is None:
        raise exception.ImageNotFound(image=image_uuid)
    return image


def disk_stored(disk_id, ref, size):
    """A disk is on its backend (cloned)."""
    with _writer() as session:
        disk = _locked(session, models.Disk, disk_id)
        disk.status, disk.backend_ref, disk.size = (states.STORE_AVAILABLE,
                                                    ref, size)
        disk.message = None


def disk_release(disk_id):
    """Take a disk off its node; it waits, kept, to be resumed."""
    with _writer() as session:
        disk = _locked(session, models.Disk, disk_id)
        disk.node_id = None


def disk_forget(disk_id):
    """Delete the row of a disk that is gone from its backend."""
    with _writer() as session:
        disk = _locked(session, models.Disk, disk_id)
        session.delete(disk)
        _event(session, 'disk.deleted', 'disk', disk.uuid, disk.project_id,
               'Disk %s deleted.' % disk.name)


def export_get(disk_id):
    """The export of a disk, or None."""
    with _reader() as session:
        return session.execute(sa.select(models.DiskExport).where(
            models.DiskExport.disk_id == disk_id)).scalar()


def exports_to_audit():
    """Active exports of nodes with no node action queued or running.

    Rows of disk_uuid, disk_name, backend, backend_ref, node_id and
    node_name. A node with work in flight, or being handed back, is left
    out: that work may be changing its export.
    """
    busy = sa.select(models.Action.id).where(
        models.Action.node_uuid == models.Node.uuid,
        models.Action.node_queue.is_(True),
        models.Action.status.in_((states.PENDING, states.RUNNING)))
    stmt = (sa.select(models.Disk.uuid.label('disk_uuid'),
                      models.Disk.name.label('disk_name'),
                      models.Disk.backend, models.Disk.backend_ref,
                      models.Node.id.label('node_id'),
                      models.Node.name.label('node_name'))
            .select_from(models.DiskExport)
            .join(models.Disk, models.DiskExport.disk_id == models.Disk.id)
            .join(models.Node, models.DiskExport.node_id == models.Node.id)
            .where(models.DiskExport.status == states.EXPORTED,
                   models.Disk.node_id == models.Node.id,
                   models.Node.state.not_in((states.NODE_RELEASING,
                                             states.NODE_RELEASE_FAILED)),
                   ~busy.exists())
            .order_by(models.DiskExport.id))
    with _reader() as session:
        return _rows(session, stmt)


def export_begin(disk_id, node_id, initiator_iqn, chap_username,
                 chap_secret):
    """Record an export about to be made (the secret already encrypted).

    Recorded first, so a conductor that takes over knows what to remove.
    """
    with _writer() as session:
        session.execute(sa.delete(models.DiskExport).where(
            models.DiskExport.disk_id == disk_id))
        export = models.DiskExport(
            disk_id=disk_id, node_id=node_id, status=states.EXPORTING,
            initiator_iqn=initiator_iqn, chap_username=chap_username,
            chap_secret=chap_secret)
        session.add(export)
    return export


def export_active(disk_id, ref, portal_host, portal_port, target_iqn, lun,
                  chap_username, chap_secret):
    """The target verifiably exists: record how the node reaches it."""
    with _writer() as session:
        export = session.execute(_for_update(
            sa.select(models.DiskExport).where(
                models.DiskExport.disk_id == disk_id), session)).scalar_one()
        export.status, export.backend_ref = states.EXPORTED, ref
        export.portal_host, export.portal_port = portal_host, portal_port
        export.target_iqn, export.lun = target_iqn, lun
        export.chap_username, export.chap_secret = chap_username, chap_secret


def export_delete(disk_id):
    """Forget the export of a disk (after the backend removed it)."""
    with _writer() as session:
        session.execute(sa.delete(models.DiskExport).where(
            models.DiskExport.disk_id == disk_id))


def image_snapshot_stored(image_id, ref, size):
    """The image made by a snapshot is stored (its action goes on)."""
    with _writer() as session:
        image = _locked(session, models.Image, image_id)
        image.status, image.backend_ref, image.size = (
            states.STORE_AVAILABLE, ref, size)
        _event(session, 'image.available', 'image', image.uuid,
               image.project_id, 'Image %s is available (%d bytes).' %
               (image.name, size))


def image_snapshot_failed(image_id, error):
    """The snapshot making an image failed (its action fails separately)."""
    with _writer() as session:
        image = _locked(session, models.Image, image_id)
        image.status, image.message = states.STORE_ERROR, error
        _event(session, 'image.error', 'image', image.uuid, image.project_id,
               error)


def boot_target(mac):
    """The node owning a MAC and its active export.

    (node, None) if the node has no active export; (None, None) for an
    unknown MAC.
    """
    with _reader() as session:
        node = session.execute(
            sa.select(models.Node).join(
                models.Nic, models.Nic.node_id == models.Node.id)
            .where(sa.func.lower(models.Nic.mac) == mac.lower())).scalar()
        if node is None:
            return None, None
        export = session.execute(sa.select(models.DiskExport).where(
            models.DiskExport.node_id == node.id,
            models.DiskExport.status == states.EXPORTED)).scalar()
    return node, export


# Hand-back: a node goes back to the free pool (conductor/handback.py)

def node_release_begin(node_id, requested_by, lease_uuid=None):
    """Queue the hand-back of a node; return its release action.

    The node is ``releasing`` at once: the project's queued actions are
    cancelled and it may start no new work on the node. A conductor then
    runs the hand-back's steps. A node in ``handback_failed`` is handed
    back again (an admin's retry).
    """
    with _writer() as session:
        node = _locked(session, models.Node, node_id)
        return _release_begin(session, node, requested_by, lease_uuid)


def _release_begin(session, node, requested_by, lease_uuid=None):
    if node.project_id is None:
        raise exception.NodeBusy(node=node.name, reason='it is already free')
    if node.state == states.NODE_RELEASING:
        raise exception.NodeBusy(node=node.name,
                                 reason='it is already being released')
    retry = node.state == states.NODE_RELEASE_FAILED
    cancelled = _cancel_node_actions(
        session, node, 'Cancelled: node %s is being handed back by project '
        '%s.' % (node.name, node.project_id))
    node.state = states.NODE_RELEASING
    action = _action(session, states.ACTION_RELEASE, node.project_id,
                     node_uuid=node.uuid, node_queue=True,
                     details={'requested_by': requested_by,
                              'lease': lease_uuid, 'retry': retry})
    session.flush()
    _event(session, 'node.handback_started', 'node', node.uuid,
           node.project_id, '%s of node %s from project %s %s; %d queued '
           'action(s) cancelled.' % (
               'Retry of the hand-back' if retry else 'Hand-back', node.name,
               node.project_id, 'at the end of lease %s' % lease_uuid
               if lease_uuid else 'requested by %s' % requested_by,
               len(cancelled)),
           action=action.uuid, lease=lease_uuid)
    return action


def node_action_step(action_id, hostname, details, event_type, message,
                     **event_details):
    """Record a step of a running action and its event, in one transaction.

    Renews the claim like node_action_progress; returns False if the
    claim was lost to another conductor.
    """
    with _writer() as session:
        action = session.execute(_for_update(
            sa.select(models.Action).where(
                models.Action.id == action_id,
                models.Action.status == states.RUNNING,
                models.Action.claimed_by == hostname), session)).scalar()
        if action is None:
            return False
        action.details = dict(action.details, **details)
        action.claimed_at = timeutils.utcnow()
        _event(session, event_type, 'node', action.node_uuid,
               action.project_id, message, action=action.uuid,
               **event_details)
        return True


def handback_detach(node_id):
    """Detach every network of a node and make its ports re-apply.

    Each attachment gets a detach action (visible to its project); every
    cabled port's intent is bumped so that the switch verifiably parks
    it, even with nothing attached. Returns {port_id: generation}: what
    each port must reach.
    """
    with _writer() as session:
        node = _locked(session, models.Node, node_id)
        nics = session.execute(sa.select(models.Nic).where(
            models.Nic.node_id == node.id,
            models.Nic.port_id.is_not(None))).scalars().all()
        targets = {}
        for nic in nics:
            attachments = session.execute(sa.select(models.Attachment).where(
                models.Attachment.nic_id == nic.id,
                models.Attachment.status != states.DETACHING)).scalars()
            for attachment in attachments:
                _detach(session, attachment, nic, node.project_id, node.uuid)
            targets[nic.port_id] = _bump_port(session, nic.port_id)
    return targets


def handback_ports(targets):
    """Ports of a hand-back not yet verified at their target generation.

    Returns (pending, failed): rows with switch_id, name, sync_state,
    last_error and next_attempt_at; failed ports gave up.
    """
    if not targets:
        return [], []
    with _reader() as session:
        rows = session.execute(
            sa.select(models.Port.id, models.Port.switch_id,
                      models.Port.name, models.Port.applied_generation,
                      models.Port.sync_state, models.Port.last_error,
                      models.Port.next_attempt_at,
                      models.Switch.name.label('switch_name'))
            .join(models.Switch, models.Port.switch_id == models.Switch.id)
            .where(models.Port.id.in_(list(targets)))).all()
    waiting = [r for r in rows if r.applied_generation < targets[r.id]]
    failed = [r for r in waiting if r.sync_state == states.SYNC_FAILED]
    return [r for r in waiting if r not in failed], failed


def handback_revoke_console(node_id):
    """Revoke a node's console tokens, drop its log; (count, holder)."""
    with _writer() as session:
        console = session.get(models.NodeConsole, node_id)
        holder = console.conductor if console is not None else None
        return _console_forget(session, node_id), holder


def disk_on_node(node_id):
    """The disk provisioned on a node, or None."""
    with _reader() as session:
        return session.execute(sa.select(models.Disk).where(
            models.Disk.node_id == node_id)).scalar()


# Quotas: per-project limits, checked under a lock on the project's row

QUOTA_RESOURCES = ('nodes', 'networks', 'images', 'disk_gb')
_GIB = 1 << 30


def _quota_ensure(project_id):
    """Make sure the project has a quota row to lock (its own transaction).

    Called before the transaction that checks quota: on PostgreSQL a
    failed insert would abort that transaction, and on MariaDB inserting
    into a locked gap can deadlock.
    """
    with _reader() as session:
        if session.execute(sa.select(models.Quota.id).where(
                models.Quota.project_id == project_id)).scalar():
            return
    try:
        with _writer() as session:
            session.add(models.Quota(project_id=project_id))
    except db_exc.DBDuplicateEntry:
        pass


def quota_limits(row):
    """{resource: limit} of a quota row (None: the [quota] defaults)."""
    return {name: getattr(CONF.quota, name) if row is None or
            getattr(row, name) is None else getattr(row, name)
            for name in QUOTA_RESOURCES}


def _quota_usage(session, project_id):
    """{resource: in use}; disk space in bytes."""
    def count(model):
        return session.execute(sa.select(sa.func.count()).select_from(
            model).where(model.project_id == project_id)).scalar()

    def size(model):
        return session.execute(sa.select(
            sa.func.coalesce(sa.func.sum(model.size), 0)).where(
            model.project_id == project_id)).scalar()
    return {'nodes': count(models.Node), 'networks': count(models.Network),
            'images': count(models.Image),
            'disk_gb': int(size(models.Image)) + int(size(models.Disk))}


def _quota_lock(session, project_id):
    """Lock a project's quota row (the first statement of a transaction).

    Requests that consume a project's quota take this lock first, so they
    check one after the other, each seeing what the others committed.
    """
    return session.execute(_for_update(
        sa.select(models.Quota).where(models.Quota.project_id == project_id),
        session)).scalar()


def _quota_check(session, project_id, nodes=0, networks=0, images=0,
                 disk_bytes=0):
    """Check, under the project's quota lock, that a request fits.

    :raises: QuotaExceeded, DiskQuotaExceeded
    """
    limits = quota_limits(_quota_lock(session, project_id))
    used = _quota_usage(session, project_id)
    for name, wanted in (('nodes', nodes), ('networks', networks),
                         ('images', images)):
        if wanted and limits[name] >= 0 and \
                used[name] + wanted > limits[name]:
            raise exception.QuotaExceeded(
                project=project_id, limit=limits[name], used=used[name],
                resource=name if limits[name] != 1 else name[:-1],
                wanted=wanted)
    limit = limits['disk_gb']
    if disk_bytes and limit >= 0 and used['disk_gb'] + disk_bytes > \
            limit * _GIB:
        raise exception.DiskQuotaExceeded(
            project=project_id, limit=limit,
            used=round(used['disk_gb'] / _GIB, 2),
            wanted=round(disk_bytes / _GIB, 2))


def quota_get(project_id):
    """(limits, usage, explicit) of a project; disk usage in GiB."""
    with _reader() as session:
        row = session.execute(sa.select(models.Quota).where(
            models.Quota.project_id == project_id)).scalar()
        used = _quota_usage(session, project_id)
    used['disk_gb'] = round(used['disk_gb'] / _GIB, 3)
    explicit = {name: getattr(row, name) for name in QUOTA_RESOURCES
                if row is not None and getattr(row, name) is not None}
    return quota_limits(row), used, explicit


def quota_list():
    """Projects with limits of their own."""
    with _reader() as session:
        return session.execute(sa.select(models.Quota).order_by(
            models.Quota.project_id)).scalars().all()


def quota_update(project_id, values):
    """Set a project's limits (None: back to the default)."""
    _quota_ensure(project_id)
    with _writer() as session:
        row = session.execute(_for_update(
            sa.select(models.Quota).where(
                models.Quota.project_id == project_id),
            session)).scalar_one()
        for name, value in values.items():
            setattr(row, name, value)
        _event(session, 'quota.updated', 'project', None, project_id,
               'Quota of project %s set: %s.' % (project_id, ', '.join(
                   '%s=%s' % (k, 'default' if v is None else v)
                   for k, v in sorted(values.items()))),
               **values)


# Leases: projects holding nodes for a period (conductor/leases.py)

def _iso(when):
    return when.isoformat(timespec='seconds')


def _active_message(lease, names):
    """The message of an active lease holding the nodes ``names``."""
    return 'Active: project %s holds %s until %s.' % (
        lease.project_id, names, _iso(lease.end_at))


def _lease_label(lease):
    return '%s (%s)' % (lease.name, lease.uuid) if lease.name else lease.uuid


def _lease_overlap(session, node_uuid, start, end, exclude=None):
    """The live lease reserving or holding a node in [start, end), or None."""
    stmt = (sa.select(models.Lease)
            .join(models.LeaseNode,
                  models.LeaseNode.lease_id == models.Lease.id)
            .where(models.LeaseNode.node_uuid == node_uuid,
                   models.LeaseNode.state.in_((states.LEASE_NODE_RESERVED,
                                               states.LEASE_NODE_HELD)),
                   models.Lease.state.in_(states.LEASE_LIVE),
                   models.Lease.start_at < end, models.Lease.end_at > start)
            .order_by(models.Lease.start_at).limit(1))
    if exclude is not None:
        stmt = stmt.where(models.Lease.id != exclude)
    return session.execute(stmt).scalar()


def _refuse_overlap(session, node, start, end, exclude=None):
    other = _lease_overlap(session, node.uuid, start, end, exclude)
    if other is not None:
        raise exception.LeaseOverlap(node=node.name,
                                     lease=_lease_label(other),
                                     start=_iso(other.start_at),
                                     end=_iso(other.end_at))


def lease_create(values, node_id=None):
    """Record a lease; a lease of one node reserves it for the period.

    The node's row is locked while overlapping leases are looked for, so
    concurrent requests never reserve one node twice.

    :raises: LeaseOverlap naming the lease already holding the period
    """
    lease = models.Lease(uuid=uuidutils.generate_uuid(),
                         state=states.LEASE_CREATED, **values)
    with _writer() as session:
        node = None
        if node_id is not None:
            node = _locked(session, models.Node, node_id)
            _refuse_overlap(session, node, lease.start_at, lease.end_at)
        session.add(lease)
        session.flush()
        if node is not None:
            session.add(models.LeaseNode(
                lease_id=lease.id, node_uuid=node.uuid, node_name=node.name,
                state=states.LEASE_NODE_RESERVED))
        what = ('node %s' % node.name if node is not None else
                '%d node(s)%s' % (lease.node_count, ' matching %s' %
                                  lease.node_filter if lease.node_filter
                                  else ''))
        _event(session, 'lease.created', 'lease', lease.uuid,
               lease.project_id, 'Lease %s of %s for project %s from %s to '
               '%s created.' % (_lease_label(lease), what, lease.project_id,
                                _iso(lease.start_at), _iso(lease.end_at)))
    return lease


def lease_get(ident, project_id=None):
    """A lease by UUID or name, ``project_id``'s only unless None."""
    stmt = sa.select(models.Lease).where(_by_ident(models.Lease, ident))
    if project_id is not None:
        stmt = stmt.where(models.Lease.project_id == project_id)
    with _reader() as session:
        matches = session.execute(stmt.limit(2)).scalars().all()
    if not matches:
        raise exception.LeaseNotFound(lease=ident)
    if len(matches) > 1:
        raise exception.Conflict(
            reason='More than one lease is named %s; use its UUID.' % ident)
    return matches[0]


def lease_list(project_id=None, state=None, node_uuid=None, limit=None,
               marker=None):
    """A page of leases, ``project_id``'s only unless it is None."""
    stmt = sa.select(models.Lease)
    for column, value in ((models.Lease.project_id, project_id),
                          (models.Lease.state, state)):
        if value is not None:
            stmt = stmt.where(column == value)
    if node_uuid is not None:
        stmt = stmt.where(models.Lease.id.in_(
            sa.select(models.LeaseNode.lease_id).where(
                models.LeaseNode.node_uuid == node_uuid)))
    with _reader() as session:
        marker_id = _marker_id(session, models.Lease, marker,
                               exception.LeaseNotFound(lease=marker))
        return session.execute(_paginate(
            stmt, models.Lease, limit, marker_id)).scalars().all()


def lease_nodes(lease_ids):
    """{lease id: [LeaseNode, ...]} of some leases."""
    result = {lease_id: [] for lease_id in lease_ids}
    if not lease_ids:
        return result
    with _reader() as session:
        for row in session.execute(
                sa.select(models.LeaseNode)
                .where(models.LeaseNode.lease_id.in_(list(lease_ids)))
                .order_by(models.LeaseNode.id)).scalars():
            result[row.lease_id].append(row)
    return result


def _lease_rows(session, lease, *node_states):
    return session.execute(
        sa.select(models.LeaseNode)
        .where(models.LeaseNode.lease_id == lease.id,
               models.LeaseNode.state.in_(node_states))
        .order_by(models.LeaseNode.id)).scalars().all()


def _node_by_uuid(session, node_uuid):
    return session.execute(_for_update(
        sa.select(models.Node).where(models.Node.uuid == node_uuid),
        session)).scalar()


def lease_update(lease_id, values):
    """Change a live lease's name, description, start or end.

    A new period is checked against the other leases of its nodes, with
    their rows locked.

    :raises: LeaseInvalidState, LeaseOverlap, InvalidParameter
    """
    with _writer() as session:
        lease = _locked(session, models.Lease, lease_id)
        if lease.state not in states.LEASE_LIVE:
            raise exception.LeaseInvalidState(
                lease=_lease_label(lease), reason='it is %s' % lease.state)
        if 'start_at' in values and lease.state != states.LEASE_CREATED:
            raise exception.LeaseInvalidState(
                lease=_lease_label(lease),
                reason='it has started; only its end can change')
        start = values.get('start_at', lease.start_at)
        end = values.get('end_at', lease.end_at)
        if end <= start:
            raise exception.InvalidParameter(
                reason='Invalid body field end: must be after the start '
                       '(%s).' % _iso(start))
        if (start, end) != (lease.start_at, lease.end_at):
            for row in _lease_rows(session, lease,
                                   states.LEASE_NODE_RESERVED,
                                   states.LEASE_NODE_HELD):
                node = _node_by_uuid(session, row.node_uuid)
                if node is not None:
                    _refuse_overlap(session, node, start, end,
                                    exclude=lease.id)
        old = {'start': _iso(lease.start_at), 'end': _iso(lease.end_at)}
        for key, value in values.items():
            setattr(lease, key, value)
        if lease.state == states.LEASE_ACTIVE:
            held = _lease_rows(session, lease, states.LEASE_NODE_HELD)
            lease.message = _active_message(
                lease, ', '.join(r.node_name for r in held))
        session.flush()
        _event(session, 'lease.updated', 'lease', lease.uuid,
               lease.project_id, 'Lease %s updated (%s): now from %s to %s.'
               % (_lease_label(lease), ', '.join(sorted(values)),
                  _iso(lease.start_at), _iso(lease.end_at)), previous=old)
    return lease


def leases_due(now):
    """IDs of leases due to start and to end: (to start, to end)."""
    with _reader() as session:
        to_start = session.execute(
            sa.select(models.Lease.id)
            .where(models.Lease.state == states.LEASE_CREATED,
                   models.Lease.start_at <= now)
            .order_by(models.Lease.start_at, models.Lease.id)).scalars().all()
        to_end = session.execute(
            sa.select(models.Lease.id)
            .where(models.Lease.state == states.LEASE_ACTIVE,
                   models.Lease.end_at <= now)
            .order_by(models.Lease.end_at, models.Lease.id)).scalars().all()
    return to_start, to_end


def leases_settling():
    """IDs of ended leases whose nodes are being handed back."""
    with _reader() as session:
        return sorted(session.execute(
            sa.select(models.LeaseNode.lease_id).distinct()
            .where(models.LeaseNode.state == states.LEASE_NODE_RELEASING)
        ).scalars().all())


class _LeaseRaced(Exception):
    """A node of a starting lease was taken meanwhile: roll back, retry."""


def lease_start(lease_id, now, grace):
    """Give a due lease its nodes, all or none.

    Returns (outcome, lease, node UUIDs) where outcome is ``started``,
    ``waiting`` (its nodes are not all free yet, or the project holds its
    quota, and the lease started less than ``grace`` seconds ago) or
    ``error``; (None, lease, []) when another conductor got there first.
    """
    _quota_ensure(lease_by_id(lease_id).project_id)
    try:
        return _lease_start(lease_id, now, grace)
    except _LeaseRaced:
        return 'waiting', lease_by_id(lease_id), []


def lease_by_id(lease_id):
    """The lease of an internal id (conductor side)."""
    with _reader() as session:
        return session.get(models.Lease, lease_id)


def _lease_start(lease_id, now, grace):
    with _writer() as session:
        lease = _locked(session, models.Lease, lease_id)
        if lease.state != states.LEASE_CREATED or lease.start_at > now:
            return None, lease, []
        _quota_lock(session, lease.project_id)
        reserved = _lease_rows(session, lease, states.LEASE_NODE_RESERVED)
        if now >= lease.end_at:
            nodes, problem = [], 'it ended before its nodes were free'
        elif reserved:
            nodes, problem = _lease_named_nodes(session, reserved)
        else:
            nodes, problem = _lease_candidates(session, lease, now)
        if problem is None:
            try:
                _quota_check(session, lease.project_id, nodes=len(nodes))
            except exception.QuotaExceeded as e:
                problem = e.message
        if problem is not None:
            return _lease_not_started(session, lease, reserved, now, grace,
                                      problem)
        taken = session.execute(
            sa.update(models.Node)
            .where(models.Node.id.in_([n.id for n in nodes]),
                   models.Node.project_id.is_(None),
                   models.Node.state == states.NODE_FREE)
            .values(project_id=lease.project_id,
                    state=states.NODE_ALLOCATED, updated_at=now)).rowcount
        if taken != len(nodes):
            raise _LeaseRaced()
        rows = {row.node_uuid: row for row in reserved}
        for node in nodes:
            row = rows.get(node.uuid)
            if row is None:
                row = models.LeaseNode(lease_id=lease.id,
                                       node_uuid=node.uuid,
                                       node_name=node.name)
                session.add(row)
            row.state = states.LEASE_NODE_HELD
            _event(session, 'node.assigned', 'node', node.uuid,
                   lease.project_id, 'Node %s given to project %s by lease '
                   '%s.' % (node.name, lease.project_id,
                            _lease_label(lease)), lease=lease.uuid)
        names = ', '.join(n.name for n in nodes)
        lease.state, lease.started_at = states.LEASE_ACTIVE, now
        lease.message = _active_message(lease, names)
        _event(session, 'lease.started', 'lease', lease.uuid,
               lease.project_id, 'Lease %s started: project %s holds %s '
               'until %s.' % (_lease_label(lease), lease.project_id, names,
                              _iso(lease.end_at)),
               nodes=[n.uuid for n in nodes])
        return 'started', lease, [n.uuid for n in nodes]


def _lease_named_nodes(session, reserved):
    """The reserved nodes of a lease, or why they cannot be given now."""
    nodes = []
    for row in reserved:
        node = session.execute(sa.select(models.Node).where(
            models.Node.uuid == row.node_uuid)).scalar()
        if node is None:
            return [], 'node %s was deleted' % row.node_name
        if node.project_id is not None or node.state != states.NODE_FREE:
            return [], 'node %s is not free (%s%s)' % (
                node.name, node.state, ', held by project %s' %
                node.project_id if node.project_id else '')
        nodes.append(node)
    return nodes, None


def _lease_candidates(session, lease, now):
    """Free nodes for a lease asking for a count, or why there are none.

    Nodes reserved by other leases overlapping this one's period are left
    out; ``node_filter`` {"name": "<shell pattern>"} narrows the choice.
    """
    promised = (sa.select(models.LeaseNode.node_uuid)
                .join(models.Lease,
                      models.LeaseNode.lease_id == models.Lease.id)
                .where(models.LeaseNode.state.in_((
                       states.LEASE_NODE_RESERVED, states.LEASE_NODE_HELD)),
                       models.Lease.state.in_(states.LEASE_LIVE),
                       models.Lease.id != lease.id,
                       models.Lease.start_at < lease.end_at,
                       models.Lease.end_at > now))
    free = session.execute(
        sa.select(models.Node)
        .where(models.Node.project_id.is_(None),
               models.Node.state == states.NODE_FREE,
               models.Node.uuid.not_in(promised))
        .order_by(models.Node.id)).scalars().all()
    pattern = (lease.node_filter or {}).get('name')
    matching = [n for n in free
                if pattern is None or fnmatch.fnmatchcase(n.name, pattern)]
    if len(matching) < lease.node_count:
        return [], 'only %d of the %d node(s) it asks for%s are free' % (
            len(matching), lease.node_count,
            ' (named like %s)' % pattern if pattern else '')
    return matching[:lease.node_count], None


def _lease_not_started(session, lease, reserved, now, grace, problem):
    if (now - lease.start_at).total_seconds() < grace and \
            now < lease.end_at:
        message = 'Waiting to start: %s.' % problem
        if lease.message != message:
            lease.message = message
            _event(session, 'lease.waiting', 'lease', lease.uuid,
                   lease.project_id, 'Lease %s is due but waits: %s.' %
                   (_lease_label(lease), problem))
        return 'waiting', lease, []
    lease.state, lease.ended_at = states.LEASE_ERROR, now
    lease.message = 'Could not start: %s.' % problem
    for row in reserved:
        row.state = states.LEASE_NODE_DROPPED
    _event(session, 'lease.error', 'lease', lease.uuid, lease.project_id,
           'Lease %s could not start: %s.' % (_lease_label(lease), problem))
    return 'error', lease, []


def lease_end(lease_id, final_state, requested_by, now):
    """End a lease (expired or cancelled): hand back the nodes it holds.

    Returns (lease, UUIDs of nodes whose hand-back was queued), or
    (lease, None) if the lease had already ended. A node that left the
    lease meanwhile (handed back by an admin) is dropped from it.
    """
    with _writer() as session:
        lease = _locked(session, models.Lease, lease_id)
        if lease.state not in states.LEASE_LIVE or (
                final_state == states.LEASE_EXPIRED and
                (lease.state != states.LEASE_ACTIVE or lease.end_at > now)):
            return lease, None
        queued, handing = [], 0
        for row in _lease_rows(session, lease, states.LEASE_NODE_RESERVED,
                               states.LEASE_NODE_HELD):
            node = (_node_by_uuid(session, row.node_uuid)
                    if row.state == states.LEASE_NODE_HELD else None)
            if node is None or node.project_id != lease.project_id:
                row.state = states.LEASE_NODE_DROPPED
                continue
            if node.state == states.NODE_RELEASING:
                row.action_uuid = session.execute(
                    sa.select(models.Action.uuid).where(
                        models.Action.node_uuid == node.uuid,
                        models.Action.kind == states.ACTION_RELEASE,
                        models.Action.status.in_(
                            (states.PENDING, states.RUNNING)))).scalar()
            else:
                row.action_uuid = _release_begin(
                    session, node, requested_by, lease.uuid).uuid
                queued.append(node.uuid)
            row.state = states.LEASE_NODE_RELEASING
            handing += 1
        lease.state, lease.ended_at = final_state, now
        lease.message = ('%s; hand-back of %d node(s) under way.' % (
            final_state.capitalize(), handing) if handing
            else '%s.' % final_state.capitalize())
        _event(session, 'lease.%s' % final_state, 'lease', lease.uuid,
               lease.project_id, 'Lease %s %s%s; %d node(s) handed back.' % (
                   _lease_label(lease), final_state,
                   ' by %s' % requested_by
                   if final_state == states.LEASE_CANCELLED else '',
                   handing), requested_by=requested_by)
        return lease, queued


def lease_settle(lease_id):
    """Follow the hand-backs of an ended lease's nodes.

    Returns (outcome, lease): ``released`` once every node is back in the
    free pool, ``error`` when a hand-back failed, None meanwhile.
    """
    with _writer() as session:
        lease = _locked(session, models.Lease, lease_id)
        rows = _lease_rows(session, lease, states.LEASE_NODE_RELEASING)
        failures = []
        for row in rows:
            action = session.execute(sa.select(models.Action).where(
                models.Action.uuid == row.action_uuid)).scalar() \
                if row.action_uuid else None
            if action is not None and action.status == states.FAILED:
                row.state = states.LEASE_NODE_FAILED
                failures.append('node %s: %s' % (row.node_name,
                                                 action.message))
            elif (action is not None and action.status ==
                  states.SUCCEEDED) or (action is None and not
                                        _held_by(session, row, lease)):
                row.state = states.LEASE_NODE_RELEASED
        if failures:
            lease.state = states.LEASE_ERROR
            lease.message = 'Hand-back failed: %s' % '; '.join(failures)
            _event(session, 'lease.error', 'lease', lease.uuid,
                   lease.project_id, 'Lease %s: %s' % (
                       _lease_label(lease), lease.message))
            return 'error', lease
        if any(row.state == states.LEASE_NODE_RELEASING for row in rows):
            return None, lease
        if lease.state == states.LEASE_ERROR:
            return None, lease
        lease.message = '%s; its nodes are back in the free pool.' % (
            lease.state.capitalize())
        _event(session, 'lease.released', 'lease', lease.uuid,
               lease.project_id, 'Lease %s: every node was handed back.' %
               _lease_label(lease))
        return 'released', lease


def _held_by(session, row, lease):
    return session.execute(sa.select(models.Node.id).where(
        models.Node.uuid == row.node_uuid,
        models.Node.project_id == lease.project_id)).scalar() is not None
