"""Policy defaults in code and the single enforcer.

Personas follow the OpenStack secure RBAC defaults: ``admin`` manages the
inventory of the whole cloud; ``member`` of a project acts on the project's
nodes and networks; ``reader`` of a project sees them.
"""

import inspect
import threading
import time

from oslo_config import cfg
from oslo_policy import _checks
from oslo_policy import policy

from hil_os.common import exception

CONF = cfg.CONF

ADMIN = 'role:admin'
PROJECT_MEMBER = 'role:member and project_id:%(project_id)s'
PROJECT_READER = ('(role:reader or role:member) and '
                  'project_id:%(project_id)s')

ADMIN_OR_MEMBER = f'({ADMIN}) or ({PROJECT_MEMBER})'
ADMIN_OR_READER = f'({ADMIN}) or ({PROJECT_READER})'

_SCOPES = ['system', 'project']


def _rule(name, check_str, description, *operations):
    return policy.DocumentedRuleDefault(
        name=name, check_str=check_str, description=description,
        operations=[{'path': path, 'method': method}
                    for method, path in operations],
        scope_types=_SCOPES)


base_rules = [
    policy.RuleDefault('context_is_admin', ADMIN,
                       description='Who is a cloud administrator: sees and '
                                   'manages every project\'s resources.',
                       scope_types=_SCOPES),
]

node_rules = [
    _rule('hil:node:list', ADMIN_OR_READER,
          'List nodes: a project sees the nodes it holds, an admin every '
          'node.', ('GET', '/v1/nodes')),
    _rule('hil:node:get', ADMIN_OR_READER, 'Show a node.',
          ('GET', '/v1/nodes/{node}')),
    _rule('hil:node:create', ADMIN, 'Register a node and its BMC.',
          ('POST', '/v1/nodes')),
    _rule('hil:node:update', ADMIN, 'Change a node or its BMC credentials.',
          ('PATCH', '/v1/nodes/{node}')),
    _rule('hil:node:delete', ADMIN, 'Delete a free node.',
          ('DELETE', '/v1/nodes/{node}')),
    _rule('hil:node:assign', ADMIN,
          'Give a node to a project, or take it back (hand-back).',
          ('PUT', '/v1/nodes/{node}/project'),
          ('DELETE', '/v1/nodes/{node}/project')),
]

nic_rules = [
    _rule('hil:nic:list', ADMIN_OR_READER, 'List the NICs of a node.',
          ('GET', '/v1/nodes/{node}/nics')),
    _rule('hil:nic:get', ADMIN_OR_READER, 'Show a NIC of a node.',
          ('GET', '/v1/nodes/{node}/nics/{nic}')),
    _rule('hil:nic:create', ADMIN, 'Register a NIC and its switch port.',
          ('POST', '/v1/nodes/{node}/nics')),
    _rule('hil:nic:update', ADMIN, 'Change a NIC (e.g. its switch port).',
          ('PATCH', '/v1/nodes/{node}/nics/{nic}')),
    _rule('hil:nic:delete', ADMIN, 'Delete a NIC with no attachment.',
          ('DELETE', '/v1/nodes/{node}/nics/{nic}')),
]

switch_rules = [
    _rule('hil:switch:list', ADMIN, 'List switches.', ('GET', '/v1/switches')),
    _rule('hil:switch:get', ADMIN, 'Show a switch.',
          ('GET', '/v1/switches/{switch}')),
    _rule('hil:switch:create', ADMIN, 'Register a switch.',
          ('POST', '/v1/switches')),
    _rule('hil:switch:update', ADMIN, 'Change a switch or its credentials.',
          ('PATCH', '/v1/switches/{switch}')),
    _rule('hil:switch:delete', ADMIN, 'Delete a switch with no NIC cabled.',
          ('DELETE', '/v1/switches/{switch}')),
    _rule('hil:port:list', ADMIN, 'List the ports of a switch.',
          ('GET', '/v1/switches/{switch}/ports')),
    _rule('hil:port:get', ADMIN, 'Show a switch port.',
          ('GET', '/v1/switches/{switch}/ports/{port}')),
    _rule('hil:port:create', ADMIN, 'Register a switch port.',
          ('POST', '/v1/switches/{switch}/ports')),
    _rule('hil:port:delete', ADMIN, 'Delete a port no NIC is cabled to.',
          ('DELETE', '/v1/switches/{switch}/ports/{port}')),
    _rule('hil:port:retry', ADMIN,
          'Give a port whose last change failed fresh attempts.',
          ('POST', '/v1/switches/{switch}/ports/{port}/retry')),
    _rule('hil:port:revert', ADMIN,
          'Clear a port back to the parking VLAN, detaching every network '
          'of the NIC cabled to it.',
          ('POST', '/v1/switches/{switch}/ports/{port}/revert')),
    _rule('hil:switch:audit', ADMIN,
          'Read every port of a switch back and compare it with the '
          'desired state (drift report).',
          ('GET', '/v1/switches/{switch}/audit')),
]

network_rules = [
    _rule('hil:network:list', ADMIN_OR_READER,
          'List networks the project owns or may use.',
          ('GET', '/v1/networks')),
    _rule('hil:network:get', ADMIN_OR_READER, 'Show a network.',
          ('GET', '/v1/networks/{network}')),
    _rule('hil:network:create', ADMIN_OR_MEMBER,
          'Create a network backed by a VLAN from the pool.',
          ('POST', '/v1/networks')),
    _rule('hil:network:create:vlan', ADMIN,
          'Create a network on a chosen (provider) VLAN.',
          ('POST', '/v1/networks')),
    _rule('hil:network:delete', ADMIN_OR_MEMBER,
          'Delete a network the project owns.',
          ('DELETE', '/v1/networks/{network}')),
    _rule('hil:network:access:list', ADMIN_OR_READER,
          'List the projects a network is shared with.',
          ('GET', '/v1/networks/{network}/access')),
    _rule('hil:network:access:grant', ADMIN_OR_MEMBER,
          'Let another project use a network the project owns.',
          ('PUT', '/v1/networks/{network}/access/{project}')),
    _rule('hil:network:access:revoke', ADMIN_OR_MEMBER,
          'Stop sharing a network; that project\'s NICs are detached.',
          ('DELETE', '/v1/networks/{network}/access/{project}')),
]

attachment_rules = [
    _rule('hil:attachment:list', ADMIN_OR_READER,
          'List the networks a NIC is attached to.',
          ('GET', '/v1/nodes/{node}/nics/{nic}/attachments')),
    _rule('hil:attachment:create', ADMIN_OR_MEMBER,
          'Attach a NIC of a held node to a usable network.',
          ('POST', '/v1/nodes/{node}/nics/{nic}/attachments')),
    _rule('hil:attachment:delete', ADMIN_OR_MEMBER,
          'Detach a NIC from a network.',
          ('DELETE', '/v1/nodes/{node}/nics/{nic}/attachments/{network}')),
]

power_rules = [
    _rule('hil:node:power:get', ADMIN_OR_READER,
          'Show the power state and boot device of a node.',
          ('GET', '/v1/nodes/{node}/power')),
    _rule('hil:node:power:set', ADMIN_OR_MEMBER,
          'Power a node on, off, soft off, or reboot it.',
          ('PUT', '/v1/nodes/{node}/power')),
    _rule('hil:node:boot_device:set', ADMIN_OR_MEMBER,
          'Set the device a node boots from.',
          ('PUT', '/v1/nodes/{node}/boot_device')),
    _rule('hil:node:console:get', ADMIN_OR_MEMBER,
          'Show a node\'s console tokens and recent console output.',
          ('GET', '/v1/nodes/{node}/console')),
    _rule('hil:node:console:create', ADMIN_OR_MEMBER,
          'Get a short-lived token to a node\'s serial console.',
          ('POST', '/v1/nodes/{node}/console')),
    _rule('hil:node:console:delete', ADMIN_OR_MEMBER,
          'Revoke the console tokens of a node.',
          ('DELETE', '/v1/nodes/{node}/console')),
]

action_rules = [
    _rule('hil:action:list', ADMIN_OR_READER, 'List the project\'s actions.',
          ('GET', '/v1/actions')),
    _rule('hil:action:get', ADMIN_OR_READER, 'Show an action.',
          ('GET', '/v1/actions/{action}')),
    _rule('hil:event:list', ADMIN_OR_READER,
          'List events of the project\'s resources.',
          ('GET', '/v1/events')),
]


image_rules = [
    _rule('hil:image:list', ADMIN_OR_READER,
          'List images the project owns or may use.', ('GET', '/v1/images')),
    _rule('hil:image:get', ADMIN_OR_READER, 'Show an image.',
          ('GET', '/v1/images/{image}')),
    _rule('hil:image:create', ADMIN_OR_MEMBER, 'Create an empty image.',
          ('POST', '/v1/images')),
    _rule('hil:image:import', ADMIN_OR_MEMBER,
          'Create an image from an import source (URL or allowed file).',
          ('POST', '/v1/images')),
    _rule('hil:image:copy', ADMIN_OR_MEMBER,
          'Copy an image the project may use into a new image of its own.',
          ('POST', '/v1/images/{image}/copy')),
    _rule('hil:image:update', ADMIN_OR_MEMBER,
          'Rename an image the project owns, or change its description or '
          'protection.', ('PATCH', '/v1/images/{image}')),
    _rule('hil:image:delete', ADMIN_OR_MEMBER,
          'Delete an image the project owns (not while protected or read).',
          ('DELETE', '/v1/images/{image}')),
    _rule('hil:image:access:list', ADMIN_OR_READER,
          'List the projects an image is shared with.',
          ('GET', '/v1/images/{image}/access')),
    _rule('hil:image:access:grant', ADMIN_OR_MEMBER,
          'Let another project use an image the project owns.',
          ('PUT', '/v1/images/{image}/access/{project}')),
    _rule('hil:image:access:revoke', ADMIN_OR_MEMBER,
          'Stop sharing an image.',
          ('DELETE', '/v1/images/{image}/access/{project}')),
]

disk_rules = [
    _rule('hil:disk:list', ADMIN_OR_READER,
          'List the project\'s node disks, kept across leases.',
          ('GET', '/v1/disks')),
    _rule('hil:disk:get', ADMIN_OR_READER, 'Show a disk.',
          ('GET', '/v1/disks/{disk}')),
    _rule('hil:disk:delete', ADMIN_OR_MEMBER,
          'Delete a kept disk that is on no node.',
          ('DELETE', '/v1/disks/{disk}')),
    _rule('hil:node:provision', ADMIN_OR_MEMBER,
          'Provision a held node from an image or a kept disk (clone, '
          'export over iSCSI, boot).',
          ('POST', '/v1/nodes/{node}/provision')),
    _rule('hil:node:deprovision', ADMIN_OR_MEMBER,
          'Take a node\'s disk off it (power off, unexport; the disk is '
          'kept unless asked).', ('POST', '/v1/nodes/{node}/deprovision')),
    _rule('hil:node:snapshot', ADMIN_OR_MEMBER,
          'Snapshot a node\'s disk into a new image.',
          ('POST', '/v1/nodes/{node}/snapshot')),
]

lease_rules = [
    _rule('hil:lease:list', ADMIN_OR_READER,
          'List leases: a project sees its own, an admin every lease.',
          ('GET', '/v1/leases')),
    _rule('hil:lease:get', ADMIN_OR_READER, 'Show a lease.',
          ('GET', '/v1/leases/{lease}')),
    _rule('hil:lease:create', ADMIN,
          'Lease a node, or a number of free nodes, to a project for a '
          'period.', ('POST', '/v1/leases')),
    _rule('hil:lease:update', ADMIN_OR_MEMBER,
          'Rename a lease, or end it earlier (its nodes are handed back '
          'at the new end).', ('PATCH', '/v1/leases/{lease}')),
    _rule('hil:lease:extend', ADMIN_OR_MEMBER,
          'Extend a lease (a later end, within [lease] max_length).',
          ('PATCH', '/v1/leases/{lease}')),
    _rule('hil:lease:update:start', ADMIN,
          'Move the start of a lease that has not started.',
          ('PATCH', '/v1/leases/{lease}')),
    _rule('hil:lease:delete', ADMIN,
          'Cancel a lease; the nodes it holds are handed back.',
          ('DELETE', '/v1/leases/{lease}')),
]

quota_rules = [
    _rule('hil:quota:list', ADMIN_OR_READER,
          'List quotas: an admin sees the projects with limits of their '
          'own, a project its own quota.', ('GET', '/v1/quotas')),
    _rule('hil:quota:get', ADMIN_OR_READER,
          'Show a project\'s limits and what it uses.',
          ('GET', '/v1/quotas/{project}')),
    _rule('hil:quota:update', ADMIN, 'Set a project\'s limits.',
          ('PUT', '/v1/quotas/{project}')),
]


def list_rules():
    """Every policy default, for the enforcer and the sample generator."""
    return (base_rules + node_rules + nic_rules + switch_rules +
            network_rules + attachment_rules + action_rules + power_rules +
            image_rules + disk_rules + lease_rules + quota_rules)


def _check_once_per_class(getfullargspec):
    """oslo.policy's evaluation of one check, its signature read once.

    oslo.policy inspects the signature of every check it evaluates, on
    every evaluation, to learn whether it takes the rule's name: an eighth
    of the CPU of showing a node. A check class's signature never changes.
    """
    takes_rule = {}

    def check(rule, target, creds, enforcer, current_rule):
        cls = type(rule)
        try:
            new_style = takes_rule[cls]
        except KeyError:
            new_style = takes_rule[cls] = (
                len(getfullargspec(rule.__call__).args) > 4)
        if new_style:
            return rule(target, creds, enforcer, current_rule)
        return rule(target, creds, enforcer)
    return check


_checks._check = _check_once_per_class(inspect.getfullargspec)

_ENFORCER = None
_LOCK = threading.Lock()
# Seconds between looks at the policy file and policy.d for changes.
RELOAD_INTERVAL = 1.0


class _Enforcer(policy.Enforcer):
    """An Enforcer that looks for policy file changes once a second.

    oslo.policy searches the config directories for the policy file and
    policy.d at every check: half the cost of a check, and requests make
    a few. Edits to those files still take effect, within a second.
    """

    _next_load = 0.0

    def load_rules(self, force_reload=False):
        now = time.monotonic()
        if force_reload or now >= self._next_load:
            super().load_rules(force_reload)
            self._next_load = now + RELOAD_INTERVAL

    def clear(self):
        super().clear()
        self._next_load = 0.0


def get_enforcer():
    """The process-wide enforcer, created and loaded on first use.

    Rules are loaded under a lock before the enforcer is shared: threads
    that raced into a half-loaded enforcer were denied everything.
    """
    global _ENFORCER
    if _ENFORCER is None:
        with _LOCK:
            if _ENFORCER is None:
                enforcer = _Enforcer(CONF)
                enforcer.register_defaults(list_rules())
                enforcer.load_rules()
                _ENFORCER = enforcer
    return _ENFORCER


def reset():
    """Drop the enforcer so that the next use re-reads policy (tests)."""
    global _ENFORCER
    if _ENFORCER:
        _ENFORCER.clear()
    _ENFORCER = None


def check(rule, ctx, target=None):
    """Return whether ``ctx`` may do ``rule`` on ``target``."""
    target = target if target is not None else {'project_id': ctx.project_id}
    return get_enforcer().enforce(rule, target, ctx.to_policy_values())


def authorize(rule, ctx, target=None):
    """Raise Forbidden unless ``ctx`` may do ``rule`` on ``target``."""
    if not check(rule, ctx, target):
        raise exception.Forbidden(action=rule)


def is_admin(ctx):
    """Whether the caller is a cloud administrator (checked once per context).

    A context lives for one API request or one conductor job; controllers
    ask several times per request.
    """
    try:
        return ctx.hil_is_admin
    except AttributeError:
        ctx.hil_is_admin = check('context_is_admin', ctx, {})
        return ctx.hil_is_admin
