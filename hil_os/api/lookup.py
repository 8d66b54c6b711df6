"""Loading resources scoped to the caller, then checking the action rule.

A resource the caller may not see answers 404, exactly as if it did not
exist; 403 only where the caller can see it but its role may not act.
"""

from hil_os.common import exception
from hil_os.common import policy
from hil_os.db import api as dbapi


def node_target(node):
    return {'project_id': node.project_id or ''}


def node(ctx, ident, rule):
    """Load a node the caller may see, then check ``rule`` against it."""
    try:
        row = dbapi.node_get(ident)
        policy.authorize('hil:node:get', ctx, node_target(row))
    except (exception.NodeNotFound, exception.Forbidden):
        raise exception.NodeNotFound(node=ident)
    if rule != 'hil:node:get':
        policy.authorize(rule, ctx, node_target(row))
    return row


def nic(ctx, node_ident, nic_ident, rule):
    """Load a NIC of a node the caller may see; return (node, nic)."""
    node_row = node(ctx, node_ident, 'hil:nic:get')
    nic_row = dbapi.nic_get(node_row.id, nic_ident, node_ident)
    policy.authorize(rule, ctx, node_target(node_row))
    return node_row, nic_row


def network(ctx, ident, rule, owner_rule=False):
    """Load a network the caller's project owns or may use.

    ``owner_rule`` checks ``rule`` against the owner project (deleting,
    sharing); otherwise against the caller's project (seeing, using).
    """
    if policy.is_admin(ctx):
        row = dbapi.network_get(ident)
    else:
        row = dbapi.network_get(ident, project_id=ctx.project_id)
    caller_target = {'project_id': ctx.project_id or ''}
    try:
        policy.authorize('hil:network:get', ctx, caller_target)
    except exception.Forbidden:
        raise exception.NetworkNotFound(network=ident)
    if owner_rule or rule != 'hil:network:get':
        policy.authorize(rule, ctx, {'project_id': row.project_id}
                         if owner_rule else caller_target)
    return row


def switch(ctx, ident, rule):
    """Check an admin rule, then load the switch."""
    policy.authorize(rule, ctx)
    return dbapi.switch_get(ident)


def action(ctx, ident):
    """Load an action of the caller's project (any, for an admin)."""
    project_id = None if policy.is_admin(ctx) else ctx.project_id
    try:
        row = dbapi.action_get(ident, project_id=project_id)
        policy.authorize('hil:action:get', ctx,
                         {'project_id': row.project_id or ''})
    except exception.Forbidden:
        raise exception.ActionNotFound(action=ident)
    return row


def list_scope(ctx, rule, params):
    """The project a list is limited to: None (all) only for an admin.

    An admin may narrow the list with ``project_id``; anyone else always
    gets their own project's.
    """
    policy.authorize(rule, ctx, {'project_id': ctx.project_id or ''})
    if policy.is_admin(ctx):
        return params.get('project_id')
    return ctx.project_id


def image(ctx, ident, rule, owner_rule=False):
    """Load an image the caller's project owns or may use.

    ``owner_rule`` checks ``rule`` against the owner project (changing,
    deleting, sharing); otherwise against the caller's (seeing, using).
    """
    caller_target = {'project_id': ctx.project_id or ''}
    try:
        policy.authorize('hil:image:get', ctx, caller_target)
    except exception.Forbidden:
        raise exception.ImageNotFound(image=ident)
    row = dbapi.image_get(
        ident, project_id=None if policy.is_admin(ctx) else ctx.project_id)
    policy.authorize(rule, ctx, {'project_id': row.project_id}
                     if owner_rule else caller_target)
    return row


def disk(ctx, ident, rule):
    """Load a disk of the caller's project (any, for an admin)."""
    project_id = None if policy.is_admin(ctx) else ctx.project_id
    try:
        policy.authorize('hil:disk:get', ctx,
                         {'project_id': ctx.project_id or ''})
        row = dbapi.disk_get(ident, project_id=project_id)
    except exception.Forbidden:
        raise exception.DiskNotFound(disk=ident)
    policy.authorize(rule, ctx, {'project_id': row.project_id})
    return row


def lease(ctx, ident, rule):
    """Load a lease of the caller's project (any, for an admin)."""
    project_id = None if policy.is_admin(ctx) else ctx.project_id
    try:
        policy.authorize('hil:lease:get', ctx,
                         {'project_id': ctx.project_id or ''})
        row = dbapi.lease_get(ident, project_id=project_id)
    except exception.Forbidden:
        raise exception.LeaseNotFound(lease=ident)
    policy.authorize(rule, ctx, {'project_id': row.project_id})
    return row
