"""create_app(settings) -> Litestar: the whole portal wired in one small place."""

# isort: off
from portal import startup  # first: the imports below run without the cyclic collector

# isort: on
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from litestar import Litestar, Request, Router
from litestar.config.allowed_hosts import AllowedHostsConfig
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import CacheControlHeader, State
from litestar.di import Provide
from litestar.static_files import create_static_files_router
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore

from portal.admin.controllers import grant, revoke, roles_page
from portal.applications.controllers import APPLICATION_ROUTES, REGION_APPLICATION_ROUTES
from portal.applications.documents import close_parser_pool, configure_parsers, warm_parser_pool
from portal.applications.officer_controllers import OFFICER_ROUTES
from portal.applications.profile_controllers import PROFILE_ROUTES
from portal.appointments.controllers import PROPOSAL_ROUTES
from portal.appointments.member_controllers import MEMBER_ROUTES as APPOINTMENT_MEMBER_ROUTES
from portal.appointments.position_controllers import AGENCY_POSITION_ROUTES, POSITION_ROUTES
from portal.appointments.review_controllers import AGENCY_REVIEW_ROUTES, REVIEW_ROUTES
from portal.auth.controllers import (
    callback,
    login_page,
    login_start,
    logout,
    logout_page,
    my_account,
    signed_out,
)
from portal.auth.guards import authorize
from portal.auth.middleware import AuthenticationMiddleware
from portal.auth.oidc import OidcClient, OidcSettings
from portal.commission.admin_controllers import ADMIN_ROUTES as COMMISSION_ADMIN_ROUTES
from portal.commission.ballot_controllers import BALLOT_ROUTES
from portal.commission.meeting_controllers import MEETING_ROUTES
from portal.commission.minutes_controllers import MINUTES_ROUTES
from portal.commission.scoring_controllers import SCORING_ROUTES
from portal.core.access import PUBLIC
from portal.core.background import beside_the_app
from portal.core.clock import Clock
from portal.core.db import make_alchemy_config, rollback_on_error
from portal.core.errors import EXCEPTION_HANDLERS
from portal.core.health import healthz, readyz, robots
from portal.core.http import ASGIApp, ConditionalGet, RequestContext, SecurityHeaders, TenantHostRewrite
from portal.core.logging import configure_logging
from portal.core.pagecache import PublicPageCache
from portal.core.sessions import SESSION_STORE, session_config, session_store
from portal.core.settings import Settings, get_settings
from portal.core.static import StaticManifest
from portal.core.storage import storage_from_url
from portal.core.templating import template_config
from portal.legal.controllers import rules_page
from portal.notifications.controllers import dev_mailbox, mark_notifications_read
from portal.notifications.worker import delivery_lifespan
from portal.reserve.controllers import RESERVE_ROUTES
from portal.reserve.direct_controllers import DIRECT_ROUTES, REGION_DIRECT_ROUTES
from portal.reserve.exclusion_controllers import EXCLUSION_ROUTES
from portal.reserve.jobs import reserve_jobs_lifespan
from portal.reserve.member_controllers import MEMBER_RESERVE_ROUTES
from portal.reserve.public_controllers import PUBLIC_RESERVE_ROUTES
from portal.selections.controllers import AnnouncementController, national_feed, region_feed
from portal.selections.interview_controllers import INTERVIEW_ROUTES
from portal.selections.manage_controllers import AGENCY_ROUTES, MANAGE_ROUTES
from portal.selections.observer_controllers import OBSERVER_ROUTES
from portal.selections.stage_controllers import STAGE_ROUTES
from portal.selections.vetting_controllers import VETTING_ROUTES
from portal.tenancy.controllers import region_home, regions_index
from portal.tenancy.deps import TenantAliasRedirect, alias_redirect_handler, provide_tenant
from portal.tenancy.registry import TenantRegistry, load_tenants

ONE_MEGABYTE = 1024 * 1024


async def provide_clock(request: Request[Any, Any, Any]) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def oidc_client(settings: Settings) -> OidcClient:
    return OidcClient(
        OidcSettings(
            issuer=settings.oidc_issuer,
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret,
            redirect_uri=settings.oidc_redirect_uri,
            scopes=settings.oidc_scopes,
            claim_iin=settings.oidc_claim_iin,
            claim_given_name=settings.oidc_claim_given_name,
            claim_family_name=settings.oidc_claim_family_name,
            claim_patronymic=settings.oidc_claim_patronymic,
            claim_birthdate=settings.oidc_claim_birthdate,
        )
    )


@asynccontextmanager
async def identity_provider_client(app: Litestar) -> AsyncIterator[None]:
    """One OIDC client (its HTTP connections, discovery and key caches) per running application."""
    client, previous = oidc_client(app.state.settings), app.state.get("oidc")
    app.state.oidc = client
    try:
        yield
    finally:
        await client.aclose()
        app.state.oidc = previous  # tests may run the same app more than once


@asynccontextmanager
async def document_parsers(app: Litestar) -> AsyncIterator[None]:
    """The upload parser workers of this application's event loop: started a few seconds after it
    in production (`PORTAL_DOCUMENT_PARSERS_AT_START`), stopped with it."""
    settings: Settings = app.state.settings
    at_start = settings.document_parsers_at_start
    try:
        if settings.is_production if at_start is None else at_start:
            async with beside_the_app(warm_parser_pool):
                yield
        else:
            yield
    finally:
        await close_parser_pool()


def csrf_config(settings: Settings) -> CSRFConfig:
    """Double-submit token on every unsafe method; the page carries it in forms and for htmx."""
    return CSRFConfig(
        secret=settings.secret_key,
        cookie_name=f"{settings.cookie_prefix}csrftoken",
        cookie_secure=settings.is_production,
        cookie_httponly=True,
        cookie_samesite="strict",
        header_name="x-csrftoken",
    )


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> Litestar:
    with startup.without_collector():  # 0.15 s less CPU per worker at start (portal.startup)
        return _create_app(settings, clock)


def _create_app(settings: Settings | None, clock: Clock | None) -> Litestar:
    settings = settings or get_settings()
    configure_logging(settings)
    configure_parsers(workers=settings.document_parser_workers)
    registry = load_tenants(settings.tenants_dir)  # a broken tenant file stops start-up, naming the file
    static = StaticManifest.build()
    alchemy = make_alchemy_config(settings)
    sessions = session_config(settings)
    csrf = csrf_config(settings)
    tenant_router = Router(
        path="/{tenant_slug:str}",
        route_handlers=[
            region_home,
            region_feed,
            AnnouncementController,
            roles_page,
            grant,
            revoke,
            *REGION_APPLICATION_ROUTES,
            *OFFICER_ROUTES,
            *MANAGE_ROUTES,
            *STAGE_ROUTES,
            *INTERVIEW_ROUTES,
            *OBSERVER_ROUTES,
            *VETTING_ROUTES,
            *COMMISSION_ADMIN_ROUTES,
            *MEETING_ROUTES,
            *BALLOT_ROUTES,
            *SCORING_ROUTES,
            *MINUTES_ROUTES,
            *POSITION_ROUTES,
            *PROPOSAL_ROUTES,
            *REVIEW_ROUTES,
            *REGION_DIRECT_ROUTES,
            *RESERVE_ROUTES,
            *PUBLIC_RESERVE_ROUTES,
            *EXCLUSION_ROUTES,
        ],
        dependencies={"tenant": Provide(provide_tenant)},
    )
    app = Litestar(
        route_handlers=[
            regions_index,
            national_feed,
            rules_page,
            healthz,
            readyz,
            robots,
            login_page,
            login_start,
            callback,
            logout_page,
            logout,
            signed_out,
            my_account,
            dev_mailbox,
            mark_notifications_read,
            *PROFILE_ROUTES,
            *APPLICATION_ROUTES,
            *AGENCY_ROUTES,
            *AGENCY_POSITION_ROUTES,
            *AGENCY_REVIEW_ROUTES,
            *APPOINTMENT_MEMBER_ROUTES,
            *DIRECT_ROUTES,
            *MEMBER_RESERVE_ROUTES,
            tenant_router,
            create_static_files_router(
                path="/static",
                directories=[static.directory],
                name="static",
                # URLs carry a content hash (portal.core.static), so a year is safe.
                cache_control=CacheControlHeader(max_age=31_536_000, public=True),
                send_as_attachment=False,
                include_in_schema=False,
                opt=PUBLIC,
            ),
        ],
        plugins=[SQLAlchemyPlugin(config=alchemy)],
        middleware=[sessions.middleware, AuthenticationMiddleware()],
        guards=[authorize],
        csrf_config=csrf,
        stores={
            SESSION_STORE: session_store(settings, alchemy),
            "ratelimit": RedisStore.with_client(url=settings.redis_url, namespace="portal:ratelimit")
            if settings.redis_url
            else MemoryStore(),
        },
        dependencies={"clock": Provide(provide_clock)},
        template_config=template_config(settings, static),
        exception_handlers={**EXCEPTION_HANDLERS, TenantAliasRedirect: alias_redirect_handler},
        allowed_hosts=AllowedHostsConfig(allowed_hosts=list(settings.allowed_hosts))
        if settings.is_production
        else None,
        request_max_body_size=ONE_MEGABYTE,
        openapi_config=None,
        logging_config=None,  # portal.core.logging owns the logging set-up
        lifespan=[identity_provider_client, delivery_lifespan, reserve_jobs_lifespan, document_parsers],
        after_exception=[rollback_on_error],
        state=State(
            {
                "settings": settings,
                "registry": registry,
                "clock": clock or Clock(settings.timezone),
                "alchemy": alchemy,
                "session_config": sessions,
                "storage": storage_from_url(settings.storage_url, settings.storage_dir),
            }
        ),
        debug=False,
    )
    # Outer ASGI layers see every request, 404s included (Litestar route middleware would not).
    handler: ASGIApp = TenantHostRewrite(
        cast(ASGIApp, app.asgi_handler), lambda host: _slug_for_host(registry, host)
    )
    handler = ConditionalGet(handler)
    handler = PublicPageCache(
        handler,
        seconds=settings.public_cache_seconds,
        session_cookie=sessions.key,
        csrf=csrf,
        today=lambda: cast(Clock, app.state.clock).today(),
    )
    handler = SecurityHeaders(handler, settings)
    app.asgi_handler = cast(Any, RequestContext(handler, settings))
    return app


startup.collect_again()


def _slug_for_host(registry: TenantRegistry, host: str) -> str | None:
    tenant = registry.by_host(host)
    return tenant.slug if tenant is not None else None
