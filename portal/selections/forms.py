"""Input of the public announcement list: filter and page, checked before any query runs."""

from dataclasses import dataclass

from portal.i18n import gettext as _
from portal.selections.phases import FILTERABLE, PublicPhase


class FilterError(ValueError):
    """A filter value the list does not know; the message is for the reader."""


@dataclass(frozen=True, slots=True)
class AnnouncementFilters:
    phase: PublicPhase | None
    direction: str | None
    page: int


def parse_filters(
    status: str | None, direction: str | None, page: str | None, known_directions: set[str]
) -> AnnouncementFilters:
    """Empty values mean "any"; unknown ones raise FilterError with a translated explanation."""
    phase = None
    if status:
        if status not in {p.value for p in FILTERABLE}:
            raise FilterError(_("Unknown status filter: %(value)s.", value=status[:40]))
        phase = PublicPhase(status)
    if direction and direction not in known_directions:
        raise FilterError(_("Unknown sector direction: %(value)s.", value=direction[:40]))
    number = 1
    if page:
        if not page.isdigit() or int(page) < 1 or len(page) > 6:
            raise FilterError(_("The page number must be a whole number from 1."))
        number = int(page)
    return AnnouncementFilters(phase=phase, direction=direction or None, page=number)
