"""The reserve's job (issue 8 item 2; rules.md 3.3, A-22, A-25): expiry at the end of the term, the
reminders 90 and 30 days before it, and two runs at once.

Two runs race with their own engines, as two worker processes would (on SQLite and, when
PORTAL_TEST_DATABASE_URL is PostgreSQL, on PostgreSQL): each membership is expired once, each
reminder is sent once, and the pending exclusion case and the open proposal of an expired membership
are closed once.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import anyio
import sqlalchemy as sa
from litestar import Litestar
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlmodel import col

from portal.appointments.models import AppointmentProposal, ProposalStatus
from portal.core.audit import AuditEvent
from portal.core.db import install_sqlite_pragmas, session_scope
from portal.core.settings import Settings
from portal.notifications.models import OutboxMessage
from portal.reserve.exclusion_models import ExclusionCase, ExclusionStatus
from portal.reserve.jobs import JobReport, expire_and_remind, jobs_in_process, mail_of, run_reserve_jobs
from portal.reserve.models import MembershipStatus, ReserveMembership
from portal.reserve.reminder_models import ReminderKind, ReminderSent
from portal.tenancy.registry import load_tenants
from tests.conftest import FIXED_CLOCK, TODAY
from tests.integration.applications.journey import pdf_bytes
from tests.integration.reserve.support import (
    ASTANA,
    TU_OFFICER,
    account,
    browser,
    member,
    membership,
    open_proposal,
    post,
    rows,
)


@asynccontextmanager
async def _worker(settings: Settings) -> AsyncIterator[async_sessionmaker]:  # type: ignore[type-arg]
    """One worker's own engine and sessions (as `portal worker` makes them)."""
    engine = create_async_engine(settings.database_url)
    install_sqlite_pragmas(engine)
    try:
        yield async_sessionmaker(engine, expire_on_commit=False)
    finally:
        await engine.dispose()


def _twice_at_once(settings: Settings, today: object = TODAY) -> tuple[JobReport, JobReport]:
    mail = mail_of(settings, load_tenants(settings.tenants_dir))

    async def work() -> tuple[JobReport, JobReport]:
        async with _worker(settings) as first, _worker(settings) as second:
            reports = await asyncio.gather(
                expire_and_remind(first, today, now=FIXED_CLOCK.now(), mail=mail),  # type: ignore[arg-type]
                expire_and_remind(second, today, now=FIXED_CLOCK.now(), mail=mail),  # type: ignore[arg-type]
            )
            return reports[0], reports[1]

    return asyncio.run(work())


def _count(settings: Settings, statement: sa.Select[tuple[int]]) -> int:
    return rows(settings, statement)[0]


def _events(settings: Settings, action: str, object_id: uuid.UUID) -> int:
    return _count(
        settings,
        sa.select(sa.func.count())
        .select_from(AuditEvent)
        .where(col(AuditEvent.action) == action, col(AuditEvent.object_id) == str(object_id)),
    )


def _file_a_case(app: Litestar, membership_id: uuid.UUID) -> uuid.UUID:
    with browser(app, TU_OFFICER) as officer:
        created = post(
            officer,
            "/astana/exclusions",
            {"membership": str(membership_id), "ground": "18.2", "summary": "Notice"},
        )
        url = created.headers["location"]
        files = {"file": ("notice.pdf", pdf_bytes(), "application/pdf")}
        assert post(officer, f"{url}/evidence", {"kind": "official_notice"}, files=files).status_code == 303
        assert post(officer, f"{url}/file").status_code == 303
    return uuid.UUID(url.rsplit("/", 1)[1])


def _mails(settings: Settings, user_id: uuid.UUID, subject: str) -> int:
    """The member's notices with this subject (the N_() message: the text is in the member's language)."""
    found = rows(settings, sa.select(OutboxMessage).where(col(OutboxMessage.user_id) == user_id))
    return [m.context["subject"] for m in found].count(subject)


def _status(settings: Settings, ids: dict[str, uuid.UUID]) -> dict[str, MembershipStatus]:
    return {key: membership(settings, membership_id).status for key, membership_id in ids.items()}


def test_s3_3_two_runs_at_once_expire_each_membership_once_and_send_each_reminder_once(
    app: Litestar, database: Settings
) -> None:
    ends = {
        "ended": TODAY - timedelta(days=1),
        "last_day": TODAY,  # the end date is inclusive: still a member today, expired tomorrow
        "ninety": TODAY + timedelta(days=90),
        "thirty": TODAY + timedelta(days=30),
        "far": TODAY + timedelta(days=200),
    }
    people = {key: account(database, key) for key in ends}
    ids = {
        key: member(
            database, user=people[key], name=f"Job {key}", ends_on=end, starts_on=end - timedelta(days=730)
        )
        for key, end in ends.items()
    }
    crowd = [  # more work for the two runs to race over
        member(
            database,
            name=f"Crowd {n}",
            ends_on=TODAY - timedelta(days=1 + n),
            starts_on=TODAY - timedelta(days=800),
        )
        for n in range(12)
    ] + [member(database, name=f"Soon {n}", ends_on=TODAY + timedelta(days=60 + n)) for n in range(12)]
    # the membership ending today has a pending exclusion case and an open proposal
    case = _file_a_case(app, ids["last_day"])
    proposal = open_proposal(database, ids["last_day"], account(database, "Official")[0])

    first, second = _twice_at_once(database)

    expired, active = MembershipStatus.EXPIRED, MembershipStatus.ACTIVE
    assert _status(database, ids) == {
        "ended": expired,
        "last_day": active,
        "ninety": active,
        "thirty": active,
        "far": active,
    }
    assert first.expired + second.expired >= 1  # one of the two runs expired it, and only one:
    assert _events(database, "reserve.membership_expired", ids["ended"]) == 1
    event = rows(
        database,
        sa.select(AuditEvent).where(
            col(AuditEvent.action) == "reserve.membership_expired",
            col(AuditEvent.object_id) == str(ids["ended"]),
        ),
    )[0]
    assert (event.clause, event.tenant_id, event.actor) == ("12", ASTANA, "system:reserve-jobs")
    assert _mails(database, people["ended"][0], "Your membership of the reserve has ended") == 1
    for membership_id in crowd[:12]:
        assert _events(database, "reserve.membership_expired", membership_id) == 1
    soon = rows(database, sa.select(ReminderSent).where(col(ReminderSent.membership_id).in_(crowd[12:])))
    assert sorted(s.membership_id for s in soon) == sorted(crowd[12:])
    # the reminders: once each, 90 and 30 days before the end (the last day is within the 30)
    sent = rows(
        database, sa.select(ReminderSent).where(col(ReminderSent.membership_id).in_(list(ids.values())))
    )
    assert sorted((s.membership_id, s.kind) for s in sent) == sorted(
        [
            (ids["ninety"], ReminderKind.DAYS_90),
            (ids["thirty"], ReminderKind.DAYS_30),
            (ids["last_day"], ReminderKind.DAYS_30),
        ]
    )
    for key, count in {"ninety": 1, "thirty": 1, "last_day": 1, "far": 0, "ended": 0}.items():
        assert _mails(database, people[key][0], "Your membership of the reserve ends soon") == count, key

    # run again (twice at once): nothing more happens
    _twice_at_once(database)
    assert _events(database, "reserve.membership_expired", ids["ended"]) == 1
    assert _mails(database, people["ninety"][0], "Your membership of the reserve ends soon") == 1

    # the next day the membership that ended yesterday expires: its case is moot, its proposal void
    _twice_at_once(database, TODAY + timedelta(days=1))
    assert membership(database, ids["last_day"]).status == expired
    assert _events(database, "reserve.membership_expired", ids["last_day"]) == 1
    closed = rows(database, sa.select(ExclusionCase).where(col(ExclusionCase.id) == case))[0]
    assert closed.status == ExclusionStatus.MOOT and closed.closed_at is not None
    assert _events(database, "exclusion.moot", case) == 1
    voided = rows(database, sa.select(AppointmentProposal).where(col(AppointmentProposal.id) == proposal))[0]
    assert voided.status == ProposalStatus.VOID
    assert _events(database, "proposal.voided", proposal) == 1
    assert _mails(database, people["last_day"][0], "Your membership of the reserve has ended") == 1


def test_cl18_the_job_makes_a_case_ready_when_the_comment_period_is_over(
    app: Litestar, database: Settings
) -> None:
    mine = member(database, user=account(database, "Quiet"), name="Quiet Member")
    case = _file_a_case(app, mine)
    due = rows(database, sa.select(ExclusionCase).where(col(ExclusionCase.id) == case))[0].comment_due_on
    assert due is not None
    _twice_at_once(database, due)  # the last day to comment: still waiting
    assert rows(database, sa.select(ExclusionCase).where(col(ExclusionCase.id) == case))[0].status == (
        ExclusionStatus.AWAITING_COMMENT
    )
    _twice_at_once(database, due + timedelta(days=1))
    assert rows(database, sa.select(ExclusionCase).where(col(ExclusionCase.id) == case))[0].status == (
        ExclusionStatus.OPEN
    )
    assert _events(database, "exclusion.comment_period_ended", case) == 1


def test_s3_3_the_job_runs_in_the_web_process_in_development_only(database: Settings) -> None:
    assert not jobs_in_process(database)  # tests
    assert jobs_in_process(database.model_copy(update={"env": "dev"}))
    assert not jobs_in_process(database.model_copy(update={"env": "dev", "reserve_jobs_in_process": False}))


def test_s3_3_the_worker_loop_runs_the_job_until_it_is_stopped(database: Settings) -> None:
    ended = member(
        database, name="Loop", ends_on=TODAY - timedelta(days=3), starts_on=TODAY - timedelta(days=800)
    )

    async def work() -> None:
        stop = anyio.Event()
        task = asyncio.create_task(run_reserve_jobs(database, stop=stop, interval=0.05, clock=FIXED_CLOCK))
        with anyio.fail_after(10):
            while True:
                async with session_scope(database) as session:
                    found = await session.get(ReserveMembership, ended)
                    if found is not None and found.status == MembershipStatus.EXPIRED:
                        break
                await asyncio.sleep(0.05)
        stop.set()
        with anyio.fail_after(10):
            await task

    asyncio.run(work())
    assert _events(database, "reserve.membership_expired", ended) == 1
