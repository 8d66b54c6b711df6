"""Managers of images and node disks."""

from hil_os.osc import resources


class Images(resources.Manager):
    """/v1/images: disk images, their copies and sharing.

    Creating or copying answers the image; ``action_uuid`` names the work.
    """

    def list(self, name=None, project_id=None, status=None, limit=None,
             marker=None):
        return self.client.collect('images', 'images', limit=limit,
                                   marker=marker, name=name,
                                   project_id=project_id, status=status)

    def get(self, image):
        return self.client.get(resources.path('images', image))

    def create(self, name, size=None, source=None, description=None):
        """An empty image of ``size`` bytes, or an import of ``source``."""
        body = {'name': name}
        for key, value in (('size', size), ('source', source),
                           ('description', description)):
            if value is not None:
                body[key] = value
        return self.client.post('images', body)

    def update(self, image, **fields):
        """Change ``name``, ``description`` or ``protected``."""
        return self.client.patch(resources.path('images', image), fields)

    def delete(self, image):
        """Queue deleting an image; answers the action."""
        return self.client.delete(resources.path('images', image))

    def copy(self, image, name, description=None):
        body = {'name': name}
        if description is not None:
            body['description'] = description
        return self.client.post(resources.path('images', image, 'copy'), body)

    def access(self, image):
        return self.client.get(
            resources.path('images', image, 'access'))['access']

    def grant(self, image, project_id):
        self.client.put(resources.path('images', image, 'access', project_id))

    def revoke(self, image, project_id):
        self.client.delete(
            resources.path('images', image, 'access', project_id))


class Disks(resources.Manager):
    """/v1/disks: node disks, kept across leases."""

    def list(self, node=None, project_id=None, status=None, limit=None,
             marker=None):
        return self.client.collect('disks', 'disks', limit=limit,
                                   marker=marker, node=node,
                                   project_id=project_id, status=status)

    def get(self, disk):
        return self.client.get(resources.path('disks', disk))

    def delete(self, disk):
        """Queue deleting a disk that is on no node; answers the action."""
        return self.client.delete(resources.path('disks', disk))
