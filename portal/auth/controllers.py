"""Sign-in through the identity provider, sign-out, and "my account".

The flow (ASVS V10, security-notes B.6): /auth/login explains and offers the provider;
/auth/login/start keeps state, nonce and PKCE verifier in the server-side session and sends the
browser to the provider; /auth/callback takes each state once, validates the ID token, signs the
person in under a new session id and goes to a same-site `next`.
"""

import time
from typing import Annotated, Any

import structlog
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.params import FromQuery, QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from portal.auth.forms import safe_next
from portal.auth.messages import failure_message
from portal.auth.middleware import SESSION_LOGIN_AT, SESSION_USER
from portal.auth.oidc import OidcClient, OidcError
from portal.auth.policies import Permission
from portal.auth.ratelimit import login_rate_limited
from portal.auth.roles import ROLE_LABELS
from portal.auth.services import VerifiedIdentity, sign_in
from portal.core.access import PUBLIC, requires
from portal.core.clock import Clock
from portal.core.sessions import rotate_session
from portal.demo.users import DEMO_USERS
from portal.notifications.services import unread_for
from portal.reserve.direct_services import offer_for as direct_offer_for

_log = structlog.get_logger("portal.auth")
PENDING = "oidc_pending"
PENDING_MAX = 5
PENDING_SECONDS = 600
NO_STORE = {"Cache-Control": "no-store"}


def _oidc(request: Request[Any, Any, Any]) -> OidcClient:
    client: OidcClient = request.app.state.oidc
    return client


@get("/auth/login", name="auth:login", opt=PUBLIC)
async def login_page(request: Request[Any, Any, Any], next: FromQuery[str | None] = None) -> Template:
    settings = request.app.state.settings
    return Template(
        "auth/login.html",
        context={
            "next": safe_next(next),
            "provider": settings.oidc_provider_name,
            "demo_users": () if settings.is_production else DEMO_USERS,
            "role_labels": ROLE_LABELS,
        },
        headers=NO_STORE,
    )


@get("/auth/login/start", name="auth:start", opt=PUBLIC)
async def login_start(request: Request[Any, Any, Any], next: FromQuery[str | None] = None) -> Redirect:
    await login_rate_limited(request, "start")
    authorization = await _oidc(request).authorization_request()
    pending: dict[str, Any] = dict(request.session.get(PENDING, {}))
    now = time.time()
    pending = {k: v for k, v in pending.items() if now - v["at"] < PENDING_SECONDS}
    pending[authorization.state] = {
        "nonce": authorization.nonce,
        "verifier": authorization.code_verifier,
        "next": safe_next(next),
        "at": now,
    }
    # Several tabs may start a sign-in; keep only the newest few (B.6: state growth).
    request.session[PENDING] = dict(sorted(pending.items(), key=lambda kv: kv[1]["at"])[-PENDING_MAX:])
    return Redirect(authorization.url, status_code=303, headers=NO_STORE)


@get("/auth/callback", name="auth:callback", opt=PUBLIC)
async def callback(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    # "state" is a reserved parameter name in Litestar: read the query parameter under another name.
    oidc_state: Annotated[str | None, QueryParameter(name="state")] = None,
    code: FromQuery[str | None] = None,
    error: FromQuery[str | None] = None,
) -> Redirect | Template:
    await login_rate_limited(request, "callback")
    pending = _take_pending(request, oidc_state)
    if error:
        return _failure("cancelled", status_code=400)
    if pending is None or not code:
        _log.warning("sign-in refused", reason="state")
        return _failure("state")
    try:
        identity = await _oidc(request).complete(
            code=code, nonce=pending["nonce"], code_verifier=pending["verifier"], today=clock.today()
        )
    except OidcError as failure:
        _log.warning("sign-in refused", reason=str(failure.code))
        return _failure(str(failure.code).lower())
    user = await sign_in(
        db_session,
        VerifiedIdentity(
            identity.issuer,
            identity.sub,
            identity.iin,
            identity.given_name,
            identity.family_name,
            identity.patronymic,
            identity.birth_date,
            identity.email,
        ),
    )
    await db_session.commit()  # the user exists before the session that points at it
    request.scope["session"] = {
        SESSION_USER: str(user.id),
        SESSION_LOGIN_AT: time.time(),
        "sid": identity.sid,
        "id_token": identity.id_token,
    }
    rotate_session(request)
    _log.info("signed in", user=str(user.id))
    return Redirect(pending["next"], status_code=303, headers=NO_STORE)


def _take_pending(request: Request[Any, Any, Any], state: str | None) -> dict[str, Any] | None:
    """Each state is used once: it leaves the session whatever happens next."""
    pending: dict[str, Any] = dict(request.session.get(PENDING, {}))
    entry = pending.pop(state, None) if state else None
    if pending:
        request.session[PENDING] = pending
    else:
        request.session.pop(PENDING, None)
    if entry is not None and time.time() - entry["at"] > PENDING_SECONDS:
        return None
    return entry


def _failure(reason: str, status_code: int = 400) -> Template:
    return Template(
        "auth/failed.html",
        context={"reason": reason, "message": failure_message(reason)},
        status_code=status_code,
        headers=NO_STORE,
    )


@get("/auth/logout", name="auth:logout", opt=PUBLIC)
async def logout_page(request: Request[Any, Any, Any]) -> Template | Redirect:
    if request.scope.get("user") is None:
        return Redirect("/auth/signed-out", status_code=303)
    return Template("auth/logout.html", headers=NO_STORE)


@post("/auth/logout", name="auth:logout-post", opt=PUBLIC, status_code=303, media_type=MediaType.HTML)
async def logout(request: Request[Any, Any, Any]) -> Redirect:
    """End the session here, then at the provider when it offers RP-initiated logout."""
    id_token = request.session.get("id_token") if request.session else None
    request.scope["session"] = {}
    settings = request.app.state.settings
    signed_out = f"{settings.base_url.rstrip('/')}/auth/signed-out"
    target: str | None = None
    if id_token:
        try:
            target = await _oidc(request).end_session_url(
                id_token_hint=id_token, post_logout_redirect_uri=signed_out
            )
        except OidcError:
            target = None  # the provider is away: the local session is over all the same
    return Redirect(target or "/auth/signed-out", status_code=303, headers=NO_STORE)


@get("/auth/signed-out", name="auth:signed-out", opt=PUBLIC)
async def signed_out() -> Template:
    return Template("auth/signed_out.html", headers=NO_STORE)


@get("/me", name="me", opt=requires(Permission.VIEW_OWN_ACCOUNT))
async def my_account(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> Template:
    principal = request.scope["user"]
    registry = request.app.state.registry
    by_region: dict[str | None, list[Any]] = {}
    for grant in sorted(principal.grants, key=lambda g: (g.tenant_id or "", g.role)):
        by_region.setdefault(grant.tenant_id, []).append(grant.role)
    regions = [(registry.by_code(code) if code else None, roles) for code, roles in by_region.items()]
    return Template(
        "auth/me.html",
        context={
            "principal": principal,
            "regions": regions,
            "role_labels": ROLE_LABELS,
            "notifications": await unread_for(db_session, principal.user_id),
            "direct_offer": await direct_offer_for(db_session, principal.iin, clock.today()),  # ch. 2-1
        },
        headers=NO_STORE,
    )
