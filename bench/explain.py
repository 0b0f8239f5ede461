"""Query plans and timings of the big lists, on the seeded bench database (issue 9 item 4).

Each case calls the real service function (the same queries a page runs), records every SQL
statement it sends, and prints the database's plan for each one (EXPLAIN QUERY PLAN on SQLite,
EXPLAIN ANALYZE on PostgreSQL) with the median time of the whole call.

Run: .venv/bin/python bench/explain.py [--database-url URL] [--runs 20] > plans.md
(defaults to PORTAL_DATABASE_URL; `make bench` leaves a seeded database in var/bench/).
"""

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.applications import officer, queries
from portal.applications.models import ApplicationStatus
from portal.auth.models import User
from portal.auth.policies import Principal
from portal.auth.services import load_principal
from portal.bench.seed import BenchPlan, tracker_candidate
from portal.bench.seed import officer as bench_officer
from portal.core.audit import AuditEvent
from portal.core.clock import Clock
from portal.core.db import install_sqlite_pragmas
from portal.core.settings import get_settings
from portal.selections import services
from portal.selections.models import Selection
from portal.selections.phases import PublicPhase
from portal.tenancy.registry import load_tenants

Case = Callable[[AsyncSession], Awaitable[object]]
ASTANA = "KZ-71"


async def _user(session: AsyncSession, iin: str) -> User:
    return (await session.execute(sa.select(User).where(User.iin == iin))).scalar_one()  # type: ignore[arg-type]


async def build_cases(engine: AsyncEngine) -> dict[str, Case]:
    settings = get_settings()
    today = Clock(settings.timezone).today()
    registry = load_tenants(settings.tenants_dir)
    async with AsyncSession(engine) as session:
        candidate = await _user(session, tracker_candidate(registry, BenchPlan()).iin)
        staff = await _user(session, bench_officer().iin)
        one = (
            (
                await session.execute(
                    sa.select(Selection.id).where(
                        Selection.tenant_id == ASTANA, Selection.status == "intake_open"
                    )  # type: ignore[arg-type]
                )
            )
            .scalars()
            .first()
        )
    principal = Principal(candidate.id, candidate.iin, candidate.full_name, candidate.birth_date)
    announcement_id = one if isinstance(one, uuid.UUID) else uuid.UUID(str(one))

    def announcements(phase: PublicPhase | None, page_size: int = 10) -> Case:
        return lambda s: services.list_announcements(
            s, tenant_id=ASTANA, language="kk", today=today, phase=phase, page=1, page_size=page_size
        )

    async def region_home(s: AsyncSession) -> object:
        await announcements(PublicPhase.OPEN, 5)(s)
        return await announcements(PublicPhase.UPCOMING, 5)(s)

    return {
        "national index (open counts per region)": lambda s: services.open_counts_by_tenant(s, today),
        "region home (open + upcoming, 5 each)": region_home,
        "announcements list ?status=open": announcements(PublicPhase.OPEN),
        "one announcement": lambda s: services.get_announcement(
            s, tenant_id=ASTANA, selection_id=announcement_id, language="kk", today=today
        ),
        "national Atom feed (50 newest)": lambda s: services.latest_published(s, language="kk", today=today),
        "session principal (every signed-in request)": lambda s: load_principal(s, staff.id, today),
        "/me/applications": lambda s: queries.my_applications(s, principal, "kk"),
        "officer list ?status=submitted&page=1": lambda s: officer.list_applications(
            s, ASTANA, selection_id=None, status=ApplicationStatus.SUBMITTED, page=1
        ),
        "officer list ?status=submitted&page=100": lambda s: officer.list_applications(
            s, ASTANA, selection_id=None, status=ApplicationStatus.SUBMITTED, page=100
        ),
        "officer list, any status, page 1": lambda s: officer.list_applications(
            s, ASTANA, selection_id=None, status=None, page=1
        ),
        "audit log: 2,000 events after a cursor": lambda s: s.execute(
            sa.select(AuditEvent).where(AuditEvent.seq > 500_000).order_by(AuditEvent.seq).limit(2000)  # type: ignore[arg-type]
        ),
    }


async def explain(engine: AsyncEngine, statement: str, parameters: Any) -> list[str]:
    postgres = engine.dialect.name == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " if postgres else "EXPLAIN QUERY PLAN "
    async with engine.connect() as conn:
        rows = (await conn.exec_driver_sql(prefix + statement, parameters)).all()
    if postgres:
        return [str(row[0]) for row in rows]
    return [f"{'  ' * _depth(rows, row)}{row[-1]}" for row in rows]


async def time_statement(engine: AsyncEngine, statement: str, parameters: Any, runs: int) -> float:
    timings = []
    async with engine.connect() as conn:
        for _ in range(runs + 1):
            started = time.perf_counter()
            (await conn.exec_driver_sql(statement, parameters)).all()
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings[1:])


def _depth(rows: list[Any], row: Any) -> int:
    parents = {r[0]: r[1] for r in rows}
    depth, parent = 0, row[1]
    while parent:
        depth, parent = depth + 1, parents.get(parent, 0)
    return depth


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    url = args.database_url or get_settings().database_url
    engine = create_async_engine(url)
    install_sqlite_pragmas(engine)
    captured: list[tuple[str, Any]] = []

    def capture(
        _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
    ) -> None:
        captured.append((statement, parameters))

    cases = await build_cases(engine)
    print(f"# Query plans ({engine.dialect.name})\n")
    for name, case in cases.items():
        timings = []
        for run in range(args.runs + 1):
            async with AsyncSession(engine) as session:
                if run == 0:
                    sa.event.listen(engine.sync_engine, "before_cursor_execute", capture)
                started = time.perf_counter()
                await case(session)
                elapsed = time.perf_counter() - started
                if run == 0:
                    sa.event.remove(engine.sync_engine, "before_cursor_execute", capture)
                else:
                    timings.append(elapsed * 1000)
        statements = list(captured)
        captured.clear()
        print(f"## {name}: {len(statements)} queries, median {statistics.median(timings):.2f} ms\n")
        for statement, parameters in statements:
            alone = await time_statement(engine, statement, parameters, args.runs)
            print(f"{alone:.2f} ms for this statement alone (driver, no ORM):")
            print("```sql")
            print(" ".join(statement.split()))
            print("```")
            print("```")
            print("\n".join(await explain(engine, statement, parameters)))
            print("```\n")
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
