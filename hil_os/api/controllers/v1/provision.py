"""Provisioning a node's disk: provision, deprovision, snapshot.

Each request records intent and a node action in one transaction and
answers 202; a conductor runs the steps (clone, export, boot; or power
off, unexport) and the client polls the action.
"""

import http.client

import pecan
from pecan import rest

from hil_os.api.controllers.v1 import actions
from hil_os.api.controllers.v1 import images
from hil_os.api import expose
from hil_os.api import lookup
from hil_os.api.schemas import image as schemas
from hil_os.api import validation
from hil_os.common import exception
from hil_os.db import api as dbapi


def _held(node):
    if node.project_id is None:
        raise exception.NodeBusy(node=node.name,
                                 reason='it is not held by any project')
    return node.project_id


class ProvisionController(rest.RestController):
    """/v1/nodes/{node}/provision."""

    @expose.expose(status_code=http.client.ACCEPTED)
    @validation.body(schemas.PROVISION)
    def post(self, node_ident, *, body):
        """Boot a node from a new clone of an image, or from a kept disk.

        The conductor clones the image (copy-on-write where the backend
        can), exports the disk to the node's initiator with a fresh CHAP
        secret, sets the boot device to network and power-cycles the node.
        """
        ctx = pecan.request.context
        node = lookup.node(ctx, node_ident, 'hil:node:provision')
        project_id = _held(node)
        if 'image' in body:
            image = lookup.image(ctx, body['image'], 'hil:image:get')
            if image.project_id != project_id and not _shared_with(
                    image, project_id):
                raise exception.ImageNotFound(image=body['image'])
            action = dbapi.provision_begin(
                node.id, project_id, image_id=image.id,
                disk_name=body.get('disk_name'), requested_by=ctx.user_id)
        else:
            disk = lookup.disk(ctx, body['disk'], 'hil:disk:get')
            action = dbapi.provision_begin(node.id, project_id,
                                           disk_id=disk.id,
                                           requested_by=ctx.user_id)
        pecan.request.conductor.run_node_actions(ctx, node.uuid)
        return actions.accepted(action)


def _shared_with(image, project_id):
    return any(a.project_id == project_id
               for a in dbapi.image_access_list(image.id))


class DeprovisionController(rest.RestController):
    """/v1/nodes/{node}/deprovision."""

    @expose.expose(status_code=http.client.ACCEPTED)
    @validation.body(schemas.DEPROVISION, optional=True)
    def post(self, node_ident, *, body):
        """Power a node off and remove its export; the disk is kept.

        With ``delete_disk`` the disk is deleted as well.
        """
        ctx = pecan.request.context
        node = lookup.node(ctx, node_ident, 'hil:node:deprovision')
        action = dbapi.deprovision_begin(
            node.id, _held(node), delete_disk=body.get('delete_disk', False),
            requested_by=ctx.user_id)
        pecan.request.conductor.run_node_actions(ctx, node.uuid)
        return actions.accepted(action)


class SnapshotController(rest.RestController):
    """/v1/nodes/{node}/snapshot."""

    @expose.expose(status_code=http.client.ACCEPTED)
    @validation.body(schemas.SNAPSHOT)
    def post(self, node_ident, *, body):
        """Make a new image of a node's disk.

        The node is powered off while the snapshot is taken, so the image
        is consistent, and powered on again if it was on.
        """
        ctx = pecan.request.context
        node = lookup.node(ctx, node_ident, 'hil:node:snapshot')
        image, action = dbapi.snapshot_begin(
            node.id, _held(node), body['name'], body.get('description'),
            requested_by=ctx.user_id)
        pecan.request.conductor.run_node_actions(ctx, node.uuid)
        return images.accepted_image(image, action)
