"""Rate limits on sign-in, the absolute session lifetime, production cookies, Redis sessions."""

import json

import pytest
import redis
from litestar import Litestar
from litestar.testing import TestClient

from portal.app import create_app
from portal.auth.middleware import SESSION_LOGIN_AT
from portal.core.settings import Environment, Settings
from tests.conftest import FIXED_CLOCK, sign_in


def test_sign_in_start_is_rate_limited_per_address(database: Settings) -> None:
    app = create_app(database.model_copy(update={"login_rate_per_ip": 3}), clock=FIXED_CLOCK)
    with TestClient(app=app, base_url="http://127.0.0.1") as client:
        statuses = [client.get("/auth/login/start", follow_redirects=False).status_code for _ in range(5)]
    assert statuses == [303, 303, 303, 429, 429]


def test_callback_is_rate_limited_per_session(database: Settings) -> None:
    app = create_app(database.model_copy(update={"login_rate_per_session": 2}), clock=FIXED_CLOCK)
    with TestClient(app=app, base_url="http://127.0.0.1") as client:
        client.get("/auth/login/start", follow_redirects=False)  # now the browser has a session
        statuses = [client.get("/auth/callback", follow_redirects=False).status_code for _ in range(4)]
    assert statuses == [400, 400, 429, 429]


def test_a_session_ends_after_the_absolute_lifetime(app: Litestar, database: Settings) -> None:
    with TestClient(app=app, base_url="http://127.0.0.1") as client:
        sign_in(client, "candidate-aigerim")
        assert client.get("/me").status_code == 200
        store = app.stores.get("sessions")
        session_id = client.cookies["session"]

        async def age_the_session() -> None:
            data = json.loads(await store.get(session_id) or b"{}")
            data[SESSION_LOGIN_AT] -= database.session_absolute_hours * 3600 + 1
            await store.set(session_id, json.dumps(data).encode(), expires_in=600)

        with client.portal() as portal:
            portal.call(age_the_session)
        assert client.get("/me", follow_redirects=False).status_code == 303


def test_production_cookies_are_secure_and_host_prefixed(database: Settings) -> None:
    settings = database.model_copy(
        update={
            "env": Environment.PRODUCTION,
            "secret_key": "y" * 48,
            "base_url": "https://reserve.example.kz",
            "allowed_hosts": ("reserve.example.kz",),
        }
    )
    with TestClient(
        app=create_app(settings, clock=FIXED_CLOCK), base_url="https://reserve.example.kz"
    ) as client:
        start = client.get("/auth/login/start", follow_redirects=False)
    cookies = {c.split("=", 1)[0]: c for c in start.headers.get_list("set-cookie")}
    for name in ("__Host-session", "__Host-csrftoken"):
        assert name in cookies, cookies.keys()
        assert "Secure" in cookies[name] and "HttpOnly" in cookies[name] and "Path=/" in cookies[name]
    assert "SameSite=lax" in cookies["__Host-session"]


def _redis_available() -> bool:
    try:
        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def test_sessions_can_live_in_redis(database: Settings) -> None:
    if not _redis_available():
        pytest.fail("Redis is part of the stack (127.0.0.1:6379); start it to run the suite")
    app = create_app(
        database.model_copy(update={"redis_url": "redis://127.0.0.1:6379/15"}), clock=FIXED_CLOCK
    )
    with TestClient(app=app, base_url="http://127.0.0.1") as client:
        assert sign_in(client, "candidate-aigerim").status_code == 303
        assert client.get("/me").status_code == 200
        keys = redis.Redis(host="127.0.0.1", port=6379, db=15).keys("portal:sessions*")
        assert keys
