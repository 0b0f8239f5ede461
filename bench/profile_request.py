"""Time (and optionally profile) single requests against the seeded bench database, in-process.

    PORTAL_DATABASE_URL=sqlite+aiosqlite:///var/bench/bench.db .venv/bin/python bench/profile_request.py
    ... bench/profile_request.py --repeat 50 --profile officer   # cProfile of one endpoint, top 40

The portal is built in production mode (as `make bench` runs it) and called through httpx's ASGI
transport, one request at a time, so the numbers are the server-side cost of a request without
the HTTP server and the load generator. "cpu" is the median processor time of the process per
request (the database threads included). The signed-in pages use sessions written straight into
the session store for the bench's candidate and officer (no identity provider needed). Each
request's SQL statements are counted, and printed with --sql. PORTAL_PUBLIC_CACHE_SECONDS=0
measures the public pages as rendered, not as served from the page cache.
"""

import argparse
import asyncio
import cProfile
import os
import pstats
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_DATABASE_URL", f"sqlite+aiosqlite:///{ROOT / 'var' / 'bench' / 'bench.db'}")
os.environ.setdefault("PORTAL_ENV", "production")
os.environ.setdefault("PORTAL_SECRET_KEY", secrets.token_urlsafe(48))
os.environ.setdefault("PORTAL_BASE_URL", "https://bench.reserve.example")
os.environ.setdefault("PORTAL_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("PORTAL_LOG_LEVEL", "WARNING")
os.environ.setdefault("PORTAL_MAIL_DELIVERY_IN_PROCESS", "false")

from portal.app import create_app  # noqa: E402
from portal.auth.models import User  # noqa: E402
from portal.bench.seed import BenchPlan, officer, open_selections, tracker_candidate  # noqa: E402
from portal.core.clock import Clock  # noqa: E402
from portal.core.sessions import SESSION_STORE  # noqa: E402
from portal.core.settings import get_settings  # noqa: E402
from portal.tenancy.registry import load_tenants  # noqa: E402

REGION = "astana"


async def session_cookie(app: Any, sub: str) -> str:
    """A signed-in session for the bench user `sub`, written into the session store."""
    settings = app.state.settings
    async with app.state.alchemy.get_session() as db:
        user_id = (await db.execute(sa.select(User.id).where(User.sub == sub))).scalar_one()  # type: ignore[arg-type]
    config = app.state.session_config
    backend = config._backend_class(config=config)
    session_id = secrets.token_hex(16)
    data = backend.serialize_data({"uid": str(user_id), "login_at": time.time()}, None)
    await backend.set(session_id, data, store=app.stores.get(SESSION_STORE))
    return f"{settings.cookie_prefix}session={session_id}"


async def endpoints(app: Any) -> dict[str, tuple[str, dict[str, str]]]:
    settings = get_settings()
    registry = load_tenants(settings.tenants_dir)
    astana = next(t for t in registry.all() if t.slug == REGION)
    selections = await open_selections(settings.database_url, Clock(settings.timezone).today())
    one = next(str(i) for code, i, _d in selections if code == astana.code)
    candidate = await session_cookie(app, tracker_candidate(registry, BenchPlan.scaled(1.0), REGION).sub)
    staff = await session_cookie(app, officer().sub)
    return {
        "index": ("/", {}),
        "region": (f"/{REGION}/", {}),
        "list": (f"/{REGION}/announcements?status=open", {}),
        "list-hx": (f"/{REGION}/announcements?status=open", {"hx-request": "true"}),
        "one": (f"/{REGION}/announcements/{one}", {}),
        "feed": ("/announcements.atom", {}),
        "me": ("/me/applications", {"cookie": candidate}),
        "officer": (f"/{REGION}/officer/applications?status=submitted&page=1", {"cookie": staff}),
        "officer-deep": (f"/{REGION}/officer/applications?status=submitted&page=100", {"cookie": staff}),
        "officer-all": (f"/{REGION}/officer/applications", {"cookie": staff}),
        "readyz": ("/readyz", {}),
    }


class Statements:
    def __init__(self) -> None:
        self.rows: list[tuple[float, str]] = []
        self._started: dict[int, float] = {}

    def before(self, _conn: Any, cursor: Any, *_a: Any) -> None:
        self._started[id(cursor)] = time.perf_counter()

    def after(self, _conn: Any, cursor: Any, statement: str, *_a: Any) -> None:
        began = self._started.pop(id(cursor), time.perf_counter())
        self.rows.append(((time.perf_counter() - began) * 1000, " ".join(statement.split())[:220]))


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="*")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", help="cProfile this endpoint")
    parser.add_argument("--sql", action="store_true", help="print each statement of the last request")
    args = parser.parse_args()
    app = create_app()
    engine = app.state.alchemy.get_engine().sync_engine
    transport = httpx.ASGITransport(app=app)
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        cases = await endpoints(app)
        for name, (path, headers) in cases.items():
            if args.names and name not in args.names:
                continue
            first = time.perf_counter()
            response = await client.get(path, headers=headers)
            cold = (time.perf_counter() - first) * 1000
            times, cpu = [], []
            profile = cProfile.Profile() if args.profile == name else None
            for _ in range(args.repeat):
                statements = Statements()
                sa.event.listen(engine, "before_cursor_execute", statements.before)
                sa.event.listen(engine, "after_cursor_execute", statements.after)
                started, cpu_started = time.perf_counter(), time.process_time()
                if profile:
                    profile.enable()
                response = await client.get(path, headers=headers)
                if profile:
                    profile.disable()
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
                sa.event.remove(engine, "before_cursor_execute", statements.before)
                sa.event.remove(engine, "after_cursor_execute", statements.after)
            sql_ms = sum(ms for ms, _ in statements.rows)
            print(
                f"{name:13} {response.status_code} first {cold:7.1f} ms"
                f"  median {statistics.median(times):7.2f} ms  min {min(times):7.2f} ms"
                f"  cpu {statistics.median(cpu):6.2f} ms"
                f"  {len(statements.rows)} statements {sql_ms:6.2f} ms"
                f"  {len(response.content):7d} B",
                flush=True,
            )
            if args.sql:
                for ms, text in statements.rows:
                    print(f"    {ms:7.2f} ms  {text}")
            if profile:
                pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
                pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    asyncio.run(main())
