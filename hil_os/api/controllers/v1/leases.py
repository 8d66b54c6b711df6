"""Leases: a project holds nodes from a start to an end.

The API records the lease (a node lease reserves its node at once, and
overlapping leases of a node are refused); the conductors' lease engine
(conductor/leases.py) gives the nodes at the start and hands them back
at the end.
"""

import datetime
import http.client

from oslo_config import cfg
from oslo_utils import timeutils
import pecan
from pecan import rest

from hil_os.api import expose
from hil_os.api import lookup
from hil_os.api import pagination
from hil_os.api.schemas import lease as schemas
from hil_os.api import validation
from hil_os.common import exception
from hil_os.common import notify
from hil_os.common import policy
from hil_os.db import api as dbapi

CONF = cfg.CONF

LEASE_FIELDS = ('uuid', 'name', 'description', 'project_id', 'state',
                'node_count', 'message', 'created_by', 'started_at',
                'ended_at', 'created_at', 'updated_at')


def lease_dict(row, nodes):
    """The API view of a lease and where it stands with each node."""
    body = expose.fields(row, LEASE_FIELDS)
    body.update(start=row.start_at, end=row.end_at,
                filter=row.node_filter,
                nodes=[{'uuid': n.node_uuid, 'name': n.node_name,
                        'state': n.state} for n in nodes])
    return body


def _one(row):
    return lease_dict(row, dbapi.lease_nodes([row.id])[row.id])


def parse_time(body, field):
    """A body field's time as naive UTC; 400 naming the field if bad."""
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(body[field]))
    except ValueError as e:
        raise exception.InvalidParameter(
            reason='Invalid body field %s: %s' % (field, e))


def duration(seconds):
    """'30 days', '1 hour 30 minutes': a length for messages."""
    parts = []
    for unit, size in (('day', 86400), ('hour', 3600), ('minute', 60),
                       ('second', 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append('%d %s%s' % (count, unit, 's' if count > 1 else ''))
    return ' '.join(parts) or '0 seconds'


def check_period(start, end, now, field='end'):
    """Refuse an end not after the start, in the past, or too far."""
    if end <= start:
        raise exception.InvalidParameter(
            reason='Invalid body field %s: must be after the start (%s).' %
            (field, start.isoformat(timespec='seconds')))
    if end < now:
        raise exception.InvalidParameter(
            reason='Invalid body field %s: must not be in the past.' % field)
    longest = CONF.lease.max_length
    if longest and (end - start).total_seconds() > longest:
        raise exception.InvalidParameter(
            reason='Invalid body field %s: a lease may last at most %s '
                   '(from %s, so end by %s).' % (
                       field, duration(longest),
                       start.isoformat(timespec='seconds'),
                       (start + datetime.timedelta(seconds=longest))
                       .isoformat(timespec='seconds')))


class LeasesController(rest.RestController):
    """/v1/leases: time-limited holdings of nodes."""

    @expose.expose()
    @validation.query_params(schemas.LIST_QUERY)
    def get_all(self, **params):
        """List the caller's project's leases (all, for an admin)."""
        ctx = pecan.request.context
        project_id = lookup.list_scope(ctx, 'hil:lease:list', params)
        page_size = pagination.limit(params)
        node_uuid = None
        if 'node' in params:
            try:
                node_uuid = dbapi.node_get(params['node']).uuid
            except exception.NodeNotFound:
                node_uuid = params['node']
        rows = dbapi.lease_list(project_id=project_id,
                                state=params.get('state'),
                                node_uuid=node_uuid, limit=page_size,
                                marker=params.get('marker'))
        nodes = dbapi.lease_nodes([r.id for r in rows])
        return pagination.page(
            'leases', [lease_dict(r, nodes[r.id]) for r in rows], params,
            page_size)

    @expose.expose()
    def get_one(self, lease_ident):
        """Show a lease."""
        ctx = pecan.request.context
        return _one(lookup.lease(ctx, lease_ident, 'hil:lease:get'))

    @expose.expose(status_code=http.client.CREATED)
    @validation.body(schemas.CREATE)
    def post(self, *, body):
        """Lease a node, or a number of free nodes, to a project.

        A lease of a named node reserves it for the period at once: a
        lease overlapping another of that node is refused (409, naming
        it). A lease of ``count`` nodes (optionally matching ``filter``)
        gets free nodes when it starts. The conductors start the lease at
        ``start`` (default: now) and hand the nodes back at ``end``.
        """
        ctx = pecan.request.context
        policy.authorize('hil:lease:create', ctx)
        now = timeutils.utcnow()
        start = parse_time(body, 'start') if 'start' in body else now
        end = parse_time(body, 'end')
        check_period(start, end, now)
        if 'node' in body and 'filter' in body:
            raise exception.InvalidParameter(
                reason='Invalid body: "filter" goes with "count", not with '
                       '"node".')
        node_id = None
        if 'node' in body:
            node_id = dbapi.node_get(body['node']).id
        count = body.get('count', 1)
        limit = dbapi.quota_get(body['project_id'])[0]['nodes']
        if 0 <= limit < count:
            raise exception.LeaseOverQuota(
                project=body['project_id'], limit=limit, wanted=count)
        lease = dbapi.lease_create({
            'name': body.get('name'), 'description': body.get('description'),
            'project_id': body['project_id'], 'start_at': start,
            'end_at': end, 'node_count': count,
            'node_filter': body.get('filter'), 'created_by': ctx.user_id},
            node_id=node_id)
        if start <= now:
            pecan.request.conductor.kick(ctx)
        pecan.response.location = pagination.link(
            '/v1/leases/%s' % lease.uuid)
        return _one(lease)

    @expose.expose()
    @validation.body(schemas.UPDATE)
    def patch(self, lease_ident, *, body):
        """Rename a lease, move its start, extend or shorten it.

        A later end needs hil:lease:extend, an earlier one hil:lease:update
        (both open to the project's members by default); an end in the past
        ends the lease now. The new period is checked against [lease]
        max_length and the node's other leases.
        """
        ctx = pecan.request.context
        lease = lookup.lease(ctx, lease_ident, 'hil:lease:get')
        target = {'project_id': lease.project_id}
        now = timeutils.utcnow()
        values = {k: body[k] for k in ('name', 'description') if k in body}
        if values:
            policy.authorize('hil:lease:update', ctx, target)
        start, end = lease.start_at, lease.end_at
        if 'start' in body:
            policy.authorize('hil:lease:update:start', ctx, target)
            start = values['start_at'] = parse_time(body, 'start')
        if 'end' in body:
            # An end already past ends the lease now.
            end = values['end_at'] = max(parse_time(body, 'end'), now)
            policy.authorize('hil:lease:extend' if end > lease.end_at
                             else 'hil:lease:update', ctx, target)
        if 'start' in body or 'end' in body:
            check_period(start, end, now,
                         field='end' if 'end' in body else 'start')
        lease = dbapi.lease_update(lease.id, values)
        if end <= now or start <= now:
            pecan.request.conductor.kick(ctx)
        return _one(lease)

    @expose.expose(status_code=http.client.ACCEPTED)
    def delete(self, lease_ident):
        """Cancel a lease: the nodes it holds are handed back."""
        ctx = pecan.request.context
        lease = lookup.lease(ctx, lease_ident, 'hil:lease:delete')
        lease, queued = dbapi.lease_end(lease.id, 'cancelled', ctx.user_id,
                                        timeutils.utcnow())
        if queued is None:
            raise exception.LeaseInvalidState(
                lease=lease_ident, reason='it has already ended (%s)' %
                lease.state)
        notify.info('lease.end', notify.lease_payload(lease, nodes=queued),
                    ctx)
        for node_uuid in queued:
            pecan.request.conductor.run_node_actions(ctx, node_uuid)
        return _one(lease)
