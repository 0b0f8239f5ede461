"""What an e-mail about an application names: its selection, its region, the tracker link."""

from sqlalchemy.ext.asyncio import AsyncSession

from portal.applications import queries
from portal.applications.models import Application
from portal.selections.models import Selection
from portal.tenancy.registry import TenantRegistry

TRACKER = "/me/applications"


async def notice_for(
    session: AsyncSession,
    *,
    registry: TenantRegistry,
    base_url: str,
    application: Application,
    selection: Selection,
    language: str,
) -> dict[str, str]:
    tenant = registry.by_code(application.tenant_id)
    title = (await queries.titles_of(session, {selection.id}, language)).get(
        selection.id, selection.reference
    )
    return {
        "reference": application.reference or "",
        "selection_title": title,
        "region": tenant.name.get(language) if tenant else application.tenant_id,
        "tracker_url": f"{base_url.rstrip('/')}{TRACKER}/{application.id}",
    }
