"""Schema migrations with alembic: upgrade, version, revision."""

import os

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script

from hil_os.db import api as db_api

_SCRIPT_LOCATION = os.path.join(os.path.dirname(__file__), 'alembic')


def _config(connection=None):
    config = alembic_config.Config()
    config.set_main_option('script_location', _SCRIPT_LOCATION)
    config.attributes['connection'] = connection
    return config


def upgrade(revision='head', connection=None):
    """Upgrade the database schema to ``revision``."""
    if connection is not None:
        command.upgrade(_config(connection), revision)
        return
    with db_api.get_engine().begin() as conn:
        command.upgrade(_config(conn), revision)


def version(connection=None):
    """The current schema revision, or None for an empty database."""
    if connection is not None:
        return alembic_migration.MigrationContext.configure(
            connection).get_current_revision()
    with db_api.get_engine().connect() as conn:
        return version(conn)


def head():
    """The newest revision of the migration scripts."""
    return alembic_script.ScriptDirectory.from_config(
        _config()).get_current_head()


def revision(message, autogenerate=True):
    """Write a new revision file (developers)."""
    with db_api.get_engine().begin() as conn:
        command.revision(_config(conn), message=message,
                         autogenerate=autogenerate)
