"""In-app notifications: a person's unread messages, marked read only by that person; the dev mailbox list."""

import uuid
from datetime import timedelta

import pytest

from portal.notifications.models import OutboxMessage
from portal.notifications.services import enqueue, mark_read, recent_mail, unread_count, unread_for
from tests.integration.notifications.conftest import NOW, SUBMITTED, OutboxDb

pytestmark = pytest.mark.anyio


async def _notify(
    db: OutboxDb, user_id: uuid.UUID, minutes: int, recipient: str | None = None
) -> OutboxMessage:
    async with db.factory() as session, session.begin():
        return await enqueue(
            session,
            template="application_decision",
            language="en",
            context={**SUBMITTED, "decision": "Admitted to the interview", "clause": "13"},
            recipient=recipient,
            user_id=user_id,
            tenant_id=None,
            now=NOW + timedelta(minutes=minutes),
        )


async def test_unread_newest_first_and_marked_read_by_their_owner_only(outbox_db: OutboxDb) -> None:
    aigerim, dana = await outbox_db.add_user("candidate"), await outbox_db.add_user("other")
    first = await _notify(outbox_db, aigerim, 1)
    second = await _notify(outbox_db, aigerim, 2, recipient="aigerim@example.kz")  # e-mail and in-app
    third = await _notify(outbox_db, aigerim, 3)
    foreign = await _notify(outbox_db, dana, 4)

    async with outbox_db.factory() as session:
        unread = await unread_for(session, aigerim)
        assert [m.id for m in unread] == [third.id, second.id, first.id]
        assert [m.id for m in await unread_for(session, aigerim, limit=2)] == [third.id, second.id]
        assert await unread_count(session, aigerim) == 3
        assert unread[0].subject == "Decision on application KZ-71-2026-000123"
        assert "Clause 13 of the Rules" in unread[0].body

    async with outbox_db.factory() as session, session.begin():
        # Someone else's id is ignored, not an error; a repeated id counts once.
        changed = await mark_read(session, aigerim, [second.id, second.id, foreign.id], now=NOW)
    assert changed == 1
    async with outbox_db.factory() as session, session.begin():
        assert await mark_read(session, aigerim, [second.id], now=NOW) == 0  # already read
        assert await mark_read(session, aigerim, []) == 0

    async with outbox_db.factory() as session:
        assert [m.id for m in await unread_for(session, aigerim)] == [third.id, first.id]
        assert [m.id for m in await unread_for(session, dana)] == [foreign.id]
        read = await session.get(OutboxMessage, second.id)
        assert read is not None and read.read_at == NOW


async def test_recent_mail_lists_the_newest_messages_first(outbox_db: OutboxDb) -> None:
    user = await outbox_db.add_user()
    written = [await _notify(outbox_db, user, n, recipient=f"p{n}@example.kz") for n in range(5)]
    async with outbox_db.factory() as session:
        assert [m.id for m in await recent_mail(session, limit=3)] == [m.id for m in reversed(written)][:3]
