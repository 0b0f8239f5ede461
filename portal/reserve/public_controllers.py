"""/{region}/reserve/public: the public list of the enrolled (rules.md A-27, cl. 12).

Open to everyone and kept in the public page cache: the name and the sector direction (in the
reader's language) of the region's active members who consented to publication, by name, paged.
Nothing else is shown (no IIN, no term).
"""

from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from portal.core.clock import Clock
from portal.core.errors import PageError
from portal.core.pagecache import CACHED_PUBLIC
from portal.i18n import get_language
from portal.i18n import gettext as _
from portal.reserve import publication
from portal.tenancy.registry import TenantConfig


def _page_number(page: str | None) -> int:
    try:
        number = int(page) if page else 1
        if number < 1:
            raise ValueError(page)
    except ValueError as error:
        raise PageError(status_code=400, detail=_("Unknown filter value.")) from error
    return number


@get("/reserve/public", name="reserve:public", opt=CACHED_PUBLIC)
async def public_list(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tenant: NamedDependency[TenantConfig],
    clock: NamedDependency[Clock],
    page: FromQuery[str | None] = None,
) -> Template:
    """A-27: the enrolled who consented to publication, with their sector direction."""
    results = await publication.public_list(
        db_session,
        tenant.code,
        language=get_language(),
        today=clock.today(),
        page=_page_number(page),
        page_size=request.app.state.settings.page_size,
    )
    return Template("reserve/public.html", context={"tenant": tenant, "results": results})


PUBLIC_RESERVE_ROUTES = [public_list]

__all__ = ["PUBLIC_RESERVE_ROUTES"]
