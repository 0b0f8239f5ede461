"""A tenant on its own host name, and what production mode switches on (issue 2, items 3 and 9)."""

import shutil
from pathlib import Path
from typing import Any

import anyio
import pytest
from litestar.testing import TestClient
from pydantic import ValidationError

from portal.app import create_app
from portal.applications import documents
from portal.core.settings import Environment, Settings
from tests.conftest import FIXED_CLOCK, REPO_TENANTS

PRODUCTION_SECRET = "x" * 48


@pytest.fixture(scope="module")
def tenants_with_a_host(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("tenants")
    for path in REPO_TENANTS.glob("*.toml"):
        shutil.copy(path, directory / path.name)
    abai = directory / "abai.toml"
    abai.write_text(abai.read_text(encoding="utf-8").replace("hosts = []", 'hosts = ["abai.reserve.test"]'))
    return directory


def test_a_tenant_host_serves_that_region_without_the_prefix(
    database: Settings, tenants_with_a_host: Path
) -> None:
    app = create_app(database.model_copy(update={"tenants_dir": tenants_with_a_host}), clock=FIXED_CLOCK)
    with TestClient(app=app, base_url="http://abai.reserve.test") as client:
        home = client.get("/?lang=en")
        assert home.status_code == 200 and "Abai Region" in home.text
        assert client.get("/announcements").status_code == 200
        assert client.get("/announcements.atom").status_code == 200  # the national feed stays national
        assert client.get("/rules").status_code == 200
        assert client.get("/healthz").text == "ok"


def test_production_refuses_the_development_secret_and_plain_http() -> None:
    with pytest.raises(ValidationError, match="PORTAL_SECRET_KEY"):
        Settings(env=Environment.PRODUCTION, base_url="https://reserve.example.kz")
    with pytest.raises(ValidationError, match="https"):
        Settings(
            env=Environment.PRODUCTION, secret_key=PRODUCTION_SECRET, base_url="http://reserve.example.kz"
        )


def test_production_enforces_the_host_allowlist_and_secure_cookies(database: Settings) -> None:
    settings = database.model_copy(
        update={
            "env": Environment.PRODUCTION,
            "secret_key": PRODUCTION_SECRET,
            "base_url": "https://reserve.example.kz",
            "allowed_hosts": ("reserve.example.kz",),
        }
    )
    app = create_app(settings, clock=FIXED_CLOCK)
    with TestClient(app=app, base_url="https://reserve.example.kz") as client:
        response = client.get("/?lang=ru")
        assert response.status_code == 200
        lang_cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("lang="))
        assert "Secure" in lang_cookie
        assert "max-age=63072000" in response.headers["strict-transport-security"]
        assert "phase-banner" not in response.text  # no demo banner in production
    with TestClient(app=app, base_url="https://evil.example.com") as client:
        assert client.get("/").status_code == 400


def test_robots_txt_is_served_at_the_root(database: Settings) -> None:
    with TestClient(app=create_app(database, clock=FIXED_CLOCK)) as client:
        response = client.get("/robots.txt")
        assert response.status_code == 200
        assert "User-agent" in response.text


def test_the_parsers_start_with_the_app_when_asked_and_stop_with_it(
    database: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PORTAL_DOCUMENT_PARSERS_AT_START: the pool is full before the first upload; shutdown stops it."""
    monkeypatch.setattr(documents, "PARSER_WARM_DELAY_SECONDS", 0.01)
    settings = database.model_copy(update={"document_parsers_at_start": True, "document_parser_workers": 1})
    app = create_app(settings, clock=FIXED_CLOCK)
    with TestClient(app=app) as client:

        async def parsers() -> list[Any]:
            for _ in range(200):
                if documents.parser_pool().idle:
                    break
                await anyio.sleep(0.01)
            return list(documents.parser_pool().idle)

        workers = client.blocking_portal.call(parsers)
        assert len(workers) == 1
        assert workers[0].process.returncode is None
    assert workers[0].process.returncode is not None  # stopped with the app
