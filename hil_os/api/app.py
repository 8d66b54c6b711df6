"""The WSGI application: pecan app, hooks, and authentication."""

import urllib.parse

from keystonemiddleware import auth_token
from oslo_config import cfg
import pecan
import pecan.util

from hil_os.api.controllers import root
from hil_os.api import hooks

CONF = cfg.CONF


class EncodedSlashes:
    """Keeps an encoded slash (%2F) inside its path segment.

    Switch port names such as GigabitEthernet1/0/3 contain "/". WSGI servers
    decode PATH_INFO, so /ports/Gi1%2F0%2F3 would route as three segments;
    from the raw request URI (REQUEST_URI under cheroot, RAW_URI under
    gunicorn) the slash is re-encoded as %2F within its segment, and
    expose() decodes identifiers.
    """

    def __init__(self, app):
        self._app = app

    def __call__(self, environ, start_response):
        raw = environ.get('RAW_URI') or environ.get('REQUEST_URI') or ''
        path = raw.split('?', 1)[0]
        if '%2f' in path.lower():
            script = environ.get('SCRIPT_NAME', '')
            if script and path.startswith(script):
                path = path[len(script):]
            environ['PATH_INFO'] = '/'.join(
                urllib.parse.unquote(segment).replace('/', '%2F')
                for segment in path.split('/'))
        return self._app(environ, start_response)


class PublicRoutes:
    """Serves public paths without a token; the rest through auth_token."""

    def __init__(self, app, is_public):
        self._app = app
        self._is_public = is_public
        self._authenticated = auth_token.AuthProtocol(
            app, {'oslo_config_config': CONF})

    def __call__(self, environ, start_response):
        if self._is_public(environ.get('PATH_INFO') or '/'):
            return self._app(environ, start_response)
        return self._authenticated(environ, start_response)


def _memoize_argspecs(getargspec):
    """``getargspec`` remembering each function's answer.

    pecan inspects the signature of every controller method it routes
    through, on every request, and builds a new namedtuple class each time:
    a third of the CPU of a small request. Signatures never change. Keyed
    by the function, so bound methods of any instance share one entry (their
    argspec is the function's).
    """
    argspecs = {}

    def cached(method):
        func = getattr(method, '__func__', method)
        try:
            return argspecs[func]
        except KeyError:
            argspecs[func] = spec = getargspec(func)
            return spec
    return cached


pecan.util._getargspec = _memoize_argspecs(pecan.util._getargspec)


def setup_app(conductor_api):
    """The hil-os API as a WSGI application.

    :param conductor_api: what controllers use to reach conductors.
    """
    app = pecan.make_app(
        root.RootController(),
        hooks=[hooks.ContextHook(), hooks.ConductorHook(conductor_api),
               hooks.ErrorHook()],
        force_canonical=False,
        guess_content_type_from_ext=False)
    if CONF.api.auth_strategy == 'keystone':
        app = PublicRoutes(app, hooks.is_public)
    return EncodedSlashes(app)
