"""How the API asks conductors to work.

RPC carries IDs only; the conductor reloads rows. In the one-process mode
the API calls the local manager directly.
"""

from oslo_config import cfg
import oslo_messaging as messaging

from hil_os.common import exception
from hil_os.common import rpc

CONF = cfg.CONF


class ConductorAPI:
    """Casts to any conductor over oslo.messaging."""

    RPC_API_VERSION = '1.0'

    def __init__(self):
        target = messaging.Target(topic=CONF.conductor.topic,
                                  version=self.RPC_API_VERSION)
        self._client = messaging.get_rpc_client(rpc.get_transport(), target)

    def kick(self, ctx, port_id=None):
        """Tell a conductor that work is queued.

        ``port_id`` names the port whose switch has work; None: anywhere.
        """
        self._client.prepare().cast(ctx.to_dict(), 'kick', port_id=port_id)

    def run_node_actions(self, ctx, node_uuid):
        """Tell a conductor that actions are queued on a node."""
        self._client.prepare().cast(ctx.to_dict(), 'run_node_actions',
                                    node_uuid=node_uuid)

    def console_start(self, ctx, node_uuid):
        """Ask a conductor to open a node's console session."""
        self._client.prepare().cast(ctx.to_dict(), 'console_start',
                                    node_uuid=node_uuid)

    def console_input(self, ctx, node_uuid, data, conductor):
        """Type text into the console held by ``conductor``."""
        self._client.prepare(server=conductor).cast(
            ctx.to_dict(), 'console_input', node_uuid=node_uuid, data=data)

    def console_stop(self, ctx, node_uuid, conductor):
        """Ask ``conductor`` to close a node's console session."""
        self._client.prepare(server=conductor).cast(
            ctx.to_dict(), 'console_stop', node_uuid=node_uuid)

    def audit_switch(self, ctx, switch_id):
        """Have a conductor read a switch back; return its audit report.

        :raises: ServiceUnavailable if no conductor answers in time.
        """
        try:
            return self._client.prepare(
                timeout=CONF.conductor.audit_rpc_timeout).call(
                ctx.to_dict(), 'audit_switch', switch_id=switch_id)
        except messaging.MessagingTimeout:
            raise exception.ServiceUnavailable(
                reason='no conductor answered the audit of the switch '
                       'within %s s' % CONF.conductor.audit_rpc_timeout)


class LocalConductorAPI:
    """Calls a conductor manager running in this process."""

    def __init__(self, manager):
        self._manager = manager

    def kick(self, ctx, port_id=None):
        self._manager.kick(ctx.to_dict(), port_id=port_id)

    def run_node_actions(self, ctx, node_uuid):
        self._manager.run_node_actions(ctx.to_dict(), node_uuid)

    def console_start(self, ctx, node_uuid):
        self._manager.console_start(ctx.to_dict(), node_uuid)

    def console_input(self, ctx, node_uuid, data, conductor):
        self._manager.console_input(ctx.to_dict(), node_uuid, data)

    def console_stop(self, ctx, node_uuid, conductor):
        self._manager.console_stop(ctx.to_dict(), node_uuid)

    def audit_switch(self, ctx, switch_id):
        return self._manager.audit_switch(ctx.to_dict(), switch_id)
