"""Options of the [database] group, provided by oslo.db."""

from oslo_db import options as db_options


def register_opts(conf):
    db_options.set_defaults(
        conf, connection='sqlite:///$state_path/hil-os.sqlite')
