"""What the appointment handlers share: the notices' Mail, the calendar, the proposal's files."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Request
from litestar.exceptions import NotFoundException
from litestar.response import Stream

from portal.appointments.models import AppointmentProposal
from portal.appointments.proposals import Mail
from portal.core.downloads import attachment
from portal.core.settings import LANGUAGES
from portal.rules.calendar import WorkCalendar
from portal.selections.drafting import calendar_for

#: The files of a proposal, by the name in its URL.
FILE_KINDS = ("service-record", "act")


def mail_for(request: Request[Any, Any, Any]) -> Mail:
    registry = request.app.state.registry
    return Mail(
        base_url=request.app.state.settings.base_url,
        regions={t.code: {language: t.name.get(language) for language in LANGUAGES} for t in registry.all()},
        slugs={t.code: t.slug for t in registry.all()},
    )


def selections_calendar(today: date) -> WorkCalendar:
    """The working-day calendar for a review period starting today (rules.md 5.3, A-19)."""
    return calendar_for((today.year, today.year + 1))


@dataclass(slots=True)
class _Stored:
    storage_key: str
    media_type: str
    display_name: str
    size: int


def proposal_file(request: Request[Any, Any, Any], proposal: AppointmentProposal, kind: str) -> Stream:
    """A proposal's service record or act, as an attachment; a missing one is not found."""
    if kind == "service-record" and proposal.service_record_key:
        stored = _Stored(
            proposal.service_record_key,
            proposal.service_record_media_type,
            proposal.service_record_name or "service-record",
            proposal.service_record_size,
        )
    elif kind == "act" and proposal.act_key:
        stored = _Stored(
            proposal.act_key, proposal.act_media_type, proposal.act_name or "act", proposal.act_size
        )
    else:
        raise NotFoundException()
    return attachment(request.app.state.storage, stored)


__all__ = ["FILE_KINDS", "mail_for", "proposal_file", "selections_calendar"]
