"""What one session read costs on the bench database: the store's own `get` against one statement
on a session that is already open (the request's, since issue 9's third pass), and one thread round
trip of aiosqlite against `sqlite3` called directly.

    .venv/bin/python bench/session_read.py [--reads 2000]
"""

import argparse
import asyncio
import os
import secrets
import sqlite3
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
DATABASE = ROOT / "var" / "bench" / "bench.db"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_DATABASE_URL", f"sqlite+aiosqlite:///{DATABASE}")
os.environ.setdefault("PORTAL_ENV", "production")
os.environ.setdefault("PORTAL_SECRET_KEY", secrets.token_urlsafe(48))
os.environ.setdefault("PORTAL_BASE_URL", "https://bench.reserve.example")
os.environ.setdefault("PORTAL_LOG_LEVEL", "WARNING")

from portal.app import create_app  # noqa: E402
from portal.core.sessions import _READ, SESSION_STORE  # noqa: E402

KEY = "bench-session-read" + "0" * 14


async def timed(label: str, reads: int, call: Callable[[], Awaitable[object]]) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(reads):
        await call()
    wall, used = (time.perf_counter() - started) / reads * 1e6, (time.process_time() - cpu) / reads * 1e6
    print(f"{label:55} {wall:8.1f} µs wall {used:8.1f} µs CPU")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reads", type=int, default=2000)
    reads = parser.parse_args().reads
    app = create_app()
    store = app.stores.get(SESSION_STORE)
    await store.set(KEY, b'{"uid": "bench"}', expires_in=3600)
    params = {"key": KEY, "namespace": "portal", "now": datetime.now(UTC)}
    async with app.state.alchemy.get_session() as open_session:
        await open_session.execute(sa.text("SELECT 1"))
        await timed("SQLAlchemyStore.get (own session and transaction)", reads, lambda: store.get(KEY))
        await timed(
            "the same row on an open session (the request's)",
            reads,
            lambda: open_session.execute(_READ, params),
        )
    await store.delete(KEY)
    connection = await aiosqlite.connect(DATABASE)
    await timed("one aiosqlite thread round trip", reads, lambda: connection._execute(lambda: None))
    await connection.close()
    direct = sqlite3.connect(DATABASE)
    started = time.perf_counter()
    for _ in range(reads):
        direct.execute("SELECT value FROM session_store LIMIT 1").fetchall()
    per_read = (time.perf_counter() - started) / reads * 1e6
    print(f"{'a SELECT with sqlite3 in this thread (no round trip)':55} {per_read:8.1f} µs wall")
    direct.close()


if __name__ == "__main__":
    try:
        import uvloop

        uvloop.run(main())
    except ImportError:
        asyncio.run(main())
