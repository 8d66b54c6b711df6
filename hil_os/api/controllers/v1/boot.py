"""GET /v1/boot/{mac}: the iPXE script a node boots with.

Public (no token): iPXE cannot authenticate. The script of a provisioned
node carries its CHAP secret, so ``[image] boot_allowed_cidrs`` should
limit the route to the provisioning network; the target still admits only
that node's initiator name, with that secret.
"""

import ipaddress

from oslo_config import cfg
from oslo_log import log
import pecan
from pecan import rest

from hil_os.api import expose
from hil_os.api.schemas import common
from hil_os.api import validation
from hil_os.common import exception
from hil_os.common import secrets
from hil_os.db import api as dbapi

CONF = cfg.CONF
LOG = log.getLogger(__name__)

NOTHING_TO_BOOT = '''#!ipxe
echo hil-os: no disk is provisioned for this machine; exiting.
exit 0
'''


def _host(host):
    return '[%s]' % host if ':' in host else host


def script(node, export):
    """The iPXE script that sanboots ``node`` from its ``export``."""
    return '\n'.join([
        '#!ipxe',
        'echo hil-os: booting node %s from its iSCSI disk' % node.name,
        'set initiator-iqn %s' % export.initiator_iqn,
        'set username %s' % export.chap_username,
        'set password %s' % secrets.decrypt(export.chap_secret),
        'sanboot iscsi:%s::%d:%d:%s || goto failed' % (
            _host(export.portal_host), export.portal_port, export.lun,
            export.target_iqn),
        ':failed',
        'echo hil-os: sanboot of node %s failed' % node.name,
        'exit 1', ''])


def _check_client(address):
    allowed = CONF.image.boot_allowed_cidrs
    if not allowed:
        return
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        client = None
    if client is None or not any(
            client in ipaddress.ip_network(cidr, strict=False)
            for cidr in allowed):
        raise exception.Forbidden(action='boot scripts for %s' % address)


class BootController(rest.RestController):
    """/v1/boot/{mac}: one iPXE script per MAC address."""

    @pecan.expose(content_type='text/plain')
    def get_one(self, mac):
        """The iPXE script for the node owning that MAC address.

        A provisioned node gets its initiator name, CHAP login and a
        sanboot of its target; anything else a script that exits cleanly.
        No token is needed.
        """
        try:
            validation.check(common.MAC, mac, 'path parameter mac')
            _check_client(pecan.request.remote_addr)
        except exception.HilOsException as e:
            return expose.error_response(e)
        node, export = dbapi.boot_target(mac)
        if export is None:
            LOG.info('Boot script for MAC %s: nothing to boot (node %s).',
                     mac, node.name if node else 'unknown')
            return NOTHING_TO_BOOT
        LOG.info('Boot script for node %s (MAC %s) served to %s.',
                 node.name, mac, pecan.request.remote_addr)
        return script(node, export)
