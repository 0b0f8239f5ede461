"""The tamper-evident audit log: every state change writes one hash-chained event.

hash(n) = SHA-256(prev_hash || canonical JSON of event n). The chain head lives in a one-row
table that each writer updates first: the row lock (PostgreSQL) or the write lock (SQLite)
serialises writers until commit, so the chain stays linear under concurrent transactions.
"""

import hashlib
import json
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, col

from portal.core.models import SQLModel, utcnow

GENESIS_HASH = "0" * 64
CHAIN_HEAD_ID = 1


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_object", "object_type", "object_id"),)

    seq: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    tenant_id: str | None = Field(default=None, foreign_key="tenant.id", sa_type=sa.String(8), index=True)
    at: datetime = Field(sa_type=DateTimeUTC(timezone=True), nullable=False)
    actor: str = Field(sa_type=sa.String(80), nullable=False)
    action: str = Field(sa_type=sa.String(80), nullable=False)
    object_type: str = Field(sa_type=sa.String(40), nullable=False)
    object_id: str = Field(sa_type=sa.String(64), nullable=False)
    #: The clause of the Rules the change applied ("7", "13-3", "18.4"), empty when none.
    clause: str = Field(default="", sa_type=sa.String(16), nullable=False)
    before: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    prev_hash: str = Field(sa_type=sa.String(64), nullable=False)
    hash: str = Field(sa_type=sa.String(64), nullable=False, unique=True)


class AuditChainHead(SQLModel, table=True):
    __tablename__ = "audit_chain_head"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    seq: int = Field(default=0, sa_type=sa.BigInteger, nullable=False)
    last_hash: str = Field(default=GENESIS_HASH, sa_type=sa.String(64), nullable=False)


def jsonable(value: Any) -> Any:  # noqa: PLR0911 - one return per kind of value
    """Reduce a value to what JSON keeps exactly, so the stored event hashes the same when read back."""
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "seq": event.seq,
        "tenant_id": event.tenant_id,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor": event.actor,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "clause": event.clause,
        "before": event.before,
        "after": event.after,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(event)).hexdigest()


@dataclass(frozen=True, slots=True)
class Change:
    """What a service tells the audit log about one state change."""

    action: str
    object_type: str
    object_id: str
    actor: str
    tenant_id: str | None = None
    clause: str = ""
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = field(default=None)


async def record(session: AsyncSession, change: Change) -> AuditEvent:
    """Append one event inside the caller's transaction (it commits or rolls back with the change)."""
    head = (
        await session.execute(
            sa.update(AuditChainHead)
            .where(col(AuditChainHead.id) == CHAIN_HEAD_ID)
            .values(seq=col(AuditChainHead.seq) + 1)
            .returning(col(AuditChainHead.seq), col(AuditChainHead.last_hash))
        )
    ).one()
    event = AuditEvent(
        seq=head.seq,
        tenant_id=change.tenant_id,
        at=utcnow(),
        actor=change.actor,
        action=change.action,
        object_type=change.object_type,
        object_id=change.object_id,
        clause=change.clause,
        before=jsonable(change.before) if change.before is not None else None,
        after=jsonable(change.after) if change.after is not None else None,
        prev_hash=head.last_hash,
        hash="",
    )
    event.hash = compute_hash(head.last_hash, event)
    session.add(event)
    await session.execute(
        sa.update(AuditChainHead).where(col(AuditChainHead.id) == CHAIN_HEAD_ID).values(last_hash=event.hash)
    )
    await session.flush()
    return event


@dataclass(frozen=True, slots=True)
class ChainReport:
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


async def _events(session: AsyncSession, batch: int = 2000) -> AsyncIterator[AuditEvent]:
    after = 0
    while True:
        rows = (
            (
                await session.execute(
                    sa.select(AuditEvent)
                    .where(AuditEvent.seq > after)  # type: ignore[arg-type]
                    .order_by(AuditEvent.seq)  # type: ignore[arg-type]
                    .limit(batch)
                )
            )
            .scalars()
            .all()
        )
        if not rows:
            return
        for row in rows:
            yield row
        after = rows[-1].seq
        session.expunge_all()


async def verify_chain(session: AsyncSession) -> ChainReport:
    """Walk the chain from the first event; name the first one whose link or content does not hold."""
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    async for event in _events(session):
        if event.seq != expected_seq:
            return ChainReport(checked, expected_seq, f"event {expected_seq} is missing")
        if event.prev_hash != prev_hash:
            return ChainReport(checked, event.seq, "prev_hash does not match the previous event")
        if compute_hash(prev_hash, event) != event.hash:
            return ChainReport(checked, event.seq, "content does not match its hash")
        prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = await session.get(AuditChainHead, CHAIN_HEAD_ID)
    if head is not None and (head.seq != checked or head.last_hash != prev_hash):
        return ChainReport(checked, checked + 1, "events after the last one found were removed")
    return ChainReport(checked)
