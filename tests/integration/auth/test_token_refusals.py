"""Forged or broken ID tokens are refused at the callback with a clear page, leaving no user and no
session (issue 4, "Done when"). The provider is the unit tests' fake, plugged into the running app.
"""

import asyncio
import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from joserfc.jwk import RSAKey
from litestar import Litestar
from litestar.testing import TestClient

from portal.auth.models import User
from portal.auth.oidc import OidcClient, OidcSettings
from portal.core.db import session_scope
from portal.core.settings import Settings
from tests.unit.auth.oidc_fakes import CLIENT_ID, CLIENT_SECRET, ISSUER, START, Clock, FakeProvider


@dataclass(frozen=True)
class Forged:
    reason: str
    bend: Callable[[FakeProvider, RSAKey], None]


def _none_alg(header: dict[str, object], claims: dict[str, object]) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({**header, 'alg': 'none'})}.{part(claims)}."


CASES = [
    Forged("nonce", lambda p, _: p.id_token_patch.update(nonce="someone-elses-nonce")),
    Forged("issuer", lambda p, _: p.id_token_patch.update(iss="https://evil.example")),
    Forged("audience", lambda p, _: p.id_token_patch.update(aud="another-client")),
    Forged("expired", lambda p, _: p.id_token_patch.update(exp=int(START) - 3600, iat=int(START) - 7200)),
    Forged("algorithm", lambda p, _: setattr(p, "encode", _none_alg)),
    Forged("signature", lambda p, foreign: setattr(p, "signing_key", foreign)),
]


@pytest.fixture(scope="module")
def keys() -> tuple[RSAKey, RSAKey]:
    main = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"})
    foreign = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"})
    return main, foreign


def _users(settings: Settings) -> int:
    async def count() -> int:
        async with session_scope(settings) as session:
            return int((await session.execute(sa.select(sa.func.count()).select_from(User))).scalar_one())

    return asyncio.run(count())


@pytest.fixture
def fake(app: Litestar, keys: tuple[RSAKey, RSAKey]) -> Iterator[tuple[TestClient[Litestar], FakeProvider]]:
    clock = Clock()
    provider = FakeProvider(keys[0], clock)
    settings = OidcSettings(
        issuer=ISSUER,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uri="http://127.0.0.1/auth/callback",
    )
    with TestClient(app=app, base_url="http://127.0.0.1") as client:
        real = app.state.oidc
        app.state.oidc = OidcClient(settings, transport=provider.transport, now=clock)
        try:
            yield client, provider
        finally:
            app.state.oidc = real


def _callback(client: TestClient[Litestar], provider: FakeProvider) -> tuple[int, str]:
    start = client.get("/auth/login/start", follow_redirects=False)
    location = start.headers["location"]
    code = provider.authorize(location)
    state = dict(pair.split("=", 1) for pair in location.split("?", 1)[1].split("&"))["state"]
    response = client.get(f"/auth/callback?code={code}&state={state}&lang=en", follow_redirects=False)
    return response.status_code, response.text


def test_the_fake_provider_signs_in_when_nothing_is_bent(
    fake: tuple[TestClient[Litestar], FakeProvider],
) -> None:
    client, provider = fake
    status, _ = _callback(client, provider)
    assert status == 303
    assert client.get("/me").status_code == 200


@pytest.mark.parametrize("case", CASES, ids=[c.reason for c in CASES])
def test_forged_tokens_are_refused_without_user_or_session(
    fake: tuple[TestClient[Litestar], FakeProvider],
    keys: tuple[RSAKey, RSAKey],
    database: Settings,
    case: Forged,
) -> None:
    client, provider = fake
    provider.user_claims["iin"] = "061211600012"  # a person not yet known to the portal
    provider.user_claims["birthdate"] = "2006-12-11"
    case.bend(provider, keys[1])
    users = _users(database)
    status, page = _callback(client, provider)
    assert status == 400
    assert "You have not been signed in" in page
    assert f"Reason code: {case.reason}" in page
    assert _users(database) == users
    assert "session" not in client.cookies
    assert client.get("/me", follow_redirects=False).status_code == 303
