"""The national index of the 20 regions and each region's home page."""

from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from portal.core.clock import Clock
from portal.core.pagecache import CACHED_PUBLIC
from portal.i18n import N_, get_language
from portal.selections import services
from portal.selections.phases import PHASE_LABELS, PublicPhase
from portal.tenancy.registry import TenantConfig, TenantKind

#: Headings of the index: the capital, the cities of republican significance, the oblasts.
GROUP_TITLES: dict[TenantKind, str] = {
    TenantKind.CAPITAL: N_("The capital"),
    TenantKind.CITY_REP: N_("Cities of republican significance"),
    TenantKind.OBLAST: N_("Regions (oblasts)"),
}
HOME_LIST_LIMIT = 5


@get("/", name="home", opt=CACHED_PUBLIC)
async def regions_index(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> Template:
    counts = await services.open_counts_by_tenant(db_session, clock.today())
    tenants = request.app.state.registry.all()
    groups = [(title, [t for t in tenants if t.kind == kind]) for kind, title in GROUP_TITLES.items()]
    return Template("tenancy/index.html", context={"groups": groups, "open_counts": counts})


@get("/", name="region:home", opt=CACHED_PUBLIC)
async def region_home(
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
) -> Template:
    common: dict[str, Any] = {
        "tenant_id": tenant.code,
        "language": get_language(),
        "today": clock.today(),
        "page_size": HOME_LIST_LIMIT,
    }
    open_now = await services.list_announcements(db_session, phase=PublicPhase.OPEN, **common)
    upcoming = await services.list_announcements(db_session, phase=PublicPhase.UPCOMING, **common)
    return Template(
        "tenancy/region.html",
        context={"tenant": tenant, "open_now": open_now, "upcoming": upcoming, "phase_labels": PHASE_LABELS},
    )
