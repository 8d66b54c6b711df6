"""Managers of leases and quotas."""

from hil_os.osc import resources


class Leases(resources.Manager):
    """/v1/leases: a project holds nodes from a start to an end."""

    def list(self, project_id=None, state=None, node=None, limit=None,
             marker=None):
        return self.client.collect('leases', 'leases', limit=limit,
                                   marker=marker, project_id=project_id,
                                   state=state, node=node)

    def get(self, lease):
        return self.client.get(resources.path('leases', lease))

    def create(self, project_id, end, node=None, count=None,
               node_filter=None, start=None, name=None, description=None):
        """Lease ``node``, or ``count`` free nodes, to a project.

        ``node_filter`` is a shell-style pattern of node names; times are
        ISO 8601 strings (UTC without an offset).
        """
        body = {'project_id': project_id, 'end': end}
        for key, value in (('node', node), ('count', count),
                           ('start', start), ('name', name),
                           ('description', description)):
            if value is not None:
                body[key] = value
        if node_filter is not None:
            body['filter'] = {'name': node_filter}
        return self.client.post('leases', body)

    def update(self, lease, **fields):
        """Change ``name``, ``description``, ``start`` or ``end``."""
        return self.client.patch(resources.path('leases', lease), fields)

    def delete(self, lease):
        """Cancel a lease; its nodes are handed back. Answers the lease."""
        return self.client.delete(resources.path('leases', lease))


class Quotas(resources.Manager):
    """/v1/quotas: per-project limits (-1: none; None: the default)."""

    def list(self):
        return self.client.get('quotas')['quotas']

    def get(self, project_id):
        return self.client.get(resources.path('quotas', project_id))

    def update(self, project_id, **limits):
        """Set ``nodes``, ``networks``, ``images`` or ``disk_gb``."""
        return self.client.put(resources.path('quotas', project_id), limits)
