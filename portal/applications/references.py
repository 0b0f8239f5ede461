"""Reference numbers of submitted applications: <ISO code>-<year>-<6 digits>, e.g. KZ-71-2026-000123.

One counter row per region and year, incremented with an upsert that locks the row until commit,
so concurrent submissions never share a number (PostgreSQL and SQLite alike).
"""

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from portal.applications.models import ReferenceCounter


async def next_reference(session: AsyncSession, tenant_id: str, year: int) -> str:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table = ReferenceCounter.__table__  # type: ignore[attr-defined]
    statement = (
        insert(table)
        .values(tenant_id=tenant_id, year=year, last=1)
        .on_conflict_do_update(index_elements=["tenant_id", "year"], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )
    number = (await session.execute(statement)).scalar_one()
    return f"{tenant_id}-{year}-{number:06d}"


__all__ = ["next_reference"]
