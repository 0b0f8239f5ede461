"""OpenID Connect client for the state identity provider (issue 4, item 1; stack-notes 3).

Framework-free: no Litestar, no database. The web layer stores the `AuthorizationRequest` in the
server-side session bound to the browser (ASVS V10.1.2), pops it once at the callback, compares
`state` itself, and hands `code`, `nonce` and `code_verifier` to `OidcClient.complete`, which
returns a verified `Identity` or raises `OidcError` whose `code` picks the translated page.

Discovery, JWKS and userinfo go through one long-lived `httpx2.AsyncClient`; the authorization
URL and the token exchange through Authlib's `AsyncOAuth2Client` (PKCE S256). ID-token checks
live in `portal.auth.oidc_tokens`. Claim names are configuration because eGov-style providers
name the IIN and the names differently; the IIN is validated with `portal.rules.iin`.
"""

import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx2
from authlib.integrations.base_client import OAuthError  # type: ignore[import-untyped]
from authlib.integrations.httpx_client import AsyncOAuth2Client  # type: ignore[import-untyped]
from joserfc.errors import InvalidKeyIdError
from joserfc.jwk import KeySet

from portal.auth.oidc_tokens import (
    OidcError,
    OidcErrorCode,
    allowed_algorithms,
    check_header,
    import_jwks,
    is_forbidden_algorithm,
    read_header,
    validate_claims,
    verify_signature,
)
from portal.rules.iin import Iin, InvalidIin, mask_iin, parse_iin

__all__ = [
    "AuthorizationRequest",
    "Identity",
    "OidcClient",
    "OidcError",
    "OidcErrorCode",
    "OidcSettings",
]

_DISCOVERY_PATH = "/.well-known/openid-configuration"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_UNAVAILABLE_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class OidcSettings:
    """How to reach and trust one provider (the `PORTAL_OIDC_*` settings)."""

    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    scopes: tuple[str, ...] = ("openid", "profile")
    claim_iin: str = "iin"
    claim_given_name: str = "given_name"
    claim_family_name: str = "family_name"
    claim_patronymic: str = "middle_name"
    claim_birthdate: str = "birthdate"
    algorithms: tuple[str, ...] = ("RS256", "PS256", "ES256")
    leeway_seconds: int = 60
    jwks_refetch_interval_seconds: int = 60
    #: The JWKS is fetched again after this age even without an unknown kid (withdrawn keys).
    jwks_max_age_seconds: int = 3600
    timeout_seconds: float = 10.0

    def __post_init__(self) -> None:
        """Refuse a configuration that could never be safe, at start-up rather than at login."""
        if not self.issuer or not self.client_id or not self.redirect_uri:
            raise ValueError("issuer, client_id and redirect_uri are required")
        if "openid" not in self.scopes:
            raise ValueError("the scopes must include 'openid'")
        if not self.algorithms or any(is_forbidden_algorithm(a) for a in self.algorithms):
            raise ValueError("algorithms must be a non-empty allowlist without 'none' and HS*")
        if self.leeway_seconds < 0 or self.jwks_refetch_interval_seconds < 0 or self.timeout_seconds <= 0:
            raise ValueError("leeway, refetch interval and timeout must be positive")

    @property
    def mapped_claims(self) -> tuple[str, ...]:
        """The configured claim names, in the order the identity needs them."""
        return (
            self.claim_iin,
            self.claim_given_name,
            self.claim_family_name,
            self.claim_patronymic,
            self.claim_birthdate,
        )


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """What the caller keeps server-side, bound to the browser session, before redirecting.

    `state` is compared by the caller at the callback and used once; `nonce` and
    `code_verifier` go back into `OidcClient.complete`. None of them may reach the browser
    other than through `url`.
    """

    url: str
    state: str = field(repr=False)
    nonce: str = field(repr=False)
    code_verifier: str = field(repr=False)


@dataclass(frozen=True, slots=True, repr=False)
class Identity:
    """What the provider vouched for, after every check. Key accounts on (issuer, sub) (V10.5.2)."""

    issuer: str
    sub: str
    iin: str
    given_name: str
    family_name: str
    patronymic: str
    birth_date: date
    email: str | None
    sid: str | None
    id_token: str

    def __repr__(self) -> str:
        """Masked IIN and no token, so that an Identity in a log line leaks neither (rules.md 5.11)."""
        return (
            f"Identity(issuer={self.issuer!r}, sub={self.sub!r}, iin={mask_iin(self.iin)!r}, "
            f"given_name={self.given_name!r}, family_name={self.family_name!r}, "
            f"patronymic={self.patronymic!r}, birth_date={self.birth_date!r}, email={self.email!r}, "
            f"sid={self.sid!r}, id_token='<redacted>')"
        )


@dataclass(frozen=True, slots=True)
class _Provider:
    """The parts of the discovery document we use, checked once."""

    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None
    end_session_endpoint: str | None
    algorithms: tuple[str, ...]
    token_auth_method: str


class OidcClient:
    """One provider, one client registration; create once per application (lifespan)."""

    def __init__(
        self,
        settings: OidcSettings,
        *,
        transport: httpx2.AsyncBaseTransport | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._settings = settings
        self._now = now
        timeout = httpx2.Timeout(settings.timeout_seconds)
        self._http = httpx2.AsyncClient(transport=transport, timeout=timeout, follow_redirects=False)
        self._oauth: Any = AsyncOAuth2Client(
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            scope=" ".join(settings.scopes),
            redirect_uri=settings.redirect_uri,
            code_challenge_method="S256",
            transport=transport,
            timeout=timeout,
            follow_redirects=False,
        )
        self._provider: _Provider | None = None
        self._keys: KeySet | None = None
        self._keys_fetched_at = 0.0
        self._last_kid_refetch: float | None = None

    async def aclose(self) -> None:
        """Close both HTTP clients (application shutdown)."""
        await self._oauth.aclose()
        await self._http.aclose()

    async def authorization_request(self, *, login_hint: str | None = None) -> AuthorizationRequest:
        """Start the code flow with PKCE S256, a fresh state and nonce (ASVS V10.2.1, V10.5.1).

        256 random bits each for state and nonce (V7.2.3 asks for at least 128); the verifier is
        64 characters from the RFC 7636 unreserved set.
        """
        provider = await self._discover()
        state, nonce, verifier = (
            secrets.token_urlsafe(32),
            secrets.token_urlsafe(32),
            secrets.token_urlsafe(48),
        )
        extra = {"login_hint": login_hint} if login_hint else {}
        url, _ = self._oauth.create_authorization_url(
            provider.authorization_endpoint, state=state, code_verifier=verifier, nonce=nonce, **extra
        )
        return AuthorizationRequest(url=str(url), state=state, nonce=nonce, code_verifier=verifier)

    async def complete(self, *, code: str, nonce: str, code_verifier: str, today: date) -> Identity:
        """Exchange the code, verify the ID token, map and check the claims (B.6, V10.5)."""
        provider = await self._discover()
        token = await self._exchange(provider, code, code_verifier)
        id_token, access_token = _token_strings(token)
        claims = await self._verify_id_token(provider, id_token, nonce, access_token)
        claims = await self._with_userinfo(provider, claims, access_token)
        return self._identity(claims, id_token, today)

    async def end_session_url(
        self, *, id_token_hint: str, post_logout_redirect_uri: str, state: str | None = None
    ) -> str | None:
        """RP-initiated logout URL (OIDC RP-Initiated Logout 1.0), or None when not offered."""
        provider = await self._discover()
        if provider.end_session_endpoint is None:
            return None
        params = {
            "id_token_hint": id_token_hint,
            "post_logout_redirect_uri": post_logout_redirect_uri,
            "client_id": self._settings.client_id,
        }
        if state is not None:
            params["state"] = state
        return _add_query(provider.end_session_endpoint, params)

    # -- discovery and keys ---------------------------------------------------------------

    async def _discover(self) -> _Provider:
        """Fetch the discovery document once; a failure is not cached, so the next call retries."""
        if self._provider is None:
            url = self._settings.issuer.rstrip("/") + _DISCOVERY_PATH
            document = await self._get_json(url, what="discovery", code=OidcErrorCode.DISCOVERY)
            self._provider = self._parse_discovery(document)
        return self._provider

    def _parse_discovery(self, document: dict[str, Any]) -> _Provider:
        """The document's issuer must equal ours exactly (mix-up and spoofing, ASVS V10.5.3)."""
        if document.get("issuer") != self._settings.issuer:
            found = repr(document.get("issuer"))[:120]
            raise OidcError(OidcErrorCode.DISCOVERY, f"discovery issuer {found} differs")
        secure = self._settings.issuer.startswith("https://")
        endpoints = {
            name: _endpoint(document, name, required=name in _REQUIRED_ENDPOINTS, https=secure)
            for name in (*_REQUIRED_ENDPOINTS, "userinfo_endpoint", "end_session_endpoint")
        }
        algorithms = allowed_algorithms(
            self._settings.algorithms, document.get("id_token_signing_alg_values_supported")
        )
        if not algorithms:
            raise OidcError(OidcErrorCode.DISCOVERY, "no signing algorithm in common with the allowlist")
        return _Provider(
            authorization_endpoint=str(endpoints["authorization_endpoint"]),
            token_endpoint=str(endpoints["token_endpoint"]),
            jwks_uri=str(endpoints["jwks_uri"]),
            userinfo_endpoint=endpoints["userinfo_endpoint"],
            end_session_endpoint=endpoints["end_session_endpoint"],
            algorithms=algorithms,
            token_auth_method=_token_auth_method(document.get("token_endpoint_auth_methods_supported")),
        )

    async def _fetch_keys(self, provider: _Provider) -> KeySet:
        document = await self._get_json(provider.jwks_uri, what="JWKS", code=OidcErrorCode.DISCOVERY)
        self._keys, self._keys_fetched_at = import_jwks(document), self._now()
        return self._keys

    def _cached_keys(self) -> KeySet | None:
        """The cached JWKS while young enough: a key the provider withdraws stops working within the age."""
        if self._keys is None or self._now() - self._keys_fetched_at > self._settings.jwks_max_age_seconds:
            return None
        return self._keys

    async def _refetch_keys_for_unknown_kid(self, provider: _Provider) -> KeySet | None:
        """Key rotation: refetch the JWKS, but at most once per interval.

        Without the limit, tokens with random `kid`s would turn us into a load generator
        against the provider's JWKS endpoint.
        """
        now = self._now()
        last = self._last_kid_refetch
        if last is not None and now - last < self._settings.jwks_refetch_interval_seconds:
            return None
        self._last_kid_refetch = now
        return await self._fetch_keys(provider)

    # -- token exchange and ID token ------------------------------------------------------

    async def _exchange(self, provider: _Provider, code: str, code_verifier: str) -> dict[str, Any]:
        """Redeem the code with the PKCE verifier; a replayed code is TOKEN_EXCHANGE (B.6)."""
        try:
            token = await self._oauth.fetch_token(
                provider.token_endpoint,
                grant_type="authorization_code",
                code=code,
                code_verifier=code_verifier,
                redirect_uri=self._settings.redirect_uri,
                auth=self._oauth.client_auth(provider.token_auth_method),
            )
        except httpx2.HTTPStatusError as error:
            raise _status_error("token endpoint", error.response.status_code) from error
        except httpx2.HTTPError as error:
            raise _unavailable("token endpoint", error) from error
        except OAuthError as error:
            raise OidcError(OidcErrorCode.TOKEN_EXCHANGE, f"token endpoint: {error.error}") from error
        except ValueError as error:
            raise OidcError(OidcErrorCode.TOKEN_EXCHANGE, "token endpoint answered no JSON object") from error
        finally:
            self._oauth.token = None  # the shared Authlib client must not keep anyone's tokens
        return dict(token)

    async def _verify_id_token(
        self, provider: _Provider, id_token: str, nonce: str, access_token: str | None
    ) -> dict[str, Any]:
        """Header first, then signature (JWKS, one rate-limited refetch), then claims."""
        alg = check_header(read_header(id_token), provider.algorithms)
        keys = self._cached_keys() or await self._fetch_keys(provider)
        try:
            token = verify_signature(id_token, keys, alg)
        except InvalidKeyIdError:
            fresh = await self._refetch_keys_for_unknown_kid(provider)
            if fresh is None:
                raise OidcError(OidcErrorCode.SIGNATURE, "unknown kid; JWKS refetch rate limited") from None
            try:
                token = verify_signature(id_token, fresh, alg)
            except InvalidKeyIdError:
                raise OidcError(OidcErrorCode.SIGNATURE, "unknown kid after a JWKS refetch") from None
        return validate_claims(
            token,
            issuer=self._settings.issuer,
            client_id=self._settings.client_id,
            nonce=nonce,
            access_token=access_token,
            now=int(self._now()),
            leeway=self._settings.leeway_seconds,
        )

    # -- claims ---------------------------------------------------------------------------

    async def _with_userinfo(
        self, provider: _Provider, claims: dict[str, Any], access_token: str | None
    ) -> dict[str, Any]:
        """Fill claims the ID token lacks from /userinfo, only when needed and only for the same sub.

        OIDC Core 5.3.2: the userinfo `sub` MUST be checked against the ID token's, or a
        substituted response could graft someone else's IIN onto this login.
        """
        missing = [name for name in self._settings.mapped_claims if _blank(claims.get(name))]
        if not missing or provider.userinfo_endpoint is None or not access_token:
            return claims
        headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
        info = await self._get_json(
            provider.userinfo_endpoint, what="userinfo", code=OidcErrorCode.CLAIMS, headers=headers
        )
        if info.get("sub") != claims["sub"]:
            raise OidcError(OidcErrorCode.CLAIMS, "userinfo sub differs from the ID token's")
        merged = dict(claims)
        for name in (*missing, "email", "email_verified"):
            if _blank(merged.get(name)) and not _blank(info.get(name)):
                merged[name] = info[name]
        return merged

    def _identity(self, claims: dict[str, Any], id_token: str, today: date) -> Identity:
        """The IIN decides: present, valid, and agreeing with the birth date claim (rules.md 5.2)."""
        settings = self._settings
        iin = _iin(claims.get(settings.claim_iin), today)
        birth_claim = _birthdate(claims.get(settings.claim_birthdate))
        if birth_claim is not None and birth_claim != iin.birth_date:
            raise OidcError(
                OidcErrorCode.BIRTHDATE_MISMATCH, f"birthdate claim disagrees with IIN {iin.masked}"
            )
        email = _text(claims.get("email"))
        return Identity(
            issuer=settings.issuer,
            sub=str(claims["sub"]),
            iin=iin.value,
            given_name=_required_name(claims, settings.claim_given_name),
            family_name=_required_name(claims, settings.claim_family_name),
            patronymic=_text(claims.get(settings.claim_patronymic)) or "",
            birth_date=birth_claim or iin.birth_date,
            email=email if claims.get("email_verified") is not False else None,
            sid=_text(claims.get("sid")),
            id_token=id_token,
        )

    # -- HTTP -----------------------------------------------------------------------------

    async def _get_json(
        self, url: str, *, what: str, code: OidcErrorCode, headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """GET a JSON object; network trouble and 5xx are PROVIDER_UNAVAILABLE, the rest `code`."""
        try:
            response = await self._http.get(url, headers=headers)
        except httpx2.HTTPError as error:
            raise _unavailable(what, error) from error
        if response.status_code != 200:
            raise _status_error(what, response.status_code, code)
        try:
            data = response.json()
        except ValueError as error:
            raise OidcError(code, f"{what}: not JSON") from error
        if not isinstance(data, dict):
            raise OidcError(code, f"{what}: not a JSON object")
        return data


_REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")


def _endpoint(document: dict[str, Any], name: str, *, required: bool, https: bool) -> str | None:
    """An absolute http(s) URL; https only when the issuer is https (no downgrade via discovery)."""
    value = document.get(name)
    if value is None and not required:
        return None
    schemes = ("https://",) if https else ("https://", "http://")
    if not isinstance(value, str) or not value.startswith(schemes):
        raise OidcError(OidcErrorCode.DISCOVERY, f"{name} is missing or not an allowed URL")
    return value


def _token_auth_method(supported: object) -> str:
    """client_secret_basic (the OAuth default), or client_secret_post when only that is listed."""
    if (
        isinstance(supported, list)
        and "client_secret_post" in supported
        and "client_secret_basic" not in supported
    ):
        return "client_secret_post"
    return "client_secret_basic"


def _token_strings(token: dict[str, Any]) -> tuple[str, str | None]:
    id_token = token.get("id_token")
    if not isinstance(id_token, str) or not id_token:
        raise OidcError(OidcErrorCode.TOKEN_EXCHANGE, "the token response holds no id_token")
    access_token = token.get("access_token")
    return id_token, access_token if isinstance(access_token, str) and access_token else None


def _unavailable(what: str, error: Exception) -> OidcError:
    return OidcError(OidcErrorCode.PROVIDER_UNAVAILABLE, f"{what}: {type(error).__name__}")


def _status_error(what: str, status: int, code: OidcErrorCode = OidcErrorCode.TOKEN_EXCHANGE) -> OidcError:
    if status >= 500 or status in _UNAVAILABLE_STATUSES:
        return OidcError(OidcErrorCode.PROVIDER_UNAVAILABLE, f"{what}: HTTP {status}")
    return OidcError(code, f"{what}: HTTP {status}")


def _blank(value: object) -> bool:
    return value is None or value == ""


def _text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _required_name(claims: dict[str, Any], name: str) -> str:
    value = _text(claims.get(name))
    if value is None:
        raise OidcError(OidcErrorCode.CLAIMS, f"claim {name!r} is missing")
    return value


def _iin(value: object, today: date) -> Iin:
    """Validate the IIN claim; a string only, nothing stripped (an int would lose leading zeros)."""
    if _blank(value):
        raise OidcError(OidcErrorCode.IIN_MISSING, "the IIN claim is missing")
    if not isinstance(value, str):
        raise OidcError(OidcErrorCode.IIN_INVALID, "the IIN claim is not a string")
    try:
        return parse_iin(value, today=today)
    except InvalidIin as error:
        raise OidcError(OidcErrorCode.IIN_INVALID, f"IIN {mask_iin(value)}: {error.code.value}") from error


def _birthdate(value: object) -> date | None:
    """The optional birth date claim: ISO `YYYY-MM-DD` only (OIDC Core 5.1)."""
    if _blank(value):
        return None
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise OidcError(OidcErrorCode.CLAIMS, "the birthdate claim is not YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise OidcError(OidcErrorCode.CLAIMS, "the birthdate claim is not a calendar date") from error


def _add_query(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = urlencode([*parse_qsl(parts.query, keep_blank_values=True), *params.items()])
    return urlunsplit(parts._replace(query=query))
