"""One manager per hil-os resource: a method per API call, dicts out.

Resources are named by UUID or name. Methods that queue work answer the
action (poll it with ``Client.wait``).
"""

import urllib.parse
import uuid


def _quote(ident):
    return urllib.parse.quote(str(ident), safe='')


def path(*parts):
    """A relative API path from literal parts and identifiers."""
    return '/'.join(_quote(p) for p in parts)


def _is_uuid(value):
    try:
        uuid.UUID(value)
        return True
    except ValueError:
        return False


def _bool_query(value):
    return None if value is None else ('true' if value else 'false')


class Manager:

    def __init__(self, client):
        self.client = client


class Nodes(Manager):
    """/v1/nodes and a node's project."""

    def list(self, project_id=None, state=None, free=None, name=None,
             limit=None, marker=None):
        return self.client.collect(
            'nodes', 'nodes', limit=limit, marker=marker,
            project_id=project_id, state=state, free=_bool_query(free),
            name=name)

    def get(self, node):
        return self.client.get(path('nodes', node))

    def create(self, name, bmc, description=None, initiator_iqn=None):
        body = {'name': name, 'bmc': bmc}
        if description is not None:
            body['description'] = description
        if initiator_iqn is not None:
            body['initiator_iqn'] = initiator_iqn
        return self.client.post('nodes', body)

    def update(self, node, **fields):
        """Change ``name``, ``description``, ``initiator_iqn`` or ``bmc``."""
        return self.client.patch(path('nodes', node), fields)

    def delete(self, node):
        self.client.delete(path('nodes', node))

    def assign(self, node, project_id):
        return self.client.put(path('nodes', node, 'project'),
                               {'project_id': project_id})

    def release(self, node):
        """Hand a node back to the free pool; answers the action."""
        return self.client.delete(path('nodes', node, 'project'))

    def power(self, node):
        """The last known power state and boot device of a node."""
        return self.client.get(path('nodes', node, 'power'))

    def set_power(self, node, target):
        """Queue ``on``, ``off``, ``soft_off`` or ``reboot``; the action."""
        return self.client.put(path('nodes', node, 'power'),
                               {'target': target})

    def set_boot_device(self, node, device, persistent=None):
        """Queue setting the boot device (next boot, or always)."""
        body = {'device': device}
        if persistent is not None:
            body['persistent'] = persistent
        return self.client.put(path('nodes', node, 'boot_device'), body)

    def provision(self, node, image=None, disk=None, disk_name=None):
        """Boot from a new clone of ``image``, or resume a kept ``disk``."""
        body = {'image': image} if image else {'disk': disk}
        if disk_name:
            body['disk_name'] = disk_name
        return self.client.post(path('nodes', node, 'provision'), body)

    def deprovision(self, node, delete_disk=False):
        """Power off and unexport; the disk is kept unless deleted."""
        return self.client.post(path('nodes', node, 'deprovision'),
                                {'delete_disk': delete_disk})

    def snapshot(self, node, name, description=None):
        """A new image of the node's disk; ``action_uuid`` is the work."""
        body = {'name': name}
        if description is not None:
            body['description'] = description
        return self.client.post(path('nodes', node, 'snapshot'), body)


class Nics(Manager):
    """/v1/nodes/{node}/nics and their attachments to networks."""

    def list(self, node):
        return self.client.get(path('nodes', node, 'nics'))['nics']

    def get(self, node, nic):
        return self.client.get(path('nodes', node, 'nics', nic))

    def create(self, node, name, mac, switch=None, port=None):
        body = {'name': name, 'mac': mac}
        if switch is not None:
            body.update(switch=switch, port=port)
        return self.client.post(path('nodes', node, 'nics'), body)

    def update(self, node, nic, **fields):
        """Change ``name``, or ``switch`` and ``port`` (None: uncabled)."""
        return self.client.patch(path('nodes', node, 'nics', nic), fields)

    def delete(self, node, nic):
        self.client.delete(path('nodes', node, 'nics', nic))

    def attachments(self, node, nic):
        return self.client.get(
            path('nodes', node, 'nics', nic, 'attachments'))['attachments']

    def attach(self, node, nic, network, channel=None):
        body = {'network': network}
        if channel:
            body['channel'] = channel
        return self.client.post(
            path('nodes', node, 'nics', nic, 'attachments'), body)

    def detach(self, node, nic, network):
        return self.client.delete(
            path('nodes', node, 'nics', nic, 'attachments', network))


class Consoles(Manager):
    """A node's serial console: tokens, and the stream they unlock."""

    TOKEN_HEADER = 'X-Console-Token'

    def get(self, node):
        """Live tokens, whether the session is open, the recent output."""
        return self.client.get(path('nodes', node, 'console'))

    def create(self, node):
        """A short-lived token (shown once) for reading and writing."""
        return self.client.post(path('nodes', node, 'console'))

    def revoke(self, node):
        """Revoke every console token of the node; the session closes."""
        self.client.delete(path('nodes', node, 'console'))

    def read(self, token, offset=0, wait=0):
        """Output after ``offset``, waiting up to ``wait`` s for some."""
        return self.client.request(
            'GET', 'console', params={'offset': offset, 'wait': wait},
            headers={self.TOKEN_HEADER: token})

    def write(self, token, data):
        """Type ``data`` into the console."""
        self.client.request('POST', 'console', body={'data': data},
                            headers={self.TOKEN_HEADER: token})


class Switches(Manager):
    """/v1/switches."""

    def list(self, limit=None, marker=None):
        return self.client.collect('switches', 'switches', limit=limit,
                                   marker=marker)

    def get(self, switch):
        return self.client.get(path('switches', switch))

    def create(self, **fields):
        """Register a switch: ``name``, ``driver`` and optional fields."""
        return self.client.post('switches', fields)

    def update(self, switch, **fields):
        return self.client.patch(path('switches', switch), fields)

    def delete(self, switch):
        self.client.delete(path('switches', switch))

    def audit(self, switch):
        """Every port read back from the switch beside its desired state."""
        return self.client.get(path('switches', switch, 'audit'))


class Ports(Manager):
    """/v1/switches/{switch}/ports."""

    def list(self, switch, limit=None, marker=None):
        return self.client.collect(path('switches', switch, 'ports'),
                                   'ports', limit=limit, marker=marker)

    def _ref(self, switch, port):
        """A port's UUID where its name cannot be a URL path segment."""
        if '/' not in port or _is_uuid(port):
            return port
        for row in self.list(switch):
            if row['name'] == port:
                return row['uuid']
        return port

    def get(self, switch, port):
        return self.client.get(
            path('switches', switch, 'ports', self._ref(switch, port)))

    def create(self, switch, name):
        return self.client.post(path('switches', switch, 'ports'),
                                {'name': name})

    def delete(self, switch, port):
        self.client.delete(
            path('switches', switch, 'ports', self._ref(switch, port)))

    def retry(self, switch, port):
        """Give a failed port fresh attempts; answers the action."""
        return self.client.post(path('switches', switch, 'ports',
                                     self._ref(switch, port), 'retry'))

    def revert(self, switch, port):
        """Detach every network from the port and park it; the action."""
        return self.client.post(path('switches', switch, 'ports',
                                     self._ref(switch, port), 'revert'))


class Networks(Manager):
    """/v1/networks, who may use them and what is attached."""

    def list(self, name=None, project_id=None, limit=None, marker=None):
        return self.client.collect('networks', 'networks', limit=limit,
                                   marker=marker, name=name,
                                   project_id=project_id)

    def get(self, network):
        return self.client.get(path('networks', network))

    def create(self, name, vlan=None, project_id=None):
        body = {'name': name}
        if vlan is not None:
            body['vlan'] = vlan
        if project_id is not None:
            body['project_id'] = project_id
        return self.client.post('networks', body)

    def delete(self, network):
        self.client.delete(path('networks', network))

    def access(self, network):
        return self.client.get(path('networks', network, 'access'))['access']

    def grant(self, network, project_id):
        self.client.put(path('networks', network, 'access', project_id))

    def revoke(self, network, project_id):
        """Stop sharing; answers the detach actions this queued."""
        return self.client.delete(
            path('networks', network, 'access', project_id))['actions']

    def attachments(self, network):
        return self.client.get(
            path('networks', network, 'attachments'))['attachments']


class Actions(Manager):
    """/v1/actions: queued work."""

    def list(self, status=None, kind=None, node=None, project_id=None,
             limit=None, marker=None):
        return self.client.collect(
            'actions', 'actions', limit=limit, marker=marker, status=status,
            kind=kind, node=node, project_id=project_id)

    def get(self, action):
        return self.client.get(path('actions', action))


class Events(Manager):
    """/v1/events: the audit trail."""

    def list(self, resource=None, event_type=None, project_id=None,
             limit=None, marker=None):
        return self.client.collect(
            'events', 'events', limit=limit, marker=marker,
            resource=resource, type=event_type, project_id=project_id)
