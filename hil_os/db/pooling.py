"""Connection pooling that oslo.db leaves to us: SQLite files.

oslo.db gives a SQLite file database a NullPool, so every transaction opens
the file again and reruns the connect PRAGMAs; that costs more than a
typical query (about 1 ms per transaction in the embedded mode). hil-os
keeps open connections in a QueuePool instead, sized like the server pools
by [database] max_pool_size and max_overflow. SQLAlchemy opens file
databases with check_same_thread=False, so a pooled connection may serve
any thread; writers are still serialised by db.api.
"""

from oslo_config import cfg
import sqlalchemy as sa

CONF = cfg.CONF


def pool_sqlite_files(engine):
    """Replace the NullPool oslo.db gives a SQLite file engine by a pool.

    The new pool keeps the old one's connection factory and its event
    listeners (oslo.db's and ours run on every new connection).
    """
    old = engine.pool
    if engine.dialect.name != 'sqlite' or not isinstance(old, sa.NullPool):
        return
    engine.pool = sa.QueuePool(
        old._creator,
        pool_size=CONF.database.max_pool_size or 5,
        max_overflow=CONF.database.max_overflow or 10,
        timeout=CONF.database.pool_timeout or 30,
        dialect=old._dialect,
        _dispatch=old.dispatch)
