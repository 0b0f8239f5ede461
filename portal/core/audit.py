"""The tamper-evident audit log: every state change writes one hash-chained event.

hash(n) = SHA-256(prev_hash || canonical JSON of event n). The chain head lives in a one-row
table that each writer updates first: the row lock (PostgreSQL) or the write lock (SQLite)
serialises writers until commit, so the chain stays linear under concurrent transactions.
"""

import asyncio
import hashlib
import json
import multiprocessing
import os
import uuid
from collections.abc import AsyncIterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
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


def _canonical(event: "AuditEvent | sa.Row[Any]") -> bytes:
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


def compute_hash(prev_hash: str, event: "AuditEvent | sa.Row[Any]") -> str:
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


async def _events(
    session: AsyncSession, *, after: int = 0, until: int | None = None, batch: int = 5000
) -> AsyncIterator[sa.Row[Any]]:
    """The chain in order (seq > after, up to until), as rows with AuditEvent's attributes and types.

    Plain rows, not ORM objects: building a million of those took most of a minute (issue 9).
    """
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    while True:
        query = sa.select(table).where(table.c.seq > after).order_by(table.c.seq).limit(batch)
        if until is not None:
            query = query.where(table.c.seq <= until)
        rows = (await session.execute(query)).all()
        if not rows:
            return
        for row in rows:
            yield row
        after = rows[-1].seq


@dataclass(frozen=True, slots=True)
class _Segment:
    """One walk over a run of events: how many held, the last link, the first break if any."""

    checked: int
    last_seq: int
    last_hash: str | None = None
    first_prev: str | None = None  # the first event's prev_hash (when its seq was the expected one)
    broken_seq: int | None = None
    reason: str = ""


async def _walk(events: AsyncIterator[sa.Row[Any]], expected_seq: int, prev_hash: str | None) -> _Segment:
    """Check each event in turn: it is the next one, links to the one before, and hashes right.

    With prev_hash None the first event's link is left to the caller (a run after another one).
    """
    checked, first_prev, last_hash = 0, None, None
    async for event in events:
        if event.seq != expected_seq:
            return _Segment(
                checked, expected_seq - 1, last_hash, first_prev, expected_seq, _missing(expected_seq)
            )
        if checked == 0:
            first_prev = event.prev_hash
        if prev_hash is not None and event.prev_hash != prev_hash:
            return _Segment(checked, expected_seq - 1, last_hash, first_prev, event.seq, _UNLINKED)
        if compute_hash(event.prev_hash, event) != event.hash:  # == prev_hash once the link holds
            return _Segment(checked, expected_seq - 1, last_hash, first_prev, event.seq, _ALTERED)
        prev_hash = last_hash = event.hash
        expected_seq, checked = expected_seq + 1, checked + 1
    return _Segment(checked, expected_seq - 1, last_hash, first_prev)


_UNLINKED = "prev_hash does not match the previous event"
_ALTERED = "content does not match its hash"


def _missing(seq: int) -> str:
    return f"event {seq} is missing"


#: From this many events on, `portal audit verify` walks the chain in one process per CPU.
PARALLEL_FROM = 200_000


async def verify_chain(
    session: AsyncSession, *, processes: int | None = None, parallel_from: int = PARALLEL_FROM
) -> ChainReport:
    """Walk the chain from the first event; name the first one whose link or content does not hold.

    A long chain is cut into runs of seq walked by processes side by side (each event's hash needs
    only the event and its stored prev_hash); the runs are then joined in order, checking each
    run's first link against the run before, so the report is the one a single walk would give.
    """
    processes = processes or os.cpu_count() or 1
    last = (await session.execute(sa.select(sa.func.max(col(AuditEvent.seq))))).scalar() or 0
    if processes > 1 and last >= parallel_from and session.bind is not None:
        url = session.bind.engine.url.render_as_string(hide_password=False)
        runs = await _walk_in_processes(url, last, processes)
    else:
        runs = [(0, await _walk(_events(session), 1, GENESIS_HASH))]
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    for after, run in runs:
        if run.checked == 0 and run.broken_seq is None:
            continue  # no event in this run: the next run, or the head, tells what is missing
        if expected_seq != after + 1:
            return ChainReport(checked, expected_seq, _missing(expected_seq))
        if run.first_prev is not None and run.first_prev != prev_hash:
            return ChainReport(checked, after + 1, _UNLINKED)
        if run.broken_seq is not None:
            return ChainReport(checked + run.checked, run.broken_seq, run.reason)
        prev_hash, expected_seq, checked = run.last_hash or prev_hash, run.last_seq + 1, checked + run.checked
    head = await session.get(AuditChainHead, CHAIN_HEAD_ID)
    if head is not None and (head.seq != checked or head.last_hash != prev_hash):
        return ChainReport(checked, checked + 1, "events after the last one found were removed")
    return ChainReport(checked)


async def _walk_in_processes(url: str, last: int, processes: int) -> list[tuple[int, _Segment]]:
    size = -(-last // (processes * 4))  # four runs per process evens out uneven ones
    bounds = [(after, min(after + size, last)) for after in range(0, last, size)]
    loop = asyncio.get_running_loop()
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited loop or threads
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        runs = await asyncio.gather(
            *(loop.run_in_executor(pool, _walk_range, url, after, until) for after, until in bounds)
        )
    return [(after, run) for (after, _), run in zip(bounds, runs, strict=True)]


def _walk_range(url: str, after: int, until: int) -> _Segment:
    """In a worker process: walk the events after..until on a connection of its own."""

    async def walk() -> _Segment:
        engine = create_async_engine(url)
        try:
            async with AsyncSession(engine) as session:
                return await _walk(_events(session, after=after, until=until), after + 1, None)
        finally:
            await engine.dispose()

    return asyncio.run(walk())
