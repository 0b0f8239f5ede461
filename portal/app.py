"""create_app(settings) -> Litestar: the whole portal wired in one small place."""

from typing import Any, cast

from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from litestar import Litestar, Request, Router
from litestar.config.allowed_hosts import AllowedHostsConfig
from litestar.datastructures import CacheControlHeader, State
from litestar.di import Provide
from litestar.static_files import create_static_files_router

from portal.core.clock import Clock
from portal.core.db import make_alchemy_config
from portal.core.errors import EXCEPTION_HANDLERS
from portal.core.health import healthz, readyz, robots
from portal.core.http import ASGIApp, ConditionalGet, RequestContext, SecurityHeaders, TenantHostRewrite
from portal.core.logging import configure_logging
from portal.core.settings import Settings, get_settings
from portal.core.static import StaticManifest
from portal.core.templating import template_config
from portal.legal.controllers import rules_page
from portal.selections.controllers import AnnouncementController, national_feed, region_feed
from portal.tenancy.controllers import region_home, regions_index
from portal.tenancy.deps import TenantAliasRedirect, alias_redirect_handler, provide_tenant
from portal.tenancy.registry import TenantRegistry, load_tenants

ONE_MEGABYTE = 1024 * 1024


async def provide_clock(request: Request[Any, Any, Any]) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> Litestar:
    settings = settings or get_settings()
    configure_logging(settings)
    registry = load_tenants(settings.tenants_dir)  # a broken tenant file stops start-up, naming the file
    static = StaticManifest.build()
    tenant_router = Router(
        path="/{tenant_slug:str}",
        route_handlers=[region_home, region_feed, AnnouncementController],
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
            tenant_router,
            create_static_files_router(
                path="/static",
                directories=[static.directory],
                name="static",
                # URLs carry a content hash (portal.core.static), so a year is safe.
                cache_control=CacheControlHeader(max_age=31_536_000, public=True),
                send_as_attachment=False,
                include_in_schema=False,
            ),
        ],
        plugins=[SQLAlchemyPlugin(config=make_alchemy_config(settings))],
        dependencies={"clock": Provide(provide_clock)},
        template_config=template_config(settings, static),
        exception_handlers={**EXCEPTION_HANDLERS, TenantAliasRedirect: alias_redirect_handler},
        allowed_hosts=AllowedHostsConfig(allowed_hosts=list(settings.allowed_hosts))
        if settings.is_production
        else None,
        request_max_body_size=ONE_MEGABYTE,
        openapi_config=None,
        logging_config=None,  # portal.core.logging owns the logging set-up
        state=State({"settings": settings, "registry": registry, "clock": clock or Clock(settings.timezone)}),
        debug=False,
    )
    # Outer ASGI layers see every request, 404s included (Litestar route middleware would not).
    handler: ASGIApp = TenantHostRewrite(
        cast(ASGIApp, app.asgi_handler), lambda host: _slug_for_host(registry, host)
    )
    handler = ConditionalGet(handler)
    handler = SecurityHeaders(handler, settings)
    app.asgi_handler = cast(Any, RequestContext(handler, settings))
    return app


def _slug_for_host(registry: TenantRegistry, host: str) -> str | None:
    tenant = registry.by_host(host)
    return tenant.slug if tenant is not None else None
