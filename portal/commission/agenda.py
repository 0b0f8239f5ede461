"""What is ready for the commission's decision (A-RC-12: the working body builds the agenda from
pending items; issue 7 item 3).

- Cut-offs (cl. 10): a selection at testing or competency whose results are all imported and whose
  cut-off is not fixed yet.
- Enrolments (cl. 6(5), 12): the candidates of selections at the interview or consideration stage
  who attended the structured interview (rules.md A-12: the stage-5 list is the interviewed
  candidates; scoring and the recommendation come with the interview scores).
- Direct enrolments (ch. 2-1, cl. 13-3; A-RC-4(8)): every standing request of the region
  (portal.reserve.direct_services.requests_ready_for_agenda), the earliest due first.
- Exclusions (cl. 18; A-RC-4(9)): the territorial unit's filed cases whose member's comment period
  is over (portal.reserve.exclusions.cases_ready_for_agenda); the item carries the case's clause
  ("18(4)").
- Selection parameters (cl. 3, A-RC-4(10)): the region's selections sent to the commission
  (status "awaiting the commission's approval"), titled by their reference and title; the decision
  sends them to the Agency's agreement or back to draft (portal.commission.decisions).

An item on the agenda of a meeting that is not closed is not offered again; neither is one already
decided (selection parameters: the selection's status says whether it waits, so only an item not yet
decided on a live meeting keeps it off). An item closed without quorum (nothing decided) is offered
again. A request or a case put on an agenda is told so by its own proceedings (`claim`).
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.models import Application, ApplicationStatus
from portal.commission.models import (
    ITEM_CLAUSES,
    AgendaItem,
    ItemKind,
    ItemOutcome,
    Meeting,
    MeetingStatus,
)
from portal.i18n import gettext as _
from portal.reserve import direct_services as direct
from portal.reserve import exclusions
from portal.reserve.direct_models import DirectEnrolmentRequest
from portal.reserve.exclusion_models import ExclusionCase
from portal.reserve.models import ReserveMembership
from portal.rules.grounds import ExclusionGround
from portal.selections.drafting import TransitionRefused
from portal.selections.models import AnnouncementText, Selection, SelectionStatus
from portal.selections.results import STAGE_STATUS, missing_results
from portal.selections.results_import import ResultStage
from portal.selections.stage_models import CutOff, InterviewSlot, SlotStatus, StageResult

ENROLMENT_SELECTIONS = (SelectionStatus.INTERVIEW, SelectionStatus.CONSIDERATION)
ENROLMENT_CANDIDATES = (ApplicationStatus.IN_INTERVIEW, ApplicationStatus.UNDER_CONSIDERATION)
_STAGE_OF_STATUS = {status: stage for stage, status in STAGE_STATUS.items()}
#: The item kinds whose subject is a reserve proceeding, and the subject's key in `AgendaItem.subject`.
RESERVE_SUBJECTS: dict[ItemKind, str] = {
    ItemKind.DIRECT_ENROLMENT: "request_id",
    ItemKind.EXCLUSION: "case_id",
}


@dataclass(frozen=True, slots=True)
class ReserveSubject:
    """How a ch. 2-1 request or a cl. 18 case is shown: the person, and the decision's due date
    (cl. 13-3) or the ground (cl. 18(n)); once decided, the recorded reason."""

    name: str
    ground: ExclusionGround | None = None
    due: date | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ReadyItem:
    """A question the commission can be asked; `key` identifies it in the secretary's form."""

    kind: ItemKind
    selection_id: uuid.UUID | None
    selection_reference: str
    application_id: uuid.UUID | None = None
    candidate_name: str = ""
    candidate_reference: str = ""
    subject: dict[str, Any] = field(default_factory=dict)
    #: A ch. 2-1 request or a cl. 18 case (None for the other kinds).
    reserve: ReserveSubject | None = None

    #: Selection parameters: the selection's title in the reader's language (its reference otherwise).
    selection_title: str = ""

    @property
    def key(self) -> str:
        if self.kind == ItemKind.SELECTION_PARAMETERS:
            return f"{self.kind}:{self.selection_id}"
        if self.kind == ItemKind.CUT_OFF:
            return f"{self.kind}:{self.selection_id}:{self.subject['stage']}"
        if self.kind in RESERVE_SUBJECTS:
            return f"{self.kind}:{self.subject[RESERVE_SUBJECTS[self.kind]]}"
        return f"{self.kind}:{self.application_id}"

    @property
    def clause(self) -> str:
        """The item's clause: a cl. 18 case's own limb ("18(4)"), else the kind's."""
        if self.reserve is not None and self.reserve.ground is not None:
            return self.reserve.ground.clause
        return ITEM_CLAUSES[self.kind]


def subject_id(item: AgendaItem | ReadyItem) -> uuid.UUID | None:
    """The request or case a reserve item is about (None for the other kinds, or a bad subject)."""
    name = RESERVE_SUBJECTS.get(item.kind)
    try:
        return uuid.UUID(str(item.subject[name])) if name else None
    except (KeyError, ValueError):
        return None


async def _busy(session: AsyncSession, tenant_id: str) -> list[AgendaItem]:
    """Items that keep their subject off a new agenda: on a live meeting, or decided."""
    rows = await session.execute(
        sa.select(AgendaItem)
        .join(Meeting, col(Meeting.id) == col(AgendaItem.meeting_id))
        .where(
            col(AgendaItem.tenant_id) == tenant_id,
            sa.or_(
                sa.and_(
                    col(Meeting.status) != MeetingStatus.CLOSED,
                    sa.or_(
                        col(AgendaItem.outcome).is_(None),
                        col(AgendaItem.outcome) != ItemOutcome.NO_QUORUM,
                    ),
                ),
                col(AgendaItem.outcome) == ItemOutcome.ADOPTED,
            ),
        )
    )
    return list(rows.scalars())


def _taken(
    busy: Iterable[AgendaItem],
) -> tuple[set[uuid.UUID], set[tuple[uuid.UUID | None, str]], set[uuid.UUID]]:
    """(applications, cut-offs, reserve requests and cases) on a live agenda or decided."""
    busy = list(busy)
    applications = {i.application_id for i in busy if i.application_id is not None}
    cut_offs = {(i.selection_id, str(i.subject.get("stage"))) for i in busy if i.kind == ItemKind.CUT_OFF}
    subjects = {s for s in map(subject_id, busy) if s is not None}
    return applications, cut_offs, subjects


def _parameters_taken(busy: Iterable[AgendaItem]) -> set[uuid.UUID]:
    """Selections whose parameters are on a live agenda, not yet decided (a decided item does not
    count: a selection returned to draft and sent again waits anew)."""
    return {
        i.selection_id
        for i in busy
        if i.kind == ItemKind.SELECTION_PARAMETERS and i.outcome is None and i.selection_id is not None
    }


async def _parameters(
    session: AsyncSession, tenant_id: str, taken: set[uuid.UUID], language: str
) -> list[ReadyItem]:
    """The selections waiting for the commission's approval of their parameters (cl. 3, A-RC-4(10))."""
    rows = await session.execute(
        sa.select(Selection)
        .where(
            col(Selection.tenant_id) == tenant_id,
            col(Selection.status) == SelectionStatus.AWAITING_COMMISSION,
        )
        .order_by(col(Selection.reference))
    )
    waiting = [s for s in rows.scalars() if s.id not in taken]
    titles = await selection_titles(session, tenant_id, [s.id for s in waiting], language)
    return [
        ReadyItem(
            ItemKind.SELECTION_PARAMETERS,
            selection.id,
            selection.reference,
            selection_title=titles.get(selection.id, ""),
        )
        for selection in waiting
    ]


async def selection_titles(
    session: AsyncSession, tenant_id: str, ids: Iterable[uuid.UUID], language: str
) -> dict[uuid.UUID, str]:
    """The announcement titles of the selections, in `language`, else Kazakh (R-7: kk and ru kept)."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = await session.execute(
        sa.select(AnnouncementText).where(
            col(AnnouncementText.tenant_id) == tenant_id, col(AnnouncementText.selection_id).in_(wanted)
        )
    )
    found: dict[uuid.UUID, dict[str, str]] = {}
    for text in rows.scalars():
        found.setdefault(text.selection_id, {})[text.language] = text.title
    return {sid: by.get(language) or by.get("kk") or next(iter(by.values()), "") for sid, by in found.items()}


async def _cut_offs(
    session: AsyncSession, tenant_id: str, taken: set[tuple[uuid.UUID | None, str]]
) -> list[ReadyItem]:
    selections = await session.execute(
        sa.select(Selection)
        .where(col(Selection.tenant_id) == tenant_id, col(Selection.status).in_(tuple(_STAGE_OF_STATUS)))
        .order_by(col(Selection.reference))
    )
    found = []
    for selection in selections.scalars():
        stage: ResultStage = _STAGE_OF_STATUS[selection.status]
        if (selection.id, str(stage)) in taken:
            continue
        fixed = await session.execute(
            sa.select(col(CutOff.id)).where(
                col(CutOff.selection_id) == selection.id, col(CutOff.stage) == stage
            )
        )
        results = await session.execute(
            sa.select(sa.func.count())
            .select_from(StageResult)
            .where(col(StageResult.selection_id) == selection.id, col(StageResult.stage) == stage)
        )
        if fixed.first() is not None or not results.scalar_one():
            continue
        if await missing_results(session, selection, stage):
            continue
        found.append(
            ReadyItem(ItemKind.CUT_OFF, selection.id, selection.reference, subject={"stage": str(stage)})
        )
    return found


async def _enrolments(session: AsyncSession, tenant_id: str, taken: set[uuid.UUID]) -> list[ReadyItem]:
    rows = await session.execute(
        sa.select(Application, Selection)
        .join(Selection, col(Selection.id) == col(Application.selection_id))
        .join(InterviewSlot, col(InterviewSlot.application_id) == col(Application.id))
        .where(
            col(Application.tenant_id) == tenant_id,
            col(Selection.tenant_id) == tenant_id,
            col(Selection.status).in_(ENROLMENT_SELECTIONS),
            col(Application.status).in_(ENROLMENT_CANDIDATES),
            col(InterviewSlot.status) == SlotStatus.ATTENDED,
        )
        .order_by(col(Selection.reference), col(Application.reference))
    )
    return [
        ReadyItem(
            ItemKind.ENROLMENT,
            selection.id,
            selection.reference,
            application.id,
            application.candidate_name,
            application.reference or "",
        )
        for application, selection in rows.all()
        if application.id not in taken
    ]


async def _direct_requests(session: AsyncSession, tenant_id: str, taken: set[uuid.UUID]) -> list[ReadyItem]:
    """The standing ch. 2-1 requests (cl. 13-3), the earliest due first; one on a live agenda is left out."""
    return [
        ReadyItem(
            ItemKind.DIRECT_ENROLMENT,
            None,
            "",
            candidate_name=request.candidate_name,
            subject={"request_id": str(request.id)},
            reserve=ReserveSubject(request.candidate_name, due=request.decision_due),
        )
        for request in await direct.requests_ready_for_agenda(session, tenant_id)
        if request.id not in taken
    ]


async def _members(session: AsyncSession, tenant_id: str, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    rows = await session.execute(
        sa.select(col(ReserveMembership.id), col(ReserveMembership.candidate_name)).where(
            col(ReserveMembership.id).in_(set(ids)), col(ReserveMembership.tenant_id) == tenant_id
        )
    )
    return {membership_id: str(name) for membership_id, name in rows.all()}


async def _exclusions(
    session: AsyncSession, tenant_id: str, taken: set[uuid.UUID], today: date | None
) -> list[ReadyItem]:
    """The cl. 18 cases ready for the commission (filed, the comment period over), oldest first."""
    cases = [
        c
        for c in await exclusions.cases_ready_for_agenda(session, tenant_id, today=today)
        if c.id not in taken
    ]
    names = await _members(session, tenant_id, (c.membership_id for c in cases))
    return [
        ReadyItem(
            ItemKind.EXCLUSION,
            None,
            "",
            candidate_name=names.get(case.membership_id, ""),
            subject={"case_id": str(case.id)},
            reserve=ReserveSubject(names.get(case.membership_id, ""), ground=ExclusionGround(case.ground)),
        )
        for case in cases
    ]


async def ready_items(
    session: AsyncSession, tenant_id: str, today: date | None = None, *, language: str = "kk"
) -> list[ReadyItem]:
    """Everything the commission of the region can be asked to decide now (selection parameters and
    cut-offs first). With `today`, a cl. 18 case whose comment period ended before it is ready even
    before the reserve job has moved it; `language`: that of the selections' titles."""
    busy = await _busy(session, tenant_id)
    applications, cut_offs, subjects = _taken(busy)
    return [
        *await _parameters(session, tenant_id, _parameters_taken(busy), language),
        *await _cut_offs(session, tenant_id, cut_offs),
        *await _enrolments(session, tenant_id, applications),
        *await _direct_requests(session, tenant_id, subjects),
        *await _exclusions(session, tenant_id, subjects, today),
    ]


async def claim(
    session: AsyncSession, items: Iterable[AgendaItem], *, actor: uuid.UUID, today: date | None = None
) -> None:
    """Tell the proceedings of the ch. 2-1 requests and cl. 18 cases just put on an agenda (their
    status "on the agenda", with the item); refused when one is no longer waiting."""
    for item in items:
        found = subject_id(item)
        if found is None:
            continue
        try:
            if item.kind == ItemKind.DIRECT_ENROLMENT:
                request = await session.get(DirectEnrolmentRequest, found)
                if request is None or request.tenant_id != item.tenant_id:
                    raise direct.DirectRefused(_("The request has already been decided or withdrawn."))
                await direct.put_on_agenda(session, request, item_id=item.id, actor=actor)
            else:
                case = await exclusions.region_case(session, item.tenant_id, found)
                if case is None:
                    raise exclusions.ExclusionRefused(_("The case is not ready for the commission's agenda."))
                await exclusions.put_on_agenda(
                    session, case, agenda_item_id=item.id, actor=actor, today=today
                )
        except (direct.DirectRefused, exclusions.ExclusionRefused) as refused:
            raise TransitionRefused(refused.message) from refused


async def reserve_subjects(
    session: AsyncSession, items: Sequence[AgendaItem]
) -> dict[uuid.UUID, ReserveSubject]:
    """How the ch. 2-1 and cl. 18 items of an agenda are shown, by item id (the decided ones with
    their recorded reason)."""
    ids = {i.id: s for i in items if (s := subject_id(i)) is not None}
    if not ids:
        return {}
    tenant_id = items[0].tenant_id
    requests = await session.execute(
        sa.select(DirectEnrolmentRequest).where(
            col(DirectEnrolmentRequest.id).in_(set(ids.values())),
            col(DirectEnrolmentRequest.tenant_id) == tenant_id,
        )
    )
    cases = list(
        (
            await session.execute(
                sa.select(ExclusionCase).where(
                    col(ExclusionCase.id).in_(set(ids.values())), col(ExclusionCase.tenant_id) == tenant_id
                )
            )
        ).scalars()
    )
    names = await _members(session, tenant_id, (c.membership_id for c in cases))
    found: dict[uuid.UUID, ReserveSubject] = {
        r.id: ReserveSubject(r.candidate_name, due=r.decision_due, reason=r.refusal_reason)
        for r in requests.scalars()
    }
    for case in cases:
        found[case.id] = ReserveSubject(
            names.get(case.membership_id, ""),
            ground=ExclusionGround(case.ground),
            reason=case.decision_reason,
        )
    return {item_id: found[s] for item_id, s in ids.items() if s in found}


def chosen(ready: Sequence[ReadyItem], keys: Iterable[str]) -> tuple[list[ReadyItem], set[str]]:
    """The ready items the secretary ticked, and the ticked keys no longer ready."""
    by_key = {item.key: item for item in ready}
    wanted = list(dict.fromkeys(keys))
    return [by_key[k] for k in wanted if k in by_key], {k for k in wanted if k not in by_key}
