"""The outbox: queue a message with the state change that causes it, deliver due messages, in-app reads.

Delivery is at least once, made as near to exactly once as a mail relay allows:

- a worker claims due rows in a short transaction (PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED``;
  SQLite: the conditional ``UPDATE ... WHERE status IN (...)``, serialised by SQLite's write lock), so
  two workers never hold the same row;
- it sends outside any transaction and records each outcome at once, guarded by the claim (status
  `sending` and the attempt number), so a late answer never overwrites a newer claim;
- a claim is a lease: a worker that dies leaves its rows `sending`, and they are due again when
  the lease (10 minutes) runs out. A worker stops sending before its own lease ends.
"""

import json
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

import anyio
import sqlalchemy as sa
import structlog
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.core.audit import jsonable
from portal.core.logging import mask_iins_in_text
from portal.core.models import utcnow
from portal.core.settings import LANGUAGES
from portal.notifications.mailer import Mailer, PermanentDeliveryError, compose
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.notifications.templates import render_email

_log = structlog.get_logger("portal.notifications")

#: The wait after the 1st, 2nd, ... failed attempt; the 6th failure is final.
BACKOFF: Final = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
MAX_ATTEMPTS: Final = 6
#: How long a claim holds: a row still `sending` after this is due again (its worker died).
LEASE: Final = timedelta(minutes=10)
#: The longest one message may take; a worker keeps this much of its lease in hand.
SEND_TIMEOUT_SECONDS: Final = 120.0
ERROR_LENGTH: Final = 300
_RETRYABLE = (OutboxStatus.PENDING, OutboxStatus.FAILED, OutboxStatus.SENDING)

SessionFactory = Callable[[], AsyncSession]


class NotificationError(ValueError):
    """A message that cannot be queued as asked (language, recipient, context)."""


def retry_delay(attempts: int) -> timedelta | None:
    """The wait after the attempts-th failure, or None when the message is dead."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return BACKOFF[max(attempts, 1) - 1]


def describe_error(error: BaseException) -> str:
    """A short, single-line account of a failure; a 12-digit number in it is masked (an IIN)."""
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return mask_iins_in_text(text)[:ERROR_LENGTH]


def _checked_recipient(recipient: str | None) -> str | None:
    if recipient is None:
        return None
    address = recipient.strip()
    local, at, domain = address.rpartition("@")
    if not (at and local and domain) or len(address) > 254 or any(c in address for c in "\r\n\t <>,"):
        raise NotificationError("the recipient is not an e-mail address")
    return address


def _json_context(context: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = jsonable(dict(context))
    try:
        json.dumps(values, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise NotificationError(f"the context holds a value JSON cannot keep: {error}") from error
    return values


async def enqueue(
    session: AsyncSession,
    *,
    template: str,
    language: str,
    context: Mapping[str, Any],
    recipient: str | None,
    user_id: uuid.UUID | None,
    tenant_id: str | None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """Queue one message in the caller's transaction (never commits); render its subject and body now.

    A recipient makes it an e-mail; a user_id puts it in that person's in-app inbox; either or both.
    With an idempotency key, a second call for the same event returns the first message, even
    when two transactions race (the unique key decides; ON CONFLICT DO NOTHING).
    Dates, UUIDs and enums in the context are stored as strings (portal.core.audit.jsonable).
    """
    if language not in LANGUAGES:
        raise NotificationError(f"unsupported language {language!r}")
    address = _checked_recipient(recipient)
    if address is None and user_id is None:
        raise NotificationError("a message needs a recipient, a user, or both")
    if idempotency_key is not None:
        existing = await _by_key(session, idempotency_key)
        if existing is not None:
            return existing
    values = _json_context(context)
    rendered = render_email(template, language, values)
    moment = now or utcnow()
    message = OutboxMessage(
        tenant_id=tenant_id,
        user_id=user_id,
        recipient=address,
        language=language,
        template=template,
        context=values,
        subject=rendered.subject,
        body=rendered.body,
        # In-app only: delivered by being written.
        status=OutboxStatus.PENDING if address else OutboxStatus.SENT,
        next_attempt_at=moment if address else None,
        sent_at=None if address else moment,
        created_at=moment,
        idempotency_key=idempotency_key,
    )
    dialect = session.get_bind().dialect.name
    if idempotency_key is None or dialect not in {"postgresql", "sqlite"}:
        session.add(message)
        await session.flush()
        return message
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    row = {column.key: getattr(message, column.key) for column in table.columns}
    await session.execute(
        insert(table).values(row).on_conflict_do_nothing(index_elements=[table.c.idempotency_key])
    )
    stored = await _by_key(session, idempotency_key)
    if stored is None:  # pragma: no cover - the insert or the conflicting row is visible here
        raise RuntimeError("the outbox row just written cannot be read back")
    return stored


async def _by_key(session: AsyncSession, key: str) -> OutboxMessage | None:
    return (
        await session.execute(sa.select(OutboxMessage).where(col(OutboxMessage.idempotency_key) == key))
    ).scalar_one_or_none()


# --- delivery


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """One round: rows claimed, and what became of them."""

    claimed: int = 0
    sent: int = 0
    #: Failed, another attempt scheduled.
    retried: int = 0
    #: Failed for good: the last attempt, a refused address, or a lapsed claim with no attempt left.
    dead: int = 0
    #: Claimed but not tried: the round ran out of lease; due again at once.
    released: int = 0


@dataclass(frozen=True, slots=True)
class _Claim:
    id: uuid.UUID
    recipient: str
    subject: str
    body: str
    language: str
    attempts: int


def _due(now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(
        col(OutboxMessage.status).in_(_RETRYABLE),
        col(OutboxMessage.next_attempt_at) <= now,
        col(OutboxMessage.attempts) < MAX_ATTEMPTS,
        col(OutboxMessage.recipient).is_not(None),
    )


def _held_by(claim: _Claim) -> sa.ColumnElement[bool]:
    """The row is still ours: nobody has re-claimed it since (its lease did not lapse)."""
    return sa.and_(
        col(OutboxMessage.id) == claim.id,
        col(OutboxMessage.status) == OutboxStatus.SENDING,
        col(OutboxMessage.attempts) == claim.attempts,
    )


async def _claim(session_factory: SessionFactory, now: datetime, batch: int) -> tuple[list[_Claim], int]:
    """Claim up to `batch` due rows; also bury rows whose last attempt died with its worker."""
    async with session_factory() as session, session.begin():
        # The first statement writes: on SQLite the whole claim holds the write lock from here.
        buried = (
            await session.execute(
                sa.update(OutboxMessage)
                .where(
                    col(OutboxMessage.status) == OutboxStatus.SENDING,
                    col(OutboxMessage.next_attempt_at) <= now,
                    col(OutboxMessage.attempts) >= MAX_ATTEMPTS,
                )
                .values(
                    status=OutboxStatus.DEAD,
                    next_attempt_at=None,
                    last_error="the last attempt was interrupted",
                )
                .returning(col(OutboxMessage.id))
                .execution_options(synchronize_session=False)
            )
        ).all()
        query = (
            sa.select(col(OutboxMessage.id))
            .where(_due(now))
            .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
            .limit(batch)
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        ids = list((await session.scalars(query)).all())
        if not ids:
            return [], len(buried)
        # Conditional: a row another worker claimed meanwhile no longer matches `_due` (SQLite).
        rows = (
            await session.execute(
                sa.update(OutboxMessage)
                .where(col(OutboxMessage.id).in_(ids), _due(now))
                .values(
                    status=OutboxStatus.SENDING,
                    attempts=col(OutboxMessage.attempts) + 1,
                    next_attempt_at=now + LEASE,
                )
                .returning(
                    col(OutboxMessage.id),
                    col(OutboxMessage.recipient),
                    col(OutboxMessage.subject),
                    col(OutboxMessage.body),
                    col(OutboxMessage.language),
                    col(OutboxMessage.attempts),
                )
                .execution_options(synchronize_session=False)
            )
        ).all()
    order = {message_id: index for index, message_id in enumerate(ids)}
    claims = [
        _Claim(row.id, row.recipient or "", row.subject, row.body, row.language, row.attempts) for row in rows
    ]
    return sorted(claims, key=lambda claim: order[claim.id]), len(buried)


async def _settle(session_factory: SessionFactory, claim: _Claim, **values: Any) -> None:
    async with session_factory() as session, session.begin():
        await session.execute(
            sa.update(OutboxMessage)
            .where(_held_by(claim))
            .values(**values)
            .execution_options(synchronize_session=False)
        )


async def _release(session_factory: SessionFactory, claims: Sequence[_Claim], now: datetime) -> None:
    """Give back claims never tried: the attempt is not counted, and they are due at once."""
    for claim in claims:
        await _settle(
            session_factory,
            claim,
            status=OutboxStatus.PENDING if claim.attempts == 1 else OutboxStatus.FAILED,
            attempts=claim.attempts - 1,
            next_attempt_at=now,
        )


async def deliver_due(
    session_factory: SessionFactory,
    mailer: Mailer,
    *,
    now: datetime,
    sender: str,
    batch: int = 50,
) -> DeliveryReport:
    """One delivery round: claim due messages, send each through the mailer, record each outcome.

    `session_factory` makes sessions on the portal's database (an async_sessionmaker); `now` is the
    portal clock's time; `sender` the From address. Safe to run in several processes at once.
    """
    claims, buried = await _claim(session_factory, now, batch)
    sent = retried = dead = 0
    deadline = time.monotonic() + LEASE.total_seconds() - SEND_TIMEOUT_SECONDS
    for index, claim in enumerate(claims):
        if time.monotonic() >= deadline:
            await _release(session_factory, claims[index:], now)
            return DeliveryReport(len(claims), sent, retried, dead + buried, len(claims) - index)
        message = compose(
            sender=sender,
            recipient=claim.recipient,
            subject=claim.subject,
            body=claim.body,
            language=claim.language,
            message_id=str(claim.id),
            date=now,
        )
        try:
            with anyio.fail_after(SEND_TIMEOUT_SECONDS):
                await mailer.send(message)
        except Exception as error:
            delay = None if isinstance(error, PermanentDeliveryError) else retry_delay(claim.attempts)
            await _settle(
                session_factory,
                claim,
                status=OutboxStatus.DEAD if delay is None else OutboxStatus.FAILED,
                next_attempt_at=None if delay is None else now + delay,
                last_error=describe_error(error),
            )
            _log.warning(
                "mail not delivered",
                message=str(claim.id),
                attempt=claim.attempts,
                retry_in=None if delay is None else str(delay),
                error=describe_error(error),
            )
            dead, retried = (dead + 1, retried) if delay is None else (dead, retried + 1)
        else:
            await _settle(
                session_factory,
                claim,
                status=OutboxStatus.SENT,
                sent_at=now,
                next_attempt_at=None,
                last_error=None,
            )
            sent += 1
    return DeliveryReport(len(claims), sent, retried, dead + buried, 0)


# --- in-app notifications and the development mailbox


async def unread_for(session: AsyncSession, user_id: uuid.UUID, limit: int = 20) -> Sequence[OutboxMessage]:
    """A person's unread notifications, newest first."""
    return (
        await session.scalars(
            sa.select(OutboxMessage)
            .where(col(OutboxMessage.user_id) == user_id, col(OutboxMessage.read_at).is_(None))
            .order_by(col(OutboxMessage.created_at).desc(), col(OutboxMessage.id).desc())
            .limit(limit)
        )
    ).all()


async def unread_count(session: AsyncSession, user_id: uuid.UUID) -> int:
    count = await session.scalar(
        sa.select(sa.func.count())
        .select_from(OutboxMessage)
        .where(col(OutboxMessage.user_id) == user_id, col(OutboxMessage.read_at).is_(None))
    )
    return int(count or 0)


async def mark_read(
    session: AsyncSession, user_id: uuid.UUID, ids: Iterable[uuid.UUID], *, now: datetime | None = None
) -> int:
    """Mark some of a person's notifications read (others' ids are ignored); returns how many changed."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return 0
    changed = (
        await session.execute(
            sa.update(OutboxMessage)
            .where(
                col(OutboxMessage.user_id) == user_id,
                col(OutboxMessage.id).in_(wanted),
                col(OutboxMessage.read_at).is_(None),
            )
            .values(read_at=now or utcnow())
            .returning(col(OutboxMessage.id))
            .execution_options(synchronize_session="fetch")
        )
    ).all()
    return len(changed)


async def recent_mail(session: AsyncSession, limit: int = 50) -> Sequence[OutboxMessage]:
    """The newest outbox messages, whatever their state (the development mailbox)."""
    return (
        await session.scalars(
            sa.select(OutboxMessage)
            .order_by(col(OutboxMessage.created_at).desc(), col(OutboxMessage.id).desc())
            .limit(limit)
        )
    ).all()


__all__ = [
    "BACKOFF",
    "LEASE",
    "MAX_ATTEMPTS",
    "DeliveryReport",
    "NotificationError",
    "SessionFactory",
    "deliver_due",
    "describe_error",
    "enqueue",
    "mark_read",
    "recent_mail",
    "retry_delay",
    "unread_count",
    "unread_for",
]
