"""The outbox: queued in the caller's transaction, once per event, delivered once, retried with back-off."""

import asyncio
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.notifications import services
from portal.notifications.mailer import PermanentDeliveryError
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.notifications.services import (
    BACKOFF,
    LEASE,
    MAX_ATTEMPTS,
    DeliveryReport,
    NotificationError,
    deliver_due,
    enqueue,
)
from tests.integration.notifications.conftest import (
    NOW,
    SENDER,
    SUBMITTED,
    OutboxDb,
    RecordingMailer,
    make_outbox_db,
)

pytestmark = pytest.mark.anyio


async def _queue(
    session: AsyncSession, key: str | None = None, recipient: str | None = "a@example.kz"
) -> OutboxMessage:
    return await enqueue(
        session,
        template="application_submitted",
        language="ru",
        context=SUBMITTED,
        recipient=recipient,
        user_id=None,
        tenant_id=None,
        idempotency_key=key,
        now=NOW,
    )


async def _row(db: OutboxDb, message_id: uuid.UUID) -> OutboxMessage:
    async with db.factory() as session:
        row = await session.get(OutboxMessage, message_id)
        assert row is not None
        return row


async def _count(db: OutboxDb) -> int:
    async with db.factory() as session:
        return int(await session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) or 0)


async def test_enqueue_renders_now_and_stores_json_only(outbox_db: OutboxDb) -> None:
    async with outbox_db.factory() as session, session.begin():
        message = await _queue(session)
    row = await _row(outbox_db, message.id)
    assert row.status == OutboxStatus.PENDING and row.attempts == 0
    assert row.next_attempt_at == NOW and row.language == "ru"
    assert "KZ-71-2026-000123" in row.subject and "\n" not in row.subject
    assert "Руководитель отдела" in row.body and "город Астана" in row.body
    assert "20 февраля 2025, 11:00" in row.body  # Asia/Almaty, in Russian
    assert row.context["submitted_at"] == "2025-02-20T06:00:00+00:00"  # a datetime kept as ISO text


async def test_enqueue_does_not_commit_the_callers_transaction(outbox_db: OutboxDb) -> None:
    async with outbox_db.factory() as session:
        await session.begin()
        await _queue(session)
        await session.rollback()  # the state change failed: its message goes with it
    assert await _count(outbox_db) == 0


async def test_idempotency_key_writes_one_row_per_event(outbox_db: OutboxDb) -> None:
    async with outbox_db.factory() as session, session.begin():
        first = await _queue(session, key="application:1:submitted")
        again = await _queue(session, key="application:1:submitted")
    async with outbox_db.factory() as session, session.begin():  # a later transaction, a double submit
        later = await _queue(session, key="application:1:submitted")
    assert first.id == again.id == later.id
    assert await _count(outbox_db) == 1


async def test_idempotency_holds_when_two_transactions_race(outbox_db: OutboxDb) -> None:
    async def submit() -> uuid.UUID:
        async with outbox_db.factory() as session, session.begin():
            return (await _queue(session, key="application:2:submitted")).id

    ids = await asyncio.gather(submit(), submit(), submit())
    assert len(set(ids)) == 1
    assert await _count(outbox_db) == 1


async def test_enqueue_refuses_what_it_cannot_deliver(outbox_db: OutboxDb) -> None:
    async with outbox_db.factory() as session:
        with pytest.raises(NotificationError, match="language"):
            await enqueue(
                session, template="application_submitted", language="de", context=SUBMITTED,
                recipient="a@example.kz", user_id=None, tenant_id=None,
            )  # fmt: skip
        with pytest.raises(NotificationError, match="recipient"):
            await _queue(session, recipient="a@example.kz\r\nBcc: b@example.kz")
        with pytest.raises(NotificationError, match="a recipient, a user"):
            await _queue(session, recipient=None)
        with pytest.raises(NotificationError, match="JSON"):
            await enqueue(
                session, template="application_submitted", language="en",
                context={**SUBMITTED, "extra": object()}, recipient="a@example.kz",
                user_id=None, tenant_id=None,
            )  # fmt: skip


async def test_a_sent_message_is_marked_with_its_headers(outbox_db: OutboxDb) -> None:
    async with outbox_db.factory() as session, session.begin():
        message = await _queue(session)
    mailer = RecordingMailer()
    report = await deliver_due(outbox_db.factory, mailer, now=NOW, sender=SENDER)
    assert (report.claimed, report.sent) == (1, 1)
    [sent] = mailer.sent
    assert sent["To"] == "a@example.kz" and sent["From"] == SENDER
    assert sent["Content-Language"] == "ru"
    assert sent["Message-ID"] == f"<{message.id}@reserve.example.kz>"
    row = await _row(outbox_db, message.id)
    assert row.status == OutboxStatus.SENT and row.sent_at == NOW and row.attempts == 1
    assert (
        await deliver_due(outbox_db.factory, mailer, now=NOW + timedelta(hours=1), sender=SENDER)
    ).claimed == 0


async def test_not_due_before_its_time(outbox_db: OutboxDb) -> None:
    async with outbox_db.factory() as session, session.begin():
        await _queue(session)
    report = await deliver_due(
        outbox_db.factory, RecordingMailer(), now=NOW - timedelta(seconds=1), sender=SENDER
    )
    assert report.claimed == 0


async def test_failures_back_off_then_the_message_is_dead_after_six_attempts(outbox_db: OutboxDb) -> None:
    async with outbox_db.factory() as session, session.begin():
        message = await _queue(session)
    mailer = RecordingMailer(fail=lambda _m: ConnectionRefusedError("relay 900515301234 away"))
    now = NOW
    for attempt, wait in enumerate(BACKOFF, start=1):
        report = await deliver_due(outbox_db.factory, mailer, now=now, sender=SENDER)
        assert (report.claimed, report.retried, report.dead) == (1, 1, 0)
        row = await _row(outbox_db, message.id)
        assert row.status == OutboxStatus.FAILED and row.attempts == attempt
        assert row.next_attempt_at == now + wait
        assert row.last_error is not None and "ConnectionRefusedError" in row.last_error
        assert "900515301234" not in row.last_error  # an IIN never lands whole in the outbox
        # Not a second earlier.
        early = await deliver_due(
            outbox_db.factory, mailer, now=now + wait - timedelta(seconds=1), sender=SENDER
        )
        assert early.claimed == 0
        now += wait
    assert [w.total_seconds() for w in BACKOFF] == [60, 300, 1800, 7200, 43200]
    report = await deliver_due(outbox_db.factory, mailer, now=now, sender=SENDER)
    assert (report.claimed, report.dead) == (1, 1)
    row = await _row(outbox_db, message.id)
    assert row.status == OutboxStatus.DEAD and row.attempts == MAX_ATTEMPTS == 6
    assert row.next_attempt_at is None
    assert (
        await deliver_due(outbox_db.factory, mailer, now=now + timedelta(days=30), sender=SENDER)
    ).claimed == 0
    assert mailer.tries == 6


async def test_a_retry_that_succeeds_is_sent(outbox_db: OutboxDb) -> None:
    async with outbox_db.factory() as session, session.begin():
        message = await _queue(session)
    failures = iter([TimeoutError("slow relay")])
    mailer = RecordingMailer(fail=lambda _m: next(failures, None))
    await deliver_due(outbox_db.factory, mailer, now=NOW, sender=SENDER)
    report = await deliver_due(outbox_db.factory, mailer, now=NOW + BACKOFF[0], sender=SENDER)
    assert report.sent == 1
    row = await _row(outbox_db, message.id)
    assert row.status == OutboxStatus.SENT and row.attempts == 2 and row.last_error is None


async def test_a_refused_address_is_dead_at_once(outbox_db: OutboxDb) -> None:
    async with outbox_db.factory() as session, session.begin():
        message = await _queue(session)
    mailer = RecordingMailer(fail=lambda _m: PermanentDeliveryError("550 no such mailbox"))
    report = await deliver_due(outbox_db.factory, mailer, now=NOW, sender=SENDER)
    assert report.dead == 1
    assert (await _row(outbox_db, message.id)).status == OutboxStatus.DEAD


async def test_a_message_stuck_in_sending_is_retried_after_ten_minutes(outbox_db: OutboxDb) -> None:
    async with outbox_db.factory() as session, session.begin():
        message = await _queue(session)

    class Crash(BaseException):
        """The worker dies mid-send (killed): nothing is recorded."""

    crashing = RecordingMailer(fail=lambda _m: Crash())
    with pytest.raises(Crash):
        await deliver_due(outbox_db.factory, crashing, now=NOW, sender=SENDER)
    row = await _row(outbox_db, message.id)
    assert row.status == OutboxStatus.SENDING and row.attempts == 1
    mailer = RecordingMailer()
    assert (
        await deliver_due(outbox_db.factory, mailer, now=NOW + timedelta(minutes=9), sender=SENDER)
    ).claimed == 0
    report = await deliver_due(outbox_db.factory, mailer, now=NOW + LEASE, sender=SENDER)
    assert report.sent == 1
    row = await _row(outbox_db, message.id)
    assert row.status == OutboxStatus.SENT and row.attempts == 2


async def test_a_stuck_last_attempt_is_buried(outbox_db: OutboxDb) -> None:
    async with outbox_db.factory() as session, session.begin():
        message = await _queue(session)
        message.status, message.attempts, message.next_attempt_at = OutboxStatus.SENDING, 6, NOW
    report = await deliver_due(outbox_db.factory, RecordingMailer(), now=NOW, sender=SENDER)
    assert (report.claimed, report.dead) == (0, 1)
    assert (await _row(outbox_db, message.id)).status == OutboxStatus.DEAD


async def test_a_late_answer_does_not_overwrite_a_newer_claim(outbox_db: OutboxDb) -> None:
    """A worker whose lease lapsed finishes after another one claimed the row: the newer claim wins."""
    async with outbox_db.factory() as session, session.begin():
        message = await _queue(session)
    gate = asyncio.Event()
    release = asyncio.Event()

    class Slow(RecordingMailer):
        async def send(self, message: object) -> None:  # noqa: ARG002 - it never gets that far
            gate.set()
            await release.wait()
            raise ConnectionResetError("too late")

    slow = asyncio.create_task(deliver_due(outbox_db.factory, Slow(), now=NOW, sender=SENDER))
    await gate.wait()
    fast = RecordingMailer()
    assert (await deliver_due(outbox_db.factory, fast, now=NOW + LEASE, sender=SENDER)).sent == 1
    release.set()
    await slow
    row = await _row(outbox_db, message.id)
    assert row.status == OutboxStatus.SENT and row.attempts == 2


async def test_in_app_only_messages_are_not_mailed(outbox_db: OutboxDb) -> None:
    user_id = await outbox_db.add_user()
    async with outbox_db.factory() as session, session.begin():
        message = await enqueue(
            session, template="application_withdrawn", language="kk",
            context={**SUBMITTED, "withdrawn_at": NOW}, recipient=None, user_id=user_id, tenant_id=None,
            now=NOW,
        )  # fmt: skip
    mailer = RecordingMailer()
    assert (await deliver_due(outbox_db.factory, mailer, now=NOW, sender=SENDER)).claimed == 0
    row = await _row(outbox_db, message.id)
    assert row.status == OutboxStatus.SENT and row.recipient is None and row.read_at is None


async def test_two_concurrent_workers_never_send_the_same_message_twice(outbox_db: OutboxDb) -> None:
    async with outbox_db.factory() as session, session.begin():
        for n in range(40):
            await _queue(session, recipient=f"person{n}@example.kz")
    # Two workers with engines of their own, as two processes would have.
    other = await make_outbox_db(Path(outbox_db.url.removeprefix("sqlite+aiosqlite:///")))
    first, second = RecordingMailer(delay=0.002), RecordingMailer(delay=0.002)
    reports: list[DeliveryReport] = []
    for _round in range(3):
        reports += await asyncio.gather(
            deliver_due(outbox_db.factory, first, now=NOW, sender=SENDER, batch=15),
            deliver_due(other.factory, second, now=NOW, sender=SENDER, batch=15),
        )
    await other.engine.dispose()
    sent = [m["To"] for m in first.sent + second.sent]
    assert len(sent) == len(set(sent)) == 40
    assert first.sent and second.sent  # both worked, side by side
    assert sum(r.sent for r in reports) == 40
    async with outbox_db.factory() as session:
        statuses = set((await session.scalars(sa.select(col(OutboxMessage.status)))).all())
    assert statuses == {OutboxStatus.SENT}


async def test_a_round_out_of_lease_gives_its_claims_back(
    outbox_db: OutboxDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with outbox_db.factory() as session, session.begin():
        first = await _queue(session, recipient="a@example.kz")
        second = await _queue(session, recipient="b@example.kz")
    # A send may take as long as a whole lease: no time is left to send anything safely.
    monkeypatch.setattr(services, "SEND_TIMEOUT_SECONDS", LEASE.total_seconds())
    mailer = RecordingMailer()
    report = await deliver_due(outbox_db.factory, mailer, now=NOW, sender=SENDER)
    assert (report.claimed, report.sent, report.released) == (2, 0, 2) and mailer.tries == 0
    for message in (first, second):
        row = await _row(outbox_db, message.id)
        assert (row.status, row.attempts, row.next_attempt_at) == (OutboxStatus.PENDING, 0, NOW)
