"""Shared fixtures: one migrated, seeded database per test session, on SQLite or on PostgreSQL.

PORTAL_TEST_DATABASE_URL selects PostgreSQL (CI runs the suite on both); its schema is dropped
and rebuilt by the migrations at the start of every run. The clock is fixed, so demo data and
"today" agree in every test.
"""

import asyncio
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import oidc_provider_mock
import pytest
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy.ext.asyncio import create_async_engine

from portal.app import create_app
from portal.core.clock import Clock
from portal.core.db import session_scope
from portal.core.migrate import upgrade
from portal.core.settings import Environment, Settings
from portal.demo.seed import seed_demo, seed_demo_roles
from portal.demo.users import DEMO_USERS, DemoUser
from portal.tenancy.registry import load_tenants
from portal.tenancy.services import sync_tenants

REPO_TENANTS = Path(__file__).resolve().parent.parent / "tenants"
#: "Today" in every test: a Thursday in Asia/Almaty (UTC+5), 11:00 local time.
TODAY = date(2025, 2, 20)
FIXED_CLOCK = Clock(fixed_now=datetime(2025, 2, 20, 6, 0, tzinfo=UTC))


def _database_url(tmp_dir: Path) -> str:
    return os.environ.get("PORTAL_TEST_DATABASE_URL") or f"sqlite+aiosqlite:///{tmp_dir / 'test.db'}"


async def _reset_postgres(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(sa.text("CREATE SCHEMA public"))
    await engine.dispose()


#: People the test provider knows besides the demo users: each breaks one sign-in rule.
BROKEN_USERS = (
    oidc_provider_mock.User(sub="no-iin", claims={"given_name": "Есім", "family_name": "Жоқ"}),
    oidc_provider_mock.User(
        sub="bad-iin", claims={"iin": "900515301235", "given_name": "Қате", "family_name": "Нөмір"}
    ),
    oidc_provider_mock.User(
        sub="wrong-birthdate",
        claims={
            "iin": "900515301234",
            "given_name": "Күні",
            "family_name": "Басқа",
            "birthdate": "1991-05-15",
        },
    ),
)


#: Candidates who exist only for tests: each test that applies takes its own person.
TEST_CANDIDATES = tuple(
    DemoUser(
        f"test-candidate-{n}",
        "Тест",
        f"Үміткер{n}",
        "",
        date(1995, 1 + (n - 1) // 28, 1 + (n - 1) % 28),
        n % 2 == 0,
        5000 + n,
    )
    for n in range(1, 41)
)


@pytest.fixture(scope="session")
def oidc_issuer() -> Iterator[str]:
    """The local OpenID provider (oidc-provider-mock) with the demo users, on a free port."""
    users = [oidc_provider_mock.User(sub=u.sub, claims=u.claims()) for u in (*DEMO_USERS, *TEST_CANDIDATES)]
    with oidc_provider_mock.run_server_in_thread(
        require_nonce=True, user_claims=[*users, *BROKEN_USERS]
    ) as server:
        # The provider derives its issuer from the Host header: always say "localhost".
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory, oidc_issuer: str) -> Settings:
    files = tmp_path_factory.mktemp("files")
    return Settings(
        env=Environment.TEST,
        database_url=_database_url(tmp_path_factory.mktemp("db")),
        storage_dir=files / "documents",
        upload_dir=files / "uploads",
        log_level="WARNING",
        base_url="http://127.0.0.1",
        oidc_issuer=oidc_issuer,
        login_rate_per_ip=10_000,
        login_rate_per_session=10_000,
    )


@pytest.fixture(scope="session")
def database(settings: Settings) -> Settings:
    """Migrate an empty database, sync the 20 tenants and seed the demo data once per session."""
    if not settings.is_sqlite:
        asyncio.run(_reset_postgres(settings.database_url))
    upgrade(settings)

    async def load() -> None:
        registry = load_tenants(settings.tenants_dir)
        async with session_scope(settings) as session:
            await sync_tenants(session, registry, "test")
        async with session_scope(settings) as session:
            await seed_demo(session, registry, TODAY, "test")
            await seed_demo_roles(session, registry, TODAY, "test")

    asyncio.run(load())
    return settings


@pytest.fixture(scope="session")
def app(database: Settings) -> Litestar:
    return create_app(database, clock=FIXED_CLOCK)


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=app, base_url="http://127.0.0.1") as test_client:
        yield test_client


def sign_in(client: TestClient[Litestar], sub: str, next_url: str = "/me") -> httpx.Response:
    """The whole sign-in through the local provider, as a browser would do it (no shortcuts).

    Returns the callback's response (303 to `next` on success, a 400 page on refusal).
    """
    start = client.get("/auth/login/start", params={"next": next_url}, follow_redirects=False)
    assert start.status_code == 303, start.text
    authorize = httpx.post(start.headers["location"], data={"sub": sub}, follow_redirects=False)
    assert authorize.status_code == 302, authorize.text
    callback = urlsplit(authorize.headers["location"])
    return client.get(f"{callback.path}?{callback.query}", follow_redirects=False)


def csrf_headers(client: TestClient[Litestar]) -> dict[str, str]:
    """The CSRF header an htmx request carries (the token comes from the csrftoken cookie)."""
    if "csrftoken" not in client.cookies:
        client.get("/")
    return {"x-csrftoken": client.cookies["csrftoken"]}
