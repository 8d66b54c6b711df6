"""Serial consoles: tokens for a node's owner, and the token-held stream.

``POST /v1/nodes/{node}/console`` gives a token valid for ``[console]
token_ttl`` seconds (only its hash is stored). The token, sent in the
``X-Console-Token`` header, is the only credential of ``/v1/console``:

* ``GET /v1/console?offset=N&wait=S`` answers the output after offset N
  (``{"data": ..., "offset": M}``; ask again with ``offset=M``), holding
  the request up to S seconds until some arrives;
* ``POST /v1/console`` with ``{"data": "text"}`` types into the console.
"""

import hashlib
import http.client
import secrets as stdlib_secrets
import time

from oslo_config import cfg
import pecan
from pecan import rest

from hil_os.api import expose
from hil_os.api import lookup
from hil_os.api import pagination
from hil_os.api.schemas import power as schemas
from hil_os.api import validation
from hil_os.common import exception
from hil_os.db import api as dbapi

CONF = cfg.CONF

TOKEN_HEADER = 'X-Console-Token'
_POLL = 0.2


def token_hash(token):
    """How a console token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


class NodeConsoleController(rest.RestController):
    """/v1/nodes/{node}/console: console access of a node's owner."""

    @expose.expose()
    def get_all(self, node_ident):
        """Show a node's console: live tokens and the recent output."""
        ctx = pecan.request.context
        node = lookup.node(ctx, node_ident, 'hil:node:console:get')
        console = dbapi.console_get(node.id)
        return {
            'node_uuid': node.uuid,
            'tokens': [{'uuid': t.uuid, 'created_by': t.created_by,
                        'created_at': t.created_at,
                        'expires_at': t.expires_at}
                       for t in dbapi.console_tokens(node.id)],
            'session_open': bool(console and console.conductor),
            'log': console.data if console else '',
            'offset': console.total if console else 0,
        }

    @expose.expose(status_code=http.client.CREATED)
    def post(self, node_ident):
        """Issue a short-lived console token; the session opens at once."""
        ctx = pecan.request.context
        node = lookup.node(ctx, node_ident, 'hil:node:console:create')
        token = stdlib_secrets.token_urlsafe(32)
        row = dbapi.console_token_create(node.id, token_hash(token),
                                         CONF.console.token_ttl,
                                         ctx.user_id)
        pecan.request.conductor.console_start(ctx, node.uuid)
        return {'token': token, 'uuid': row.uuid, 'node_uuid': node.uuid,
                'expires_at': row.expires_at,
                'stream': pagination.link('/v1/console'),
                'header': TOKEN_HEADER}

    @expose.expose(status_code=http.client.NO_CONTENT)
    def delete(self, node_ident):
        """Revoke every console token of a node; its session closes."""
        ctx = pecan.request.context
        node = lookup.node(ctx, node_ident, 'hil:node:console:delete')
        console = dbapi.console_get(node.id)
        dbapi.console_revoke(node.id, ctx.user_id)
        if console is not None and console.conductor:
            pecan.request.conductor.console_stop(ctx, node.uuid,
                                                 console.conductor)


def _token_node():
    token = pecan.request.headers.get(TOKEN_HEADER)
    if not token:
        raise exception.ConsoleTokenInvalid()
    return dbapi.console_token_check(token_hash(token))


class ConsoleStreamController(rest.RestController):
    """/v1/console: read and type, with a console token."""

    @expose.expose()
    @validation.query_params(schemas.CONSOLE_QUERY)
    def get_all(self, **params):
        """Read console output after an offset, waiting for some a while."""
        token, node = _token_node()
        offset = int(params.get('offset', 0))
        deadline = time.monotonic() + min(float(params.get('wait', 0)),
                                          CONF.console.max_wait)
        while True:
            data, new_offset = dbapi.console_read(node.id, offset)
            if data or time.monotonic() >= deadline:
                break
            time.sleep(_POLL)
        return {'node_uuid': node.uuid, 'data': data, 'offset': new_offset,
                'expires_at': token.expires_at}

    @expose.expose(status_code=http.client.ACCEPTED)
    @validation.body(schemas.CONSOLE_INPUT)
    def post(self, *, body):
        """Type text into the console."""
        _token, node = _token_node()
        console = dbapi.console_get(node.id)
        if console is None or not console.conductor:
            raise exception.Conflict(
                reason='The console session of node %s is not open yet; '
                       'try again in a moment.' % node.name)
        pecan.request.conductor.console_input(
            pecan.request.context, node.uuid, body['data'],
            console.conductor)
