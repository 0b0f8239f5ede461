"""The reserve job flags the overdue chapter 2-1 requests (cl. 13-3; issue 8 item 3): the decision is
due within one month of receipt, and an overdue request is flagged to the region's commission chair
and to the Agency, once, even when two runs go at once and the job runs again later.
"""

import asyncio
import uuid
from datetime import date, timedelta

import sqlalchemy as sa
from litestar import Litestar
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlmodel import col

from portal.auth.models import User
from portal.core.audit import AuditEvent
from portal.core.db import install_sqlite_pragmas, session_scope
from portal.core.settings import Settings
from portal.notifications.models import OutboxMessage
from portal.reserve.direct_models import (
    DirectEnrolmentEntry,
    DirectEnrolmentList,
    DirectEnrolmentRequest,
    DirectRequestStatus,
)
from portal.reserve.jobs import JobReport, expire_and_remind, mail_of
from portal.tenancy.registry import load_tenants
from tests.conftest import FIXED_CLOCK, TODAY
from tests.integration.reserve.support import AGENCY, ASTANA, account, rows, sign_in_once, tag

CHAIR = "chair-askar"


def _request(settings: Settings, *, decision_due: date) -> uuid.UUID:
    """A standing request (as filed through the offer page), received a month before `decision_due`."""
    user_id, iin = account(settings, f"Overdue{tag()}")

    async def work() -> uuid.UUID:
        async with session_scope(settings) as session:
            approved = DirectEnrolmentList(file_name="list.csv", sha256=uuid.uuid4().hex, uploaded_by=user_id)
            session.add(approved)
            await session.flush()
            entry = DirectEnrolmentEntry(
                list_id=approved.id, iin=iin, list_number=f"N-{tag()}", approved_on=TODAY - timedelta(days=90)
            )
            session.add(entry)
            await session.flush()
            request = DirectEnrolmentRequest(
                tenant_id=ASTANA,
                entry_id=entry.id,
                user_id=user_id,
                iin=iin,
                candidate_name="Overdue Request",
                status=DirectRequestStatus.SUBMITTED,
                received_on=decision_due - timedelta(days=30),
                deadline=TODAY + timedelta(days=200),
                decision_due=decision_due,
            )
            session.add(request)
            await session.flush()
            return request.id

    return asyncio.run(work())


def _twice_at_once(settings: Settings, today: date) -> list[JobReport]:
    """Two runs of the job at once, each with its own engine (as two workers would)."""
    mail = mail_of(settings, load_tenants(settings.tenants_dir))

    async def one() -> JobReport:
        engine = create_async_engine(settings.database_url)
        install_sqlite_pragmas(engine)
        try:
            factory = async_sessionmaker(engine, expire_on_commit=False)
            return await expire_and_remind(factory, today, now=FIXED_CLOCK.now(), mail=mail)
        finally:
            await engine.dispose()

    async def work() -> list[JobReport]:
        return list(await asyncio.gather(one(), one()))

    return asyncio.run(work())


def _notices(settings: Settings, request_id: uuid.UUID) -> list[OutboxMessage]:
    return rows(
        settings,
        sa.select(OutboxMessage).where(
            col(OutboxMessage.idempotency_key).like(f"direct:{request_id}:overdue:%")
        ),
    )


def test_cl13_3_the_job_flags_each_overdue_request_once_to_the_chair_and_the_agency(
    app: Litestar, database: Settings
) -> None:
    for official in (CHAIR, AGENCY):  # signed in once: their accounts exist
        sign_in_once(app, official)
    overdue = _request(database, decision_due=TODAY - timedelta(days=1))
    due_today = _request(database, decision_due=TODAY)  # the last day for the decision: not overdue yet

    reports = _twice_at_once(database, TODAY)
    assert sum(r.overdue for r in reports) >= 1
    _twice_at_once(database, TODAY)  # the job runs again (hourly): nothing is sent twice

    flagged = rows(
        database, sa.select(DirectEnrolmentRequest).where(col(DirectEnrolmentRequest.id) == overdue)
    )
    assert flagged[0].overdue_flagged_at is not None
    events = rows(
        database,
        sa.select(AuditEvent).where(
            col(AuditEvent.action) == "direct.request_overdue", col(AuditEvent.object_id) == str(overdue)
        ),
    )
    assert [(e.clause, e.tenant_id) for e in events] == [("13-3", ASTANA)]
    notices = _notices(database, overdue)
    recipients = [m.user_id for m in notices]
    assert len(recipients) == len(set(recipients))  # one notice per person, once
    chair_id, agency_id = (
        rows(database, sa.select(col(User.id)).where(col(User.sub) == sub))[0] for sub in (CHAIR, AGENCY)
    )
    assert {chair_id, agency_id} <= set(recipients)
    assert _notices(database, due_today) == []
