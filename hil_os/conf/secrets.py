"""Options of the [secrets] group: encryption of stored credentials."""

from oslo_config import cfg

group = cfg.OptGroup('secrets', title='Stored secrets')

opts = [
    cfg.StrOpt('key',
               secret=True,
               help='Fernet key (32 url-safe base64-encoded bytes) that '
                    'encrypts BMC, switch and CHAP credentials in the '
                    'database. Generate one with "hil-os-dbsync genkey". '
                    'Every API and conductor process must use the same '
                    'key. Takes precedence over key_file.'),
    cfg.StrOpt('key_file',
               default='$state_path/secrets.key',
               help='File holding the Fernet key, used when "key" is not '
                    'set. The all-in-one hil-os command creates it on first '
                    'start.'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
