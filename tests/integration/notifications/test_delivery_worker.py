"""The delivery loop: delivers, survives a failing round, stops on request; the in-process lifespan."""

import os
import signal
from typing import Any

import anyio
import pytest
import sqlalchemy as sa
from litestar import Litestar
from litestar.datastructures import State
from litestar.testing import TestClient
from sqlmodel import col

from portal.core.clock import Clock
from portal.core.settings import Environment, Settings
from portal.notifications import services, worker
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.notifications.services import DeliveryReport, enqueue
from portal.notifications.worker import delivery_lifespan, run_delivery_loop
from tests.integration.notifications.conftest import NOW, SUBMITTED, OutboxDb, RecordingMailer

pytestmark = pytest.mark.anyio


async def _queue(db: OutboxDb, n: int) -> list[OutboxMessage]:
    async with db.factory() as session, session.begin():
        return [
            await enqueue(
                session,
                template="application_submitted",
                language="kk",
                context=SUBMITTED,
                recipient=f"person{i}@example.kz",
                user_id=None,
                tenant_id=None,
                now=NOW,
            )
            for i in range(n)
        ]


async def _statuses(db: OutboxDb) -> list[OutboxStatus]:
    async with db.factory() as session:
        return list((await session.scalars(sa.select(col(OutboxMessage.status)))).all())


def _settings(db: OutboxDb, env: Environment = Environment.TEST) -> Settings:
    return Settings(env=env, database_url=db.url, log_level="WARNING")


async def test_the_loop_delivers_in_full_batches_and_stops(outbox_db: OutboxDb) -> None:
    await _queue(outbox_db, 5)
    mailer, stop = RecordingMailer(), anyio.Event()
    async with anyio.create_task_group() as group:
        group.start_soon(
            lambda: run_delivery_loop(
                _settings(outbox_db),
                stop=stop,
                interval=30,
                mailer=mailer,
                clock=Clock(fixed_now=NOW),
                batch=2,
            )
        )
        with anyio.fail_after(5):
            while len(mailer.sent) < 5:  # three rounds without waiting: the first two were full
                await anyio.sleep(0.01)
        stop.set()
    assert sorted(m["To"] for m in mailer.sent) == [f"person{i}@example.kz" for i in range(5)]


async def test_a_failing_round_is_logged_and_the_loop_goes_on(
    outbox_db: OutboxDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _queue(outbox_db, 1)
    real, calls = services.deliver_due, []

    async def flaky(*args: Any, **kwargs: Any) -> DeliveryReport:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("database went away")
        return await real(*args, **kwargs)

    logged: list[str] = []

    class Log:
        def exception(self, event: str, **_: Any) -> None:
            logged.append(event)

        def info(self, event: str, **_: Any) -> None:
            pass

    monkeypatch.setattr(worker, "deliver_due", flaky)
    monkeypatch.setattr(worker, "_log", Log())
    mailer, stop = RecordingMailer(), anyio.Event()
    async with anyio.create_task_group() as group:
        group.start_soon(
            lambda: run_delivery_loop(
                _settings(outbox_db), stop=stop, interval=0.02, mailer=mailer, clock=Clock(fixed_now=NOW)
            )
        )
        with anyio.fail_after(5):
            while not mailer.sent:
                await anyio.sleep(0.01)
        stop.set()
    assert len(calls) >= 2
    assert logged == ["mail delivery round failed"]
    assert await _statuses(outbox_db) == [OutboxStatus.SENT]


def _app(settings: Settings) -> Litestar:
    return Litestar(
        route_handlers=[],
        lifespan=[delivery_lifespan],
        state=State({"settings": settings, "clock": Clock(fixed_now=NOW)}),
    )


async def test_the_lifespan_delivers_in_process_in_development(outbox_db: OutboxDb) -> None:
    await _queue(outbox_db, 2)
    # Development without PORTAL_SMTP_URL: the null mailer marks the messages sent (see /dev/mail).
    with TestClient(_app(_settings(outbox_db, Environment.DEV))):
        with anyio.fail_after(5):
            while await _statuses(outbox_db) != [OutboxStatus.SENT] * 2:
                await anyio.sleep(0.02)


async def test_the_lifespan_does_nothing_in_tests(outbox_db: OutboxDb) -> None:
    await _queue(outbox_db, 1)
    with TestClient(_app(_settings(outbox_db, Environment.TEST))):
        await anyio.sleep(0.2)
    assert await _statuses(outbox_db) == [OutboxStatus.PENDING]


async def test_the_worker_command_stops_on_sigterm(
    outbox_db: OutboxDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _queue(outbox_db, 1)
    monkeypatch.setattr(worker, "configure_logging", lambda _settings: None)  # keep pytest's log capture
    settings = _settings(outbox_db, Environment.DEV)  # no PORTAL_SMTP_URL: the null mailer
    before = signal.getsignal(signal.SIGTERM)
    async with anyio.create_task_group() as group:
        group.start_soon(worker.serve_worker, settings)
        with anyio.fail_after(5):
            # Signal only once the worker listens: before that, SIGTERM would end the test run.
            while signal.getsignal(signal.SIGTERM) is before or await _statuses(outbox_db) != [
                OutboxStatus.SENT
            ]:
                await anyio.sleep(0.02)
        listening = signal.getsignal(signal.SIGTERM)
        os.kill(os.getpid(), signal.SIGTERM)
        with anyio.fail_after(5):
            while signal.getsignal(signal.SIGTERM) is listening:  # the worker has let go of it
                await anyio.sleep(0.02)
    if before is not None:
        signal.signal(signal.SIGTERM, before)
