"""Options of the [api] group: the REST API server."""

from oslo_config import cfg

group = cfg.OptGroup('api', title='REST API options')

opts = [
    cfg.HostAddressOpt('host_ip',
                       default='127.0.0.1',
                       help='Address the API server listens on.'),
    cfg.PortOpt('port',
                default=6390,
                help='TCP port the API server listens on.'),
    cfg.IntOpt('threads',
               default=16, min=1,
               help='Worker threads of the built-in API server (hil-os and '
                    'hil-os-api). Under a separate WSGI server, configure '
                    'that server instead.'),
    cfg.IntOpt('backlog',
               default=128, min=1,
               help='Listen backlog of the built-in API server: connections '
                    'waiting for a free worker thread beyond it are '
                    'refused.'),
    cfg.StrOpt('auth_strategy',
               default='keystone',
               choices=[('keystone', 'Validate tokens with keystonemiddleware '
                                     'auth_token.'),
                        ('noauth', 'Take the caller identity from the '
                                   'X-User-Id, X-Project-Id and X-Roles '
                                   'headers. Policy is still enforced. '
                                   'Only for tests and the embedded demo.')],
               help='How API callers are authenticated.'),
    cfg.ListOpt('noauth_default_roles',
                default=['admin'],
                help='With auth_strategy=noauth, the roles of a request that '
                     'carries no X-Roles header. An empty list makes such '
                     'requests answer 401.'),
    cfg.StrOpt('noauth_default_project',
               default='admin',
               help='With auth_strategy=noauth, the project of a request '
                    'that carries no X-Project-Id header.'),
    cfg.IntOpt('max_limit',
               default=1000, min=1,
               help='Largest page size a list request may ask for with '
                    '"limit"; a larger limit gets pages of this size. It '
                    'bounds the memory and time of one request (a page of '
                    '1000 nodes takes about 5 ms of API CPU).'),
    cfg.IntOpt('default_limit',
               default=100, min=1,
               help='Page size of a list request that gives no "limit".'),
    cfg.StrOpt('public_endpoint',
               help='Base URL of the API as clients reach it (for links), '
                    'e.g. https://hil.example.org. Defaults to the URL of '
                    'the request.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
