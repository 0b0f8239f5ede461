"""When portal.core.sessions writes a session back: changed, rotated, due for renewal, or emptied."""

from typing import Any

import pytest
from litestar import Litestar, Request, get
from litestar.params import FromPath
from litestar.stores.memory import MemoryStore
from litestar.testing import TestClient

from portal.core import sessions
from portal.core.sessions import SESSION_STORE, rotate_session, session_config
from portal.core.settings import Environment, Settings


@get("/set/{value:int}", sync_to_thread=False)
def put(request: Request[Any, Any, Any], value: FromPath[int]) -> str:
    request.session["n"] = value
    return "ok"


@get("/read", sync_to_thread=False)
def read(request: Request[Any, Any, Any]) -> str:
    return str(request.session.get("n"))


@get("/rotate", sync_to_thread=False)
def rotate(request: Request[Any, Any, Any]) -> str:
    rotate_session(request)
    return "ok"


@get("/clear", sync_to_thread=False)
def clear(request: Request[Any, Any, Any]) -> str:
    request.clear_session()
    return "ok"


@pytest.fixture
def client() -> Any:
    config = session_config(Settings(env=Environment.TEST))
    app = Litestar(
        route_handlers=[put, read, rotate, clear],
        middleware=[config.middleware],
        stores={SESSION_STORE: MemoryStore()},
    )
    with TestClient(app=app) as test_client:
        yield test_client


def session_cookie(response: Any) -> str | None:
    for raw in response.headers.get_list("set-cookie"):
        if raw.startswith("session="):
            return str(raw.split(";", 1)[0].removeprefix("session="))
    return None


def test_new_data_is_stored_and_an_unchanged_session_is_only_read(client: TestClient[Litestar]) -> None:
    first = client.get("/set/1")
    assert session_cookie(first)
    unchanged = client.get("/read")
    assert unchanged.text == "1"
    assert session_cookie(unchanged) is None
    assert session_cookie(client.get("/set/1")) is None  # the same value: nothing to write
    changed = client.get("/set/2")
    assert session_cookie(changed) == session_cookie(first)
    assert client.get("/read").text == "2"


def test_an_unchanged_session_is_renewed_once_renew_after_has_passed(
    client: TestClient[Litestar], monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = session_cookie(client.get("/set/1"))
    now = sessions.time.time()
    monkeypatch.setattr(sessions.time, "time", lambda: now + sessions.RENEW_AFTER - 1)
    assert session_cookie(client.get("/read")) is None
    monkeypatch.setattr(sessions.time, "time", lambda: now + sessions.RENEW_AFTER + 1)
    assert session_cookie(client.get("/read")) == stored  # written again, same id: expiry restarts
    assert session_cookie(client.get("/read")) is None  # and counted from that write


def test_rotation_and_clearing_always_write(client: TestClient[Litestar]) -> None:
    old = session_cookie(client.get("/set/1"))
    new = session_cookie(client.get("/rotate"))
    assert new and new != old
    assert client.get("/read").text == "1"
    assert session_cookie(client.get("/clear")) == "null"
    assert client.get("/read").text == "None"
