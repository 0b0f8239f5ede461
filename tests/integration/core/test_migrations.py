"""The migrations build exactly the schema the models describe (issue 2, item 2)."""

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from portal.core.migrate import compare_type as _compare_type
from portal.core.settings import Settings
from portal.models import metadata


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": _compare_type, "render_as_batch": True}
    )
    return list(compare_metadata(context, metadata))


def test_models_do_not_drift_from_the_migrations(database: Settings) -> None:
    async def diff() -> list[object]:
        engine = create_async_engine(database.database_url)
        async with engine.connect() as connection:
            result = await connection.run_sync(_diff)
        await engine.dispose()
        return result

    differences = asyncio.run(diff())
    assert differences == [], f"models and migrations differ; write a migration: {differences}"
