"""The PostgreSQL path: FOR UPDATE SKIP LOCKED claims and ON CONFLICT idempotency (PORTAL_TEST_DATABASE_URL).

The tables live in a schema of their own, dropped afterwards, so the migrated public schema of the
rest of the suite is never touched.
"""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel import col

from portal.core.models import metadata
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.notifications.services import BACKOFF, deliver_due, enqueue
from tests.integration.notifications.conftest import NOW, SENDER, SUBMITTED, TABLES, OutboxDb, RecordingMailer

URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
pytestmark = [
    pytest.mark.anyio,
    pytest.mark.postgres,
    pytest.mark.skipif(not URL.startswith("postgresql"), reason="PORTAL_TEST_DATABASE_URL is not PostgreSQL"),
]


def _engine(schema: str) -> AsyncEngine:
    return create_async_engine(URL).execution_options(schema_translate_map={None: schema})


@pytest.fixture
async def pg_db() -> AsyncIterator[OutboxDb]:
    schema = f"outbox_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(URL)
    async with admin.begin() as connection:
        await connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = _engine(schema)
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: metadata.create_all(sync, tables=TABLES))
    try:
        yield OutboxDb(schema, engine, async_sessionmaker(engine, expire_on_commit=False))
    finally:
        await engine.dispose()
        async with admin.begin() as connection:
            await connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


async def _queue(db: OutboxDb, recipient: str, key: str | None = None) -> uuid.UUID:
    async with db.factory() as session, session.begin():
        message = await enqueue(
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
        return message.id


async def test_racing_transactions_write_one_message_per_key(pg_db: OutboxDb) -> None:
    ids = await asyncio.gather(
        *(_queue(pg_db, "a@example.kz", key="application:9:submitted") for _ in range(4))
    )
    assert len(set(ids)) == 1
    async with pg_db.factory() as session:
        assert await session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1


async def test_concurrent_workers_skip_each_others_rows(pg_db: OutboxDb) -> None:
    for n in range(30):
        await _queue(pg_db, f"person{n}@example.kz")
    other_engine = _engine(pg_db.url)  # pg_db.url holds the schema name here
    other = async_sessionmaker(other_engine, expire_on_commit=False)
    first, second = RecordingMailer(delay=0.002), RecordingMailer(delay=0.002)
    for _round in range(3):
        await asyncio.gather(
            deliver_due(pg_db.factory, first, now=NOW, sender=SENDER, batch=12),
            deliver_due(other, second, now=NOW, sender=SENDER, batch=12),
        )
    await other_engine.dispose()
    sent = [m["To"] for m in first.sent + second.sent]
    assert len(sent) == len(set(sent)) == 30
    assert first.sent and second.sent


async def test_failure_schedules_the_next_attempt(pg_db: OutboxDb) -> None:
    message_id = await _queue(pg_db, "a@example.kz")
    mailer = RecordingMailer(fail=lambda _m: ConnectionRefusedError("away"))
    report = await deliver_due(pg_db.factory, mailer, now=NOW, sender=SENDER)
    assert report.retried == 1
    async with pg_db.factory() as session:
        row = (
            await session.execute(sa.select(OutboxMessage).where(col(OutboxMessage.id) == message_id))
        ).scalar_one()
    assert row.status == OutboxStatus.FAILED and row.next_attempt_at == NOW + BACKOFF[0]
    assert (
        await deliver_due(pg_db.factory, mailer, now=NOW + timedelta(seconds=59), sender=SENDER)
    ).claimed == 0
