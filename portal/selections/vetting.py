"""Cl. 11: the checks before the structured interview, and what follows from them (cl. 13(3), 6(4)).

For each candidate in vetting the territorial unit keeps a checklist: one `VettingCheck` per item
of portal.rules.vetting.CHECK_ITEMS (Civil Service Law art. 16 p. 3), created when the item is
first recorded: the state body asked, the request date, the reply's reference and file, the
finding (pending / clear / adverse) and a note. A request without a reply after the configured
number of working days is overdue (rules.md A-RC-4(1)).

The conclusion is portal.rules.vetting.cl11_conclusion. The moment it becomes non-compliant the
service proposes the candidate's removal on ground 13(3) (R-11: "a non-compliant conclusion
creates a removal"); the commission decides on it (rules.md A-16, 3.7), its secretary recording
the decision with the minutes. Removed: the candidate leaves the selection and is told why.
Rejected: the adverse items are pending again and the check is done again. While a proposal
waits, the candidate's checklist is frozen.

Vetting closes (selection VETTING -> INTERVIEW, rules.md 3.1) once no check is pending and no
proposal waits; every cleared candidate goes to the interview (cl. 6(4)) and is told so.
Every change is one transaction of the caller with one audit event per state change.
"""

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.documents import DocumentRejected, RejectionCode
from portal.applications.models import Application, ApplicationEvent, ApplicationStatus, CandidateProfile
from portal.applications.queries import titles_of
from portal.applications.services import record_status
from portal.applications.uploads import Received, _chunks
from portal.core.audit import Change, record
from portal.core.settings import LANGUAGES
from portal.core.storage import Storage, TooLarge
from portal.i18n import N_, ngettext
from portal.i18n import gettext as _
from portal.notifications.services import enqueue
from portal.rules.calendar import WorkCalendar
from portal.rules.grounds import RefusalGround
from portal.rules.vetting import (
    CHECK_ITEMS,
    CheckItem,
    Conclusion,
    a_rc_4_1_reply_due,
    a_rc_4_1_reply_overdue,
    cl11_conclusion,
    cl11_may_schedule_interview,
)
from portal.selections.drafting import TransitionRefused, calendar_for
from portal.selections.models import Selection, SelectionStatus
from portal.selections.stage_models import (
    ProposalDecision,
    RemovalProposal,
    VettingCheck,
    VettingReply,
    VettingStatus,
)
from portal.selections.views import Page

ITEMS: dict[str, CheckItem] = {item.code: item for item in CHECK_ITEMS}
GROUND = RefusalGround.NON_COMPLIANCE_WITH_ART_16_3
CLEARED_TEXT = N_("Cleared by the checks before the interview")
REMOVED_TEXT = N_("Removed from the selection")
NEXT_INTERVIEW = N_("You will be invited to the structured interview (clause 6(4)).")
CONCLUSION_LABELS: dict[Conclusion, str] = {
    Conclusion.PENDING: N_("Checks pending"),
    Conclusion.CLEARED: N_("Cleared"),
    Conclusion.NON_COMPLIANT: N_("Non-compliant (clause 13(3))"),
}
STATUS_LABELS: dict[VettingStatus, str] = {
    VettingStatus.PENDING: N_("Pending"),
    VettingStatus.CLEAR: N_("Clear"),
    VettingStatus.ADVERSE: N_("Adverse finding"),
}
#: The order of the list by conclusion: what needs attention first.
_CONCLUSION_ORDER = {Conclusion.NON_COMPLIANT: 0, Conclusion.PENDING: 1, Conclusion.CLEARED: 2}


# --- reading --------------------------------------------------------------------------------------


def _calendar(first: date, today: date) -> WorkCalendar:
    """The working-day calendar from the earliest request to a little after today (due dates)."""
    start = min(first, today)
    return calendar_for(tuple(range(start.year, today.year + 2)))


@dataclass(frozen=True, slots=True)
class Line:
    """One item of a candidate's checklist, recorded or not yet."""

    item: CheckItem
    check: VettingCheck | None
    reply: VettingReply | None
    due: date | None
    overdue: bool

    @property
    def status(self) -> VettingStatus:
        return self.check.status if self.check is not None else VettingStatus.PENDING

    def authority(self, language: str) -> str:
        """The state body asked: as recorded, else the one usually asked about the item."""
        if self.check is not None and self.check.authority:
            return self.check.authority
        return self.item.authority.get(language)


def _replied(check: VettingCheck, reply: VettingReply | None) -> bool:
    return bool(check.reply_reference) or reply is not None or check.status != VettingStatus.PENDING


def _lines(
    checks: Mapping[str, VettingCheck],
    replies: Mapping[uuid.UUID, VettingReply],
    *,
    today: date,
    reply_wd: int,
) -> tuple[Line, ...]:
    asked = [c.requested_on for c in checks.values() if c.requested_on is not None]
    calendar = _calendar(min(asked), today) if asked else None
    lines = []
    for item in CHECK_ITEMS:
        check = checks.get(item.code)
        reply = replies.get(check.id) if check is not None else None
        due = overdue = None
        if check is not None and check.requested_on is not None and calendar is not None:
            due = a_rc_4_1_reply_due(check.requested_on, calendar, reply_wd)
            overdue = a_rc_4_1_reply_overdue(
                check.requested_on,
                replied=_replied(check, reply),
                today=today,
                calendar=calendar,
                reply_wd=reply_wd,
            )
        lines.append(Line(item, check, reply, due, bool(overdue)))
    return tuple(lines)


def conclusion_of(checks: Mapping[str, VettingCheck]) -> Conclusion:
    """Cl. 11 conclusion of one candidate from the recorded checks (portal.rules.vetting)."""
    return cl11_conclusion({code: check.status.value for code, check in checks.items()})


async def _checks_by_application(
    session: AsyncSession, application_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, dict[str, VettingCheck]]:
    found: dict[uuid.UUID, dict[str, VettingCheck]] = {}
    ids = list(application_ids)
    if not ids:
        return found
    rows = await session.execute(sa.select(VettingCheck).where(col(VettingCheck.application_id).in_(ids)))
    for check in rows.scalars():
        if check.item in ITEMS:
            found.setdefault(check.application_id, {})[check.item] = check
    return found


async def _replies(session: AsyncSession, check_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, VettingReply]:
    ids = list(check_ids)
    if not ids:
        return {}
    rows = await session.execute(sa.select(VettingReply).where(col(VettingReply.check_id).in_(ids)))
    return {reply.check_id: reply for reply in rows.scalars()}


async def open_proposals(
    session: AsyncSession, application_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, RemovalProposal]:
    """The proposals still waiting for the commission, by application."""
    ids = list(application_ids)
    if not ids:
        return {}
    rows = await session.execute(
        sa.select(RemovalProposal).where(
            col(RemovalProposal.application_id).in_(ids),
            col(RemovalProposal.decision) == ProposalDecision.PENDING,
        )
    )
    return {proposal.application_id: proposal for proposal in rows.scalars()}


async def proposals_of(session: AsyncSession, application_id: uuid.UUID) -> list[RemovalProposal]:
    rows = await session.execute(
        sa.select(RemovalProposal)
        .where(col(RemovalProposal.application_id) == application_id)
        .order_by(col(RemovalProposal.proposed_at).desc())
    )
    return list(rows.scalars())


@dataclass(frozen=True, slots=True)
class Checklist:
    """A candidate's cl. 11 checks, their conclusion, and the removal proposals made on them."""

    application: Application
    lines: tuple[Line, ...]
    conclusion: Conclusion
    proposals: tuple[RemovalProposal, ...]

    @property
    def open_proposal(self) -> RemovalProposal | None:
        return next((p for p in self.proposals if p.decision == ProposalDecision.PENDING), None)

    @property
    def editable(self) -> bool:
        """Checks are recorded while the candidate is in vetting and no proposal waits (frozen then)."""
        return self.application.status == ApplicationStatus.IN_VETTING and self.open_proposal is None


async def checklist(
    session: AsyncSession, application: Application, *, today: date, reply_wd: int
) -> Checklist:
    checks = (await _checks_by_application(session, [application.id])).get(application.id, {})
    replies = await _replies(session, [c.id for c in checks.values()])
    return Checklist(
        application,
        _lines(checks, replies, today=today, reply_wd=reply_wd),
        conclusion_of(checks),
        tuple(await proposals_of(session, application.id)),
    )


async def reply_of(session: AsyncSession, application: Application, item: str) -> VettingReply | None:
    """The stored reply of one item of this candidate (the caller has scoped the application)."""
    row = await session.execute(
        sa.select(VettingReply)
        .join(VettingCheck, col(VettingCheck.id) == col(VettingReply.check_id))
        .where(col(VettingCheck.application_id) == application.id, col(VettingCheck.item) == item)
    )
    return row.scalar_one_or_none()


def _in_vetting_clause(selection: Selection) -> sa.ColumnElement[bool]:
    """Candidates of the selection in vetting now, or who have been (history keeps the step)."""
    reached = sa.select(col(ApplicationEvent.application_id)).where(
        col(ApplicationEvent.status) == ApplicationStatus.IN_VETTING,
        col(ApplicationEvent.tenant_id) == selection.tenant_id,
    )
    return sa.and_(
        col(Application.selection_id) == selection.id,
        col(Application.tenant_id) == selection.tenant_id,
        sa.or_(col(Application.status) == ApplicationStatus.IN_VETTING, col(Application.id).in_(reached)),
    )


async def vetted_application(
    session: AsyncSession, selection: Selection, application_id: uuid.UUID
) -> Application | None:
    """A candidate of this selection (and region) at the checks or past them; None otherwise (404)."""
    row = await session.execute(
        sa.select(Application).where(col(Application.id) == application_id, _in_vetting_clause(selection))
    )
    return row.scalar_one_or_none()


@dataclass(frozen=True, slots=True)
class Row:
    """One candidate in the vetting list."""

    application: Application
    conclusion: Conclusion
    adverse: tuple[str, ...]
    pending: int
    overdue: int
    proposal: RemovalProposal | None


class Sort(StrEnum):
    REFERENCE = "reference"
    NAME = "name"
    CONCLUSION = "conclusion"


@dataclass(frozen=True, slots=True)
class Listing:
    page: Page[Row]
    counts: dict[Conclusion, int] = field(default_factory=dict)


def _sort_key(sort: Sort, row: Row) -> tuple[object, ...]:
    reference = row.application.reference or ""
    if sort == Sort.NAME:
        return (row.application.candidate_name.casefold(), reference)
    if sort == Sort.CONCLUSION:
        return (_CONCLUSION_ORDER[row.conclusion], reference)
    return (reference,)


async def candidates(
    session: AsyncSession,
    selection: Selection,
    *,
    conclusion: Conclusion | None,
    sort: Sort,
    descending: bool,
    page: int,
    today: date,
    reply_wd: int,
    page_size: int = 50,
) -> Listing:
    """The candidates of the vetting step with their conclusion, filtered, sorted and paginated.

    The conclusion is a legal computation (portal.rules.vetting), so it is made here rather than in
    SQL; a selection's vetting step holds the candidates of one cut-off (tens, at most hundreds).
    """
    applications = list(
        (await session.execute(sa.select(Application).where(_in_vetting_clause(selection)))).scalars()
    )
    ids = [a.id for a in applications]
    checks = await _checks_by_application(session, ids)
    replies = await _replies(session, [c.id for found in checks.values() for c in found.values()])
    proposals = await open_proposals(session, ids)
    rows = []
    for application in applications:
        own = checks.get(application.id, {})
        lines = _lines(own, replies, today=today, reply_wd=reply_wd)
        rows.append(
            Row(
                application,
                conclusion_of(own),
                tuple(line.item.code for line in lines if line.status == VettingStatus.ADVERSE),
                sum(1 for line in lines if line.status == VettingStatus.PENDING),
                sum(1 for line in lines if line.overdue),
                proposals.get(application.id),
            )
        )
    counts = {c: sum(1 for r in rows if r.conclusion == c) for c in Conclusion}
    chosen = [r for r in rows if conclusion is None or r.conclusion == conclusion]
    chosen.sort(key=lambda r: _sort_key(sort, r), reverse=descending)
    start = (page - 1) * page_size
    return Listing(Page(tuple(chosen[start : start + page_size]), page, page_size, len(chosen)), counts)


# --- recording a check ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """What the officer records for one item (already checked for form and length)."""

    status: VettingStatus
    authority: str
    requested_on: date | None
    reply_reference: str
    note: str


def _check_state(selection: Selection, application: Application) -> None:
    if selection.status != SelectionStatus.VETTING or application.selection_id != selection.id:
        raise TransitionRefused(_("The selection is not at the checks before the interview."))
    if application.status != ApplicationStatus.IN_VETTING:
        raise TransitionRefused(_("The candidate is not at the checks before the interview."))


async def _store(
    storage: Storage, received: Received, *, tenant_id: str, max_bytes: int
) -> tuple[str, str, int]:
    try:
        stored = await storage.save(_chunks(received.path), max_bytes=max_bytes, tenant_id=tenant_id)
    except TooLarge as error:  # images may grow a little when re-encoded
        raise DocumentRejected(RejectionCode.TOO_LARGE) from error
    finally:
        received.path.unlink(missing_ok=True)
    return stored.key, stored.sha256, stored.size


@dataclass(frozen=True, slots=True)
class Recorded:
    """The outcome of recording an item: a new removal proposal, and a replaced file to delete."""

    proposal: RemovalProposal | None
    replaced_key: str | None


@dataclass(frozen=True, slots=True)
class Upload:
    """A checked reply file waiting to be stored, and where storage is."""

    received: Received
    storage: Storage
    max_bytes: int


async def record_check(
    session: AsyncSession,
    selection: Selection,
    application: Application,
    item: str,
    entry: Entry,
    *,
    upload: Upload | None,
    actor: uuid.UUID,
    now: datetime,
) -> Recorded:
    """Record one cl. 11 item; a non-compliant conclusion becomes a removal proposal (cl. 13(3))."""
    if item not in ITEMS:
        raise TransitionRefused(_("Unknown check."))
    _check_state(selection, application)
    if await open_proposals(session, [application.id]):
        raise TransitionRefused(
            _("A removal proposal waits for the commission's decision: the checks cannot change now.")
        )
    checks = (await _checks_by_application(session, [application.id])).get(application.id, {})
    check = checks.get(item)
    reply = (await _replies(session, [check.id])).get(check.id) if check is not None else None
    if entry.status != VettingStatus.PENDING and not (entry.reply_reference or reply or upload):
        raise TransitionRefused(_("Record the reply (its reference or its document) before the finding."))
    if entry.status == VettingStatus.ADVERSE and not entry.note:
        raise TransitionRefused(_("Describe the adverse finding: the commission decides on it."))
    if check is None:
        check = VettingCheck(tenant_id=application.tenant_id, application_id=application.id, item=item)
        session.add(check)
        checks[item] = check
    check.status, check.authority = entry.status, entry.authority
    check.requested_on, check.reply_reference, check.note = (
        entry.requested_on,
        entry.reply_reference,
        entry.note,
    )
    check.updated_by, check.updated_at = actor, now
    await session.flush()
    replaced, digest = await _attach(session, check, reply, upload, actor=actor)
    await record(
        session,
        Change(
            "vetting.check_recorded",
            "application",
            str(application.id),
            str(actor),
            application.tenant_id,
            clause="11",
            after={
                "item": item,
                "status": entry.status,
                "authority": entry.authority,
                "requested_on": entry.requested_on,
                "reply_reference": entry.reply_reference,
                "reply_sha256": digest,
            },
        ),
    )
    proposal = await _propose_if_non_compliant(session, application, checks, actor=actor, now=now)
    return Recorded(proposal, replaced)


async def _attach(
    session: AsyncSession,
    check: VettingCheck,
    previous: VettingReply | None,
    upload: Upload | None,
    *,
    actor: uuid.UUID,
) -> tuple[str | None, str | None]:
    """Store a new reply file for the check; returns the replaced file's key and the new SHA-256."""
    if upload is None:
        return None, None
    key, sha256, size = await _store(
        upload.storage, upload.received, tenant_id=check.tenant_id, max_bytes=upload.max_bytes
    )
    replaced = previous.storage_key if previous is not None else None
    if previous is not None:
        await session.delete(previous)
        await session.flush()
    session.add(
        VettingReply(
            tenant_id=check.tenant_id,
            check_id=check.id,
            storage_key=key,
            sha256=sha256,
            size=size,
            media_type=upload.received.media_type,
            display_name=upload.received.display_name,
            uploaded_by=actor,
            uploaded_at=check.updated_at,
        )
    )
    await session.flush()
    return replaced, sha256


async def _propose_if_non_compliant(
    session: AsyncSession,
    application: Application,
    checks: Mapping[str, VettingCheck],
    *,
    actor: uuid.UUID,
    now: datetime,
) -> RemovalProposal | None:
    if conclusion_of(checks) != Conclusion.NON_COMPLIANT:
        return None
    adverse = [code for code, check in checks.items() if check.status == VettingStatus.ADVERSE]
    proposal = RemovalProposal(
        tenant_id=application.tenant_id,
        application_id=application.id,
        ground=GROUND.value,
        items=sorted(adverse, key=list(ITEMS).index),
        proposed_by=actor,
        proposed_at=now,
    )
    session.add(proposal)
    await session.flush()
    await record(
        session,
        Change(
            "vetting.removal_proposed",
            "application",
            str(application.id),
            str(actor),
            application.tenant_id,
            clause=GROUND.clause,
            after={"proposal": proposal.id, "ground": GROUND.value, "items": proposal.items},
        ),
    )
    return proposal


# --- telling the candidates -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mail:
    """What the candidates' letters name, in each language, and where they go."""

    region: Mapping[str, str]
    selection_title: Mapping[str, str]
    base_url: str
    emails: Mapping[uuid.UUID, str]


async def mail_for(
    session: AsyncSession, selection: Selection, *, region: Mapping[str, str], base_url: str
) -> Mail:
    titles: dict[str, str] = {
        language: (await titles_of(session, {selection.id}, language)).get(selection.id, selection.reference)
        for language in LANGUAGES
    }
    rows = await session.execute(
        sa.select(col(Application.user_id), col(CandidateProfile.email))
        .join(CandidateProfile, col(CandidateProfile.user_id) == col(Application.user_id))
        .where(col(Application.selection_id) == selection.id)
    )
    emails = {user_id: email for user_id, email in rows.all() if email and user_id is not None}
    return Mail(region, titles, base_url, emails)


async def _tell(
    session: AsyncSession,
    application: Application,
    mail: Mail,
    *,
    decision: str,
    clause: str,
    reason: Mapping[str, str] | str,
    next_step: str,
    key: str,
    now: datetime,
) -> None:
    if application.user_id is None:
        return  # a paper candidate who never signed in: told by the territorial unit (as cl. 10)
    await enqueue(
        session,
        template="application_decision",
        language=application.language,
        context={
            "reference": application.reference or "",
            "selection_title": dict(mail.selection_title),
            "region": dict(mail.region),
            "tracker_url": f"{mail.base_url.rstrip('/')}/me/applications/{application.id}",
            "decision": decision,
            "clause": clause,
            "reason": reason if isinstance(reason, str) else dict(reason),
            "next_step": next_step,
            "decided_at": now.isoformat(),
        },
        recipient=mail.emails.get(application.user_id),
        user_id=application.user_id,
        tenant_id=application.tenant_id,
        idempotency_key=key,
    )


def ground_title(language: str) -> str:
    """The title of ground 13(3) as a sentence ("Non-compliance with art. 16 p. 3 ...")."""
    title = GROUND.title_in(language)
    return f"{title[:1].upper()}{title[1:]}"


def removal_reason(items: Sequence[str]) -> dict[str, str]:
    """Cl. 13(3) with the art. 16 p. 3 requirements not met, in every language (for the letter)."""
    reasons: dict[str, str] = {}
    for language in LANGUAGES:
        found = "; ".join(ITEMS[code].title.get(language) for code in items if code in ITEMS)
        reasons[language] = f"{ground_title(language)}: {found}" if found else ground_title(language)
    return reasons


# --- the commission's decision on a proposal ------------------------------------------------------


async def decide_proposal(
    session: AsyncSession,
    proposal: RemovalProposal,
    application: Application,
    *,
    remove: bool,
    minutes: str,
    actor: uuid.UUID,
    mail: Mail,
    now: datetime,
) -> None:
    """The commission's decision on a removal proposal, recorded by its secretary (A-16, 3.7)."""
    if proposal.decision != ProposalDecision.PENDING:
        raise TransitionRefused(_("The commission has already decided on this proposal."))
    if not minutes.strip():
        raise TransitionRefused(_("Give the number and date of the commission's minutes."))
    if application.status != ApplicationStatus.IN_VETTING:
        raise TransitionRefused(_("The candidate is not at the checks before the interview."))
    proposal.decision = ProposalDecision.REMOVED if remove else ProposalDecision.REJECTED
    proposal.decided_by, proposal.decided_at, proposal.minutes = actor, now, minutes.strip()
    reopened = [] if remove else await _reopen(session, proposal, actor=actor, now=now)
    await session.flush()
    await record(
        session,
        Change(
            "vetting.removal_decided",
            "application",
            str(application.id),
            str(actor),
            application.tenant_id,
            clause=GROUND.clause,
            after={
                "proposal": proposal.id,
                "decision": proposal.decision,
                "minutes": proposal.minutes,
                "items": proposal.items,
                "reopened": reopened,
            },
        ),
    )
    if remove:
        await _remove(session, proposal, application, actor=actor, mail=mail, now=now)


async def _reopen(
    session: AsyncSession, proposal: RemovalProposal, *, actor: uuid.UUID, now: datetime
) -> list[str]:
    """The commission did not remove: the adverse findings are checked again (pending)."""
    checks = (await _checks_by_application(session, [proposal.application_id])).get(
        proposal.application_id, {}
    )
    reopened = []
    for code in proposal.items:
        check = checks.get(code)
        if check is not None and check.status == VettingStatus.ADVERSE:
            check.status, check.updated_by, check.updated_at = VettingStatus.PENDING, actor, now
            reopened.append(code)
    return reopened


async def _remove(
    session: AsyncSession,
    proposal: RemovalProposal,
    application: Application,
    *,
    actor: uuid.UUID,
    mail: Mail,
    now: datetime,
) -> None:
    reason = removal_reason(proposal.items)
    application.status = ApplicationStatus.REMOVED
    await session.flush()
    await record_status(
        session, application, str(actor), clause=GROUND.clause, reason=reason.get(application.language, "")
    )
    await _tell(
        session,
        application,
        mail,
        decision=REMOVED_TEXT,
        clause=GROUND.clause,
        reason=reason,
        next_step="",
        key=f"removal:{proposal.id}",
        now=now,
    )


# --- closing vetting ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class State:
    """Where the candidates in vetting stand (what closing needs)."""

    conclusions: dict[uuid.UUID, Conclusion]
    open_proposals: int

    def count(self, conclusion: Conclusion) -> int:
        return sum(1 for c in self.conclusions.values() if c == conclusion)


async def _current(session: AsyncSession, selection: Selection) -> tuple[list[Application], State]:
    applications = list(
        (
            await session.execute(
                sa.select(Application).where(
                    col(Application.selection_id) == selection.id,
                    col(Application.tenant_id) == selection.tenant_id,
                    col(Application.status) == ApplicationStatus.IN_VETTING,
                )
            )
        ).scalars()
    )
    ids = [a.id for a in applications]
    checks = await _checks_by_application(session, ids)
    conclusions = {a.id: conclusion_of(checks.get(a.id, {})) for a in applications}
    return applications, State(conclusions, len(await open_proposals(session, ids)))


def blockers_of(state: State) -> list[str]:
    """Why vetting cannot close yet, in the words the refusal uses (rules.md 3.1: no check pending)."""
    found = []
    pending = state.count(Conclusion.PENDING)
    if pending:
        found.append(
            ngettext(
                "%(num)s candidate still has checks pending (clause 11).",
                "%(num)s candidates still have checks pending (clause 11).",
                pending,
            )
        )
    if state.open_proposals:
        found.append(
            ngettext(
                "%(num)s removal proposal waits for the commission's decision (clause 13(3)).",
                "%(num)s removal proposals wait for the commission's decision (clause 13(3)).",
                state.open_proposals,
            )
        )
    unproposed = state.count(Conclusion.NON_COMPLIANT) - state.open_proposals
    if unproposed > 0:
        found.append(
            ngettext(
                "%(num)s non-compliant candidate has no removal proposal.",
                "%(num)s non-compliant candidates have no removal proposal.",
                unproposed,
            )
        )
    return found


async def blockers(session: AsyncSession, selection: Selection) -> list[str]:
    if selection.status != SelectionStatus.VETTING:
        return []
    return blockers_of((await _current(session, selection))[1])


async def close_vetting(
    session: AsyncSession, selection: Selection, *, actor: uuid.UUID, mail: Mail, now: datetime
) -> int:
    """Vetting -> interview (rules.md 3.1): every cleared candidate is invited (cl. 6(4), 11).

    Returns how many candidates go to the interview.
    """
    if selection.status != SelectionStatus.VETTING:
        raise TransitionRefused(_("The selection is not at the checks before the interview."))
    applications, state = await _current(session, selection)
    found = blockers_of(state)
    if found:
        raise TransitionRefused(" ".join(found))
    cleared = [a for a in applications if cl11_may_schedule_interview(state.conclusions[a.id])]
    for application in cleared:
        application.status = ApplicationStatus.IN_INTERVIEW
        await session.flush()
        await record_status(session, application, str(actor), clause="11", reason=CLEARED_TEXT)
        await _tell(
            session,
            application,
            mail,
            decision=CLEARED_TEXT,
            clause="11",
            reason="",
            next_step=NEXT_INTERVIEW,
            key=f"vetting-cleared:{application.id}",
            now=now,
        )
    selection.status = SelectionStatus.INTERVIEW
    await session.flush()
    await record(
        session,
        Change(
            "selection.interview",
            "selection",
            str(selection.id),
            str(actor),
            selection.tenant_id,
            clause="6(4)",
            after={"status": selection.status, "cleared": len(cleared)},
        ),
    )
    return len(cleared)


__all__ = [
    "CONCLUSION_LABELS",
    "ITEMS",
    "STATUS_LABELS",
    "Checklist",
    "Entry",
    "Line",
    "Listing",
    "Mail",
    "Recorded",
    "Row",
    "Sort",
    "Upload",
    "blockers",
    "candidates",
    "checklist",
    "close_vetting",
    "decide_proposal",
    "ground_title",
    "mail_for",
    "open_proposals",
    "record_check",
    "removal_reason",
    "reply_of",
    "vetted_application",
]
