"""An outbox database of its own (a SQLite file with the outbox and its foreign-key targets)."""

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path

import anyio
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from portal.auth.models import User
from portal.core.db import install_sqlite_pragmas
from portal.core.models import metadata
from portal.notifications.models import OutboxMessage
from portal.tenancy.models import Tenant

NOW = datetime(2025, 2, 20, 6, 0, tzinfo=UTC)
SENDER = "noreply@reserve.example.kz"
TABLES = [Tenant.__table__, User.__table__, OutboxMessage.__table__]  # type: ignore[attr-defined]
SUBMITTED = {
    "reference": "KZ-71-2026-000123",
    "selection_title": {"kk": "Бөлім басшысы", "ru": "Руководитель отдела", "en": "Head of department"},
    "region": {"kk": "Астана қаласы", "ru": "город Астана", "en": "Astana"},
    "submitted_at": NOW,
    "tracker_url": "http://127.0.0.1/me/applications",
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@dataclass
class OutboxDb:
    url: str
    engine: AsyncEngine
    factory: async_sessionmaker[AsyncSession]

    async def add_user(self, sub: str = "candidate") -> uuid.UUID:
        async with self.factory() as session, session.begin():
            user = User(
                iin="900515301234" if sub == "candidate" else "850101400012",
                issuer="test",
                sub=sub,
                birth_date=date(1990, 5, 15),
            )
            session.add(user)
        return user.id


async def make_outbox_db(path: Path) -> OutboxDb:
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_async_engine(url)
    install_sqlite_pragmas(engine)
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: metadata.create_all(sync, tables=TABLES))
    return OutboxDb(url, engine, async_sessionmaker(engine, expire_on_commit=False))


@pytest.fixture
async def outbox_db(tmp_path: Path) -> AsyncIterator[OutboxDb]:
    db = await make_outbox_db(tmp_path / "outbox.db")
    yield db
    await db.engine.dispose()


@dataclass
class RecordingMailer:
    """Keeps what it was given; `fail` decides per message whether to raise instead."""

    delay: float = 0.0
    fail: Callable[[EmailMessage], BaseException | None] = lambda _message: None
    sent: list[EmailMessage] = field(default_factory=list)
    tries: int = 0

    async def send(self, message: EmailMessage) -> None:
        self.tries += 1
        if self.delay:
            await anyio.sleep(self.delay)
        error = self.fail(message)
        if error is not None:
            raise error
        self.sent.append(message)
