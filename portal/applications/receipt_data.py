"""The receipt of a submitted application: gathers what it proves and renders the PDF."""

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from portal.applications import queries, services
from portal.applications.models import SLOT_LABELS, Application, DocumentSlot
from portal.applications.receipt import ReceiptData, ReceiptDocument, render_receipt
from portal.i18n import gettext
from portal.rules.iin import mask_iin
from portal.selections.models import SectorDirection, Selection
from portal.tenancy.registry import TenantRegistry


async def receipt_pdf(
    session: AsyncSession,
    registry: TenantRegistry,
    application: Application,
    selection: Selection,
    language: str,
) -> bytes:
    documents = await services.documents_of(session, application.id)
    direction = (
        await session.get(SectorDirection, application.direction_code) if application.direction_code else None
    )
    tenant = registry.by_code(application.tenant_id)
    title = (await queries.titles_of(session, {selection.id}, language)).get(
        selection.id, selection.reference
    )
    if application.reference is None or application.submitted_at is None:
        raise ValueError("only a submitted application has a receipt")
    data = ReceiptData(
        language=language,
        reference=application.reference,
        submitted_at=application.submitted_at,
        candidate_name=application.candidate_name,
        candidate_iin_masked=mask_iin(application.candidate_iin),
        region_name=tenant.name.get(language) if tenant else application.tenant_id,
        selection_title=title,
        selection_reference=selection.reference,
        direction_name=direction.name(language) if direction else None,
        channel=application.channel,
        consent_version=application.consent_version or "—",
        consent_accepted_at=application.consent_at or application.submitted_at,
        documents=tuple(
            ReceiptDocument(gettext(SLOT_LABELS[slot]), d.display_name, d.size, d.sha256, d.media_type)
            for slot in DocumentSlot
            if (d := documents.get(slot)) is not None
        ),
    )
    # Font loading and layout take a few hundred milliseconds of CPU: not on the event loop.
    return await anyio.to_thread.run_sync(render_receipt, data)
