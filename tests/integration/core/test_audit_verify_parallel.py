"""`portal audit verify` over a long chain walks it in several processes (issue 9: 1,000,000 events
in under 30 s) and must then say exactly what a single walk says, broken chains included.

Each case forces the parallel walk on the test database (runs of a few events each) and compares
its report with the single-process one.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import sqlalchemy as sa

from portal.core.audit import AuditEvent, ChainReport, Change, record, verify_chain
from portal.core.db import session_scope
from portal.core.settings import Settings


def _both(settings: Settings) -> tuple[ChainReport, ChainReport]:
    async def work() -> tuple[ChainReport, ChainReport]:
        async with session_scope(settings) as session:
            single = await verify_chain(session, processes=1)
            parallel = await verify_chain(session, processes=2, parallel_from=1)
        return single, parallel

    return asyncio.run(work())


def _run(settings: Settings, change: Callable[[Any], Awaitable[object]]) -> None:
    async def work() -> None:
        async with session_scope(settings) as session:
            await change(session)

    asyncio.run(work())


def _append(settings: Settings, count: int) -> list[int]:
    seqs: list[int] = []

    async def append(session: Any) -> None:
        for i in range(count):
            seqs.append((await record(session, Change("test.parallel", "test", str(i), "tester"))).seq)

    _run(settings, append)
    return seqs


def _column(seq: int, **values: Any) -> Callable[[Any], Awaitable[object]]:
    return lambda session: session.execute(
        sa.update(AuditEvent).where(sa.column("seq") == seq).values(**values)
    )


def test_an_intact_chain_reads_the_same_walked_in_parallel(database: Settings) -> None:
    _append(database, 5)
    single, parallel = _both(database)
    assert single.ok and parallel == single


def test_altered_unlinked_and_missing_events_are_named_as_by_one_walk(database: Settings) -> None:
    seqs = _append(database, 6)
    victim = seqs[2]
    row: dict[str, Any] = {}

    async def keep(session: Any) -> None:
        found = await session.execute(sa.select(AuditEvent.__table__).where(sa.column("seq") == victim))  # type: ignore[attr-defined]
        row.update(found.one()._asdict())

    _run(database, keep)
    cases: list[tuple[Callable[[Any], Awaitable[object]], Callable[[Any], Awaitable[object]], str]] = [
        (_column(victim, actor="mallory"), _column(victim, actor=row["actor"]), "content"),
        (_column(victim, prev_hash="f" * 64), _column(victim, prev_hash=row["prev_hash"]), "prev_hash"),
        (
            lambda session: session.execute(sa.delete(AuditEvent).where(sa.column("seq") == victim)),
            lambda session: session.execute(sa.insert(AuditEvent.__table__).values(**row)),  # type: ignore[attr-defined]
            "missing",
        ),
    ]
    for break_it, mend_it, word in cases:
        _run(database, break_it)
        try:
            single, parallel = _both(database)
        finally:
            _run(database, mend_it)
        assert not single.ok and single.broken_seq == victim and word in single.reason
        assert parallel == single, word
    single, parallel = _both(database)
    assert single.ok and parallel == single


def test_events_removed_at_the_end_are_reported_the_same(database: Settings) -> None:
    last = _append(database, 2)[-1]
    row: dict[str, Any] = {}

    async def remove(session: Any) -> None:
        table = AuditEvent.__table__  # type: ignore[attr-defined]
        row.update((await session.execute(sa.select(table).where(table.c.seq == last))).one()._asdict())
        await session.execute(sa.delete(table).where(table.c.seq == last))

    _run(database, remove)
    try:
        single, parallel = _both(database)
    finally:
        _run(database, lambda session: session.execute(sa.insert(AuditEvent.__table__).values(**row)))  # type: ignore[attr-defined]
    assert not single.ok and "removed" in single.reason
    assert parallel == single
