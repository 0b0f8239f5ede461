"""What a decided item does (issue 7 item 5; A-RC-3(4): only a commission decision creates a membership).

Enrolment (cl. 12): adopted -> the candidate is enrolled and a reserve membership runs from the
decision date for two years (portal.rules.terms.membership_end, A-10), counted against the
selection's quota and never beyond it (rules.md A-11; per direction when the agreed parameters
give directions their own quotas, A-09); rejected -> not enrolled. Either way the candidate is
told in the language of their application. No quorum -> nothing is decided.

A cut-off (cl. 10) is recorded with its vote; the secretary then fixes it on the cut-off page,
quoting the minutes reference.

Enrolment without selection (ch. 2-1, cl. 13-3): adopted -> a membership of two years outside the
quota (cl. 13-4: the A-11 quota check does not apply); not adopted -> refused, with the recorded legal
reason the secretary gives when closing the item (A-18). Exclusion (cl. 18): adopted -> excluded (the
membership ends, its open proposals are void); not adopted -> the case is closed, the membership goes
on; no quorum -> the case goes back to ready. Both by their own proceedings
(portal.reserve.direct_services, portal.reserve.exclusions), which tell the person.

Selection parameters (cl. 3, A-RC-4(10)): adopted -> the selection waits for the Agency's agreement
(the Agency's queue, as before); not adopted -> back to draft with the secretary's recorded reason
(required, as the Agency's comment when it returns parameters), and whoever sent the draft to the
commission is told in-app; no quorum -> it keeps waiting and is offered again
(portal.selections.drafting.commission_decided records the decision with the minutes reference).
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from babel.dates import format_date
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.models import STATUS_LABELS, Application, ApplicationStatus, CandidateProfile
from portal.applications.queries import titles_of
from portal.applications.services import record_status
from portal.appointments.proposals import Mail
from portal.commission.agenda import ENROLMENT_CANDIDATES, ENROLMENT_SELECTIONS, subject_id
from portal.commission.models import ITEM_CLAUSES, AgendaItem, ItemKind, ItemOutcome, ItemStatus, Meeting
from portal.core.audit import Change, record
from portal.core.settings import LANGUAGES
from portal.i18n import N_, gettext_in
from portal.i18n import gettext as _
from portal.notifications.services import enqueue
from portal.reserve import direct_services as direct
from portal.reserve import exclusions, notices
from portal.reserve.direct_models import STANDING_REQUEST_STATUSES, DirectEnrolmentRequest
from portal.reserve.exclusion_models import ExclusionCase, ExclusionDecision, ExclusionStatus
from portal.reserve.models import MembershipStatus, ReserveMembership
from portal.rules.enrolment import quota_full, reason_needed
from portal.rules.terms import membership_end
from portal.selections import drafting
from portal.selections.drafting import TransitionRefused
from portal.selections.models import Selection, SelectionDirection, SelectionStatus

ENROLMENT_CLAUSE = "12"
TERM_TEXT = N_("You are a member of the regional personnel reserve from %(start)s to %(end)s inclusive.")


@dataclass(frozen=True, slots=True)
class Letters:
    """What the candidates' letters need besides the decision: the region's names and the portal
    (and, for a cl. 18 decision, every region's names and slugs: portal.appointments.views.mail_for)."""

    region: dict[str, str]
    base_url: str
    mail: Mail | None = None
    #: The language of the officials' in-app notices (that of the secretary's request).
    language: str = "kk"


class SubjectGone(TransitionRefused):
    """The item's subject is no longer decidable: a ch. 2-1 request withdrawn or decided, a cl. 18 case
    closed, a candidate no longer waiting for enrolment, a selection no longer awaiting the commission.
    Refuses putting the item to the vote; an item already being voted on closes as
    ItemOutcome.SUBJECT_CHANGED with nothing applied (portal.commission.ballots.close_item)."""


class ReasonNeeded(TransitionRefused):
    """A ch. 2-1 request not adopted: the refusal needs its recorded legal reason (A-18); selection
    parameters not approved: what must change (cl. 3); a selection completed under its quota: why (A-11)."""


REASON_NEEDED = N_(
    "The commission has not adopted the enrolment: give the recorded legal reason of the refusal "
    "(rules.md A-18) and close the vote again."
)


PARAMETERS_REASON_NEEDED = N_(
    "The commission has not approved the parameters: say what must change (the selection returns to "
    "draft with it) and close the vote again."
)
PARAMETERS_NOT_APPROVED = N_("The commission has not approved the parameters of a selection")
PARAMETERS_NOT_APPROVED_TEXT = N_(
    "The commission has not approved the parameters of selection %(reference)s (minutes %(decision)s). "
    "The selection is a draft again: make the changes and send it to the commission again."
)


def protocol_reference(meeting: Meeting, item: AgendaItem) -> str:
    """How the decision is quoted: "№ 3/2025, § 2" (meeting number per region per year, item)."""
    return f"№ {meeting.number}/{meeting.year}, § {item.position}"


async def _application(session: AsyncSession, item: AgendaItem) -> tuple[Application, Selection]:
    row = await session.execute(
        sa.select(Application, Selection)
        .join(Selection, col(Selection.id) == col(Application.selection_id))
        .where(col(Application.id) == item.application_id, col(Application.tenant_id) == item.tenant_id)
        .with_for_update(of=Selection)
    )
    found = row.one_or_none()
    if found is None:
        raise SubjectGone(_("The candidate of this item cannot be found."))
    return found[0], found[1]


async def enrolled_count(session: AsyncSession, selection: Selection, direction: str | None = None) -> int:
    """The selection's enrolments counted in its quota (A-11), of one sector direction if given (A-09)."""
    condition = [
        col(ReserveMembership.selection_id) == selection.id,
        col(ReserveMembership.tenant_id) == selection.tenant_id,
        col(ReserveMembership.counted_in_quota).is_(True),
    ]
    if direction is not None:
        condition.append(col(ReserveMembership.direction_code) == direction)
    total = await session.execute(sa.select(sa.func.count()).select_from(ReserveMembership).where(*condition))
    return int(total.scalar_one())


async def quota_refusal(session: AsyncSession, selection: Selection, application: Application) -> str | None:
    """Why one more enrolment would break the quota (rules.md A-11, A-09), or None."""
    if quota_full(await enrolled_count(session, selection), selection.quota):
        return _(
            "The selection's quota of %(quota)s is reached: no more candidates can be enrolled "
            "(rules.md A-11).",
            quota=selection.quota,
        )
    if application.direction_code is None:
        return None
    own = await session.execute(
        sa.select(col(SelectionDirection.quota)).where(
            col(SelectionDirection.selection_id) == selection.id,
            col(SelectionDirection.direction_code) == application.direction_code,
        )
    )
    quota = own.scalar_one_or_none()
    if quota is None:
        return None
    if quota_full(await enrolled_count(session, selection, application.direction_code), quota):
        return _(
            "The quota of %(quota)s of the candidate's sector direction is reached (rules.md A-09, A-11).",
            quota=quota,
        )
    return None


async def _request(session: AsyncSession, item: AgendaItem) -> DirectEnrolmentRequest:
    found = subject_id(item)
    request = await session.get(DirectEnrolmentRequest, found) if found else None
    if request is None or request.tenant_id != item.tenant_id:
        raise SubjectGone(_("The request of this item cannot be found."))
    return request


async def _case(session: AsyncSession, item: AgendaItem) -> ExclusionCase:
    found = subject_id(item)
    case = await exclusions.region_case(session, item.tenant_id, found) if found else None
    if case is None:
        raise SubjectGone(_("The exclusion case of this item cannot be found."))
    return case


async def _selection(session: AsyncSession, item: AgendaItem) -> Selection:
    row = await session.execute(
        sa.select(Selection)
        .where(col(Selection.id) == item.selection_id, col(Selection.tenant_id) == item.tenant_id)
        .with_for_update()
    )
    selection = row.scalar_one_or_none()
    if selection is None:
        raise SubjectGone(_("The selection of this item cannot be found."))
    return selection


async def check_decidable(session: AsyncSession, item: AgendaItem) -> None:
    """The item's subject can still be decided (else SubjectGone): a candidate still waiting, a ch. 2-1
    request while it stands, a cl. 18 case while it waits for the decision, a selection's parameters
    while they wait for the commission (cl. 3)."""
    if item.kind == ItemKind.SELECTION_PARAMETERS:
        if (await _selection(session, item)).status != SelectionStatus.AWAITING_COMMISSION:
            raise SubjectGone(_("This selection is not waiting for the commission's approval."))
    elif item.kind == ItemKind.DIRECT_ENROLMENT:
        if (await _request(session, item)).status not in STANDING_REQUEST_STATUSES:
            raise SubjectGone(_("The request has already been decided or withdrawn."))
    elif item.kind == ItemKind.EXCLUSION:
        if (await _case(session, item)).status not in exclusions.DECIDABLE:
            raise SubjectGone(_("The case is not waiting for the commission's decision."))
    elif item.kind == ItemKind.ENROLMENT:
        application, _selection_row = await _application(session, item)
        if application.status not in ENROLMENT_CANDIDATES:
            raise SubjectGone(_("The candidate is no longer waiting for the commission's decision."))


async def check_can_open(session: AsyncSession, item: AgendaItem) -> None:
    """An item is put to the vote only while its subject can be decided (check_decidable); an
    enrolment only while the quota allows (A-11; a ch. 2-1 request is outside the quota, cl. 13-4)."""
    await check_decidable(session, item)
    if item.kind != ItemKind.ENROLMENT:
        return
    application, selection = await _application(session, item)
    refusal = await quota_refusal(session, selection, application)
    if refusal is not None:
        raise TransitionRefused(refusal)


async def _email(session: AsyncSession, user_id: uuid.UUID | None) -> str | None:
    if user_id is None:
        return None
    profile = await session.get(CandidateProfile, user_id)
    return profile.email if profile is not None and profile.email else None


async def _tell(
    session: AsyncSession,
    application: Application,
    selection: Selection,
    *,
    letters: Letters,
    next_step: dict[str, str] | None,
    now: datetime,
) -> None:
    if application.user_id is None:
        return  # a paper candidate who never signed in: told by the territorial unit (as cl. 10)
    language = application.language if application.language in LANGUAGES else "kk"
    titles = {
        lang: (await titles_of(session, {selection.id}, lang)).get(selection.id, "") for lang in LANGUAGES
    }
    await enqueue(
        session,
        template="application_decision",
        language=language,
        context={
            "reference": application.reference or "",
            "selection_title": {k: v or selection.reference for k, v in titles.items()},
            "region": letters.region,
            "tracker_url": f"{letters.base_url.rstrip('/')}/me/applications/{application.id}",
            "decision": STATUS_LABELS[application.status],
            "clause": ENROLMENT_CLAUSE,
            "next_step": next_step,
            "decided_at": now.isoformat(),
        },
        recipient=await _email(session, application.user_id),
        user_id=application.user_id,
        tenant_id=application.tenant_id,
        idempotency_key=f"enrolment:{application.id}",
    )


async def apply_enrolment(
    session: AsyncSession,
    meeting: Meeting,
    item: AgendaItem,
    *,
    outcome: ItemOutcome,
    decided_on: date,
    actor: uuid.UUID,
    letters: Letters,
    now: datetime,
) -> ReserveMembership | None:
    """The cl. 12 decision on one candidate: enrolled with a membership, or not enrolled."""
    if outcome == ItemOutcome.NO_QUORUM:
        return None
    application, selection = await _application(session, item)
    if application.status not in ENROLMENT_CANDIDATES:
        raise SubjectGone(_("The candidate is no longer waiting for the commission's decision."))
    reference = protocol_reference(meeting, item)
    if outcome == ItemOutcome.REJECTED:
        application.status = ApplicationStatus.NOT_ENROLLED
        await session.flush()
        await record_status(session, application, str(actor), clause=ENROLMENT_CLAUSE, reason=reference)
        await _tell(session, application, selection, letters=letters, next_step=None, now=now)
        await _complete_when_all_decided(session, selection, actor=actor, reference=reference)
        return None
    refusal = await quota_refusal(session, selection, application)
    if refusal is not None:
        raise TransitionRefused(refusal)
    membership = ReserveMembership(
        tenant_id=application.tenant_id,
        selection_id=selection.id,
        application_id=application.id,
        user_id=application.user_id,
        candidate_iin=application.candidate_iin,
        candidate_name=application.candidate_name,
        direction_code=application.direction_code,
        decision_item_id=item.id,
        meeting_id=meeting.id,
        clause=ENROLMENT_CLAUSE,
        starts_on=decided_on,
        ends_on=membership_end(decided_on),
        status=MembershipStatus.ACTIVE,
        counted_in_quota=True,
    )
    session.add(membership)
    application.status = ApplicationStatus.ENROLLED
    await session.flush()
    await record_status(session, application, str(actor), clause=ENROLMENT_CLAUSE, reason=reference)
    await record(
        session,
        Change(
            "reserve.membership_created",
            "reserve_membership",
            str(membership.id),
            str(actor),
            membership.tenant_id,
            clause=ENROLMENT_CLAUSE,
            after={
                "application": application.reference,
                "starts_on": membership.starts_on,
                "ends_on": membership.ends_on,
                "decision": reference,
            },
        ),
    )
    language = application.language if application.language in LANGUAGES else "kk"
    term = gettext_in(
        language,
        TERM_TEXT,
        start=format_date(membership.starts_on, "d MMMM y", locale=language),
        end=format_date(membership.ends_on, "d MMMM y", locale=language),
    )
    await _tell(session, application, selection, letters=letters, next_step={language: term}, now=now)
    await _complete_when_all_decided(session, selection, actor=actor, reference=reference)
    return membership


#: rules.md A-11: the longest reason the secretary may record for enrolling fewer than the quota.
REASON_MAX = 2000


@dataclass(frozen=True, slots=True)
class QuotaUse:
    """How much of a completed selection's quota the commission filled (A-11)."""

    enrolled: int
    quota: int
    reason: str | None

    @property
    def under_quota(self) -> bool:
        return reason_needed(self.enrolled, self.quota)


async def quota_use(session: AsyncSession, selection: Selection) -> QuotaUse | None:
    """For a completed selection: enrolled against the quota and the recorded reason; else None."""
    if selection.status != SelectionStatus.COMPLETED:
        return None
    return QuotaUse(await enrolled_count(session, selection), selection.quota, selection.under_quota_reason)


async def record_under_quota_reason(
    session: AsyncSession, selection: Selection, reason: str, *, actor: uuid.UUID
) -> None:
    """Record why the commission enrolled fewer candidates than the quota (rules.md A-11; one
    audit event). TransitionRefused when the selection is not completed under its quota."""
    use = await quota_use(session, selection)
    if use is None or not use.under_quota:
        raise TransitionRefused(
            _("Only a completed selection that enrolled fewer than its quota needs a reason.")
        )
    text = reason.strip()
    if not text:
        raise ReasonNeeded(_("Write the commission's reason for enrolling fewer candidates than the quota."))
    if len(text) > REASON_MAX:
        raise ReasonNeeded(_("The reason is longer than %(limit)s characters.", limit=REASON_MAX))
    before = selection.under_quota_reason
    selection.under_quota_reason = text
    await session.flush()
    await record(
        session,
        Change(
            "selection.under_quota_reason",
            "selection",
            str(selection.id),
            str(actor),
            selection.tenant_id,
            clause=ENROLMENT_CLAUSE,
            before={"reason": before} if before else None,
            after={"reason": text, "enrolled": use.enrolled, "quota": use.quota},
        ),
    )


async def _complete_when_all_decided(
    session: AsyncSession, selection: Selection, *, actor: uuid.UUID, reference: str
) -> None:
    """Consideration -> Completed (rules.md 3.1, cl. 12): once the commission has decided on every
    candidate it was considering, the selection is over; its observers' access ends with the
    interview stage, and the reserve's monitoring goes on per membership."""
    if selection.status not in ENROLMENT_SELECTIONS:
        return
    waiting = await session.scalar(
        sa.select(sa.func.count())
        .select_from(Application)
        .where(
            col(Application.selection_id) == selection.id,
            col(Application.status).in_(ENROLMENT_CANDIDATES),
        )
    )
    if waiting:
        return
    before = selection.status
    selection.status = SelectionStatus.COMPLETED
    await session.flush()
    await record(
        session,
        Change(
            "selection.completed",
            "selection",
            str(selection.id),
            str(actor),
            selection.tenant_id,
            clause=ENROLMENT_CLAUSE,
            before={"status": before},
            after={"status": selection.status, "decision": reference},
        ),
    )


async def apply_direct(
    session: AsyncSession,
    meeting: Meeting,
    item: AgendaItem,
    *,
    outcome: ItemOutcome,
    decided_on: date,
    actor: uuid.UUID,
    letters: Letters,
    now: datetime,
    reason: str = "",
) -> ReserveMembership | None:
    """The cl. 13-3 decision on a ch. 2-1 request: enrolled outside the quota (cl. 13-4; no A-11
    check), or refused with the recorded legal reason (A-18). No quorum: the request stays."""
    if outcome == ItemOutcome.NO_QUORUM:
        return None
    if outcome == ItemOutcome.REJECTED and not reason.strip():
        raise ReasonNeeded(_(REASON_NEEDED))
    request = await _request(session, item)
    try:
        return await direct.record_decision(
            session,
            request,
            enrol=outcome == ItemOutcome.ADOPTED,
            actor=actor,
            decided_on=decided_on,
            now=now,
            base_url=letters.base_url,
            meeting_id=meeting.id,
            item_id=item.id,
            refusal_reason=reason,
        )
    except direct.DirectRefused as refused:
        raise TransitionRefused(refused.message) from refused


async def apply_exclusion(
    session: AsyncSession,
    item: AgendaItem,
    *,
    outcome: ItemOutcome,
    actor: uuid.UUID,
    letters: Letters,
    now: datetime,
    reason: str = "",
) -> None:
    """The cl. 18 decision on a case: adopted -> excluded, not adopted -> not excluded (the case
    closed); no quorum -> the case is ready again for a later agenda."""
    case = await _case(session, item)
    mail = letters.mail or Mail(letters.base_url, {item.tenant_id: letters.region}, {})
    try:
        if outcome == ItemOutcome.NO_QUORUM:
            if case.status == ExclusionStatus.ON_AGENDA and case.agenda_item_id == item.id:
                await exclusions.take_off_agenda(session, case, actor=actor)
            return
        decision = (
            ExclusionDecision.EXCLUDED if outcome == ItemOutcome.ADOPTED else ExclusionDecision.NOT_EXCLUDED
        )
        await exclusions.record_decision(
            session, case, decision, actor, now=now, mail=mail, reason=reason.strip(), agenda_item_id=item.id
        )
    except exclusions.ExclusionRefused as refused:
        raise TransitionRefused(refused.message) from refused


async def apply_parameters(
    session: AsyncSession,
    meeting: Meeting,
    item: AgendaItem,
    *,
    outcome: ItemOutcome,
    actor: uuid.UUID,
    letters: Letters,
    now: datetime,
    reason: str = "",
) -> None:
    """The commission's decision on a selection's parameters (cl. 3, A-RC-4(10)): adopted -> the
    Agency's queue; not adopted -> draft with the reason (required: ReasonNeeded), the drafter told
    in-app; no quorum -> nothing decided, the selection keeps waiting."""
    if outcome == ItemOutcome.NO_QUORUM:
        return
    if outcome == ItemOutcome.REJECTED and not reason.strip():
        raise ReasonNeeded(_(PARAMETERS_REASON_NEEDED))
    selection = await _selection(session, item)
    reference = protocol_reference(meeting, item)
    await drafting.commission_decided(
        session,
        selection,
        approved=outcome == ItemOutcome.ADOPTED,
        actor=actor,
        reference=reference,
        meeting_id=meeting.id,
        item_id=item.id,
        reason=reason,
    )
    if outcome == ItemOutcome.ADOPTED:
        return
    drafter = await drafting.drafter_of(session, selection)
    if drafter is None:
        return
    mail = letters.mail or Mail(letters.base_url, {item.tenant_id: letters.region}, {})
    slug = mail.slugs.get(selection.tenant_id, "")
    notice = notices.Notice(
        PARAMETERS_NOT_APPROVED,
        notices.localized(PARAMETERS_NOT_APPROVED_TEXT, reference=selection.reference, decision=reference),
        f"/{slug}/manage/selections/{selection.id}" if slug else "/",
        clause=ITEM_CLAUSES[ItemKind.SELECTION_PARAMETERS],
        reason=reason.strip(),
    )
    await notices.tell_users(
        session,
        [drafter],
        notice,
        mail,
        tenant_id=selection.tenant_id,
        language=letters.language,
        now=now,
    )


async def release_undecided(session: AsyncSession, items: list[AgendaItem], *, actor: uuid.UUID) -> int:
    """A meeting closed with cl. 18 items never put to the vote: their cases are ready again (the
    ch. 2-1 requests stand as they are and are offered again by the agenda). How many were released."""
    released = 0
    for item in items:
        if item.kind != ItemKind.EXCLUSION or item.status != ItemStatus.PENDING:
            continue
        case = await _case(session, item)
        if case.status == ExclusionStatus.ON_AGENDA and case.agenda_item_id == item.id:
            try:
                await exclusions.take_off_agenda(session, case, actor=actor)
            except exclusions.ExclusionRefused as refused:
                raise TransitionRefused(refused.message) from refused
            released += 1
    return released
