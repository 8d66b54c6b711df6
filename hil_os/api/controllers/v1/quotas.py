"""Quotas: per-project limits on nodes, networks, images and disk space."""

import pecan
from pecan import rest

from hil_os.api import expose
from hil_os.api.schemas import common
from hil_os.api.schemas import lease as schemas
from hil_os.api import validation
from hil_os.common import exception
from hil_os.common import policy
from hil_os.db import api as dbapi


def quota_dict(project_id):
    """A project's limits, what it uses, and which limits are defaults."""
    limits, used, explicit = dbapi.quota_get(project_id)
    body = {'project_id': project_id}
    for name in dbapi.QUOTA_RESOURCES:
        body[name] = {'limit': limits[name], 'in_use': used[name],
                      'default': name not in explicit}
    return body


def _project(ctx, project, rule):
    """Check ``rule`` on a project's quota; another project's is 404."""
    validation.check(common.PROJECT_ID, project, 'path parameter')
    try:
        policy.authorize('hil:quota:get', ctx, {'project_id': project})
    except exception.Forbidden:
        raise exception.ResourceNotFound(path='quota of project %s' %
                                         project)
    policy.authorize(rule, ctx, {'project_id': project})
    return project


class QuotasController(rest.RestController):
    """/v1/quotas: limits of projects (defaults in [quota])."""

    @expose.expose()
    def get_all(self):
        """List quotas: the projects with limits of their own (admin).

        A project's member or reader gets its own project's quota.
        """
        ctx = pecan.request.context
        policy.authorize('hil:quota:list', ctx,
                         {'project_id': ctx.project_id or ''})
        if policy.is_admin(ctx):
            projects = [row.project_id for row in dbapi.quota_list()]
        else:
            projects = [ctx.project_id]
        return {'quotas': [quota_dict(p) for p in projects]}

    @expose.expose()
    def get_one(self, project):
        """Show a project's limits and what it uses."""
        ctx = pecan.request.context
        return quota_dict(_project(ctx, project, 'hil:quota:get'))

    @expose.expose()
    @validation.body(schemas.QUOTA_UPDATE)
    def put(self, project, *, body):
        """Set a project's limits (-1: none; null: back to the default)."""
        ctx = pecan.request.context
        dbapi.quota_update(_project(ctx, project, 'hil:quota:update'), body)
        return quota_dict(project)
