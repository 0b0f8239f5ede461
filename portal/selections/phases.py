"""What the public sees of a selection: upcoming, open, closed or completed.

Intake opens and closes by its dates, not by anyone pressing a button (cl. 7, cl. 6(1)): an
announced selection is "open" from intake_start to intake_end inclusive (the whole last day,
Asia/Almaty, rules.md A-35). The same classification exists twice on purpose: in Python for
one selection, and as SQL conditions for filtering lists; a test keeps them in agreement.
"""

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from portal.i18n import N_
from portal.rules.intake import intake_is_open
from portal.selections.models import Selection, SelectionStatus


class PublicPhase(StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


PHASE_LABELS: dict[PublicPhase, str] = {
    PublicPhase.UPCOMING: N_("Upcoming"),
    PublicPhase.OPEN: N_("Open for applications"),
    PublicPhase.CLOSED: N_("Intake closed"),
    PublicPhase.COMPLETED: N_("Completed"),
    PublicPhase.CANCELLED: N_("Cancelled"),
}

#: The phases a reader can filter by, in the order of the filter.
FILTERABLE: tuple[PublicPhase, ...] = (
    PublicPhase.UPCOMING,
    PublicPhase.OPEN,
    PublicPhase.CLOSED,
    PublicPhase.COMPLETED,
)

# Published selections whose intake dates decide the phase.
_DATE_DRIVEN = (SelectionStatus.ANNOUNCED, SelectionStatus.INTAKE_OPEN, SelectionStatus.INTAKE_CLOSED)
_IN_PROGRESS = (
    SelectionStatus.SUSPENDED,
    SelectionStatus.TESTING,
    SelectionStatus.COMPETENCY,
    SelectionStatus.VETTING,
    SelectionStatus.INTERVIEW,
    SelectionStatus.CONSIDERATION,
)


def public_phase(
    status: SelectionStatus, intake_start: date, intake_end: date, today: date
) -> PublicPhase | None:
    """The phase of a selection on a day; None when the public must not see it (not yet published)."""
    if status in _DATE_DRIVEN:
        if intake_is_open(intake_start, intake_end, today):
            return PublicPhase.OPEN
        return PublicPhase.UPCOMING if today < intake_start else PublicPhase.CLOSED
    if status in _IN_PROGRESS:
        return PublicPhase.CLOSED
    if status == SelectionStatus.COMPLETED:
        return PublicPhase.COMPLETED
    if status == SelectionStatus.CANCELLED:
        return PublicPhase.CANCELLED
    return None


def phase_condition(phase: PublicPhase, today: date) -> ColumnElement[bool]:
    """The SQL twin of public_phase() for one phase."""
    status, start, end = col(Selection.status), col(Selection.intake_start), col(Selection.intake_end)
    date_driven = status.in_(_DATE_DRIVEN)
    match phase:
        case PublicPhase.UPCOMING:
            return sa.and_(date_driven, start > today)
        case PublicPhase.OPEN:
            return sa.and_(date_driven, start <= today, end >= today)
        case PublicPhase.CLOSED:
            return sa.or_(sa.and_(date_driven, end < today), status.in_(_IN_PROGRESS))
        case PublicPhase.COMPLETED:
            return status == SelectionStatus.COMPLETED
        case PublicPhase.CANCELLED:
            return status == SelectionStatus.CANCELLED
