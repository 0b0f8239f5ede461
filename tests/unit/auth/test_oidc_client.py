"""The OIDC client (issue 4 item 1; security-notes B.6; ASVS V10).

Most tests run against the fake provider in `oidc_fakes` (httpx2.MockTransport); the last one does
the whole dance against the real local provider, oidc-provider-mock, without a browser.
"""

import hashlib
import hmac
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx2
import oidc_provider_mock
import pytest
from joserfc.jwk import ECKey, OctKey, RSAKey
from oidc_fakes import (
    CLIENT_ID,
    CLIENT_SECRET,
    DISCOVERY_PATH,
    DROP,
    ISSUER,
    JWKS_PATH,
    REDIRECT_URI,
    SUB,
    TOKEN_PATH,
    USERINFO_PATH,
    Clock,
    FakeProvider,
    b64url,
    half_hash,
    s256,
    sign_compact,
)

from portal.auth.oidc import (
    AuthorizationRequest,
    Identity,
    OidcClient,
    OidcError,
    OidcErrorCode,
    OidcSettings,
)

TODAY = date(2025, 2, 20)
IIN = "900515301234"


@dataclass(frozen=True)
class Keys:
    main: RSAKey
    rotated: RSAKey
    foreign: RSAKey  # same kid as `main`, different key
    ec: ECKey


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def keys() -> Keys:
    """RSA key generation is slow: once per module."""
    return Keys(
        main=RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"}),
        rotated=RSAKey.generate_key(2048, parameters={"kid": "k2", "use": "sig"}),
        foreign=RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"}),
        ec=ECKey.generate_key("P-256", parameters={"kid": "e1", "use": "sig"}),
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def provider(keys: Keys, clock: Clock) -> FakeProvider:
    return FakeProvider(keys.main, clock)


def make_settings(**overrides: Any) -> OidcSettings:
    values: dict[str, Any] = {
        "issuer": ISSUER,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uri": REDIRECT_URI,
        **overrides,
    }
    return OidcSettings(**values)


@pytest.fixture
async def client(provider: FakeProvider, clock: Clock) -> AsyncIterator[OidcClient]:
    oidc = OidcClient(make_settings(), transport=provider.transport, now=clock)
    yield oidc
    await oidc.aclose()


async def login(client: OidcClient, provider: FakeProvider, *, nonce: str | None = None) -> Identity:
    request = await client.authorization_request()
    code = provider.authorize(request.url)
    return await client.complete(
        code=code, nonce=nonce or request.nonce, code_verifier=request.code_verifier, today=TODAY
    )


async def refused(client: OidcClient, provider: FakeProvider, expected: OidcErrorCode) -> OidcError:
    with pytest.raises(OidcError) as caught:
        await login(client, provider)
    assert caught.value.code == expected, str(caught.value)
    assert IIN not in str(caught.value)  # log messages never carry a whole IIN
    return caught.value


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


# --- the happy path ----------------------------------------------------------------------------


@pytest.mark.anyio
async def test_authorization_url_carries_pkce_s256_state_and_nonce(client: OidcClient) -> None:
    request = await client.authorization_request(login_hint="900515301234")
    params = query(request.url)
    assert request.url.startswith(f"{ISSUER}/oauth2/authorize?")
    assert params["response_type"] == "code"
    assert params["client_id"] == CLIENT_ID
    assert params["redirect_uri"] == REDIRECT_URI
    assert params["scope"] == "openid profile"
    assert params["state"] == request.state
    assert params["nonce"] == request.nonce
    assert params["code_challenge_method"] == "S256"
    assert params["code_challenge"] == s256(request.code_verifier)
    assert params["login_hint"] == "900515301234"
    assert len(request.state) >= 43 and len(request.nonce) >= 43  # 256 random bits, base64url
    assert 43 <= len(request.code_verifier) <= 128  # RFC 7636 4.1
    other = await client.authorization_request()
    assert len({other.state, other.nonce, other.code_verifier, request.state, request.nonce}) == 5
    assert "login_hint" not in query(other.url)
    assert request.code_verifier not in repr(request)  # the one secret that never travels
    assert isinstance(request, AuthorizationRequest)


@pytest.mark.anyio
async def test_happy_path_gives_the_identity_with_a_masked_repr(
    client: OidcClient, provider: FakeProvider
) -> None:
    identity = await login(client, provider)
    assert identity.issuer == ISSUER
    assert identity.sub == SUB
    assert identity.iin == IIN
    assert (identity.given_name, identity.family_name, identity.patronymic) == (
        "Айгерім",
        "Сапарова",
        "Нұрланқызы",
    )
    assert identity.birth_date == date(1990, 5, 15)
    assert identity.email == "aigerim@example.kz"
    assert identity.sid == "idp-session-1"
    assert identity.id_token.count(".") == 2
    assert "9005******34" in repr(identity)
    assert IIN not in repr(identity) and IIN not in str(identity)
    assert identity.id_token not in repr(identity)
    # every mapped claim was in the ID token: no userinfo call
    assert provider.count(USERINFO_PATH) == 0
    token_request = next(r for r in provider.requests if r.url.path == TOKEN_PATH)
    assert token_request.headers["authorization"].startswith("Basic ")
    assert "client_secret" not in token_request.content.decode()


@pytest.mark.anyio
async def test_discovery_is_fetched_once_and_refetched_after_a_failure(
    client: OidcClient, provider: FakeProvider
) -> None:
    provider.status[DISCOVERY_PATH] = 503
    with pytest.raises(OidcError) as caught:
        await client.authorization_request()
    assert caught.value.code == OidcErrorCode.PROVIDER_UNAVAILABLE
    del provider.status[DISCOVERY_PATH]
    await login(client, provider)
    await login(client, provider)
    assert provider.count(DISCOVERY_PATH) == 2  # the failed one, then one for good
    assert provider.count(JWKS_PATH) == 1


@pytest.mark.anyio
async def test_claims_missing_from_the_id_token_come_from_userinfo(
    client: OidcClient, provider: FakeProvider
) -> None:
    provider.id_token_patch = {"given_name": DROP, "iin": DROP, "birthdate": DROP}
    identity = await login(client, provider)
    assert identity.given_name == "Айгерім"
    assert identity.iin == IIN
    assert identity.birth_date == date(1990, 5, 15)
    assert provider.count(USERINFO_PATH) == 1


@pytest.mark.anyio
async def test_userinfo_for_another_sub_is_refused(client: OidcClient, provider: FakeProvider) -> None:
    provider.id_token_patch = {"iin": DROP}
    provider.userinfo_patch = {"sub": "somebody-else"}
    await refused(client, provider, OidcErrorCode.CLAIMS)


@pytest.mark.anyio
async def test_birth_date_comes_from_the_iin_when_the_claim_is_absent(
    client: OidcClient, provider: FakeProvider
) -> None:
    provider.user_claims.update(iin="061211600012", birthdate=DROP, middle_name=DROP, email_verified=False)
    identity = await login(client, provider)
    assert identity.birth_date == date(2006, 12, 11)
    assert identity.patronymic == ""
    assert identity.email is None  # an unverified address is not passed on


@pytest.mark.anyio
async def test_configured_claim_names_are_used(provider: FakeProvider, clock: Clock) -> None:
    provider.user_claims = {
        "urn:egov:iin": "850808310738",
        "first": "Ерлан",
        "last": "Жақсыбеков",
        "father": "Серікұлы",
        "dob": "1985-08-08",
    }
    settings = make_settings(
        claim_iin="urn:egov:iin",
        claim_given_name="first",
        claim_family_name="last",
        claim_patronymic="father",
        claim_birthdate="dob",
    )
    oidc = OidcClient(settings, transport=provider.transport, now=clock)
    identity = await login(oidc, provider)
    await oidc.aclose()
    assert (identity.iin, identity.given_name, identity.patronymic) == ("850808310738", "Ерлан", "Серікұлы")
    assert identity.birth_date == date(1985, 8, 8)


@pytest.mark.anyio
async def test_several_audiences_are_accepted_with_azp_equal_to_the_client(
    client: OidcClient, provider: FakeProvider
) -> None:
    provider.id_token_patch = {"aud": [CLIENT_ID, "another-service"], "azp": CLIENT_ID}
    assert (await login(client, provider)).sub == SUB


@pytest.mark.anyio
async def test_clock_skew_within_the_leeway_is_accepted(client: OidcClient, provider: FakeProvider) -> None:
    now = int(provider.clock())
    provider.id_token_patch = {"exp": now - 30, "iat": now + 30, "nbf": now + 30}
    assert (await login(client, provider)).sub == SUB


@pytest.mark.anyio
async def test_es256_is_accepted(client: OidcClient, provider: FakeProvider, keys: Keys) -> None:
    provider.jwks_keys = [keys.main, keys.ec]
    provider.signing_key, provider.alg = keys.ec, "ES256"
    assert (await login(client, provider)).sub == SUB


@pytest.mark.anyio
async def test_client_secret_post_when_it_is_the_only_method_listed(
    provider: FakeProvider, clock: Clock
) -> None:
    provider.discovery_patch = {"token_endpoint_auth_methods_supported": ["client_secret_post"]}
    oidc = OidcClient(make_settings(), transport=provider.transport, now=clock)
    await login(oidc, provider)
    await oidc.aclose()
    token_request = next(r for r in provider.requests if r.url.path == TOKEN_PATH)
    assert "authorization" not in token_request.headers
    assert f"client_secret={CLIENT_SECRET}" in token_request.content.decode()


@pytest.mark.anyio
async def test_end_session_url(client: OidcClient, provider: FakeProvider) -> None:
    url = await client.end_session_url(
        id_token_hint="the.id.token",  # noqa: S106 - an opaque test value
        post_logout_redirect_uri="https://portal.example.kz/bye",
        state="s1",
    )
    assert url is not None and url.startswith(f"{ISSUER}/oauth2/end_session?")
    assert query(url) == {
        "id_token_hint": "the.id.token",
        "post_logout_redirect_uri": "https://portal.example.kz/bye",
        "client_id": CLIENT_ID,
        "state": "s1",
    }


@pytest.mark.anyio
async def test_end_session_url_is_none_without_the_endpoint(provider: FakeProvider, clock: Clock) -> None:
    provider.discovery_patch = {"end_session_endpoint": DROP}
    oidc = OidcClient(make_settings(), transport=provider.transport, now=clock)
    url = await oidc.end_session_url(id_token_hint="t", post_logout_redirect_uri="https://p/bye")  # noqa: S106
    assert url is None
    await oidc.aclose()


# --- key rotation ------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_a_rotated_key_is_accepted_after_one_refetch(
    client: OidcClient, provider: FakeProvider, keys: Keys
) -> None:
    await login(client, provider)
    assert provider.count(JWKS_PATH) == 1
    provider.jwks_keys = [keys.rotated]
    provider.signing_key = keys.rotated
    assert (await login(client, provider)).sub == SUB
    assert provider.count(JWKS_PATH) == 2
    await login(client, provider)
    assert provider.count(JWKS_PATH) == 2  # the new set is cached


@pytest.mark.anyio
async def test_an_unknown_kid_refetches_at_most_once_per_interval(
    client: OidcClient, provider: FakeProvider, keys: Keys, clock: Clock
) -> None:
    provider.signing_key = keys.rotated  # kid k2, never published
    await refused(client, provider, OidcErrorCode.SIGNATURE)
    assert provider.count(JWKS_PATH) == 2  # the first fetch, then one refetch for the unknown kid
    clock.advance(30)
    await refused(client, provider, OidcErrorCode.SIGNATURE)
    assert provider.count(JWKS_PATH) == 2  # rate limited
    clock.advance(31)
    await refused(client, provider, OidcErrorCode.SIGNATURE)
    assert provider.count(JWKS_PATH) == 3  # the interval has passed


# --- rejections, each with its code ------------------------------------------------------------


def _alg_none(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return sign_compact({**header, "alg": "none"}, claims, None, "none")


def _hs256_with_client_secret(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return sign_compact({**header, "alg": "HS256"}, claims, OctKey.import_key(CLIENT_SECRET), "HS256")


def _hs256_with_public_key(keys: Keys) -> Any:
    """The RS/HS confusion: the provider's public PEM used as an HMAC secret (joserfc will not
    even import such a key, so the MAC is computed by hand)."""
    public_pem = keys.main.as_pem(private=False)

    def encode(header: dict[str, Any], claims: dict[str, Any]) -> str:
        unsigned = sign_compact({**header, "alg": "HS256"}, claims, None, "none")[:-1]
        mac = hmac.new(public_pem, unsigned.encode(), hashlib.sha256).digest()
        return unsigned + "." + b64url(mac)

    return encode


def _ps256_not_advertised(provider: FakeProvider, _: Keys) -> None:
    provider.discovery_patch["id_token_signing_alg_values_supported"] = ["RS256"]
    provider.alg = "PS256"


def _embedded_jwk(provider: FakeProvider, keys: Keys) -> None:
    """The attacker signs with its own key and offers that key in the header (CVE-2026-27962)."""
    provider.signing_key = keys.foreign
    provider.header_patch["jwk"] = keys.foreign.as_dict(private=False)


REJECTIONS: list[tuple[str, Any, OidcErrorCode]] = [
    ("wrong issuer", lambda p, _: p.id_token_patch.update(iss="https://evil.example"), OidcErrorCode.ISSUER),
    ("issuer with slash", lambda p, _: p.id_token_patch.update(iss=ISSUER + "/"), OidcErrorCode.ISSUER),
    ("wrong audience", lambda p, _: p.id_token_patch.update(aud="another-client"), OidcErrorCode.AUDIENCE),
    (
        "several audiences, no azp",
        lambda p, _: p.id_token_patch.update(aud=[CLIENT_ID, "other"]),
        OidcErrorCode.AUDIENCE,
    ),
    (
        "several audiences, foreign azp",
        lambda p, _: p.id_token_patch.update(aud=[CLIENT_ID, "other"], azp="other"),
        OidcErrorCode.AUDIENCE,
    ),
    (
        "expired",
        lambda p, _: p.id_token_patch.update(exp=int(p.clock()) - 61),
        OidcErrorCode.EXPIRED,
    ),
    (
        "iat in the future",
        lambda p, _: p.id_token_patch.update(iat=int(p.clock()) + 120),
        OidcErrorCode.EXPIRED,
    ),
    (
        "nbf in the future",
        lambda p, _: p.id_token_patch.update(nbf=int(p.clock()) + 120),
        OidcErrorCode.EXPIRED,
    ),
    ("nonce missing", lambda p, _: p.id_token_patch.update(nonce=DROP), OidcErrorCode.NONCE),
    ("alg none", lambda p, _: setattr(p, "encode", _alg_none), OidcErrorCode.ALGORITHM),
    (
        "HS256 signed with the client secret",
        lambda p, _: setattr(p, "encode", _hs256_with_client_secret),
        OidcErrorCode.ALGORITHM,
    ),
    (
        "HS256 signed with the public key",
        lambda p, k: setattr(p, "encode", _hs256_with_public_key(k)),
        OidcErrorCode.ALGORITHM,
    ),
    (
        "PS256 when discovery lists only RS256",
        _ps256_not_advertised,
        OidcErrorCode.ALGORITHM,
    ),
    ("foreign key, same kid", lambda p, k: setattr(p, "signing_key", k.foreign), OidcErrorCode.SIGNATURE),
    (
        "embedded jwk",
        _embedded_jwk,
        OidcErrorCode.SIGNATURE,
    ),
    ("jku header", lambda p, _: p.header_patch.update(jku=f"{ISSUER}/evil-jwks"), OidcErrorCode.SIGNATURE),
    (
        "unknown crit",
        lambda p, _: p.header_patch.update({"crit": ["urn:example:x"], "urn:example:x": True}),
        OidcErrorCode.SIGNATURE,
    ),
    (
        "at_hash mismatch",
        lambda p, _: p.id_token_patch.update(at_hash=half_hash("other")),
        OidcErrorCode.AT_HASH,
    ),
    ("at_hash empty", lambda p, _: p.id_token_patch.update(at_hash=""), OidcErrorCode.AT_HASH),
    ("IIN missing", lambda p, _: p.user_claims.update(iin=DROP), OidcErrorCode.IIN_MISSING),
    ("IIN bad checksum", lambda p, _: p.user_claims.update(iin="900515301235"), OidcErrorCode.IIN_INVALID),
    ("IIN as a number", lambda p, _: p.user_claims.update(iin=900515301234), OidcErrorCode.IIN_INVALID),
    (
        "birth date disagrees with the IIN",
        lambda p, _: p.user_claims.update(birthdate="1990-05-16"),
        OidcErrorCode.BIRTHDATE_MISMATCH,
    ),
    ("birth date malformed", lambda p, _: p.user_claims.update(birthdate="15.05.1990"), OidcErrorCode.CLAIMS),
    ("given name missing", lambda p, _: p.user_claims.update(given_name=DROP), OidcErrorCode.CLAIMS),
    (
        "discovery issuer differs",
        lambda p, _: p.discovery_patch.update(issuer="https://idp.example.kz/other"),
        OidcErrorCode.DISCOVERY,
    ),
    (
        "discovery downgrades the JWKS to http",
        lambda p, _: p.discovery_patch.update(jwks_uri="http://idp.example.kz/jwks"),
        OidcErrorCode.DISCOVERY,
    ),
    ("provider down", lambda p, _: setattr(p, "down", True), OidcErrorCode.PROVIDER_UNAVAILABLE),
    (
        "token endpoint 500",
        lambda p, _: p.status.update({TOKEN_PATH: 500}),
        OidcErrorCode.PROVIDER_UNAVAILABLE,
    ),
    ("JWKS 503", lambda p, _: p.status.update({JWKS_PATH: 503}), OidcErrorCode.PROVIDER_UNAVAILABLE),
]


@pytest.mark.anyio
@pytest.mark.parametrize(("bend", "expected"), [r[1:] for r in REJECTIONS], ids=[r[0] for r in REJECTIONS])
async def test_rejections(
    client: OidcClient, provider: FakeProvider, keys: Keys, bend: Any, expected: OidcErrorCode
) -> None:
    """Discovery-level failures surface at the authorization request, the rest at `complete`."""
    bend(provider, keys)
    await refused(client, provider, expected)


@pytest.mark.anyio
async def test_wrong_nonce_is_refused(client: OidcClient, provider: FakeProvider) -> None:
    with pytest.raises(OidcError) as caught:
        await login(client, provider, nonce="the-nonce-of-another-session")
    assert caught.value.code == OidcErrorCode.NONCE


@pytest.mark.anyio
async def test_a_replayed_code_is_refused_by_the_token_endpoint(
    client: OidcClient, provider: FakeProvider
) -> None:
    request = await client.authorization_request()
    code = provider.authorize(request.url)
    await client.complete(code=code, nonce=request.nonce, code_verifier=request.code_verifier, today=TODAY)
    with pytest.raises(OidcError) as caught:
        await client.complete(
            code=code, nonce=request.nonce, code_verifier=request.code_verifier, today=TODAY
        )
    assert caught.value.code == OidcErrorCode.TOKEN_EXCHANGE
    assert "invalid_grant" in str(caught.value)


@pytest.mark.anyio
async def test_a_wrong_code_verifier_is_refused(client: OidcClient, provider: FakeProvider) -> None:
    request = await client.authorization_request()
    code = provider.authorize(request.url)
    other = await client.authorization_request()
    with pytest.raises(OidcError) as caught:
        await client.complete(code=code, nonce=request.nonce, code_verifier=other.code_verifier, today=TODAY)
    assert caught.value.code == OidcErrorCode.TOKEN_EXCHANGE


@pytest.mark.anyio
async def test_a_garbled_token_is_refused(client: OidcClient, provider: FakeProvider) -> None:
    provider.encode = lambda _header, _claims: "not-a-jwt"
    await refused(client, provider, OidcErrorCode.SIGNATURE)


@pytest.mark.parametrize(
    "overrides",
    [
        {"algorithms": ("RS256", "none")},
        {"algorithms": ("HS256",)},
        {"algorithms": ()},
        {"scopes": ("profile",)},
        {"leeway_seconds": -1},
    ],
)
def test_unsafe_settings_are_refused(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"."):
        make_settings(**overrides)


# --- against the real local provider -----------------------------------------------------------


@pytest.mark.anyio
async def test_full_dance_against_oidc_provider_mock() -> None:
    user = oidc_provider_mock.User(
        sub="demo",
        claims={"iin": IIN, "given_name": "Айгерім", "family_name": "Сапарова", "birthdate": "1990-05-15"},
    )
    with oidc_provider_mock.run_server_in_thread(require_nonce=True, user_claims=[user]) as server:
        issuer = f"http://localhost:{server.server_port}"
        settings = OidcSettings(
            issuer=issuer,
            client_id="portal-dev",
            client_secret="portal-dev-secret",  # noqa: S106 - the mock accepts any secret
            redirect_uri="http://localhost:8000/auth/callback",
        )
        oidc = OidcClient(settings)
        try:
            request = await oidc.authorization_request()
            async with httpx2.AsyncClient() as browser:
                answer = await browser.post(request.url, data={"sub": "demo"}, follow_redirects=False)
            assert answer.is_redirect
            callback = query(answer.headers["location"])
            assert callback["state"] == request.state
            identity = await oidc.complete(
                code=callback["code"], nonce=request.nonce, code_verifier=request.code_verifier, today=TODAY
            )
            logout = await oidc.end_session_url(
                id_token_hint=identity.id_token, post_logout_redirect_uri="http://localhost:8000/bye"
            )
        finally:
            await oidc.aclose()
    assert (identity.issuer, identity.sub, identity.iin) == (issuer, "demo", IIN)
    assert (identity.given_name, identity.family_name, identity.patronymic) == ("Айгерім", "Сапарова", "")
    assert identity.birth_date == date(1990, 5, 15)
    assert logout is not None and logout.startswith(f"{issuer}/oauth2/end_session?")


@pytest.mark.anyio
async def test_a_withdrawn_key_stops_working_once_the_jwks_is_older_than_its_max_age(
    keys: Keys, clock: Clock
) -> None:
    provider = FakeProvider(keys.main, clock)
    oidc = OidcClient(make_settings(jwks_max_age_seconds=600), transport=provider.transport, now=clock)
    try:
        await login(oidc, provider)
        provider.jwks_keys = [keys.rotated]  # the provider withdraws k1
        await login(oidc, provider)  # still cached: accepted within the max age
        clock.advance(601)
        await refused(oidc, provider, OidcErrorCode.SIGNATURE)
    finally:
        await oidc.aclose()
