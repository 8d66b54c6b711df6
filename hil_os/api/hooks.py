"""Pecan hooks: the request context, the conductor API, JSON errors."""

from oslo_config import cfg
from pecan import hooks

from hil_os.api import expose
from hil_os.common import context
from hil_os.common import exception

CONF = cfg.CONF

# /v1/console is authenticated by its own console token, not Keystone.
PUBLIC_PATHS = frozenset(['/', '/v1', '/v1/', '/v1/openapi.json',
                          '/v1/console'])
# Paths under these prefixes are public too: iPXE boot scripts.
PUBLIC_PREFIXES = ('/v1/boot/',)


def is_public(path):
    """Whether ``path`` is served without a token."""
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


class ContextHook(hooks.PecanHook):
    """Builds the caller's context from the identity headers.

    With keystonemiddleware these headers come from the validated token,
    and public routes, which skip auth_token, get an anonymous context; with
    ``noauth`` they come from the client, with configured defaults.
    """

    def before(self, state):
        environ = state.request.environ
        if '//' in state.request.path:
            # An empty identifier (e.g. "/v1/actions//") names nothing.
            raise exception.ResourceNotFound(path=state.request.path)
        # The path inside the application, whatever prefix it is mounted at.
        path = state.request.path_info or '/'
        if is_public(path) and CONF.api.auth_strategy == 'keystone':
            # auth_token did not see this request: its identity headers, if
            # any, are the client's own claims.
            state.request.context = context.RequestContext()
            return
        overrides = {}
        if CONF.api.auth_strategy == 'noauth':
            if 'HTTP_X_ROLES' not in environ:
                overrides['roles'] = list(CONF.api.noauth_default_roles)
            if 'HTTP_X_PROJECT_ID' not in environ:
                overrides['project_id'] = CONF.api.noauth_default_project
            if 'HTTP_X_USER_ID' not in environ:
                overrides['user_id'] = 'noauth'
        ctx = context.RequestContext.from_environ(environ, **overrides)
        if not ctx.roles and not is_public(path):
            raise exception.NotAuthorized(
                reason='the request carries no identity')
        state.request.context = ctx


class ConductorHook(hooks.PecanHook):
    """Gives controllers the conductor API as ``request.conductor``."""

    def __init__(self, conductor_api):
        self.conductor_api = conductor_api

    def before(self, state):
        state.request.conductor = self.conductor_api


class ErrorHook(hooks.PecanHook):
    """Answers errors raised outside controllers (routing, hooks) as JSON."""

    def on_error(self, state, exc):
        return expose.error_response(exc)
