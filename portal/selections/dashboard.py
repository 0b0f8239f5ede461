"""The dashboard of one selection (issue 6 item 8): the funnel, the deadlines with working-day
countdowns, and what blocks the next transition.

The blockers call the same checks the transitions enforce (review.undecided_count,
results.missing_results, vetting.blockers, interviews.blockers), so the page never promises a step
the service would refuse.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.models import Application, ApplicationEvent, ApplicationStatus
from portal.i18n import N_
from portal.i18n import gettext as _
from portal.rules.calendar import WorkCalendar
from portal.selections import interviews, results, vetting
from portal.selections.drafting import calendar_between
from portal.selections.models import Selection, SelectionStatus
from portal.selections.results_import import ResultStage
from portal.selections.review import undecided_count
from portal.selections.stage_models import CutOff, ImportStatus, ResultsImport

#: The funnel: each step counts the applications that ever reached the status (their history);
#: "applied" counts every application past the draft.
FUNNEL: tuple[tuple[ApplicationStatus, str], ...] = (
    (ApplicationStatus.SUBMITTED, N_("Applied")),
    (ApplicationStatus.ADMITTED, N_("Admitted")),
    (ApplicationStatus.REFUSED, N_("Refused admission")),
    (ApplicationStatus.IN_COMPETENCY, N_("Advanced after testing")),
    (ApplicationStatus.IN_VETTING, N_("Advanced after the competency assessment")),
    (ApplicationStatus.IN_INTERVIEW, N_("Cleared for the interview")),
    (ApplicationStatus.ENROLLED, N_("Enrolled in the reserve")),
    (ApplicationStatus.WITHDRAWN, N_("Withdrawn")),
    (ApplicationStatus.REMOVED, N_("Removed")),
)
STAGE_OF: dict[SelectionStatus, ResultStage] = {
    SelectionStatus.TESTING: ResultStage.TESTING,
    SelectionStatus.COMPETENCY: ResultStage.COMPETENCY,
}
DOCUMENT_STAGE = (SelectionStatus.ANNOUNCED, SelectionStatus.INTAKE_OPEN, SelectionStatus.INTAKE_CLOSED)


@dataclass(frozen=True, slots=True)
class FunnelStep:
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Deadline:
    """A date of the selection; `working_days` counts the working days from tomorrow up to it."""

    label: str
    on: date
    working_days: int
    passed: bool


@dataclass(frozen=True, slots=True)
class Dashboard:
    funnel: list[FunnelStep]
    deadlines: list[Deadline]
    blockers: list[str]


async def dashboard(session: AsyncSession, selection: Selection, now: datetime, today: date) -> Dashboard:
    """`today` is the portal's local date of `now` (the clock's time zone)."""
    return Dashboard(
        await funnel(session, selection),
        deadlines(selection, today),
        await blockers(session, selection, now, today),
    )


async def funnel(session: AsyncSession, selection: Selection) -> list[FunnelStep]:
    rows = await session.execute(
        sa.select(
            col(ApplicationEvent.status), sa.func.count(sa.distinct(col(ApplicationEvent.application_id)))
        )
        .join(Application, col(Application.id) == col(ApplicationEvent.application_id))
        .where(
            col(Application.selection_id) == selection.id,
            col(ApplicationEvent.tenant_id) == selection.tenant_id,
        )
        .group_by(col(ApplicationEvent.status))
    )
    reached = {str(status): int(n) for status, n in rows.all()}
    # Every application past the draft was submitted, whatever its history holds (paper registrations
    # and imported legacy files included).
    applied = await session.execute(
        sa.select(sa.func.count())
        .select_from(Application)
        .where(
            col(Application.selection_id) == selection.id,
            col(Application.tenant_id) == selection.tenant_id,
            col(Application.status) != ApplicationStatus.DRAFT,
        )
    )
    reached[ApplicationStatus.SUBMITTED] = int(applied.scalar_one())
    return [FunnelStep(label, reached.get(str(status), 0)) for status, label in FUNNEL]


def _dates(selection: Selection, calendar: WorkCalendar | None) -> list[tuple[str, date | None]]:
    """The selection's dates; the last day to publish needs the calendar and is left out without it."""
    latest = (
        calendar.latest_publication_date(selection.intake_start, selection.notice_working_days)
        if calendar is not None and selection.published_on is None
        else None
    )
    return [
        (N_("Last day to publish"), latest),
        (N_("Document intake opens"), selection.intake_start),
        (N_("Document intake closes"), selection.intake_end),
        (N_("Testing"), selection.testing_on),
        (N_("Competency assessment"), selection.competency_on),
        (N_("Structured interview"), selection.interview_on),
        (N_("Consideration by the commission"), selection.consideration_on),
    ]


def deadlines(selection: Selection, today: date) -> list[Deadline]:
    """Every dated step with its countdown on the working-day calendar (rules.md 5.3)."""
    known = [d for _label, d in _dates(selection, None) if d is not None]
    calendar = calendar_between(min([*known, today]), max([*known, today]))
    found: list[Deadline] = []
    for label, on in _dates(selection, calendar):
        if on is None:
            continue
        left = calendar.working_days_between(today, on + timedelta(days=1)) if on > today else 0
        found.append(Deadline(label, on, left, on < today))
    return found


async def blockers(session: AsyncSession, selection: Selection, now: datetime, today: date) -> list[str]:
    """What stops the next transition today, in the words the transition itself would use."""
    status = selection.status
    if status == SelectionStatus.AWAITING_COMMISSION:
        return [_("Waiting for the commission's approval of the parameters (clause 3).")]
    if status == SelectionStatus.AWAITING_AGREEMENT:
        return [_("Waiting for the Agency's agreement (clause 3).")]
    if status == SelectionStatus.AGREED:
        return _publication_blockers(selection, today)
    if status in DOCUMENT_STAGE:
        return await _document_blockers(session, selection, today)
    if status in STAGE_OF:
        return await _results_blockers(session, selection, STAGE_OF[status])
    return await _later_blockers(session, selection, now)


async def _later_blockers(session: AsyncSession, selection: Selection, now: datetime) -> list[str]:
    """The checks and the interview: their services say what is left (cl. 11, 6(4); [] otherwise)."""
    return [*await vetting.blockers(session, selection), *await interviews.blockers(session, selection, now)]


def _publication_blockers(selection: Selection, today: date) -> list[str]:
    calendar = calendar_between(today, selection.intake_start)
    latest = calendar.latest_publication_date(selection.intake_start, selection.notice_working_days)
    if today > latest:
        return [_("The notice period can no longer be kept: move the intake dates (clause 7).")]
    return []


async def _document_blockers(session: AsyncSession, selection: Selection, today: date) -> list[str]:
    found: list[str] = []
    if today <= selection.intake_end:
        found.append(_("Document intake has not closed yet."))
    undecided = await undecided_count(session, selection)
    if undecided:
        found.append(_("%(count)s applications are still waiting for a decision.", count=undecided))
    return found


async def _results_blockers(session: AsyncSession, selection: Selection, stage: ResultStage) -> list[str]:
    found: list[str] = []
    missing = await results.missing_results(session, selection, stage)
    if missing:
        found.append(_("%(count)s candidates have no result yet: import the results.", count=missing))
    waiting = await session.execute(
        sa.select(sa.func.count())
        .select_from(ResultsImport)
        .where(
            col(ResultsImport.selection_id) == selection.id,
            col(ResultsImport.stage) == stage,
            col(ResultsImport.status) == ImportStatus.PENDING,
        )
    )
    if waiting.scalar_one():
        found.append(_("An import waits for approval by a second person."))
    fixed = await session.execute(
        sa.select(sa.func.count())
        .select_from(CutOff)
        .where(col(CutOff.selection_id) == selection.id, col(CutOff.stage) == stage)
    )
    if not fixed.scalar_one():
        found.append(_("The commission has not fixed the cut-off yet (clause 10)."))
    return found
