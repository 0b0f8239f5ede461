"""`portal demo seed`: sample selections in every state for each of the 20 regions.

Dates are placed around the day of seeding so that every state of rules.md 3.1 is shown
with dates that agree with it. Idempotent: a region's selection is keyed by its reference,
and an existing one is left alone, so running the seed twice changes nothing.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.auth.roles import is_central
from portal.auth.services import RoleError, grant_role
from portal.core.audit import Change, record
from portal.demo.announcements import announcement_for
from portal.demo.commission import seed_demo_commission
from portal.demo.positions import seed_demo_positions
from portal.demo.texts import SECTOR_DIRECTIONS
from portal.demo.users import DEMO_REGIONS, DEMO_USERS
from portal.selections.models import (
    AnnouncementText,
    SectorDirection,
    Selection,
    SelectionDirection,
    SelectionStatus,
)
from portal.tenancy.registry import TenantConfig, TenantRegistry

# Days between stages (cl. 6): intake end -> testing -> competency -> interview -> consideration.
TESTING_AFTER_INTAKE = 14
COMPETENCY_AFTER_TESTING = 21
INTERVIEW_AFTER_COMPETENCY = 28
CONSIDERATION_AFTER_INTERVIEW = 7
INTAKE_DAYS = 30
#: Calendar days between publication and intake start: comfortably above 15 working days (cl. 7).
PUBLICATION_LEAD = 30


@dataclass(frozen=True, slots=True)
class Scenario:
    number: int
    status: SelectionStatus
    #: Intake start relative to the day of seeding.
    intake_offset: int
    published: bool = True


S = SelectionStatus
SCENARIOS: tuple[Scenario, ...] = (
    Scenario(1, S.COMPLETED, -420),
    Scenario(2, S.COMPLETED, -200),
    Scenario(3, S.CONSIDERATION, -97),
    Scenario(4, S.INTERVIEW, -91),
    Scenario(5, S.VETTING, -79),
    Scenario(6, S.COMPETENCY, -60),
    Scenario(7, S.TESTING, -40),
    Scenario(8, S.INTAKE_CLOSED, -32),
    Scenario(9, S.INTAKE_OPEN, -10),
    Scenario(10, S.SUSPENDED, -5),
    Scenario(11, S.ANNOUNCED, 25),
    Scenario(12, S.CANCELLED, 30),
    Scenario(13, S.AGREED, 50, published=False),
    Scenario(14, S.AWAITING_AGREEMENT, 60, published=False),
    Scenario(15, S.DRAFT, 75, published=False),
)
#: Every third region runs a second selection open today.
EXTRA_OPEN = Scenario(16, S.INTAKE_OPEN, -3)


def scenarios_for(index: int) -> tuple[Scenario, ...]:
    return (*SCENARIOS, EXTRA_OPEN) if index % 3 == 0 else SCENARIOS


def build_selection(tenant: TenantConfig, index: int, scenario: Scenario, today: date) -> Selection:
    # Regions are staggered by a few days so their dates do not all coincide.
    intake_start = today + timedelta(days=scenario.intake_offset - (index % 5))
    intake_end = intake_start + timedelta(days=INTAKE_DAYS - 1)
    testing = intake_end + timedelta(days=TESTING_AFTER_INTAKE)
    competency = testing + timedelta(days=COMPETENCY_AFTER_TESTING)
    interview = competency + timedelta(days=INTERVIEW_AFTER_COMPETENCY)
    rng = random.Random(f"{tenant.code}-{scenario.number}")  # noqa: S311 - demo data, not security
    return Selection(
        tenant_id=tenant.code,
        reference=f"{tenant.code}-{intake_start.year}-{scenario.number:02d}",
        cycle_year=intake_start.year,
        status=scenario.status,
        quota=rng.randrange(10, 41, 5),
        contact_email=tenant.territorial_unit.email,
        contact_phone=tenant.territorial_unit.phone,
        published_on=intake_start - timedelta(days=PUBLICATION_LEAD) if scenario.published else None,
        intake_start=intake_start,
        intake_end=intake_end,
        testing_on=testing,
        competency_on=competency,
        interview_on=interview,
        consideration_on=interview + timedelta(days=CONSIDERATION_AFTER_INTERVIEW),
    )


def pick_directions(selection: Selection) -> list[SelectionDirection]:
    """Three to five directions; half the selections also split their quota between them (rules.md A-09)."""
    rng = random.Random(selection.reference)  # noqa: S311 - demo data
    codes = [d.code for d in SECTOR_DIRECTIONS]
    chosen = sorted(rng.sample(codes, rng.randint(3, 5)), key=codes.index)
    quotas: list[int | None] = [None] * len(chosen)
    if rng.random() < 0.5:
        share, rest = divmod(selection.quota, len(chosen))
        quotas = [share + (1 if i < rest else 0) for i in range(len(chosen))]
    return [
        SelectionDirection(
            selection_id=selection.id, direction_code=code, tenant_id=selection.tenant_id, quota=quota
        )
        for code, quota in zip(chosen, quotas, strict=True)
    ]


async def seed_directions(session: AsyncSession) -> None:
    existing = set((await session.execute(sa.select(col(SectorDirection.code)))).scalars())
    for position, seed in enumerate(SECTOR_DIRECTIONS):
        if seed.code in existing:
            continue
        session.add(
            SectorDirection(
                code=seed.code,
                position=position,
                name_kk=seed.name.kk,
                name_ru=seed.name.ru,
                name_en=seed.name.en,
                description_kk=seed.description.kk,
                description_ru=seed.description.ru,
                description_en=seed.description.en,
            )
        )
    await session.flush()


async def seed_demo(session: AsyncSession, registry: TenantRegistry, today: date, actor: str) -> int:
    """Create the missing demo selections of every region; returns how many were created."""
    await seed_directions(session)
    rows = await session.execute(sa.select(col(Selection.tenant_id), col(Selection.reference)))
    existing = {(tenant_id, reference) for tenant_id, reference in rows}
    created = 0
    for index, tenant in enumerate(registry.all()):
        for scenario in scenarios_for(index):
            selection = build_selection(tenant, index, scenario, today)
            if (tenant.code, selection.reference) in existing:
                continue
            directions = pick_directions(selection)
            session.add(selection)
            await session.flush()
            session.add_all(directions)
            session.add_all(
                AnnouncementText(selection_id=selection.id, tenant_id=tenant.code, language=language, **text)
                for language, text in announcement_for(tenant, selection, directions).items()
            )
            await record(
                session,
                Change(
                    "selection.seeded",
                    "selection",
                    str(selection.id),
                    actor,
                    tenant.code,
                    clause="3",
                    after={
                        "reference": selection.reference,
                        "status": selection.status,
                        "quota": selection.quota,
                    },
                ),
            )
            created += 1
    await session.flush()
    return created


async def seed_demo_roles(session: AsyncSession, registry: TenantRegistry, today: date, actor: str) -> int:
    """Grant the demo officials their roles in the demo regions (central roles once), and seat the demo
    commission there (portal.demo.commission); idempotent."""
    granted = 0
    regions = [t.code for slug in DEMO_REGIONS if (t := registry.by_slug(slug)) is not None]
    for user in DEMO_USERS:
        for role in user.roles:
            for tenant_id in [None] if is_central(role) else regions:
                try:
                    await grant_role(
                        session, iin=user.iin, role=role, tenant_id=tenant_id, actor=actor, valid_from=today
                    )
                except RoleError as error:
                    if error.code != "duplicate":
                        raise
                    continue
                granted += 1
    await seed_demo_commission(session, regions, today, actor)
    await seed_demo_positions(session, regions, datetime.combine(today, time(6), UTC), actor)
    return granted
