"""Public announcement pages and Atom feeds (cl. 7: the announcement is published on the internet)."""

import uuid
from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from portal.core.clock import Clock
from portal.core.errors import PageError
from portal.core.htmx import page_or_partial
from portal.core.pagecache import CACHED_PUBLIC
from portal.i18n import get_language
from portal.selections import services
from portal.selections.forms import FilterError, parse_filters
from portal.selections.phases import FILTERABLE, PHASE_LABELS
from portal.tenancy.registry import TenantConfig

ATOM = "application/atom+xml; charset=utf-8"


class AnnouncementController(Controller):
    path = "/announcements"

    @get("/", name="announcements:list", opt=CACHED_PUBLIC)
    async def list_announcements(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        tenant: NamedDependency[TenantConfig],
        clock: NamedDependency[Clock],
        status: FromQuery[str | None] = None,
        direction: FromQuery[str | None] = None,
        page: FromQuery[str | None] = None,
    ) -> Template:
        directions = await services.active_directions(db_session)
        try:
            filters = parse_filters(status, direction, page, {d.code for d in directions})
        except FilterError as error:
            raise PageError(status_code=400, detail=str(error)) from error
        results = await services.list_announcements(
            db_session,
            tenant_id=tenant.code,
            language=get_language(),
            today=clock.today(),
            phase=filters.phase,
            direction=filters.direction,
            page=filters.page,
            page_size=request.app.state.settings.page_size,
        )
        context = {
            "tenant": tenant,
            "results": results,
            "filters": filters,
            "directions": directions,
            "phases": FILTERABLE,
            "phase_labels": PHASE_LABELS,
        }
        return page_or_partial(request, "selections/list.html", "selections/_results.html", context)

    @get("/{selection_id:uuid}", name="announcements:detail", opt=CACHED_PUBLIC)
    async def show(
        self,
        db_session: NamedDependency[AsyncSession],
        tenant: NamedDependency[TenantConfig],
        clock: NamedDependency[Clock],
        selection_id: FromPath[uuid.UUID],
    ) -> Template:
        announcement = await services.get_announcement(
            db_session,
            tenant_id=tenant.code,
            selection_id=selection_id,
            language=get_language(),
            today=clock.today(),
        )
        if announcement is None:
            raise NotFoundException()
        return Template(
            "selections/detail.html",
            context={"tenant": tenant, "a": announcement, "phase_labels": PHASE_LABELS},
        )


@get("/announcements.atom", name="announcements:feed", opt=CACHED_PUBLIC, media_type=ATOM)
async def region_feed(
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
) -> Template:
    entries = await services.latest_published(
        db_session, language=get_language(), today=clock.today(), tenant_id=tenant.code
    )
    return Template("selections/feed.atom", context={"tenant": tenant, "entries": entries}, media_type=ATOM)


@get("/announcements.atom", name="announcements:national-feed", opt=CACHED_PUBLIC, media_type=ATOM)
async def national_feed(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> Template:
    entries = await services.latest_published(db_session, language=get_language(), today=clock.today())
    return Template(
        "selections/feed.atom",
        context={"tenant": None, "entries": entries, "registry": request.app.state.registry},
        media_type=ATOM,
    )
