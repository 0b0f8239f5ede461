"""Sign-in through the identity provider, /me, sign-out (issue 4: the flow and its refusals)."""

import asyncio
from collections.abc import Iterator

import httpx
import pytest
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import TestClient

from portal.auth.models import User
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.demo.users import demo_user
from tests.conftest import csrf_headers, sign_in

AIGERIM = demo_user("candidate-aigerim")


def _users(settings: Settings) -> int:
    async def count() -> int:
        async with session_scope(settings) as session:
            return int((await session.execute(sa.select(sa.func.count()).select_from(User))).scalar_one())

    return asyncio.run(count())


@pytest.fixture
def fresh(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=app, base_url="http://127.0.0.1") as client:
        yield client


def test_sign_in_shows_me_with_the_masked_iin_and_roles(fresh: TestClient[Litestar]) -> None:
    response = sign_in(fresh, "admin-daniyar")
    assert response.status_code == 303 and response.headers["location"] == "/me"
    page = fresh.get("/me?lang=en")
    assert page.status_code == 200
    iin = demo_user("admin-daniyar").iin
    assert f"{iin[:4]}******{iin[-2:]}" in page.text and iin not in page.text
    assert "Administrator of the region" in page.text
    assert "Astana" in page.text and "Karaganda Region" in page.text
    assert page.headers["cache-control"] == "no-store"


def test_the_session_id_changes_at_sign_in(fresh: TestClient[Litestar]) -> None:
    fresh.get("/auth/login/start", follow_redirects=False)
    before = fresh.cookies["session"]
    # finish that sign-in
    start = fresh.get("/auth/login/start", follow_redirects=False)
    assert fresh.cookies["session"] == before  # still the pre-login session
    authorize = httpx.post(start.headers["location"], data={"sub": AIGERIM.sub}, follow_redirects=False)
    location = httpx.URL(authorize.headers["location"])
    fresh.get(f"{location.path}?{location.query.decode()}", follow_redirects=False)
    after = fresh.cookies["session"]
    assert after != before
    # The old id is gone from the store: presenting it again gives an anonymous request.
    with TestClient(app=fresh.app, base_url="http://127.0.0.1", cookies={"session": before}) as stale:
        assert stale.get("/me", follow_redirects=False).status_code == 303


def test_sign_out_ends_the_session_here_and_at_the_provider(fresh: TestClient[Litestar]) -> None:
    sign_in(fresh, AIGERIM.sub)
    assert fresh.get("/me").status_code == 200
    response = fresh.post("/auth/logout", headers=csrf_headers(fresh), follow_redirects=False)
    assert response.status_code == 303
    assert "/oauth2/end_session" in response.headers["location"]
    assert "id_token_hint=" in response.headers["location"]
    assert fresh.get("/me", follow_redirects=False).status_code == 303


def test_sign_out_without_csrf_token_is_refused(fresh: TestClient[Litestar]) -> None:
    sign_in(fresh, AIGERIM.sub)
    assert fresh.post("/auth/logout", follow_redirects=False).status_code == 403
    assert fresh.get("/me").status_code == 200


def test_anonymous_me_redirects_to_sign_in_and_back(fresh: TestClient[Litestar]) -> None:
    response = fresh.get("/me", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/auth/login?next=%2Fme"
    htmx = fresh.get("/me", headers={"HX-Request": "true"}, follow_redirects=False)
    assert htmx.headers["hx-redirect"] == "/auth/login?next=%2Fme"


def test_public_pages_create_no_session(fresh: TestClient[Litestar]) -> None:
    for url in ("/", "/astana/", "/astana/announcements", "/rules", "/auth/login"):
        response = fresh.get(url)
        assert not any(c.startswith("session=") for c in response.headers.get_list("set-cookie")), url
    assert "session" not in fresh.cookies


def test_next_is_honoured_for_same_site_paths_only(fresh: TestClient[Litestar]) -> None:
    assert sign_in(fresh, AIGERIM.sub, next_url="/astana/announcements?status=open").headers["location"] == (
        "/astana/announcements?status=open"
    )


@pytest.mark.parametrize(
    "evil",
    [
        "https://evil.example",
        "//evil.example/x",
        "/\\evil.example",
        "/%2F%2Fevil.example",
        "https:/evil.example",
        "javascript:alert(1)",
        "\\\\evil.example",
        "/ok\r\nLocation: https://evil.example",
    ],
)
def test_next_to_another_site_goes_to_me(fresh: TestClient[Litestar], evil: str) -> None:
    assert sign_in(fresh, AIGERIM.sub, next_url=evil).headers["location"] == "/me"


def _refused(client: TestClient[Litestar], response: httpx.Response, reason: str) -> None:
    assert response.status_code == 400
    assert f"Reason code: {reason}" in client.get("/auth/login?lang=en").text or reason in response.text
    assert "session" not in client.cookies or client.get("/me", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    ("sub", "reason"),
    [("no-iin", "iin_missing"), ("bad-iin", "iin_invalid"), ("wrong-birthdate", "birthdate_mismatch")],
)
def test_iin_problems_are_refused_and_create_no_user(
    fresh: TestClient[Litestar], database: Settings, sub: str, reason: str
) -> None:
    users = _users(database)
    response = sign_in(fresh, sub)
    _refused(fresh, response, reason)
    assert _users(database) == users
    assert fresh.get("/me", follow_redirects=False).status_code == 303


def test_callback_without_state_is_refused_and_leaves_no_session(fresh: TestClient[Litestar]) -> None:
    response = fresh.get("/auth/callback?code=whatever", follow_redirects=False)
    assert response.status_code == 400 and "state" in response.text
    assert "session" not in fresh.cookies


def test_callback_with_a_forged_state_is_refused(fresh: TestClient[Litestar]) -> None:
    start = fresh.get("/auth/login/start", follow_redirects=False)
    authorize = httpx.post(start.headers["location"], data={"sub": AIGERIM.sub}, follow_redirects=False)
    code = httpx.URL(authorize.headers["location"]).params["code"]
    response = fresh.get(f"/auth/callback?code={code}&state=forged", follow_redirects=False)
    assert response.status_code == 400
    assert fresh.get("/me", follow_redirects=False).status_code == 303


def test_state_of_another_browser_is_refused(app: Litestar) -> None:
    """Login CSRF: a callback URL harvested from one browser does not work in another (ASVS V10.1.2)."""
    with TestClient(app=app) as victim, TestClient(app=app) as attacker:
        start = attacker.get("/auth/login/start", follow_redirects=False)
        authorize = httpx.post(start.headers["location"], data={"sub": AIGERIM.sub}, follow_redirects=False)
        callback = httpx.URL(authorize.headers["location"])
        response = victim.get(f"{callback.path}?{callback.query.decode()}", follow_redirects=False)
        assert response.status_code == 400
        assert victim.get("/me", follow_redirects=False).status_code == 303


def test_replayed_state_and_replayed_code_are_refused(fresh: TestClient[Litestar]) -> None:
    start = fresh.get("/auth/login/start", follow_redirects=False)
    authorize = httpx.post(start.headers["location"], data={"sub": AIGERIM.sub}, follow_redirects=False)
    callback = httpx.URL(authorize.headers["location"])
    url = f"{callback.path}?{callback.query.decode()}"
    assert fresh.get(url, follow_redirects=False).status_code == 303
    fresh.post("/auth/logout", headers=csrf_headers(fresh))
    # The same callback again: its state was used once and is gone.
    assert fresh.get(url, follow_redirects=False).status_code == 400
    # A new state with the old code: the provider refuses the second exchange.
    second = fresh.get("/auth/login/start", follow_redirects=False)
    state = httpx.URL(second.headers["location"]).params["state"]
    replay = fresh.get(f"/auth/callback?code={callback.params['code']}&state={state}", follow_redirects=False)
    assert replay.status_code == 400 and "token_exchange" in replay.text
    assert fresh.get("/me", follow_redirects=False).status_code == 303


def test_cancelled_at_the_provider(fresh: TestClient[Litestar]) -> None:
    start = fresh.get("/auth/login/start", follow_redirects=False)
    state = httpx.URL(start.headers["location"]).params["state"]
    response = fresh.get(f"/auth/callback?error=access_denied&state={state}&lang=en", follow_redirects=False)
    assert response.status_code == 400 and "You cancelled the sign-in" in response.text


def test_sign_in_page_lists_demo_users_in_development(fresh: TestClient[Litestar]) -> None:
    html = fresh.get("/auth/login?lang=en").text
    assert (
        "candidate-aigerim" in html and "tenant" not in html.lower()
    ) or "Administrator of the region" in html
    assert 'hx-boost="false"' in html
