"""ID-token validation for the OIDC client (OpenID Connect Core 1.0 section 3.1.3.7).

Kept apart from the HTTP side (`portal.auth.oidc`) so that every check is a small pure function
that the tests can reach one by one. The order matters: the header is read and judged *before*
any key is chosen or any signature computed, so that the known library pitfalls (security-notes
B.6: `alg: none`, JWK header injection, unknown `crit`, HS256 signed with a public key or the
client secret) are refused by our own code and not only by whatever the installed joserfc or
Authlib version happens to do.
"""

import base64
import binascii
import json
from enum import StrEnum
from typing import Any

from authlib.oidc.core import CodeIDToken  # type: ignore[import-untyped]
from joserfc import jwt
from joserfc.errors import ClaimError, ExpiredTokenError, InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

__all__ = [
    "OidcError",
    "OidcErrorCode",
    "allowed_algorithms",
    "check_header",
    "import_jwks",
    "is_forbidden_algorithm",
    "read_header",
    "validate_claims",
    "verify_signature",
]

#: Header parameters that carry or point at a key (RFC 7515 4.1.2-4.1.6). A verifier that trusts
#: them lets the token choose its own key (CVE-2026-27962, security-notes B.6); the key must
#: only ever come from the provider's JWKS.
_KEY_INJECTION_HEADERS = frozenset({"jwk", "jku", "x5u", "x5c"})
#: `crit` names extensions the verifier must understand (RFC 7515 4.1.11); we understand none,
#: and `b64` (RFC 7797) changes what is signed. Refusing both closes CVE-2025-59420-style holes.
_EXTENSION_HEADERS = frozenset({"crit", "b64"})
_MAX_TOKEN_LENGTH = 16_384


class OidcErrorCode(StrEnum):
    """Why a sign-in was refused; callers key a translated page on it (never on the message)."""

    PROVIDER_UNAVAILABLE = "PROVIDER_UNAVAILABLE"  # network error, timeout, 5xx, 429
    DISCOVERY = "DISCOVERY"  # discovery document or JWKS unusable, or its issuer differs
    TOKEN_EXCHANGE = "TOKEN_EXCHANGE"  # noqa: S105 - refused code: replayed, expired, bad verifier
    SIGNATURE = "SIGNATURE"  # malformed token, bad signature, unknown kid, key injection, crit
    ALGORITHM = "ALGORITHM"  # alg none, HS*, or outside the allowlist / the provider's list
    ISSUER = "ISSUER"
    AUDIENCE = "AUDIENCE"  # aud lacks client_id, or several audiences without azp == client_id
    EXPIRED = "EXPIRED"  # outside the validity window: exp passed, iat or nbf in the future
    NONCE = "NONCE"
    AT_HASH = "AT_HASH"
    CLAIMS = "CLAIMS"  # other claim trouble: names missing, malformed birthdate, userinfo sub
    IIN_MISSING = "IIN_MISSING"
    IIN_INVALID = "IIN_INVALID"
    BIRTHDATE_MISMATCH = "BIRTHDATE_MISMATCH"


class OidcError(Exception):
    """A refused sign-in. The message is for logs and never holds a whole IIN or a token."""

    def __init__(self, code: OidcErrorCode, message: str) -> None:
        self.code = code
        super().__init__(f"{code.value}: {message}")


def is_forbidden_algorithm(alg: str) -> bool:
    """`none` and the HMAC family are never acceptable for ID tokens from a public-key provider.

    With HS* the "key" would be the client secret or, worse, the provider's public key read as
    bytes (the classic RS/HS confusion); CVE-2026-28802 was `alg: none` slipping through.
    """
    return alg.strip().lower() == "none" or alg.strip().upper().startswith("HS")


def allowed_algorithms(configured: tuple[str, ...], advertised: object) -> tuple[str, ...]:
    """Our allowlist intersected with discovery's `id_token_signing_alg_values_supported`.

    A provider that omits the list is taken to sign with RS256, the OIDC default (Discovery 3).
    """
    if advertised is None:
        advertised = ["RS256"]
    if not isinstance(advertised, list) or not all(isinstance(a, str) for a in advertised):
        raise OidcError(OidcErrorCode.DISCOVERY, "id_token_signing_alg_values_supported is not a list")
    return tuple(a for a in configured if a in advertised and not is_forbidden_algorithm(a))


def read_header(token: str) -> dict[str, Any]:
    """Decode the JOSE header of a compact JWS without trusting anything in it yet."""
    parts = token.split(".")
    if len(token) > _MAX_TOKEN_LENGTH or len(parts) != 3:
        raise OidcError(OidcErrorCode.SIGNATURE, "the ID token is not a compact JWS")
    try:
        raw = base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4))
        header = json.loads(raw)
    except (binascii.Error, ValueError) as error:
        raise OidcError(OidcErrorCode.SIGNATURE, "the ID token header is not JSON") from error
    if not isinstance(header, dict):
        raise OidcError(OidcErrorCode.SIGNATURE, "the ID token header is not an object")
    return header


def check_header(header: dict[str, Any], allowed: tuple[str, ...]) -> str:
    """Judge the header before any key is looked up; return the accepted `alg` (B.6)."""
    alg = header.get("alg")
    if not isinstance(alg, str) or is_forbidden_algorithm(alg):
        raise OidcError(OidcErrorCode.ALGORITHM, f"alg {alg!r} is never accepted")
    if alg not in allowed:
        raise OidcError(OidcErrorCode.ALGORITHM, f"alg {alg!r} is not in the allowlist {list(allowed)}")
    injected = sorted(_KEY_INJECTION_HEADERS.intersection(header))
    if injected:
        raise OidcError(OidcErrorCode.SIGNATURE, f"the header carries key material {injected}")
    extensions = sorted(_EXTENSION_HEADERS.intersection(header))
    if extensions:
        raise OidcError(OidcErrorCode.SIGNATURE, f"the header asks for JWS extensions {extensions}")
    kid = header.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise OidcError(OidcErrorCode.SIGNATURE, "kid is not a string")
    return alg


def import_jwks(document: dict[str, Any]) -> KeySet:
    """Import the provider's signing keys; symmetric and encryption keys are dropped.

    An `oct` key in a JWKS would be a shared secret published to the world, and `use: enc` keys
    are not for signatures (RFC 7517 4.2); neither may ever verify an ID token.
    """
    keys = document.get("keys")
    if not isinstance(keys, list):
        raise OidcError(OidcErrorCode.DISCOVERY, "the JWKS has no keys list")
    usable = [
        k for k in keys if isinstance(k, dict) and k.get("kty") != "oct" and k.get("use") in (None, "sig")
    ]
    try:
        return KeySet.import_key_set({"keys": usable})
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise OidcError(
            OidcErrorCode.DISCOVERY, f"the JWKS cannot be imported: {type(error).__name__}"
        ) from error


def verify_signature(token: str, keys: KeySet, alg: str) -> jwt.Token:
    """Verify the signature with exactly the one algorithm the header check accepted.

    `InvalidKeyIdError` passes through: the caller decides whether the JWKS may be refetched
    (key rotation, rate limited). Everything else that joserfc refuses is a SIGNATURE failure.
    """
    registry = JWSRegistry(algorithms=[alg], strict_check_header=False)
    try:
        return jwt.decode(token, keys, registry=registry)
    except InvalidKeyIdError:
        raise
    except (JoseError, ValueError) as error:
        raise OidcError(OidcErrorCode.SIGNATURE, f"signature rejected: {type(error).__name__}") from error


_CLAIM_CODES = {
    "iss": OidcErrorCode.ISSUER,
    "aud": OidcErrorCode.AUDIENCE,
    "azp": OidcErrorCode.AUDIENCE,
    "exp": OidcErrorCode.EXPIRED,
    "iat": OidcErrorCode.EXPIRED,
    "nbf": OidcErrorCode.EXPIRED,
    "nonce": OidcErrorCode.NONCE,
    "at_hash": OidcErrorCode.AT_HASH,
}


def validate_claims(
    token: jwt.Token,
    *,
    issuer: str,
    client_id: str,
    nonce: str,
    access_token: str | None,
    now: int,
    leeway: int,
) -> dict[str, Any]:
    """OIDC Core 3.1.3.7 steps 2-11 with Authlib's `CodeIDToken` on joserfc's claims registry.

    `iss` must equal the configured issuer byte for byte (ASVS V10.2.2, V10.5.3) and `aud` must
    contain our client id (V10.5.4); `CodeIDToken` adds azp for several audiences, nonce
    (V10.5.1), at_hash when present (code flow: optional) and exp/iat/nbf with leeway.
    """
    if not nonce:
        raise OidcError(OidcErrorCode.NONCE, "no nonce was stored for this sign-in")
    at_hash = token.claims.get("at_hash")
    if "at_hash" in token.claims and (not isinstance(at_hash, str) or not at_hash):
        raise OidcError(OidcErrorCode.AT_HASH, "at_hash is empty")  # CVE-2026-28498: never fail open
    options = {
        "iss": {"essential": True, "values": [issuer]},
        "aud": {"essential": True, "values": [client_id]},
        "sub": {"essential": True},
    }
    params = {"nonce": nonce, "client_id": client_id, "access_token": access_token}
    claims = CodeIDToken(token.claims, token.header, options, params)
    try:
        claims.validate(now=now, leeway=leeway)
    except ExpiredTokenError as error:
        raise OidcError(OidcErrorCode.EXPIRED, "the ID token has expired") from error
    except ClaimError as error:
        name = error.claim.split(",")[0]
        code = _CLAIM_CODES.get(name, OidcErrorCode.CLAIMS)
        raise OidcError(code, f"claim {name!r} rejected: {type(error).__name__}") from error
    return dict(token.claims)
