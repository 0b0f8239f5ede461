"""A signed-in page reads the session and writes it back only when needed (issue 9).

portal.core.sessions: the store is written when the session changed, when its id is rotated, or
when its last write is older than RENEW_AFTER (which restarts the idle timeout); otherwise a page
costs one read and sends no session cookie.
"""

import time

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from portal.core import sessions
from tests.conftest import sign_in
from tests.integration.perf.test_query_counts import queries

SESSION_WRITE = ("INSERT INTO SESSION_STORE", "UPDATE SESSION_STORE")


def writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.upper().startswith(SESSION_WRITE)]


def test_a_page_read_soon_after_the_last_write_only_reads_the_session(app: Litestar) -> None:
    with TestClient(app=app, base_url="http://127.0.0.1") as client:
        assert sign_in(client, "candidate-aigerim").status_code == 303
        counter = queries(app, client, "/me")
        response = client.get("/me")
    assert writes(counter.statements) == []
    assert [s for s in counter.statements if "session_store" in s] != []  # it was read
    assert "session=" not in response.headers.get("set-cookie", "")


def test_the_session_is_written_again_after_renew_after_seconds(
    app: Litestar, monkeypatch: pytest.MonkeyPatch
) -> None:
    with TestClient(app=app, base_url="http://127.0.0.1") as client:
        assert sign_in(client, "candidate-aigerim").status_code == 303
        later = time.time() + sessions.RENEW_AFTER + 1
        monkeypatch.setattr(sessions.time, "time", lambda: later)
        counter = queries(app, client, "/me")
        renewed = writes(counter.statements)
        response_cookie = client.cookies.get("session")
        monkeypatch.undo()
        assert client.get("/me").status_code == 200  # still signed in with the renewed session
    assert len(renewed) == 1, counter.statements
    assert response_cookie
