"""The hash-chained audit log: append, verify, tamper detection, the CLI (issue 2, item 7)."""

import asyncio
import os

import sqlalchemy as sa
from click.testing import CliRunner

from portal.cli import main
from portal.core.audit import AuditEvent, Change, record, verify_chain
from portal.core.db import session_scope
from portal.core.settings import Settings


def _verify(settings: Settings) -> tuple[bool, int | None, str]:
    async def work() -> tuple[bool, int | None, str]:
        async with session_scope(settings) as session:
            report = await verify_chain(session)
        return report.ok, report.broken_seq, report.reason

    return asyncio.run(work())


def _append(settings: Settings, count: int) -> list[int]:
    async def one(i: int) -> int:
        async with session_scope(settings) as session:
            event = await record(session, Change("test.appended", "test", str(i), "tester", after={"i": i}))
            return event.seq

    async def many() -> list[int]:
        return list(await asyncio.gather(*(one(i) for i in range(count))))

    return asyncio.run(many())


def _cli(settings: Settings, *args: str) -> tuple[int, str]:
    env = {**os.environ, "PORTAL_DATABASE_URL": settings.database_url}
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def test_seeded_chain_verifies(database: Settings) -> None:
    ok, broken, reason = _verify(database)
    assert ok, reason
    assert broken is None


def test_concurrent_writers_keep_the_chain_linear(database: Settings) -> None:
    seqs = _append(database, 12)
    assert len(set(seqs)) == 12
    ok, _, reason = _verify(database)
    assert ok, reason


def test_tampering_with_one_event_is_detected_and_named(database: Settings) -> None:
    code, output = _cli(database, "audit", "verify")
    assert code == 0 and "intact" in output
    victim = _append(database, 3)[1]

    async def tamper(to: str) -> None:
        async with session_scope(database) as session:
            await session.execute(sa.update(AuditEvent).where(sa.column("seq") == victim).values(actor=to))

    asyncio.run(tamper("mallory"))
    try:
        ok, broken, reason = _verify(database)
        assert not ok and broken == victim and "hash" in reason
        code, output = _cli(database, "audit", "verify")
        assert code == 1
        assert f"event {victim}" in output
    finally:
        asyncio.run(tamper("tester"))
    assert _verify(database)[0]
