"""Images: bootable disk images, their copies and their sharing."""

import http.client

from oslo_config import cfg
import pecan
from pecan import rest

from hil_os.api.controllers.v1 import actions
from hil_os.api import expose
from hil_os.api import lookup
from hil_os.api import pagination
from hil_os.api.schemas import common
from hil_os.api.schemas import image as schemas
from hil_os.api import validation
from hil_os.common import exception
from hil_os.common import policy
from hil_os.common import states
from hil_os.db import api as dbapi

CONF = cfg.CONF

IMAGE_FIELDS = ('uuid', 'name', 'description', 'project_id', 'status',
                'protected', 'backend', 'size', 'source', 'message',
                'action_uuid', 'created_at', 'updated_at')


def image_dict(row):
    """The API view of an image."""
    return expose.fields(row, IMAGE_FIELDS)


def accepted_image(image, action):
    """The answer to a request that queued work making ``image``."""
    pecan.response.location = pagination.link(
        '/v1/actions/%s' % action.uuid)
    return image_dict(image)


def _caller_project(ctx):
    if not ctx.project_id:
        raise exception.InvalidParameter(
            reason='The caller has no project to own the image.')
    return ctx.project_id


class ImageAccessController(rest.RestController):
    """/v1/images/{image}/access: projects that may use an image."""

    @expose.expose()
    def get_all(self, image_ident):
        """List the projects an image is shared with."""
        ctx = pecan.request.context
        image = lookup.image(ctx, image_ident, 'hil:image:access:list',
                             owner_rule=True)
        return {'access': [{'project_id': r.project_id,
                            'created_at': r.created_at}
                           for r in dbapi.image_access_list(image.id)]}

    @expose.expose(status_code=http.client.NO_CONTENT)
    def put(self, image_ident, project):
        """Let a project use the image (idempotent)."""
        ctx = pecan.request.context
        validation.check(common.PROJECT_ID, project, 'path parameter')
        image = lookup.image(ctx, image_ident, 'hil:image:access:grant',
                             owner_rule=True)
        dbapi.image_access_grant(image.id, project)

    @expose.expose(status_code=http.client.NO_CONTENT)
    def delete(self, image_ident, project):
        """Stop sharing; disks that project already cloned stay."""
        ctx = pecan.request.context
        image = lookup.image(ctx, image_ident, 'hil:image:access:revoke',
                             owner_rule=True)
        dbapi.image_access_revoke(image.id, project)


class ImageCopyController(rest.RestController):
    """/v1/images/{image}/copy: a new image with the same content."""

    @expose.expose(status_code=http.client.ACCEPTED)
    @validation.body(schemas.COPY)
    def post(self, image_ident, *, body):
        """Copy an image the project may use into one it owns."""
        ctx = pecan.request.context
        src = lookup.image(ctx, image_ident, 'hil:image:copy')
        image, action = dbapi.image_create(
            _caller_project(ctx),
            {'name': body['name'], 'description': body.get('description'),
             'backend': src.backend},
            states.ACTION_IMAGE_COPY, copy_of=src.id)
        pecan.request.conductor.kick(ctx)
        return accepted_image(image, action)


class ImagesController(rest.RestController):
    """/v1/images: disk images nodes are provisioned from."""

    access = ImageAccessController()
    copy = ImageCopyController()

    @expose.expose()
    @validation.query_params(schemas.LIST_QUERY)
    def get_all(self, **params):
        """List the images the caller's project owns or may use."""
        ctx = pecan.request.context
        policy.authorize('hil:image:list', ctx,
                         {'project_id': ctx.project_id or ''})
        admin = policy.is_admin(ctx)
        page_size = pagination.limit(params)
        rows = dbapi.image_list(
            project_id=None if admin else ctx.project_id,
            owner=params.get('project_id'), name=params.get('name'),
            status=params.get('status'), limit=page_size,
            marker=params.get('marker'))
        return pagination.page('images', [image_dict(r) for r in rows],
                               params, page_size)

    @expose.expose()
    def get_one(self, image_ident):
        """Show an image."""
        ctx = pecan.request.context
        return image_dict(lookup.image(ctx, image_ident, 'hil:image:get'))

    @expose.expose(status_code=http.client.ACCEPTED)
    @validation.body(schemas.CREATE)
    def post(self, *, body):
        """Create an empty image of a size, or import one from a source.

        The image is ``creating`` until a conductor has stored it; the
        Location header names the action to poll.
        """
        ctx = pecan.request.context
        target = {'project_id': ctx.project_id or ''}
        policy.authorize('hil:image:create', ctx, target)
        values = {'name': body['name'],
                  'description': body.get('description'),
                  'backend': CONF.image.default_backend}
        if 'source' in body:
            policy.authorize('hil:image:import', ctx, target)
            values['source'] = body['source']
            kind = states.ACTION_IMAGE_IMPORT
        else:
            values['size'] = body['size']
            kind = states.ACTION_IMAGE_CREATE
        image, action = dbapi.image_create(_caller_project(ctx), values,
                                           kind)
        pecan.request.conductor.kick(ctx)
        return accepted_image(image, action)

    @expose.expose()
    @validation.body(schemas.UPDATE)
    def patch(self, image_ident, *, body):
        """Rename an image, or change its description or protection."""
        ctx = pecan.request.context
        image = lookup.image(ctx, image_ident, 'hil:image:update',
                             owner_rule=True)
        return image_dict(dbapi.image_update(image.id, body))

    @expose.expose(status_code=http.client.ACCEPTED)
    def delete(self, image_ident):
        """Delete an image (refused while protected or being read)."""
        ctx = pecan.request.context
        image = lookup.image(ctx, image_ident, 'hil:image:delete',
                             owner_rule=True)
        action = dbapi.image_delete_begin(image.id)
        pecan.request.conductor.kick(ctx)
        return actions.accepted(action)
