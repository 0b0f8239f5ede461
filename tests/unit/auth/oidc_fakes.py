"""A fake OpenID provider on `httpx2.MockTransport` for the OIDC client tests.

It serves discovery, JWKS, the token endpoint (which checks client authentication, the redirect
URI, single use of the code and the PKCE S256 verifier against the challenge it saw), userinfo
and an end-session endpoint. Tests bend it through plain attributes: `user_claims` (ID token and
userinfo), `id_token_patch` / `header_patch` / `userinfo_patch` (one side only; `DROP` removes a
key), `signing_key` / `alg`, `encode` (hand-crafted tokens), `discovery_patch`, `status` and `down`.
"""

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx2
from joserfc.jwk import Key
from joserfc.jws import JWSRegistry

ISSUER = "https://idp.example.kz"
CLIENT_ID = "portal"
CLIENT_SECRET = "s3cret-for-tests"  # noqa: S105 - a test fixture
REDIRECT_URI = "https://portal.example.kz/auth/callback"
SUB = "user-1"
START = 1_750_000_000.0
DROP: Any = object()

DISCOVERY_PATH = "/.well-known/openid-configuration"
JWKS_PATH = "/jwks"
TOKEN_PATH = "/oauth2/token"  # noqa: S105 - a path, not a secret
USERINFO_PATH = "/userinfo"


class Clock:
    """A settable clock shared by the client and the provider."""

    def __init__(self, at: float = START) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += seconds


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def s256(verifier: str) -> str:
    return b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def half_hash(value: str) -> str:
    """at_hash for the *256 algorithms (OIDC Core 3.1.3.6)."""
    return b64url(hashlib.sha256(value.encode("ascii")).digest()[:16])


def sign_compact(header: dict[str, Any], claims: dict[str, Any], key: Any, alg: str) -> str:
    """Sign by hand, so that tests can build tokens joserfc itself would refuse to make."""
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    signature = b"" if alg == "none" else JWSRegistry.algorithms[alg].sign(signing_input.encode(), key)
    return f"{signing_input}.{b64url(signature)}"


def _patched(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    merged = {**base, **patch}
    return {k: v for k, v in merged.items() if v is not DROP}


@dataclass
class _Grant:
    challenge: str
    method: str
    nonce: str
    redirect_uri: str
    used: bool = False


class FakeProvider:
    """An in-memory provider; `transport` plugs it into `OidcClient`."""

    def __init__(self, signing_key: Key, clock: Clock) -> None:
        self.clock = clock
        self.signing_key: Any = signing_key
        self.alg = "RS256"
        self.jwks_keys: list[Key] = [signing_key]
        self.user_claims: dict[str, Any] = {
            "iin": "900515301234",
            "given_name": "Айгерім",
            "family_name": "Сапарова",
            "middle_name": "Нұрланқызы",
            "birthdate": "1990-05-15",
            "email": "aigerim@example.kz",
            "email_verified": True,
        }
        self.id_token_patch: dict[str, Any] = {}
        self.header_patch: dict[str, Any] = {}
        self.userinfo_patch: dict[str, Any] = {}
        self.discovery_patch: dict[str, Any] = {}
        self.encode: Callable[[dict[str, Any], dict[str, Any]], str] | None = None
        self.status: dict[str, int] = {}
        self.down = False
        self.requests: list[httpx2.Request] = []
        self.grants: dict[str, _Grant] = {}
        self.access_tokens: set[str] = set()
        self.transport = httpx2.MockTransport(self.handle)

    # -- what a browser would do ----------------------------------------------------------

    def authorize(self, url: str) -> str:
        """The user signs in at the authorization endpoint; returns the code for the callback."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        assert query["response_type"] == "code"
        assert query["client_id"] == CLIENT_ID
        code = f"code-{len(self.grants)}"
        self.grants[code] = _Grant(
            challenge=query["code_challenge"],
            method=query["code_challenge_method"],
            nonce=query["nonce"],
            redirect_uri=query["redirect_uri"],
        )
        return code

    def count(self, path: str) -> int:
        return sum(1 for r in self.requests if r.url.path == path)

    # -- the endpoints --------------------------------------------------------------------

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        if self.down:
            raise httpx2.ConnectError("connection refused", request=request)
        path = request.url.path
        if path in self.status:
            return httpx2.Response(self.status[path], text="<html>oops</html>")
        routes: dict[str, Callable[[httpx2.Request], httpx2.Response]] = {
            DISCOVERY_PATH: self._discovery,
            JWKS_PATH: self._jwks,
            TOKEN_PATH: self._token,
            USERINFO_PATH: self._userinfo,
        }
        route = routes.get(path)
        return route(request) if route else httpx2.Response(404)

    def _discovery(self, _request: httpx2.Request) -> httpx2.Response:
        document = {
            "issuer": ISSUER,
            "authorization_endpoint": f"{ISSUER}/oauth2/authorize",
            "token_endpoint": f"{ISSUER}{TOKEN_PATH}",
            "jwks_uri": f"{ISSUER}{JWKS_PATH}",
            "userinfo_endpoint": f"{ISSUER}{USERINFO_PATH}",
            "end_session_endpoint": f"{ISSUER}/oauth2/end_session",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256", "PS256", "ES256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }
        return httpx2.Response(200, json=_patched(document, self.discovery_patch))

    def _jwks(self, _request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json={"keys": [k.as_dict(private=False) for k in self.jwks_keys]})

    def _token(self, request: httpx2.Request) -> httpx2.Response:
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        if not self._client_authenticated(request, form):
            return httpx2.Response(401, json={"error": "invalid_client"})
        grant = self.grants.get(form.get("code", ""))
        if form.get("grant_type") != "authorization_code" or grant is None or grant.used:
            return httpx2.Response(400, json={"error": "invalid_grant"})
        grant.used = True
        verifier = form.get("code_verifier", "")
        if grant.method != "S256" or s256(verifier) != grant.challenge:
            return httpx2.Response(400, json={"error": "invalid_grant", "error_description": "PKCE"})
        if form.get("redirect_uri") != grant.redirect_uri:
            return httpx2.Response(400, json={"error": "invalid_grant"})
        access_token = f"at-{len(self.access_tokens)}"
        self.access_tokens.add(access_token)
        body = {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": self.id_token(grant.nonce, access_token),
        }
        return httpx2.Response(200, json=body)

    def _client_authenticated(self, request: httpx2.Request, form: dict[str, str]) -> bool:
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("authorization") == expected:
            return True
        return form.get("client_id") == CLIENT_ID and form.get("client_secret") == CLIENT_SECRET

    def _userinfo(self, request: httpx2.Request) -> httpx2.Response:
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
        if bearer not in self.access_tokens:
            return httpx2.Response(401)
        return httpx2.Response(200, json=_patched({"sub": SUB, **self.user_claims}, self.userinfo_patch))

    # -- the ID token ---------------------------------------------------------------------

    def id_token(self, nonce: str, access_token: str) -> str:
        now = int(self.clock())
        registered = {
            "iss": ISSUER,
            "sub": SUB,
            "aud": CLIENT_ID,
            "exp": now + 300,
            "iat": now,
            "auth_time": now,
            "nonce": nonce,
            "at_hash": half_hash(access_token),
            "sid": "idp-session-1",
        }
        claims = _patched({**registered, **self.user_claims}, self.id_token_patch)
        header = _patched({"alg": self.alg, "kid": self.signing_key.kid, "typ": "JWT"}, self.header_patch)
        if self.encode is not None:
            return self.encode(header, claims)
        return sign_compact(header, claims, self.signing_key, self.alg)
