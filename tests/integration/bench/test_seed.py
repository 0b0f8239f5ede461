"""`portal bench seed` (issue 9, build item 1) at scale 0.01, on a database of its own.

The reserve memberships: the planned count, cl. 12 enrolments tied to an enrolled application of
their region within the selection's quotas, chapter 2-1 ones outside the quota, two-year terms,
the same ids for the same day and scale, and an audit chain that still verifies.

The database is a fresh SQLite file, or, when PORTAL_TEST_DATABASE_URL is PostgreSQL, a database
created beside the suite's one and dropped afterwards (the suite's own schema is never touched).
"""

import asyncio
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from portal.applications.models import Application, ApplicationStatus
from portal.bench.seed import LARGE_REGIONS, BenchPlan, BenchReport, _Seeder, _write_samples, seed_bench
from portal.core.audit import AuditEvent, verify_chain
from portal.core.db import session_scope
from portal.core.migrate import upgrade
from portal.core.settings import Environment, Settings
from portal.reserve.models import MembershipStatus, ReserveMembership
from portal.rules.terms import membership_end
from portal.selections.models import Selection, SelectionDirection
from portal.tenancy.registry import TenantRegistry, load_tenants
from portal.tenancy.services import sync_tenants
from tests.conftest import TODAY

PLAN = BenchPlan.scaled(0.01)
POSTGRES_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
MEMBERSHIP_EVENTS = (
    "reserve.membership_created",
    "reserve.membership_expired",
    "reserve.membership_excluded",
)


@dataclass(frozen=True)
class Seeded:
    settings: Settings
    registry: TenantRegistry
    report: BenchReport
    memberships: list[dict[str, Any]]


def _fresh_database(tmp: Path) -> tuple[str, str | None]:
    """(url, the PostgreSQL database to drop afterwards or None)."""
    if not POSTGRES_URL.startswith("postgresql"):
        return f"sqlite+aiosqlite:///{tmp / 'bench.db'}", None
    name = f"bench_seed_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False), name


async def _admin(statement: str) -> None:
    engine = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(sa.text(statement))
    finally:
        await engine.dispose()


async def _rows(settings: Settings, statement: sa.Select[Any]) -> list[dict[str, Any]]:
    async with session_scope(settings) as session:
        return [dict(row._mapping) for row in (await session.execute(statement)).all()]


def _table(model: Any) -> sa.Table:
    return model.__table__  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """Migrate, sync the tenants and seed once for the module (a few seconds on SQLite)."""
    url, created = _fresh_database(tmp_path_factory.mktemp("bench"))
    settings = Settings(env=Environment.TEST, database_url=url, log_level="WARNING")
    registry = load_tenants(settings.tenants_dir)
    try:
        upgrade(settings)

        async def seed() -> tuple[BenchReport, list[dict[str, Any]]]:
            async with session_scope(settings) as session:
                await sync_tenants(session, registry, "test")
            report = await seed_bench(url, registry, TODAY, plan=PLAN, storage_dir=None)
            table = _table(ReserveMembership)
            return report, await _rows(settings, sa.select(table).order_by(table.c.id))

        report, memberships = asyncio.run(seed())
        yield Seeded(settings, registry, report, memberships)
    finally:
        if created is not None:
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)'))


def _generate(registry: TenantRegistry, plan: BenchPlan, today: date) -> list[dict[str, Any]]:
    """The membership rows as `seed_bench` makes them, in memory: every step that draws ids, in its order."""
    seeder = _Seeder(registry, plan, today)
    seeder.build_selections()
    list(seeder.user_rows())
    seeder.profile_rows()
    seeder.role_rows()
    seeder.build_applications()
    list(seeder.application_rows())
    list(seeder.document_rows(_write_samples(None), None))
    list(seeder.event_rows())
    seeder.build_memberships()
    return sorted(seeder.membership_rows(), key=lambda row: row["id"])


def _by_clause(seeded: Seeded, clause: str) -> list[dict[str, Any]]:
    return [m for m in seeded.memberships if m["clause"] == clause]


def test_the_seed_writes_the_planned_number_of_memberships_mostly_by_selection(seeded: Seeded) -> None:
    assert len(seeded.memberships) == PLAN.memberships == seeded.report.rows["reserve_membership"]
    assert len(_by_clause(seeded, "12")) + len(_by_clause(seeded, "13-3")) == PLAN.memberships
    assert len(_by_clause(seeded, "12")) > PLAN.memberships / 2
    large = sum(1 for m in seeded.memberships if m["tenant_id"] in LARGE_REGIONS)
    assert large == PLAN.memberships / 2  # weights 3 x 5 regions against 1 x 15
    line = next(x for x in seeded.report.lines() if x.startswith("reserve memberships:"))
    assert f"{PLAN.memberships:,}" in line


def test_every_selection_membership_is_an_enrolled_application_of_its_region(seeded: Seeded) -> None:
    apps = _table(Application)
    enrolled = {
        row["id"]: row
        for row in asyncio.run(
            _rows(seeded.settings, sa.select(apps).where(apps.c.status == ApplicationStatus.ENROLLED))
        )
    }
    members = _by_clause(seeded, "12")
    assert members
    for m in members:
        app = enrolled[m["application_id"]]
        assert m["counted_in_quota"] is True
        assert m["tenant_id"] == app["tenant_id"]
        assert m["selection_id"] == app["selection_id"]
        assert m["user_id"] == app["user_id"]
        assert (m["candidate_iin"], m["candidate_name"]) == (app["candidate_iin"], app["candidate_name"])
        assert m["direction_code"] == app["direction_code"]
    # and no enrolled application is left without its membership (the portal makes both at once)
    assert {m["application_id"] for m in members} == set(enrolled)


def test_selection_memberships_stay_within_the_selection_and_direction_quotas(seeded: Seeded) -> None:
    selections, links = _table(Selection), _table(SelectionDirection)
    quota = {r["id"]: r["quota"] for r in asyncio.run(_rows(seeded.settings, sa.select(selections)))}
    own = {
        (r["selection_id"], r["direction_code"]): r["quota"]
        for r in asyncio.run(_rows(seeded.settings, sa.select(links)))
    }
    members = _by_clause(seeded, "12")
    per_selection = Counter(m["selection_id"] for m in members)
    per_direction = Counter((m["selection_id"], m["direction_code"]) for m in members)
    assert all(count <= quota[selection] for selection, count in per_selection.items())
    assert all(own[key] is None or count <= own[key] for key, count in per_direction.items())


def test_chapter_2_1_memberships_have_no_selection_and_are_outside_the_quota(seeded: Seeded) -> None:
    direct = _by_clause(seeded, "13-3")
    assert direct
    for m in direct:
        assert m["selection_id"] is None and m["application_id"] is None
        assert m["counted_in_quota"] is False
        assert m["user_id"] is not None and m["direction_code"] is not None
    people = [(m["tenant_id"], m["candidate_iin"]) for m in seeded.memberships]
    assert len(people) == len(set(people))  # one membership per person and region


def test_every_term_is_two_years_and_the_status_agrees_with_it(seeded: Seeded) -> None:
    statuses = Counter(m["status"] for m in seeded.memberships)
    assert set(statuses) == set(MembershipStatus)
    assert statuses[MembershipStatus.ACTIVE] > statuses[MembershipStatus.EXPIRED] > 0
    for m in seeded.memberships:
        assert m["ends_on"] == membership_end(m["starts_on"])
        assert m["starts_on"] < TODAY
        if m["status"] == MembershipStatus.ACTIVE:
            assert m["ends_on"] >= TODAY
        elif m["status"] == MembershipStatus.EXPIRED:
            assert m["ends_on"] < TODAY


def test_the_same_day_and_scale_give_the_same_membership_rows_and_ids(seeded: Seeded) -> None:
    first = _generate(seeded.registry, PLAN, TODAY)
    assert first == _generate(seeded.registry, PLAN, TODAY)
    columns = ("id", "tenant_id", "application_id", "selection_id", "clause", "starts_on", "status")
    stored = [tuple(m[c] for c in columns) for m in seeded.memberships]
    assert [tuple(m[c] for c in columns) for m in first] == stored


def test_the_audit_chain_verifies_with_the_membership_events(seeded: Seeded) -> None:
    async def check() -> tuple[bool, Counter[str]]:
        async with session_scope(seeded.settings) as session:
            report = await verify_chain(session, processes=1)
            events = _table(AuditEvent)
            rows = await session.execute(
                sa.select(events.c.action).where(events.c.object_type == "reserve_membership")
            )
            return report.ok, Counter(rows.scalars())

    ok, actions = asyncio.run(check())
    assert ok
    statuses = Counter(m["status"] for m in seeded.memberships)
    assert actions == {
        MEMBERSHIP_EVENTS[0]: PLAN.memberships,
        MEMBERSHIP_EVENTS[1]: statuses[MembershipStatus.EXPIRED],
        MEMBERSHIP_EVENTS[2]: statuses[MembershipStatus.EXCLUDED],
    }
