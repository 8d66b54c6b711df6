"""hil-os-dbsync: database schema migrations and the secrets key."""

import sys

from oslo_config import cfg

from hil_os.common import secrets
from hil_os.common import service
from hil_os import conf
from hil_os.conf import network
from hil_os.db import api as dbapi
from hil_os.db import migration

CONF = conf.CONF


def upgrade():
    migration.upgrade(CONF.command.revision)
    dbapi.vlan_pool_sync(network.vlan_ids(CONF))
    print('Database at revision %s.' % migration.version())


def version():
    print(migration.version() or 'empty (no hil-os schema)')


def revision():
    migration.revision(CONF.command.message,
                       autogenerate=CONF.command.autogenerate)


def genkey():
    print(secrets.generate_key())


def add_command_parsers(subparsers):
    parser = subparsers.add_parser(
        'upgrade', help='Upgrade the schema and synchronise the VLAN pool.')
    parser.add_argument('--revision', default='head')
    parser.set_defaults(func=upgrade)
    parser = subparsers.add_parser('version',
                                   help='Print the schema revision.')
    parser.set_defaults(func=version)
    parser = subparsers.add_parser(
        'revision', help='Write a new migration (developers).')
    parser.add_argument('-m', '--message', required=True)
    parser.add_argument('--autogenerate', action='store_true')
    parser.set_defaults(func=revision)
    parser = subparsers.add_parser(
        'genkey', help='Print a new Fernet key for [secrets] key.')
    parser.set_defaults(func=genkey)


def main():
    CONF.register_cli_opt(cfg.SubCommandOpt(
        'command', title='Commands', handler=add_command_parsers))
    service.prepare(sys.argv[1:])
    CONF.command.func()
