"""Glue between the demo seed and the text templates: a selection row in, three texts out."""

from portal.demo.texts import (
    REGION_FORMS,
    DirectionQuota,
    SelectionTextParams,
    Trilingual,
    announcement_texts,
)
from portal.selections.models import Selection, SelectionDirection
from portal.tenancy.registry import TenantConfig


def announcement_for(
    tenant: TenantConfig, selection: Selection, directions: list[SelectionDirection]
) -> dict[str, dict[str, str]]:
    """Title, summary and body of the announcement in kk, ru and en, as AnnouncementText fields."""
    address = tenant.territorial_unit.address
    params = SelectionTextParams(
        cycle_year=selection.cycle_year,
        quota=selection.quota,
        directions=tuple(DirectionQuota(d.direction_code, d.quota) for d in directions),
        intake_start=selection.intake_start,
        intake_end=selection.intake_end,
        interview_month=selection.interview_on or selection.intake_end,
        tu_address=Trilingual(kk=address.kk, ru=address.ru, en=address.en),
        tu_email=selection.contact_email,
        tu_phone=selection.contact_phone,
        variant_seed=int(selection.reference.rsplit("-", 1)[-1]),
    )
    texts = announcement_texts(REGION_FORMS[tenant.code], params)
    return {
        language: {"title": text.title, "summary": text.summary, "body": text.body}
        for language, text in texts.items()
    }
