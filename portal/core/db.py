"""Database engine and per-request sessions (advanced-alchemy), SQLite pragmas, readiness probe."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import sqlalchemy as sa
from advanced_alchemy.extensions.litestar import (
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
)
from advanced_alchemy.extensions.litestar._utils import get_aa_scope_state
from advanced_alchemy.extensions.litestar.plugins.init.config.common import SESSION_SCOPE_KEY
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

import portal.models  # noqa: F401 - every table is mapped before the first query (foreign keys resolve)
from portal.core.models import metadata
from portal.core.settings import Environment, Settings


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    # SQLite ignores foreign keys unless asked on every connection (stack-notes pitfall 5); WAL
    # lets readers run beside the one writer, and busy_timeout makes writers queue, not fail.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def install_sqlite_pragmas(engine: AsyncEngine) -> None:
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine.sync_engine, "connect", _sqlite_pragmas)


def make_alchemy_config(settings: Settings) -> SQLAlchemyAsyncConfig:
    """The advanced-alchemy config; commits on 2xx and on redirects (a POST answered 303 keeps its write)."""
    if settings.is_sqlite:
        engine_config = EngineConfig(echo=settings.db_echo)
    elif settings.env == Environment.TEST:
        # Tests drive one application from several event loops (one per test client); asyncpg
        # connections belong to the loop that opened them, so they must not be pooled across.
        engine_config = EngineConfig(echo=settings.db_echo, poolclass=NullPool)
    else:
        engine_config = EngineConfig(
            echo=settings.db_echo, pool_size=settings.db_pool_size, pool_pre_ping=True
        )
    config = SQLAlchemyAsyncConfig(
        connection_string=settings.database_url,
        metadata=metadata,
        create_all=False,
        before_send_handler="autocommit_include_redirects",
        session_config=AsyncSessionConfig(expire_on_commit=False),
        engine_config=engine_config,
    )
    install_sqlite_pragmas(config.get_engine())
    return config


async def rollback_on_error(_: Exception, scope: Any) -> None:
    """Before an error page is sent, undo the request's transaction.

    On SQLite the session store writes on its own connection while the error response starts; an
    open write transaction here would hold the lock and make that write wait (database is locked).
    """
    session = get_aa_scope_state(scope, SESSION_SCOPE_KEY)
    if isinstance(session, AsyncSession) and session.in_transaction():
        await session.rollback()


async def database_answers(session: AsyncSession) -> bool:
    try:
        await session.execute(sa.text("SELECT 1"))
    except Exception:
        return False
    return True


@asynccontextmanager
async def session_scope(settings: Settings) -> AsyncIterator[AsyncSession]:
    """One transaction outside a request (CLI commands, jobs): commit on success, roll back on error."""
    engine = create_async_engine(settings.database_url)
    install_sqlite_pragmas(engine)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            yield session
    finally:
        await engine.dispose()
