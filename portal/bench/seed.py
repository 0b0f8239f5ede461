"""`portal bench seed`: a deterministic data set at national scale for `make bench` (issue 9).

At ``--scale 1`` on top of the 20 synced tenants: 2,000 selections (100 per region, every state of
rules.md 3.1, a fifth of them open today) with their sector directions and announcement texts in
kk/ru/en (the demo's texts); about 40,000 candidates with complete profiles; 100,000 applications
(the five large regions hold half of them, and Astana has exactly 5,000 submitted ones for the
officer's list); 400,000 document rows; 100,000 history events; 20,000 reserve memberships;
1,000,000 audit events that continue the existing hash chain, so `portal audit verify` passes
afterwards.

The memberships are spread over the regions like the applications. In each region the cl. 12
enrolments come first (up to 90%): applications of completed selections, round-robin over the
selections, each selection within its quota and its directions' own quotas (rules.md A-09, A-11,
as the commission's `quota_refusal` enforces), so a membership's application is ``enrolled`` and
the applications that were enrolled beyond it read ``not_enrolled``. At scale 1 the quotas of the
completed selections hold about 12,400 of them; chapter 2-1 memberships (cl. 13-3, outside the
quota, no selection) of other candidates of the region make up the rest. Terms are two years
(`portal.rules.terms.membership_end`); the cl. 12 ones start on their selection's consideration
day, so they are all in their term; a tenth of all memberships are chapter 2-1 ones whose term is
over (expired) and about 2% were excluded (cl. 18). Each has the audit events the portal would write
(created, then expired or excluded). No meetings are seeded: the decision columns stay NULL.

Rows go in with SQLAlchemy Core ``insert()`` in batches of a few thousand (never ORM objects one
by one), on SQLite and PostgreSQL alike; each stage is one transaction. The same day and scale
give the same rows, ids included (time-ordered like `portal.core.models.new_id`). Storage keys are
unique (the column is); the files behind them are hard links to a few small sample files written
once under ``<storage_dir>/.bench-samples`` (the sweep ignores that directory), so the disk stays
small and any document can still be downloaded.

Run it on a fresh, migrated database with the tenants synced; it refuses a database it has
already seeded.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import os
import random
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine

from portal.applications.consent import CURRENT_CONSENT
from portal.applications.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationStatus,
    CandidateProfile,
    Channel,
    DocumentSlot,
    EducationEntry,
    EmploymentEntry,
    ReferenceCounter,
)
from portal.auth.models import RoleAssignment, User
from portal.auth.roles import Role
from portal.commission.decisions import ENROLMENT_CLAUSE
from portal.core.audit import CHAIN_HEAD_ID, AuditChainHead, AuditEvent, compute_hash
from portal.core.db import install_sqlite_pragmas
from portal.demo.announcements import announcement_for
from portal.demo.seed import pick_directions, seed_directions
from portal.demo.texts import SECTOR_DIRECTIONS
from portal.demo.users import make_iin
from portal.reserve.direct_services import DIRECT_CLAUSE
from portal.reserve.models import MembershipStatus, ReserveMembership
from portal.rules.eligibility import EducationLevel, EmploymentKind
from portal.rules.iin import mask_iin
from portal.rules.terms import membership_end
from portal.selections.models import AnnouncementText, Selection, SelectionDirection, SelectionStatus
from portal.tenancy.models import Tenant
from portal.tenancy.registry import TenantConfig, TenantRegistry

__all__ = [
    "BENCH_ISSUER",
    "BenchAlreadySeededError",
    "BenchPerson",
    "BenchPlan",
    "BenchReport",
    "TenantShare",
    "allocate",
    "officer",
    "open_selections",
    "person",
    "seed_bench",
    "submitter",
    "tracker_candidate",
]

#: The issuer written on seeded users; signing in through any provider replaces it (users are keyed by IIN).
BENCH_ISSUER = "urn:portal:bench"
ACTOR = "bench"
BATCH_ROWS = 4000
#: The five regions that hold half of all applications (A.6: skewed activity).
LARGE_REGIONS = ("KZ-71", "KZ-75", "KZ-79", "KZ-61", "KZ-19")
LARGE_WEIGHT = 3
#: Person numbers: candidates count from 0; the submission candidates and the officer live far above.
SUBMITTER_BASE = 900_000
OFFICER_NUMBER = 990_000
#: Copies of each sample file: ext4 allows 65,000 hard links per file, 100,000 documents share a slot.
SAMPLE_COPIES = 8
SAMPLES_DIR = ".bench-samples"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

S = SelectionStatus
A = ApplicationStatus

#: The states of a region's selections, as shares of 100 (the order matters: see `_selection_status`).
SELECTION_MIX: tuple[tuple[SelectionStatus, int], ...] = (
    (S.COMPLETED, 30),
    (S.CONSIDERATION, 2),
    (S.INTERVIEW, 2),
    (S.VETTING, 2),
    (S.COMPETENCY, 2),
    (S.TESTING, 2),
    (S.INTAKE_CLOSED, 8),
    (S.SUSPENDED, 2),
    (S.INTAKE_OPEN, 20),
    (S.ANNOUNCED, 15),
    (S.CANCELLED, 3),
    (S.AGREED, 4),
    (S.AWAITING_AGREEMENT, 3),
    (S.DRAFT, 3),
)
_IN_PROGRESS = {S.TESTING, S.COMPETENCY, S.VETTING, S.INTERVIEW, S.CONSIDERATION}
_STAGE_STATUS = {
    S.TESTING: A.IN_TESTING,
    S.COMPETENCY: A.IN_COMPETENCY,
    S.VETTING: A.IN_VETTING,
    S.INTERVIEW: A.IN_INTERVIEW,
    S.CONSIDERATION: A.UNDER_CONSIDERATION,
}
#: Which selections take applications, and their share of a region's applications.
GROUP_SHARES: dict[str, float] = {"open": 0.6, "closed": 0.1, "progress": 0.1, "completed": 0.2}
_UNPUBLISHED = {S.AGREED, S.AWAITING_AGREEMENT, S.DRAFT}
#: Calendar days from the intake start (relative to today) per state: (min, max) offsets.
_INTAKE_OFFSETS: dict[SelectionStatus, tuple[int, int]] = {
    S.INTAKE_OPEN: (-25, -3),
    S.ANNOUNCED: (20, 90),
    S.INTAKE_CLOSED: (-45, -31),
    S.SUSPENDED: (-45, -31),
    S.TESTING: (-60, -44),
    S.COMPETENCY: (-85, -65),
    S.VETTING: (-95, -86),
    S.INTERVIEW: (-110, -96),
    S.CONSIDERATION: (-120, -111),
    S.COMPLETED: (-640, -130),
    S.CANCELLED: (-60, 60),
    S.AGREED: (40, 120),
    S.AWAITING_AGREEMENT: (40, 120),
    S.DRAFT: (40, 120),
}
INTAKE_DAYS = 30

M = MembershipStatus
#: Of a region's memberships, the share aimed at cl. 12 enrolments (the quotas may hold fewer).
SELECTION_MEMBERSHIP_SHARE = 0.9
#: Of all memberships: chapter 2-1 ones whose term is over, and excluded ones (cl. 18), per region.
EXPIRED_SHARE = 0.1
EXCLUDED_SHARE = 0.02
#: Chapter 2-1 decisions of members still in their term: within this many days before today.
DIRECT_ACTIVE_DAYS = 700
#: The order in which a completed selection's applications become its enrolments (then by number).
_ENROL_PREFERENCE = (A.ENROLLED, A.NOT_ENROLLED, A.NOT_ADVANCED, A.REFUSED, A.WITHDRAWN)

_GIVEN_F = ("Әйгерім", "Дана", "Аружан", "Гүлнар", "Мадина", "Жанна", "Сәуле", "Айдана", "Томирис", "Ақмарал")
_GIVEN_M = ("Нұрлан", "Ерлан", "Асқар", "Берік", "Данияр", "Тимур", "Арман", "Ержан", "Бауыржан", "Санжар")
_FAMILY = (
    "Сапаров",
    "Есенов",
    "Оспанов",
    "Төлеуов",
    "Қасымов",
    "Жұмабаев",
    "Сейітов",
    "Ахметов",
    "Серікбаев",
)
_FATHERS = ("Болат", "Қайрат", "Ерлан", "Серік", "Марат", "Нұрлан", "Асан", "Бек", "Сәкен", "Әділ")
_INSTITUTIONS = (
    "Л. Н. Гумилев атындағы Еуразия ұлттық университеті",
    "Әл-Фараби атындағы Қазақ ұлттық университеті",
    "Қарағанды университеті",
    "Satbayev University",
    "М. Әуезов атындағы Оңтүстік Қазақстан университеті",
)
_EMPLOYERS = ("әкімдігі", "білім басқармасы", "денсаулық сақтау басқармасы", "ЖШС «Сапа»", "АҚ «Самұрық»")


class BenchAlreadySeededError(RuntimeError):
    """The database already holds the bench data set (the ids are deterministic: seed a fresh one)."""


# --- the plan --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BenchPlan:
    """How much to generate; `scaled` shrinks everything for tests."""

    selections_per_tenant: int = 100
    applications: int = 100_000
    memberships: int = 20_000
    audit_events: int = 1_000_000
    submitters: int = 32
    applications_per_user: float = 2.5

    @classmethod
    def scaled(cls, scale: float) -> BenchPlan:
        if scale <= 0:
            raise ValueError("the scale must be positive")
        base = cls()
        return cls(
            selections_per_tenant=max(10, round(base.selections_per_tenant * min(scale, 1.0))),
            applications=max(200, round(base.applications * scale)),
            memberships=max(40, round(base.memberships * scale)),
            audit_events=max(0, round(base.audit_events * scale)),
            submitters=base.submitters,
        )


@dataclass(frozen=True, slots=True)
class TenantShare:
    """One region's part: how many applications and memberships, which person numbers are its candidates."""

    code: str
    slug: str
    applications: int
    first_person: int
    persons: int
    memberships: int


def _largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    raw = [total * w / sum(weights) for w in weights]
    counts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _selection_status(index: int, count: int) -> SelectionStatus:
    """The state of a region's selection number `index` of `count`, spread like SELECTION_MIX."""
    point = (index + 0.5) * 100 / count
    upper = 0
    for status, share in SELECTION_MIX:
        upper += share
        if point < upper:
            return status
    return SELECTION_MIX[-1][0]


def _group(status: SelectionStatus) -> str | None:
    if status == S.INTAKE_OPEN:
        return "open"
    if status in {S.INTAKE_CLOSED, S.SUSPENDED}:
        return "closed"
    if status in _IN_PROGRESS:
        return "progress"
    if status == S.COMPLETED:
        return "completed"
    return None


def _per_selection(plan: BenchPlan, applications: int) -> list[int]:
    """Applications of each of a region's selections (by index), by group share, evenly in a group."""
    count = plan.selections_per_tenant
    groups: dict[str, list[int]] = {}
    for i in range(count):
        group = _group(_selection_status(i, count))
        if group is not None:
            groups.setdefault(group, []).append(i)
    shares = {g: s for g, s in GROUP_SHARES.items() if g in groups}
    result = [0] * count
    per_group = _largest_remainder(applications, list(shares.values()))
    for (group, _share), n in zip(shares.items(), per_group, strict=True):
        for i, k in zip(groups[group], _largest_remainder(n, [1.0] * len(groups[group])), strict=True):
            result[i] = k
    return result


def allocate(registry: TenantRegistry, plan: BenchPlan) -> list[TenantShare]:
    """Applications, memberships and candidates per region, in registry order (deterministic)."""
    tenants = registry.all()
    weights = [LARGE_WEIGHT if t.code in LARGE_REGIONS else 1 for t in tenants]
    memberships = _largest_remainder(plan.memberships, weights)
    shares: list[TenantShare] = []
    first = 0
    for tenant, applications, members in zip(
        tenants, _largest_remainder(plan.applications, weights), memberships, strict=True
    ):
        busiest = max(_per_selection(plan, applications))
        persons = max(math.ceil(applications / plan.applications_per_user), busiest + 1)
        shares.append(TenantShare(tenant.code, tenant.slug, applications, first, persons, members))
        first += persons
    return shares


# --- people ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BenchPerson:
    """A seeded person; `claims()` is what the local identity provider must say to sign them in."""

    number: int
    sub: str
    given_name: str
    family_name: str
    patronymic: str
    birth_date: date
    female: bool
    iin: str

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name} {self.patronymic}"

    def claims(self) -> dict[str, object]:
        return {
            "iin": self.iin,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "middle_name": self.patronymic,
            "name": self.full_name,
            "birthdate": self.birth_date.isoformat(),
            "email": f"{self.sub}@bench.reserve.kz",
        }


@functools.cache
def person(number: int) -> BenchPerson:
    """Person `number`, always the same: a valid IIN, Kazakh names, aged 22-33 in 2026.

    Birth dates cycle through 4,000 days; the serial grows by 4 every cycle, so no two numbers
    share birth date, sex and serial (make_iin moves past a serial without a check digit).
    """
    rng = random.Random(number * 7_919 + 1)  # noqa: S311 - benchmark data, not security
    female = number % 2 == 1
    if number >= SUBMITTER_BASE:  # the submission candidates: born 1995-1999, eligible without doubt
        birth = date(1995, 1, 1) + timedelta(days=(number * 37) % 1500)
    else:
        birth = date(1993, 1, 1) + timedelta(days=(number * 7_919) % 4000)
    serial = 100 + 4 * (number // 4000)
    family = rng.choice(_FAMILY) + ("а" if female else "")
    father = rng.choice(_FATHERS)
    return BenchPerson(
        number=number,
        sub=f"bench-{number:06d}",
        given_name=rng.choice(_GIVEN_F if female else _GIVEN_M),
        family_name=family,
        patronymic=f"{father}{'қызы' if female else 'ұлы'}",
        birth_date=birth,
        female=female,
        iin=make_iin(birth, female, serial),
    )


def submitter(k: int) -> BenchPerson:
    """The k-th candidate of the submission benchmark: complete profile, no application yet."""
    return person(SUBMITTER_BASE + k)


def officer() -> BenchPerson:
    """The territorial-unit officer (tu_officer in every region)."""
    return person(OFFICER_NUMBER)


def tracker_candidate(registry: TenantRegistry, plan: BenchPlan, slug: str = "astana") -> BenchPerson:
    """A candidate of `slug` with the most applications there (three at scale 1)."""
    for share in allocate(registry, plan):
        if share.slug == slug:
            return person(share.first_person)
    raise LookupError(slug)


# --- deterministic ids and times -------------------------------------------------------------------


class _Ids:
    """Time-ordered UUIDs (version 7 layout) from a timestamp and a counter: same input, same id."""

    def __init__(self) -> None:
        self.counter = 0

    def at(self, moment: datetime) -> uuid.UUID:
        self.counter += 1
        ms = int((moment - _EPOCH).total_seconds() * 1000) & ((1 << 48) - 1)
        value = (ms << 80) | (0x7 << 76) | (0b10 << 62) | (self.counter & ((1 << 62) - 1))
        return uuid.UUID(int=value)


def _moment(day: date, seconds: int) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)


# --- sample files ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Sample:
    media_type: str
    pages: int
    display_name: str
    sha256: str
    size: int
    paths: tuple[Path, ...]


def _sample_bytes(slot: DocumentSlot) -> tuple[bytes, str, int, str]:
    import pikepdf
    from PIL import Image

    buffer = io.BytesIO()
    if slot in {DocumentSlot.ID_COPY, DocumentSlot.APPLICATION_FORM}:
        pages = 1 if slot == DocumentSlot.ID_COPY else 2
        pdf = pikepdf.new()
        for _ in range(pages):
            pdf.add_blank_page()
        pdf.save(buffer, deterministic_id=True)
        return buffer.getvalue(), "application/pdf", pages, f"{slot.value}.pdf"
    if slot == DocumentSlot.EDUCATION:
        Image.new("RGB", (64, 48), "navy").save(buffer, format="JPEG", quality=90)
        return buffer.getvalue(), "image/jpeg", 1, "diploma.jpg"
    Image.new("RGB", (64, 48), "white").save(buffer, format="PNG")
    return buffer.getvalue(), "image/png", 1, "employment.png"


def _write_samples(storage_dir: Path | None) -> dict[DocumentSlot, _Sample]:
    samples: dict[DocumentSlot, _Sample] = {}
    for slot in DocumentSlot:
        content, media_type, pages, name = _sample_bytes(slot)
        paths: list[Path] = []
        if storage_dir is not None:
            directory = storage_dir / SAMPLES_DIR
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            for copy in range(SAMPLE_COPIES):
                path = directory / f"{slot.value}-{copy}"
                path.write_bytes(content)
                path.chmod(0o600)
                paths.append(path)
        samples[slot] = _Sample(
            media_type, pages, name, hashlib.sha256(content).hexdigest(), len(content), tuple(paths)
        )
    return samples


def _storage_key(tenant_id: str, application_id: uuid.UUID, slot: DocumentSlot) -> str:
    name = hashlib.blake2b(application_id.bytes + slot.value.encode(), digest_size=16).hexdigest()
    return f"{tenant_id}/{name[:2]}/{name}"


def _link_files(storage_dir: Path, links: Iterable[tuple[str, Path]]) -> int:
    made: set[Path] = set()
    count = 0
    for key, source in links:
        target = storage_dir / key
        if target.parent not in made:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            made.add(target.parent)
        with suppress(FileExistsError):
            os.link(source, target)
        count += 1
    return count


# --- bulk insertion --------------------------------------------------------------------------------


def _table(model: Any) -> sa.Table:
    return cast(sa.Table, model.__table__)


async def _insert(conn: AsyncConnection, model: Any, rows: Iterable[dict[str, Any]]) -> int:
    """Core INSERT in batches of BATCH_ROWS (executemany; insertmanyvalues on PostgreSQL)."""
    table, batch, total = _table(model), [], 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH_ROWS:
            await conn.execute(table.insert(), batch)
            total += len(batch)
            batch = []
    if batch:
        await conn.execute(table.insert(), batch)
        total += len(batch)
    return total


# --- what is generated -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Sel:
    id: uuid.UUID
    tenant_id: str
    reference: str
    status: SelectionStatus
    quota: int
    intake_start: date
    intake_end: date
    directions: tuple[str, ...]
    applications: int
    #: Each direction's own quota (A-09), None where the selection's quota is not split.
    direction_quotas: tuple[int | None, ...]
    #: The commission's day: a completed selection's enrolments are decided on it.
    consideration_on: date


@dataclass(slots=True)
class _App:
    id: uuid.UUID
    tenant_id: str
    user_id: uuid.UUID
    person: int
    status: ApplicationStatus
    created_at: datetime
    submitted_at: datetime | None
    changed_at: datetime
    reference: str | None
    direction: str


@dataclass(slots=True)
class _Member:
    """A reserve membership: a cl. 12 enrolment (`app` and `selection` set) or a chapter 2-1 one."""

    id: uuid.UUID
    tenant_id: str
    person: int
    clause: str
    direction: str
    starts_on: date
    ends_on: date
    status: MembershipStatus
    decided_at: datetime
    #: When it expired or was excluded (None while active).
    ended_at: datetime | None
    app: _App | None
    selection: _Sel | None


@dataclass
class BenchReport:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    files_linked: int = 0
    audit_first_seq: int = 0
    audit_last_seq: int = 0
    #: Memberships by clause ("12", "13-3") and by status.
    memberships: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [f"{name}: {count:,} rows" for name, count in self.rows.items()]
        out.append(f"document files linked: {self.files_linked:,}")
        out.append(f"audit events {self.audit_first_seq:,}..{self.audit_last_seq:,}")
        mix = ", ".join(f"{key}: {count:,}" for key, count in self.memberships.items())
        out.append(f"reserve memberships: {self.rows.get('reserve_membership', 0):,} ({mix})")
        out.extend(f"{stage}: {secs:.1f} s" for stage, secs in self.seconds.items())
        return out


@dataclass(slots=True)
class _Event:
    """Duck-typed like AuditEvent for `compute_hash` (the very same canonical form)."""

    seq: int
    tenant_id: str | None
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    clause: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


_EventSpec = tuple[str | None, datetime, str, str, str, str, str, dict[str, Any] | None]


class _Seeder:
    def __init__(self, registry: TenantRegistry, plan: BenchPlan, today: date) -> None:
        self.registry, self.plan, self.today = registry, plan, today
        self.ids = _Ids()
        self.shares = allocate(registry, plan)
        self.selections: list[_Sel] = []
        self.apps: list[_App] = []
        self.user_ids: dict[int, uuid.UUID] = {}
        self.midnight = _moment(today, 0)
        self.officer = officer()
        self.role_ids: dict[str, uuid.UUID] = {}
        self.reference_counters: dict[tuple[str, int], int] = {}
        self.last_seq, self.last_hash = 0, ""
        self._selection_of: dict[uuid.UUID, _Sel] = {}
        #: Per region: the cl. 12 enrolments (application, its selection), chosen with the applications.
        self.enrolments: dict[str, list[tuple[_App, _Sel]]] = {}
        self.members: list[_Member] = []

    # selections -------------------------------------------------------------------------------

    def build_selections(self) -> tuple[list[Selection], list[SelectionDirection], list[dict[str, Any]]]:
        selections: list[Selection] = []
        links: list[SelectionDirection] = []
        texts: list[dict[str, Any]] = []
        for tenant, share in zip(self.registry.all(), self.shares, strict=True):
            counts = _per_selection(self.plan, share.applications)
            for index in range(self.plan.selections_per_tenant):
                selection = self._selection(tenant, index)
                directions = pick_directions(selection)
                selections.append(selection)
                links.extend(directions)
                for language, text in announcement_for(tenant, selection, directions).items():
                    texts.append(
                        {"selection_id": selection.id, "language": language, "tenant_id": tenant.code, **text}
                    )
                self.selections.append(
                    _Sel(
                        selection.id,
                        tenant.code,
                        selection.reference,
                        selection.status,
                        selection.quota,
                        selection.intake_start,
                        selection.intake_end,
                        tuple(d.direction_code for d in directions),
                        counts[index],
                        tuple(d.quota for d in directions),
                        selection.consideration_on or selection.intake_end,  # `_selection` sets it
                    )
                )
        return selections, links, texts

    def _selection(self, tenant: TenantConfig, index: int) -> Selection:
        status = _selection_status(index, self.plan.selections_per_tenant)
        rng = random.Random(f"bench-selection-{tenant.code}-{index}")  # noqa: S311 - benchmark data
        low, high = _INTAKE_OFFSETS[status]
        start = self.today + timedelta(days=rng.randint(low, high))
        end = start + timedelta(days=INTAKE_DAYS - 1)
        testing = end + timedelta(days=14)
        competency = testing + timedelta(days=21)
        interview = competency + timedelta(days=28)
        consideration = interview + timedelta(days=7)
        published = None if status in _UNPUBLISHED else start - timedelta(days=30)
        created = _moment((published or self.today) - timedelta(days=10), rng.randrange(30_000, 50_000))
        changes = [d for d in (published, start, end, testing, competency, interview, consideration) if d]
        last = max([d for d in changes if d < self.today] or [created.date()])
        updated = max(created, _moment(last, rng.randrange(10_000, 60_000)))
        return Selection(
            id=self.ids.at(created),
            tenant_id=tenant.code,
            reference=f"{tenant.code}-{start.year}-{101 + index:03d}",
            cycle_year=start.year,
            status=status,
            quota=rng.randrange(10, 41, 5),
            notice_working_days=15,
            contact_email=tenant.territorial_unit.email,
            contact_phone=tenant.territorial_unit.phone,
            published_on=published,
            intake_start=start,
            intake_end=end,
            testing_on=testing,
            competency_on=competency,
            interview_on=interview,
            consideration_on=consideration,
            created_at=created,
            updated_at=updated,
        )

    # people -----------------------------------------------------------------------------------

    def everyone(self) -> Iterator[BenchPerson]:
        for share in self.shares:
            for n in range(share.first_person, share.first_person + share.persons):
                yield person(n)
        for k in range(self.plan.submitters):
            yield submitter(k)
        yield self.officer

    def user_rows(self) -> Iterator[dict[str, Any]]:
        base = self.midnight - timedelta(days=700)
        for p in self.everyone():
            created = base + timedelta(seconds=(p.number * 613) % (600 * 86_400))
            user_id = self.ids.at(created)
            self.user_ids[p.number] = user_id
            yield {
                "id": user_id,
                "iin": p.iin,
                "issuer": BENCH_ISSUER,
                "sub": p.sub,
                "given_name": p.given_name,
                "family_name": p.family_name,
                "patronymic": p.patronymic,
                "birth_date": p.birth_date,
                "email": f"{p.sub}@bench.reserve.kz",
                "active": True,
                "created_at": created,
                "last_login_at": created,
            }

    def profile_rows(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        profiles, education, employment = [], [], []
        declared = self.midnight - timedelta(days=400)
        for p in self.everyone():
            if p.number == OFFICER_NUMBER:
                continue
            user_id = self.user_ids[p.number]
            rng = random.Random(p.number)  # noqa: S311 - benchmark data
            graduated = p.birth_date + timedelta(days=22 * 365)
            profiles.append(
                {
                    "user_id": user_id,
                    "email": f"{p.sub}@bench.reserve.kz",
                    "phone": f"+7 701 {p.number % 1000:03d} {p.number % 100:02d} {p.number % 97:02d}",
                    "citizenships": ["KZ"],
                    "barred": [],
                    "declarations_made_at": declared,
                    "updated_at": declared,
                }
            )
            education.append(
                {
                    "id": self.ids.at(declared),
                    "user_id": user_id,
                    "level": EducationLevel.BACHELOR,
                    "institution": rng.choice(_INSTITUTIONS),
                    "country": "KZ",
                    "start_date": graduated - timedelta(days=4 * 365),
                    "end_date": graduated,
                    "diploma_number": f"ЖБ-Б {p.number:07d}",
                }
            )
            employment.append(
                {
                    "id": self.ids.at(declared),
                    "user_id": user_id,
                    "employer": f"{rng.choice(('Астана', 'Алматы', 'Шымкент'))} {rng.choice(_EMPLOYERS)}",
                    "position": "маман",
                    "sector": "public",
                    "kind": EmploymentKind.LABOUR_CONTRACT,
                    "start_date": graduated + timedelta(days=60),
                    "end_date": None,
                }
            )
        return profiles, education, employment

    def role_rows(self) -> list[dict[str, Any]]:
        granted = self.midnight - timedelta(days=365)
        for tenant in self.registry.all():
            self.role_ids[tenant.code] = self.ids.at(granted)
        return [
            {
                "id": self.role_ids[tenant.code],
                "iin": self.officer.iin,
                "tenant_id": tenant.code,
                "role": Role.TU_OFFICER,
                "valid_from": granted.date(),
                "valid_to": None,
                "granted_by": ACTOR,
                "granted_at": granted,
                "revoked_at": None,
                "revoked_by": None,
            }
            for tenant in self.registry.all()
        ]

    # applications -----------------------------------------------------------------------------

    def build_applications(self) -> None:
        by_tenant: dict[str, list[_Sel]] = {}
        for s in self.selections:
            by_tenant.setdefault(s.tenant_id, []).append(s)
        counters: dict[tuple[str, int], int] = {}
        last_moment = self.midnight - timedelta(minutes=5)
        for share in self.shares:
            rng = random.Random(f"bench-applications-{share.code}")  # noqa: S311 - benchmark data
            j = 0
            for sel in by_tenant[share.code]:
                for k in range(sel.applications):
                    number = share.first_person + j % share.persons
                    j += 1
                    status = self._application_status(sel.status, k, rng)
                    last_day = min(sel.intake_end, self.today - timedelta(days=1))
                    span = max((last_day - sel.intake_start).days, 0)
                    if sel.status != S.INTAKE_OPEN and rng.random() < 0.4:  # the rush before the deadline
                        day = last_day - timedelta(days=rng.randint(0, min(1, span)))
                    else:
                        day = sel.intake_start + timedelta(days=rng.randint(0, span))
                    created = min(_moment(day, rng.randrange(21_600, 64_800)), last_moment)
                    submitted = None
                    reference = None
                    changed = created + timedelta(minutes=30)
                    if status != A.DRAFT:
                        deadline = _moment(sel.intake_end, 86_399)
                        submitted = min(
                            created + timedelta(minutes=rng.randint(20, 2_880)), deadline, last_moment
                        )
                        counters[(share.code, submitted.year)] = n = (
                            counters.get((share.code, submitted.year), 0) + 1
                        )
                        reference = f"{share.code}-{submitted.year}-{n:06d}"
                        changed = submitted
                        if status != A.SUBMITTED:
                            later = submitted + timedelta(days=rng.randint(3, 40))
                            changed = min(later, last_moment)
                    self.apps.append(
                        _App(
                            self.ids.at(created),
                            share.code,
                            self.user_ids[number],
                            number,
                            status,
                            created,
                            submitted,
                            changed,
                            reference,
                            sel.directions[k % len(sel.directions)],
                        )
                    )
                    self._selection_of[self.apps[-1].id] = sel
        self.reference_counters = counters
        self._enrol(by_tenant)

    @staticmethod
    def _application_status(status: SelectionStatus, k: int, rng: random.Random) -> ApplicationStatus:
        if status == S.INTAKE_OPEN:
            return A.DRAFT if k % 6 == 5 else A.SUBMITTED
        roll = rng.random()
        table: tuple[tuple[float, ApplicationStatus], ...]
        if status in {S.INTAKE_CLOSED, S.SUSPENDED}:
            table = ((0.5, A.UNDER_REVIEW), (0.85, A.ADMITTED), (0.95, A.REFUSED))
        elif status in _IN_PROGRESS:
            table = ((0.6, _STAGE_STATUS[status]), (0.85, A.NOT_ADVANCED), (0.95, A.REFUSED))
        else:
            table = ((0.15, A.ENROLLED), (0.30, A.NOT_ENROLLED), (0.80, A.NOT_ADVANCED), (0.95, A.REFUSED))
        for limit, result in table:
            if roll < limit:
                return result
        return A.WITHDRAWN

    def _enrol(self, by_tenant: Mapping[str, list[_Sel]]) -> None:
        """Choose each region's cl. 12 members among the applications of its completed selections.

        Up to SELECTION_MEMBERSHIP_SHARE of the region's memberships, taken round-robin over the
        selections so they share them evenly; the chosen read ``enrolled``, the other applications
        the draw had enrolled read ``not_enrolled``, both as of the commission's day.
        """
        of_selection: dict[uuid.UUID, list[_App]] = {}
        for a in self.apps:
            of_selection.setdefault(self._selection_of[a.id].id, []).append(a)
        for share in self.shares:
            completed = [s for s in by_tenant[share.code] if s.status == S.COMPLETED]
            queues = [self._enrolment_order(s, of_selection.get(s.id, [])) for s in completed]
            wanted = min(round(share.memberships * SELECTION_MEMBERSHIP_SHARE), sum(map(len, queues)))
            chosen: list[tuple[_App, _Sel]] = []
            depth = 0
            while len(chosen) < wanted:
                for sel, queue in zip(completed, queues, strict=True):
                    if depth < len(queue) and len(chosen) < wanted:
                        chosen.append((queue[depth], sel))
                depth += 1
            self.enrolments[share.code] = chosen
            members = {a.id for a, _sel in chosen}
            for sel in completed:
                decided = min(_moment(sel.consideration_on, 39_600), self.midnight - timedelta(minutes=5))
                for a in of_selection.get(sel.id, []):
                    if a.id in members:
                        a.status, a.changed_at = A.ENROLLED, decided
                    elif a.status == A.ENROLLED:
                        a.status, a.changed_at = A.NOT_ENROLLED, decided

    @staticmethod
    def _enrolment_order(sel: _Sel, apps: Sequence[_App]) -> list[_App]:
        """The applications `sel` can enrol, in the order it takes them: its quota and each direction's
        own quota are never exceeded by any first n of them (rules.md A-09, A-11)."""
        rank = {status: n for n, status in enumerate(_ENROL_PREFERENCE)}
        left = dict(zip(sel.directions, sel.direction_quotas, strict=True))
        order: list[_App] = []
        for a in sorted(apps, key=lambda x: rank.get(x.status, len(rank))):  # stable: then by number
            if len(order) >= sel.quota:
                break
            own = left[a.direction]
            if own is not None:
                if own <= 0:
                    continue
                left[a.direction] = own - 1
            order.append(a)
        return order

    def application_rows(self) -> Iterator[dict[str, Any]]:
        officer_id = self.user_ids[OFFICER_NUMBER]
        for i, a in enumerate(self.apps):
            p = person(a.person)
            paper = i % 25 == 0 and a.status != A.DRAFT
            eligibility = None
            if a.submitted_at is not None:
                age = a.submitted_at.year - p.birth_date.year
                eligibility = {
                    "on": a.submitted_at.date().isoformat(),
                    "eligible": True,
                    "age": age,
                    "experience_days": max(0, (a.submitted_at.date() - p.birth_date).days - 22 * 365),
                    "reasons": [],
                    "flags": [],
                }
            yield {
                "id": a.id,
                "tenant_id": a.tenant_id,
                "selection_id": self._selection_of[a.id].id,
                "candidate_iin": p.iin,
                "user_id": a.user_id,
                "candidate_name": p.full_name,
                "reference": a.reference,
                "status": a.status,
                "channel": Channel.PAPER if paper else Channel.PORTAL,
                "direction_code": a.direction,
                "consent_version": CURRENT_CONSENT if a.submitted_at else None,
                "consent_at": a.submitted_at,
                "reference_date": a.submitted_at.date() if a.submitted_at else None,
                "eligibility": eligibility,
                "submitted_at": a.submitted_at,
                "registered_by": officer_id if paper else None,
                "created_at": a.created_at,
                "updated_at": a.changed_at,
            }

    def document_rows(
        self, samples: Mapping[DocumentSlot, _Sample], links: list[tuple[str, Path]] | None
    ) -> Iterator[dict[str, Any]]:
        for i, a in enumerate(self.apps):
            for n, slot in enumerate(DocumentSlot):
                sample = samples[slot]
                key = _storage_key(a.tenant_id, a.id, slot)
                uploaded = a.created_at + timedelta(minutes=2 + n)
                if links is not None:
                    links.append((key, sample.paths[i % SAMPLE_COPIES]))
                yield {
                    "id": self.ids.at(uploaded),
                    "application_id": a.id,
                    "tenant_id": a.tenant_id,
                    "slot": slot,
                    "storage_key": key,
                    "sha256": sample.sha256,
                    "size": sample.size,
                    "media_type": sample.media_type,
                    "pages": sample.pages,
                    "display_name": sample.display_name,
                    "uploaded_at": uploaded,
                }

    def event_rows(self) -> Iterator[dict[str, Any]]:
        for a in self.apps:
            yield {
                "id": self.ids.at(a.changed_at),
                "application_id": a.id,
                "tenant_id": a.tenant_id,
                "at": a.changed_at,
                "status": a.status,
                "clause": "8" if a.status in {A.DRAFT, A.SUBMITTED} else "",
                "reason": "",
            }

    # reserve memberships ----------------------------------------------------------------------

    def build_memberships(self) -> None:
        """Each region's cl. 12 members, then chapter 2-1 members up to its count (see the module)."""
        directions = [d.code for d in SECTOR_DIRECTIONS]
        for share in self.shares:
            rng = random.Random(f"bench-memberships-{share.code}")  # noqa: S311 - benchmark data
            enrolled = self.enrolments.get(share.code, [])
            for a, sel in enrolled:
                self.members.append(
                    self._member(
                        share.code,
                        a.person,
                        a.changed_at,  # the commission's day (`_enrol`)
                        rng,
                        clause=ENROLMENT_CLAUSE,
                        direction=a.direction,
                        app=a,
                        selection=sel,
                    )
                )
            direct = share.memberships - len(enrolled)
            expired = min(direct, round(share.memberships * EXPIRED_SHARE))
            taken = {a.person for a, _sel in enrolled}
            people = [
                n
                for n in range(share.first_person + share.persons - 1, share.first_person - 1, -1)
                if n not in taken
            ]
            if len(people) < direct:
                raise ValueError(f"{share.code}: {direct} chapter 2-1 members, {len(people)} candidates")
            for i, number in enumerate(people[:direct]):
                if i < expired:  # decided 733+ days ago: the two-year term ended before today
                    day = self.today - timedelta(days=733 + rng.randint(0, 364))
                else:
                    day = self.today - timedelta(days=rng.randint(1, DIRECT_ACTIVE_DAYS))
                decided = _moment(day, rng.randrange(36_000, 64_800))
                self.members.append(
                    self._member(
                        share.code,
                        number,
                        decided,
                        rng,
                        clause=DIRECT_CLAUSE,
                        direction=rng.choice(directions),
                    )
                )

    def _member(
        self,
        tenant_id: str,
        number: int,
        decided: datetime,
        rng: random.Random,
        *,
        clause: str,
        direction: str,
        app: _App | None = None,
        selection: _Sel | None = None,
    ) -> _Member:
        starts = decided.date()
        ends = membership_end(starts)
        status, ended = M.ACTIVE, None
        if ends < self.today:  # what the reserve job does the day after the last one
            status, ended = M.EXPIRED, _moment(ends + timedelta(days=1), 3_600)
        elif rng.random() < EXCLUDED_SHARE and (self.today - starts).days > 30:
            status = M.EXCLUDED
            ended = _moment(starts + timedelta(days=rng.randint(30, (self.today - starts).days)), 50_400)
            ended = min(ended, self.midnight - timedelta(minutes=5))
        return _Member(
            self.ids.at(decided),
            tenant_id,
            number,
            clause,
            direction,
            starts,
            ends,
            status,
            decided,
            ended,
            app,
            selection,
        )

    def membership_rows(self) -> Iterator[dict[str, Any]]:
        for m in self.members:
            p = person(m.person)
            yield {
                "id": m.id,
                "tenant_id": m.tenant_id,
                "selection_id": m.selection.id if m.selection else None,
                "application_id": m.app.id if m.app else None,
                "user_id": self.user_ids[m.person],
                "candidate_iin": p.iin,
                "candidate_name": p.full_name,
                "direction_code": m.direction,
                "decision_item_id": None,
                "meeting_id": None,
                "clause": m.clause,
                "starts_on": m.starts_on,
                "ends_on": m.ends_on,
                "status": m.status,
                # cl. 12 enrolments count against the quota, chapter 2-1 ones do not (cl. 13-4)
                "counted_in_quota": m.app is not None,
                "created_at": m.decided_at,
            }

    def membership_mix(self) -> dict[str, int]:
        mix: dict[str, int] = {}
        for key in (f"cl. {ENROLMENT_CLAUSE}", f"cl. {DIRECT_CLAUSE}", *(s.value for s in M)):
            mix[key] = 0
        for m in self.members:
            mix[f"cl. {m.clause}"] += 1
            mix[m.status.value] += 1
        return mix

    # audit ------------------------------------------------------------------------------------

    def audit_specs(self, samples: Mapping[DocumentSlot, _Sample]) -> Iterator[_EventSpec]:
        """Every event of the data set, then sign-ins spread between them up to the planned total."""
        natural = self._natural_events(samples)
        planned = self.plan.audit_events
        count = self._natural_count()
        filler = max(0, planned - count)
        ratio = filler / count if count else 0.0
        owed = 0.0
        sign_ins = 0
        persons = [p for s in self.shares for p in range(s.first_person, s.first_person + s.persons)]
        for spec in natural:
            yield spec
            owed += ratio
            while owed >= 1 and sign_ins < filler:
                owed -= 1
                number = persons[(sign_ins * 7_919) % len(persons)]
                yield self._sign_in(number, spec[1])
                sign_ins += 1
        while sign_ins < filler:
            number = persons[(sign_ins * 7_919) % len(persons)]
            yield self._sign_in(number, self.midnight - timedelta(minutes=1))
            sign_ins += 1

    def _sign_in(self, number: int, at: datetime) -> _EventSpec:
        p = person(number)
        user = str(self.user_ids[number])
        return (None, at, user, "user.signed_in", "user", user, "", {"iin": mask_iin(p.iin), "sub": p.sub})

    def _natural_count(self) -> int:
        users = sum(s.persons for s in self.shares) + self.plan.submitters + 1
        per_app = sum(
            6 + (2 if a.status != A.DRAFT else 0) + (1 if a.status not in {A.DRAFT, A.SUBMITTED} else 0)
            for a in self.apps
        )
        per_member = sum(1 if m.ended_at is None else 2 for m in self.members)
        return len(self.registry.all()) + len(self.selections) + users + per_app + per_member

    def _natural_events(self, samples: Mapping[DocumentSlot, _Sample]) -> Iterator[_EventSpec]:
        o = self.officer
        granted = self.midnight - timedelta(days=365)
        for tenant in self.registry.all():
            grant = {"iin": mask_iin(o.iin), "role": "tu_officer", "valid_from": granted.date().isoformat()}
            yield (
                tenant.code,
                granted,
                ACTOR,
                "role.granted",
                "role_assignment",
                str(self.role_ids[tenant.code]),
                "",
                grant | {"valid_to": None},
            )
        for s in self.selections:
            after: dict[str, Any] = {"reference": s.reference, "status": s.status.value, "quota": s.quota}
            created = _moment(s.intake_start - timedelta(days=40), 36_000)
            yield (s.tenant_id, created, ACTOR, "selection.seeded", "selection", str(s.id), "3", after)
        for p in self.everyone():
            user = str(self.user_ids[p.number])
            created = (
                self.midnight - timedelta(days=700) + timedelta(seconds=(p.number * 613) % (600 * 86_400))
            )
            yield (
                None,
                created,
                user,
                "user.created",
                "user",
                user,
                "",
                {"iin": mask_iin(p.iin), "sub": p.sub},
            )
        for a in sorted(self.apps, key=lambda x: x.created_at):
            yield from self._application_events(a, samples)
        for m in self.members:
            yield from self._member_events(m)

    @staticmethod
    def _member_events(m: _Member) -> Iterator[_EventSpec]:
        """What the commission's decision, the reserve job and an exclusion write (no meetings here)."""
        term = {"starts_on": m.starts_on.isoformat(), "ends_on": m.ends_on.isoformat()}
        after: dict[str, Any]
        if m.app is not None:
            clause, after = m.clause, {"application": m.app.reference, **term, "decision": None}
        else:  # cl. 13-4: outside the quota
            clause, after = "13-4", {"basis": "ch2-1", "request": None, **term, "counted_in_quota": False}
        object_id = str(m.id)
        yield (
            m.tenant_id,
            m.decided_at,
            ACTOR,
            "reserve.membership_created",
            "reserve_membership",
            object_id,
            clause,
            after,
        )
        if m.ended_at is None:
            return
        if m.status == M.EXPIRED:
            ended = {"status": M.EXPIRED.value, "ends_on": m.ends_on.isoformat()}
            yield (
                m.tenant_id,
                m.ended_at,
                ACTOR,
                "reserve.membership_expired",
                "reserve_membership",
                object_id,
                m.clause,
                ended,
            )
        else:
            excluded = {"status": M.EXCLUDED.value, "case": None}
            yield (
                m.tenant_id,
                m.ended_at,
                ACTOR,
                "reserve.membership_excluded",
                "reserve_membership",
                object_id,
                "18",
                excluded,
            )

    @staticmethod
    def _application_events(a: _App, samples: Mapping[DocumentSlot, _Sample]) -> Iterator[_EventSpec]:
        t, user, app = a.tenant_id, str(a.user_id), str(a.id)
        yield (
            t,
            a.created_at,
            user,
            "application.draft",
            "application",
            app,
            "8",
            {"status": "draft", "reference": None},
        )
        yield (
            t,
            a.created_at + timedelta(minutes=1),
            user,
            "application.direction_chosen",
            "application",
            app,
            "3",
            {"direction": a.direction},
        )
        for n, slot in enumerate(DocumentSlot):
            sample = samples[slot]
            after = {"slot": slot.value, "sha256": sample.sha256, "size": sample.size, "replaced": False}
            yield (
                t,
                a.created_at + timedelta(minutes=2 + n),
                user,
                "application.document_uploaded",
                "application",
                app,
                "8",
                after,
            )
        if a.submitted_at is None:
            return
        yield (
            t,
            a.submitted_at - timedelta(minutes=1),
            user,
            "application.consent_given",
            "application",
            app,
            "9",
            {"version": CURRENT_CONSENT},
        )
        yield (
            t,
            a.submitted_at,
            user,
            "application.submitted",
            "application",
            app,
            "8",
            {"status": "submitted", "reference": a.reference},
        )
        if a.status != A.SUBMITTED:
            changed: dict[str, Any] = {"status": a.status.value, "reference": a.reference}
            yield (t, a.changed_at, ACTOR, f"application.{a.status.value}", "application", app, "", changed)

    def audit_rows(
        self, specs: Iterable[_EventSpec], first_seq: int, prev_hash: str
    ) -> Iterator[dict[str, Any]]:
        seq = first_seq
        for tenant_id, at, actor, action, object_type, object_id, clause, after in specs:
            event = _Event(seq, tenant_id, at, actor, action, object_type, object_id, clause, None, after)
            digest = compute_hash(prev_hash, cast(AuditEvent, event))
            yield {
                "seq": seq,
                "tenant_id": tenant_id,
                "at": at,
                "actor": actor,
                "action": action,
                "object_type": object_type,
                "object_id": object_id,
                "clause": clause,
                "before": None,
                "after": after,
                "prev_hash": prev_hash,
                "hash": digest,
            }
            self.last_seq, self.last_hash = seq, digest
            prev_hash = digest
            seq += 1


# --- the command -----------------------------------------------------------------------------------


@asynccontextmanager
async def _engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database_url)
    install_sqlite_pragmas(engine)
    if engine.dialect.name == "sqlite":

        def bulk_pragmas(dbapi_connection: Any, _: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA cache_size=-262144")  # 256 MiB of page cache for the index builds
            cursor.execute("PRAGMA temp_store=MEMORY")
            cursor.close()

        sa.event.listen(engine.sync_engine, "connect", bulk_pragmas)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _check_fresh(conn: AsyncConnection, registry: TenantRegistry) -> None:
    tenants = set((await conn.execute(sa.select(_table(Tenant).c.id))).scalars())
    missing = [t.code for t in registry.all() if t.code not in tenants]
    if missing:
        raise RuntimeError(f"tenants missing from the database (run `portal tenants sync`): {missing}")
    seeded = await conn.execute(sa.select(_table(User).c.id).where(_table(User).c.iin == officer().iin))
    if seeded.first() is not None:
        raise BenchAlreadySeededError("this database already holds the bench data set; seed a fresh one")


async def seed_bench(
    database_url: str,
    registry: TenantRegistry,
    today: date,
    *,
    plan: BenchPlan | None = None,
    storage_dir: Path | None = None,
    progress: Callable[[str], None] = lambda _message: None,
) -> BenchReport:
    """Generate the data set into a migrated database with synced tenants; see the module docstring.

    ``storage_dir`` set: the document rows get files (hard links to the samples) under it.
    """
    seeder = _Seeder(registry, plan or BenchPlan(), today)
    report = BenchReport()
    clock = time.perf_counter()

    def stage(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.seconds[name] = now - clock
        clock = now
        progress(f"{name}: {report.seconds[name]:.1f} s")

    async with _engine(database_url) as engine:
        async with engine.begin() as conn:
            await _check_fresh(conn, registry)
        async with AsyncSession(engine) as session, session.begin():
            await seed_directions(session)
        await _seed_selections(engine, seeder, report)
        stage("selections")
        await _seed_people(engine, seeder, report)
        stage("people")
        samples = _write_samples(storage_dir)
        links = await _seed_applications(engine, seeder, report, samples, storage_dir is not None)
        stage("applications")
        if storage_dir is not None:
            report.files_linked = _link_files(storage_dir, links)
            stage("document files")
        await _seed_memberships(engine, seeder, report)
        stage("memberships")
        await _seed_audit(engine, seeder, report, samples)
        stage("audit events")
        async with engine.connect() as conn:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            # What an operator does after a bulk load. On PostgreSQL VACUUM also sets the visibility
            # map: without it the officer list's count and deep pages cannot be index-only scans
            # (1.9 and 10.4 ms instead of 0.7 and 0.9 ms on the bench data; docs/performance.md).
            postgres = engine.dialect.name == "postgresql"
            await autocommit.execute(sa.text("VACUUM ANALYZE" if postgres else "ANALYZE"))
            if engine.dialect.name == "sqlite":
                await autocommit.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))
        stage("analyze")
    return report


async def _seed_selections(engine: AsyncEngine, seeder: _Seeder, report: BenchReport) -> None:
    selections, links, texts = seeder.build_selections()
    async with engine.begin() as conn:
        report.rows["selection"] = await _insert(conn, Selection, (_selection_row(s) for s in selections))
        report.rows["selection_direction"] = await _insert(
            conn, SelectionDirection, (_direction_row(d) for d in links)
        )
        report.rows["announcement_text"] = await _insert(conn, AnnouncementText, texts)


async def _seed_people(engine: AsyncEngine, seeder: _Seeder, report: BenchReport) -> None:
    async with engine.begin() as conn:
        report.rows["user_account"] = await _insert(conn, User, seeder.user_rows())
        profiles, education, employment = seeder.profile_rows()
        report.rows["candidate_profile"] = await _insert(conn, CandidateProfile, profiles)
        report.rows["education_entry"] = await _insert(conn, EducationEntry, education)
        report.rows["employment_entry"] = await _insert(conn, EmploymentEntry, employment)
        report.rows["role_assignment"] = await _insert(conn, RoleAssignment, seeder.role_rows())


async def _seed_applications(
    engine: AsyncEngine,
    seeder: _Seeder,
    report: BenchReport,
    samples: Mapping[DocumentSlot, _Sample],
    with_files: bool,
) -> list[tuple[str, Path]]:
    """Applications, their documents and history, the reference counters; returns the files to link."""
    seeder.build_applications()
    links: list[tuple[str, Path]] = []
    counters = sorted(seeder.reference_counters.items())
    async with engine.begin() as conn:
        report.rows["application"] = await _insert(conn, Application, seeder.application_rows())
        report.rows["application_document"] = await _insert(
            conn, ApplicationDocument, seeder.document_rows(samples, links if with_files else None)
        )
        report.rows["application_event"] = await _insert(conn, ApplicationEvent, seeder.event_rows())
        report.rows["reference_counter"] = await _insert(
            conn,
            ReferenceCounter,
            ({"tenant_id": tenant_id, "year": year, "last": last} for (tenant_id, year), last in counters),
        )
    return links


async def _seed_memberships(engine: AsyncEngine, seeder: _Seeder, report: BenchReport) -> None:
    seeder.build_memberships()
    async with engine.begin() as conn:
        report.rows["reserve_membership"] = await _insert(conn, ReserveMembership, seeder.membership_rows())
    report.memberships = seeder.membership_mix()


async def _seed_audit(
    engine: AsyncEngine, seeder: _Seeder, report: BenchReport, samples: Mapping[DocumentSlot, _Sample]
) -> None:
    """Continue the chain from its head, in one transaction that holds the writers' lock."""
    head = _table(AuditChainHead)
    async with engine.begin() as conn:
        row = (
            await conn.execute(
                sa.update(head)
                .where(head.c.id == CHAIN_HEAD_ID)
                .values(seq=head.c.seq)  # takes the lock every writer takes first (portal.core.audit)
                .returning(head.c.seq, head.c.last_hash)
            )
        ).one()
        first = int(row.seq) + 1
        seeder.last_seq, seeder.last_hash = int(row.seq), str(row.last_hash)
        rows = seeder.audit_rows(seeder.audit_specs(samples), first, str(row.last_hash))
        report.rows["audit_event"] = await _insert(conn, AuditEvent, rows)
        await conn.execute(
            sa.update(head)
            .where(head.c.id == CHAIN_HEAD_ID)
            .values(seq=seeder.last_seq, last_hash=seeder.last_hash)
        )
        report.audit_first_seq, report.audit_last_seq = first, seeder.last_seq


def _selection_row(s: Selection) -> dict[str, Any]:
    return {column.name: getattr(s, column.name) for column in _table(Selection).columns}


def _direction_row(d: SelectionDirection) -> dict[str, Any]:
    return {column.name: getattr(d, column.name) for column in _table(SelectionDirection).columns}


async def open_selections(database_url: str, today: date) -> list[tuple[str, uuid.UUID, str]]:
    """(tenant_id, selection id, a direction code) of every bench selection taking applications today."""
    table, links = _table(Selection), _table(SelectionDirection)
    first_direction = (
        sa.select(sa.func.min(links.c.direction_code))
        .where(links.c.selection_id == table.c.id)
        .scalar_subquery()
    )
    async with _engine(database_url) as engine, engine.connect() as conn:
        rows = await conn.execute(
            sa.select(table.c.tenant_id, table.c.id, first_direction)
            .where(
                table.c.status == S.INTAKE_OPEN,
                table.c.intake_start <= today,
                table.c.intake_end >= today,
                table.c.reference.like("%-___"),  # the bench numbers (101-200)
            )
            .order_by(table.c.tenant_id, table.c.reference)
        )
        return [
            (str(t), i if isinstance(i, uuid.UUID) else uuid.UUID(str(i)), str(code))
            for t, i, code in rows.all()
        ]
