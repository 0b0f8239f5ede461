"""Read models of the public pages: what a template needs, already in the reader's language."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from portal.i18n import N_
from portal.selections.phases import PublicPhase


@dataclass(frozen=True, slots=True)
class DirectionView:
    code: str
    name: str
    quota: int | None


@dataclass(frozen=True, slots=True)
class AnnouncementSummary:
    id: uuid.UUID
    tenant_id: str
    reference: str
    title: str
    summary: str
    phase: PublicPhase
    quota: int
    intake_start: date
    intake_end: date
    published_on: date | None
    updated_at: datetime
    directions: tuple[DirectionView, ...]


@dataclass(frozen=True, slots=True)
class Stage:
    number: int
    clause: str
    title: str
    starts: date | None
    ends: date | None
    state: str  # "done", "current" or "planned"


@dataclass(frozen=True, slots=True)
class AnnouncementDetail:
    summary: AnnouncementSummary
    paragraphs: tuple[str, ...]
    contact_email: str
    contact_phone: str
    notice_working_days: int
    stages: tuple[Stage, ...]


@dataclass(frozen=True, slots=True)
class Page[T]:
    items: tuple[T, ...]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


#: The five stages of cl. 6, in order; titles are translated where shown.
STAGE_TITLES: tuple[tuple[str, str], ...] = (
    ("6(1)", N_("Acceptance of documents")),
    ("6(2)", N_("Testing on knowledge of legislation and assessment of personal qualities")),
    ("6(3)", N_("Competency assessment by the Agency")),
    ("6(4)", N_("Structured interview with the commission")),
    ("6(5)", N_("Consideration of candidacies at a commission meeting")),
)
