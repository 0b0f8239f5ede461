"""The reserve's scheduled job (rules.md 3.3 "expiry job"; issue 8 item 2): hourly, in the web process
under `make run` (a lifespan task) and in `portal worker` in production.

One run (`expire_and_remind`):

1. expires every active membership whose last day (`ends_on`, inclusive) is before today: a
   conditional ``UPDATE ... WHERE status = 'active' AND ends_on < today`` per membership, so of two
   runs at once (two workers, or the web process and a worker) exactly one expires it; that run
   writes the audit event (clause 12 or 13-3, the membership's own), closes the pending exclusion
   cases as moot (A-25), voids the open appointment proposals (A-22) and tells the member;
2. sends the reminders 90 and 30 days before the end: the ReminderSent row (UNIQUE per membership
   and kind) is inserted first with ON CONFLICT DO NOTHING, and the notice is queued in the same
   transaction only when the row was new, so each reminder is sent once;
3. moves the exclusion cases whose comment period is over to "ready for the agenda" (cl. 18);
4. flags the chapter 2-1 requests whose decision is overdue (cl. 13-3) to the region's commission
   chair and the Agency (portal.reserve.direct_services.flag_overdue). A request becomes overdue
   when the day changes, so only the first run of a day finds any; each is flagged once: the flag
   (`overdue_flagged_at`) is set by a conditional update and only the run that set it sends the
   notices (which carry an idempotency key per request and recipient as well).

Each membership, reminder and case is its own short transaction: a failure is logged and retried
at the next run, and never holds back the others.
"""

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

import anyio
import sqlalchemy as sa
import structlog
from litestar import Litestar
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlmodel import col

from portal.appointments.proposals import Mail, void_open_proposals
from portal.core.audit import Change, record
from portal.core.background import beside_the_app, until_signalled
from portal.core.clock import Clock
from portal.core.db import install_sqlite_pragmas
from portal.core.logging import configure_logging
from portal.core.models import new_id
from portal.core.settings import LANGUAGES, Environment, Settings
from portal.i18n import N_
from portal.reserve import direct_services, exclusions
from portal.reserve.exclusion_models import ExclusionCase, ExclusionStatus
from portal.reserve.models import MembershipStatus, ReserveMembership
from portal.reserve.notices import Notice, localized, tell_member
from portal.reserve.reminder_models import ReminderKind, ReminderSent
from portal.tenancy.registry import TenantRegistry, load_tenants

_log = structlog.get_logger("portal.reserve")
ACTOR = "system:reserve-jobs"
#: rules.md 3.3: notices to the member 90 and 30 days before the end.
REMINDER_DAYS: dict[ReminderKind, int] = {ReminderKind.DAYS_90: 90, ReminderKind.DAYS_30: 30}
MEMBER_PATH = "/me/memberships/{id}"

SessionFactory = Callable[[], AsyncSession]


@dataclass(frozen=True, slots=True)
class JobReport:
    """What one run did (this run only: a membership another run expired is not counted here)."""

    expired: int = 0
    reminded: int = 0
    moot: int = 0
    voided: int = 0
    ready: int = 0
    overdue: int = 0


def mail_of(settings: Settings, registry: TenantRegistry) -> Mail:
    """The notices' addresses and region names (as portal.appointments.views.mail_for, without a request)."""
    return Mail(
        base_url=settings.base_url,
        regions={t.code: {language: t.name.get(language) for language in LANGUAGES} for t in registry.all()},
        slugs={t.code: t.slug for t in registry.all()},
    )


# --- 1. expiry --------------------------------------------------------------------------------------


async def _ids(factory: SessionFactory, statement: sa.Select[Any]) -> list[Any]:
    async with factory() as session:
        return list((await session.execute(statement)).scalars())


async def _expire_one(
    factory: SessionFactory, membership_id: uuid.UUID, *, today: date, now: datetime, mail: Mail
) -> tuple[int, int] | None:
    """Expire one membership if it is still active and past its end; (moot cases, voided proposals)."""
    async with factory() as session, session.begin():
        result = cast(
            "CursorResult[Any]",
            await session.execute(
                sa.update(ReserveMembership)
                .where(
                    col(ReserveMembership.id) == membership_id,
                    col(ReserveMembership.status) == MembershipStatus.ACTIVE,
                    col(ReserveMembership.ends_on) < today,
                )
                .values(status=MembershipStatus.EXPIRED)
                .execution_options(synchronize_session=False)
            ),
        )
        if result.rowcount != 1:
            return None  # another run expired it, or it ended otherwise
        membership = await session.get(ReserveMembership, membership_id, populate_existing=True)
        if membership is None:  # pragma: no cover - the row was just updated
            return None
        await record(
            session,
            Change(
                "reserve.membership_expired",
                "reserve_membership",
                str(membership.id),
                ACTOR,
                membership.tenant_id,
                clause=membership.clause,
                before={"status": MembershipStatus.ACTIVE},
                after={"status": MembershipStatus.EXPIRED, "ends_on": membership.ends_on},
            ),
        )
        moot = await exclusions.close_as_moot(session, membership, actor=ACTOR, now=now, mail=mail)
        voided = await void_open_proposals(
            session,
            membership,
            reason=N_("The membership of the reserve has expired."),
            clause=membership.clause,
            actor=ACTOR,
            now=now,
            mail=mail,
        )
        await tell_member(
            session,
            membership,
            Notice(
                N_("Your membership of the reserve has ended"),
                localized(
                    N_("Your two-year membership of the regional personnel reserve ended on %(end)s."),
                    end=membership.ends_on,
                ),
                MEMBER_PATH.format(id=membership.id),
                membership.clause,
            ),
            mail,
            now=now,
            key=f"membership:{membership.id}:expired",
        )
        return moot, voided


# --- 2. reminders -----------------------------------------------------------------------------------


def _window(kind: ReminderKind, today: date) -> sa.ColumnElement[bool]:
    """90 days: the end is 31 to 90 days away; 30 days: 0 to 30 (a missed run still reminds, once)."""
    days = REMINDER_DAYS[kind]
    nearer = min((d for d in REMINDER_DAYS.values() if d < days), default=-1)
    return sa.and_(
        col(ReserveMembership.ends_on) <= today + timedelta(days=days),
        col(ReserveMembership.ends_on) > today + timedelta(days=nearer),
    )


async def _claim_reminder(
    session: AsyncSession, membership: ReserveMembership, kind: ReminderKind, now: datetime
) -> bool:
    """Insert the ReminderSent row; False when it already exists (sent before, or by a run beside us)."""
    dialect = session.get_bind().dialect.name
    row = {
        "id": new_id(),
        "tenant_id": membership.tenant_id,
        "membership_id": membership.id,
        "kind": kind,
        "sent_at": now,
    }
    table = ReminderSent.__table__  # type: ignore[attr-defined]
    if dialect in {"postgresql", "sqlite"}:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(table).values(row).on_conflict_do_nothing(index_elements=["membership_id", "kind"])
        result = cast("CursorResult[Any]", await session.execute(statement))
        return result.rowcount == 1
    try:  # pragma: no cover - the portal runs on PostgreSQL and SQLite only
        async with session.begin_nested():
            await session.execute(sa.insert(table).values(row))
    except sa.exc.IntegrityError:  # pragma: no cover
        return False
    return True  # pragma: no cover


async def _remind_one(
    factory: SessionFactory, membership_id: uuid.UUID, kind: ReminderKind, *, now: datetime, mail: Mail
) -> bool:
    async with factory() as session, session.begin():
        membership = await session.get(ReserveMembership, membership_id)
        if membership is None or membership.status != MembershipStatus.ACTIVE:
            return False
        if not await _claim_reminder(session, membership, kind, now):
            return False
        await tell_member(
            session,
            membership,
            Notice(
                N_("Your membership of the reserve ends soon"),
                localized(
                    N_("Your membership of the regional personnel reserve ends on %(end)s (inclusive)."),
                    end=membership.ends_on,
                ),
                MEMBER_PATH.format(id=membership.id),
                membership.clause,
            ),
            mail,
            now=now,
            key=f"membership:{membership.id}:reminder:{kind.value}",
        )
        return True


# --- 3. comment periods -----------------------------------------------------------------------------


async def _ready_one(
    factory: SessionFactory, case_id: uuid.UUID, *, today: date, now: datetime, mail: Mail
) -> bool:
    async with factory() as session, session.begin():
        case = await session.get(ExclusionCase, case_id)
        if case is None:
            return False
        return await exclusions.end_comment_period(
            session, case, actor=ACTOR, today=today, now=now, mail=mail
        )


# --- 4. overdue chapter 2-1 requests ----------------------------------------------------------------


async def _flag_overdue(factory: SessionFactory, *, today: date, now: datetime, mail: Mail) -> int:
    """cl. 13-3: the requests whose decision is overdue, flagged to the chair and the Agency once."""
    async with factory() as session, session.begin():
        return await direct_services.flag_overdue(session, today=today, now=now, base_url=mail.base_url)


async def expire_and_remind(
    session_factory: SessionFactory, today: date, *, now: datetime, mail: Mail
) -> JobReport:
    """One run of the reserve job (rules.md 3.3): expiry, the 90/30-day reminders, the comment periods
    and the overdue chapter 2-1 requests (cl. 13-3).

    Safe to run twice at once: each membership is expired once, each reminder sent once and each
    overdue request flagged once.
    """
    expired = moot = voided = reminded = ready = 0
    due = sa.select(col(ReserveMembership.id)).where(
        col(ReserveMembership.status) == MembershipStatus.ACTIVE, col(ReserveMembership.ends_on) < today
    )
    for membership_id in await _ids(session_factory, due.order_by(col(ReserveMembership.ends_on))):
        try:
            done = await _expire_one(session_factory, membership_id, today=today, now=now, mail=mail)
        except Exception:
            _log.exception("expiring a membership failed", membership=str(membership_id))
            continue
        if done is not None:
            expired, moot, voided = expired + 1, moot + done[0], voided + done[1]
    for kind in REMINDER_DAYS:
        pending = sa.select(col(ReserveMembership.id)).where(
            col(ReserveMembership.status) == MembershipStatus.ACTIVE,
            col(ReserveMembership.ends_on) >= today,
            _window(kind, today),
            ~sa.exists().where(
                col(ReminderSent.membership_id) == col(ReserveMembership.id), col(ReminderSent.kind) == kind
            ),
        )
        for membership_id in await _ids(session_factory, pending):
            try:
                reminded += await _remind_one(session_factory, membership_id, kind, now=now, mail=mail)
            except Exception:
                _log.exception("a reminder failed", membership=str(membership_id), kind=kind.value)
    over = sa.select(col(ExclusionCase.id)).where(
        col(ExclusionCase.status) == ExclusionStatus.AWAITING_COMMENT,
        col(ExclusionCase.comment_due_on) < today,
    )
    for case_id in await _ids(session_factory, over):
        try:
            ready += await _ready_one(session_factory, case_id, today=today, now=now, mail=mail)
        except Exception:
            _log.exception("closing a comment period failed", case=str(case_id))
    overdue = 0
    try:
        overdue = await _flag_overdue(session_factory, today=today, now=now, mail=mail)
    except Exception:
        _log.exception("flagging overdue requests failed")
    return JobReport(
        expired=expired, reminded=reminded, moot=moot, voided=voided, ready=ready, overdue=overdue
    )


# --- running it ---------------------------------------------------------------------------------------


def jobs_in_process(settings: Settings) -> bool:
    """PORTAL_RESERVE_JOBS_IN_PROCESS; unset: in the web process in development (`make run`) only."""
    chosen = settings.reserve_jobs_in_process
    return settings.env == Environment.DEV if chosen is None else chosen


async def run_reserve_jobs(
    settings: Settings,
    *,
    stop: anyio.Event,
    interval: float | None = None,
    clock: Clock | None = None,
    registry: TenantRegistry | None = None,
) -> None:
    """Run the job every `interval` seconds (PORTAL_RESERVE_JOBS_INTERVAL_SECONDS, hourly) until `stop`."""
    wait = settings.reserve_jobs_interval_seconds if interval is None else interval
    clock = clock or Clock(settings.timezone)
    mail = mail_of(settings, registry or load_tenants(settings.tenants_dir))
    engine = create_async_engine(settings.database_url, hide_parameters=True, pool_pre_ping=True)
    install_sqlite_pragmas(engine)
    factory = async_sessionmaker(engine, expire_on_commit=False)
    _log.info("reserve jobs started", interval=wait)
    try:
        while not stop.is_set():
            try:
                report = await expire_and_remind(factory, clock.today(), now=clock.now(), mail=mail)
            except Exception:
                _log.exception("reserve job round failed")
            else:
                if report != JobReport():
                    _log.info(
                        "reserve job round",
                        expired=report.expired,
                        reminded=report.reminded,
                        moot=report.moot,
                        voided=report.voided,
                        ready=report.ready,
                        overdue=report.overdue,
                    )
            with anyio.move_on_after(wait):
                await stop.wait()
    finally:
        await engine.dispose()
        _log.info("reserve jobs stopped")


@asynccontextmanager
async def reserve_jobs_lifespan(app: Litestar) -> AsyncIterator[None]:
    """Litestar lifespan: run the job beside the web app when it runs in-process (dev)."""
    settings: Settings = app.state.settings
    if not jobs_in_process(settings):
        yield
        return
    clock, registry = app.state.get("clock"), app.state.get("registry")
    async with beside_the_app(
        lambda stop: run_reserve_jobs(settings, stop=stop, clock=clock, registry=registry)
    ):
        yield


async def serve_workers(settings: Settings) -> None:
    """`portal worker`: mail delivery and the reserve job until SIGINT or SIGTERM (rounds finish first)."""
    from portal.notifications.worker import run_delivery_loop

    configure_logging(settings)
    await until_signalled(
        lambda stop: run_delivery_loop(settings, stop=stop),
        lambda stop: run_reserve_jobs(settings, stop=stop),
        name="worker",
    )


__all__ = [
    "ACTOR",
    "REMINDER_DAYS",
    "JobReport",
    "expire_and_remind",
    "jobs_in_process",
    "mail_of",
    "reserve_jobs_lifespan",
    "run_reserve_jobs",
    "serve_workers",
]
