"""The hil-os exception hierarchy.

Every exception has a ``msg_fmt`` and an HTTP ``code``. Client errors derive
from :class:`Invalid` (400), :class:`NotAuthorized` (401),
:class:`Forbidden` (403), :class:`NotFound` (404) or :class:`Conflict`
(409); only real faults keep the 500 of :class:`HilOsException`.
"""

import http.client


class HilOsException(Exception):
    """Base of all hil-os errors; an internal fault unless overridden."""

    msg_fmt = 'An unknown error occurred.'
    code = http.client.INTERNAL_SERVER_ERROR

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        if message is None:
            message = self.msg_fmt % kwargs
        self.message = str(message)
        super().__init__(self.message)


class Invalid(HilOsException):
    msg_fmt = 'Invalid request: %(reason)s'
    code = http.client.BAD_REQUEST


class InvalidParameter(Invalid):
    msg_fmt = '%(reason)s'


class NotAuthorized(HilOsException):
    msg_fmt = 'Authentication required: %(reason)s'
    code = http.client.UNAUTHORIZED


class Forbidden(HilOsException):
    msg_fmt = 'Policy does not allow %(action)s.'
    code = http.client.FORBIDDEN


class NotFound(HilOsException):
    msg_fmt = 'Resource could not be found.'
    code = http.client.NOT_FOUND


class NodeNotFound(NotFound):
    msg_fmt = 'Node %(node)s could not be found.'


class NicNotFound(NotFound):
    msg_fmt = 'NIC %(nic)s of node %(node)s could not be found.'


class SwitchNotFound(NotFound):
    msg_fmt = 'Switch %(switch)s could not be found.'


class PortNotFound(NotFound):
    msg_fmt = 'Port %(port)s of switch %(switch)s could not be found.'


class NetworkNotFound(NotFound):
    msg_fmt = 'Network %(network)s could not be found.'


class AttachmentNotFound(NotFound):
    msg_fmt = 'NIC %(nic)s is not attached to network %(network)s.'


class AccessNotFound(NotFound):
    msg_fmt = 'Project %(project)s has no access to network %(network)s.'


class ActionNotFound(NotFound):
    msg_fmt = 'Action %(action)s could not be found.'


class ResourceNotFound(NotFound):
    msg_fmt = 'The resource %(path)s could not be found.'


class MethodNotAllowed(HilOsException):
    msg_fmt = 'Method %(method)s is not allowed on %(path)s.'
    code = http.client.METHOD_NOT_ALLOWED


class Conflict(HilOsException):
    msg_fmt = 'Conflict: %(reason)s'
    code = http.client.CONFLICT


class DuplicateName(Conflict):
    msg_fmt = 'A %(resource)s named %(name)s already exists.'


class DuplicateEntry(Conflict):
    msg_fmt = '%(reason)s'


class VlanPoolExhausted(Conflict):
    msg_fmt = ('No free VLAN is left in the pool (%(ranges)s): every VLAN '
               'is in use by a network.')


class VlanInUse(Conflict):
    msg_fmt = 'VLAN %(vlan)s is already used by another network.'


class NodeBusy(Conflict):
    msg_fmt = 'Node %(node)s cannot be changed: %(reason)s'


class NetworkInUse(Conflict):
    msg_fmt = 'Network %(network)s is in use: %(reason)s'


class AttachmentConflict(Conflict):
    msg_fmt = '%(reason)s'


class ServiceUnavailable(HilOsException):
    msg_fmt = 'Service unavailable: %(reason)s'
    code = http.client.SERVICE_UNAVAILABLE


class ConfigInvalid(HilOsException):
    msg_fmt = 'Invalid configuration: %(reason)s'


class DriverNotFound(ConfigInvalid):
    msg_fmt = ('%(kind)s driver %(name)s is not enabled or not installed; '
               'enabled: %(enabled)s.')


class SwitchError(HilOsException):
    """A switch operation failed; the message names switch and port."""

    msg_fmt = 'Switch %(switch)s: %(reason)s'


class SwitchUnreachable(SwitchError):
    """A transient failure: the switch may answer on a later attempt."""

    msg_fmt = 'Switch %(switch)s is unreachable: %(reason)s'


class SecretsKeyMissing(ConfigInvalid):
    msg_fmt = ('No secrets key is configured: set [secrets] key or create '
               'the key file %(path)s ("hil-os-dbsync genkey").')


class SecretDecryptFailed(HilOsException):
    msg_fmt = ('A stored credential could not be decrypted with the '
               'configured key (was [secrets] key changed?).')


class NodeActionClaimLost(HilOsException):
    """Another conductor took over a node action this one was running."""

    msg_fmt = ('Action %(action)s on node %(node)s was taken over by '
               'another conductor.')


class ConsoleTokenInvalid(NotAuthorized):
    msg_fmt = ('The console token is unknown, expired or revoked; ask for '
               'a new one with POST /v1/nodes/{node}/console.')


class BmcError(HilOsException):
    """A BMC refused or failed an operation; the message names the node."""

    msg_fmt = 'BMC of node %(node)s: %(reason)s'


class BmcUnreachable(BmcError):
    msg_fmt = 'BMC of node %(node)s at %(address)s is unreachable: %(reason)s'


class BmcAuthFailed(BmcError):
    msg_fmt = ('BMC of node %(node)s at %(address)s refused the stored '
               'credentials (wrong user name or password?): %(reason)s')


class PowerTimeout(BmcError):
    msg_fmt = ('Node %(node)s did not reach power state %(state)s within '
               '%(timeout)s s (last read: %(last)s).')


class ConsoleUnavailable(BmcError):
    msg_fmt = 'The serial console of node %(node)s is unavailable: %(reason)s'


# Imaging

class ImageNotFound(NotFound):
    msg_fmt = 'Image %(image)s could not be found.'


class DiskNotFound(NotFound):
    msg_fmt = 'Disk %(disk)s could not be found.'


class ImageInUse(Conflict):
    msg_fmt = 'Image %(image)s cannot be changed: %(reason)s'


class DiskInUse(Conflict):
    msg_fmt = 'Disk %(disk)s cannot be used: %(reason)s'


class InvalidImageSource(Invalid):
    msg_fmt = 'Image source %(source)s cannot be imported: %(reason)s'


class ImageBackendError(HilOsException):
    """A storage backend operation failed; the message says which."""

    msg_fmt = 'Image backend error: %(reason)s'


class ProvisionFailed(HilOsException):
    msg_fmt = ('Provisioning node %(node)s failed while %(step)s: '
               '%(reason)s. Rolled back: %(undone)s.')


class DeprovisionIncomplete(HilOsException):
    msg_fmt = ('Node %(node)s could not be powered off: %(reason)s; '
               '%(done)s.')


class SnapshotFailed(HilOsException):
    msg_fmt = 'Snapshot of node %(node)s failed: %(reason)s'


# Leases, quotas and the hand-back

class LeaseNotFound(NotFound):
    msg_fmt = 'Lease %(lease)s could not be found.'


class LeaseOverlap(Conflict):
    msg_fmt = ('Node %(node)s is already leased from %(start)s to %(end)s by '
               'lease %(lease)s, which overlaps the requested period.')


class LeaseInvalidState(Conflict):
    msg_fmt = 'Lease %(lease)s cannot be changed: %(reason)s'


class QuotaExceeded(Conflict):
    msg_fmt = ('Quota exceeded: project %(project)s may have at most '
               '%(limit)s %(resource)s and has %(used)s; this request needs '
               '%(wanted)s more.')


class LeaseOverQuota(Conflict):
    msg_fmt = ('A lease of %(wanted)s node(s) could never start: project '
               '%(project)s may hold at most %(limit)s node(s) at once.')


class DiskQuotaExceeded(HilOsException):
    msg_fmt = ('Quota exceeded: project %(project)s may use at most '
               '%(limit)s GiB of image and disk space and uses %(used)s GiB; '
               'this request needs %(wanted)s GiB more.')
    code = http.client.REQUEST_ENTITY_TOO_LARGE


class HandbackFailed(HilOsException):
    msg_fmt = ('Hand-back of node %(node)s failed at %(steps)s: %(reason)s. '
               'The node stays with project %(project)s in state '
               'handback_failed; retry with DELETE /v1/nodes/%(node)s/'
               'project.')
