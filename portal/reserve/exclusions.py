"""Exclusion proceedings (ch. 4, cl. 18; rules.md 1.6, 3.6, A-22..A-25): one function per step.

The territorial unit (OPEN_EXCLUSION) drafts a case on one of the 11 grounds, attaches the
evidence and files it when portal.rules.exclusion finds nothing missing; the member is told and may
comment for a set number of working days; the case is then ready for the commission's agenda. The
commission's side calls `cases_ready_for_agenda`, `put_on_agenda`, `take_off_agenda` and
`record_decision`. A member's own request (18(1)) opens a draft by itself (A-23) and, once filed,
needs no comment period. Expiry while a case is pending closes it as moot (`close_as_moot`, A-25).

While a case is filed and not decided the membership is under review (UNDER_REVIEW_STATUSES): no new
appointment proposal (A-22). "Excluded" ends the membership and voids its open proposals.

Every step is one transaction of the caller with one audit event per changed object (clause
18(n)) and the notices; status changes are conditional UPDATEs, so a step racing another (the expiry
job, a second click) changes a case once.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.documents import DocumentRejected, RejectionCode
from portal.applications.uploads import _chunks
from portal.appointments.proposals import Mail, Upload, void_open_proposals
from portal.core.audit import Change, record
from portal.core.storage import TooLarge
from portal.i18n import N_
from portal.i18n import gettext as _
from portal.reserve.exclusion_models import (
    UNDER_REVIEW_STATUSES,
    EvidenceAccess,
    ExclusionCase,
    ExclusionDecision,
    ExclusionEvidence,
    ExclusionStatus,
)
from portal.reserve.models import MembershipStatus, ReserveMembership
from portal.reserve.notices import Notice, localized, tell_member, tell_users, unit_users
from portal.rules.calendar import WorkCalendar
from portal.rules.exclusion import (
    Caution,
    EvidenceItem,
    FilingCheck,
    Problem,
    cl18_comment_due,
    cl18_filing_check,
    cl18_sub_basis,
)
from portal.rules.grounds import EvidenceKind, ExclusionGround

S = ExclusionStatus
OBJECT = "exclusion_case"
#: A case that keeps a second one from being opened: a draft, or filed and not decided.
LIVE_STATUSES: frozenset[ExclusionStatus] = frozenset({S.DRAFT}) | UNDER_REVIEW_STATUSES
#: What the commission can decide on (the member's comment period is over, or there is none).
DECIDABLE: frozenset[ExclusionStatus] = frozenset({S.OPEN, S.ON_AGENDA})

PROBLEM_TEXTS: dict[Problem, str] = {
    Problem.SUB_BASIS_MISSING: N_("Choose the limb of the ground (the provision the act falls under)."),
    Problem.EVIDENCE_MISSING: N_("Attach the evidence document this ground needs."),
    Problem.ENTRY_INTO_FORCE_MISSING: N_(
        "Enter the date the document entered into force: this ground needs a decision in force."
    ),
    Problem.NOT_YET_IN_FORCE: N_("The document has not entered into force yet."),
    Problem.ACT_DATE_MISSING: N_("Enter the date of the act: it must fall within the membership."),
    Problem.ACT_DATE_IN_FUTURE: N_("The date of the act cannot be in the future."),
}
CAUTION_TEXTS: dict[Caution, str] = {
    Caution.ACT_OUTSIDE_MEMBERSHIP: N_(
        "The act is dated outside the membership: clause 18(8) applies to acts committed while in the "
        "reserve."
    ),
    Caution.CIVIL_SERVANTS_ONLY: N_(
        "This ground applies to civil servants only: check that the member holds a civil-service post."
    ),
    Caution.TEXT_UNCONFIRMED: N_(
        "The text of the cited provision has not been verified against the official text yet."
    ),
}


class ExclusionRefused(Exception):  # noqa: N818 - a refusal explained to the user
    """A step the case's state or the Rules do not allow; `field` names the form field to mark."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def actor_id(actor: uuid.UUID | str) -> str:
    return str(actor)


def ground_of(case: ExclusionCase) -> ExclusionGround:
    return ExclusionGround(case.ground)


def _change(case: ExclusionCase, action: str, actor: uuid.UUID | str, **after: object) -> Change:
    return Change(
        action, OBJECT, str(case.id), actor_id(actor), case.tenant_id, clause=case.clause, after=after or None
    )


async def _move(
    session: AsyncSession, case: ExclusionCase, allowed: Iterable[ExclusionStatus], **values: Any
) -> bool:
    """Change the case only if it is still in one of `allowed` (a conditional UPDATE); then reload it."""
    result = cast(
        "CursorResult[Any]",
        await session.execute(
            sa.update(ExclusionCase)
            .where(col(ExclusionCase.id) == case.id, col(ExclusionCase.status).in_(tuple(allowed)))
            .values(**values)
            .execution_options(synchronize_session=False)
        ),
    )
    await session.refresh(case)
    return result.rowcount == 1


def _member_path(case: ExclusionCase) -> str:
    return f"/me/memberships/{case.membership_id}"


def _unit_path(mail: Mail, case: ExclusionCase) -> str:
    return f"/{mail.slugs.get(case.tenant_id, case.tenant_id)}/exclusions/{case.id}"


# --- reading --------------------------------------------------------------------------------------


async def live_case(session: AsyncSession, membership_id: uuid.UUID) -> ExclusionCase | None:
    """The membership's draft or pending case, if any."""
    row = await session.execute(
        sa.select(ExclusionCase)
        .where(
            col(ExclusionCase.membership_id) == membership_id,
            col(ExclusionCase.status).in_(tuple(LIVE_STATUSES)),
        )
        .order_by(col(ExclusionCase.created_at).desc())
        .limit(1)
    )
    return row.scalar_one_or_none()


async def region_case(session: AsyncSession, tenant_id: str, case_id: uuid.UUID) -> ExclusionCase | None:
    row = await session.execute(
        sa.select(ExclusionCase).where(
            col(ExclusionCase.id) == case_id, col(ExclusionCase.tenant_id) == tenant_id
        )
    )
    return row.scalar_one_or_none()


async def cases_of(session: AsyncSession, membership_id: uuid.UUID) -> list[ExclusionCase]:
    rows = await session.execute(
        sa.select(ExclusionCase)
        .where(col(ExclusionCase.membership_id) == membership_id)
        .order_by(col(ExclusionCase.created_at).desc())
    )
    return list(rows.scalars())


@dataclass(frozen=True, slots=True)
class CaseRow:
    case: ExclusionCase
    membership: ReserveMembership


async def region_cases(
    session: AsyncSession, tenant_id: str, *, status: ExclusionStatus | None = None
) -> list[CaseRow]:
    """The region's cases, the most recent first (drafts of members' requests included)."""
    statement = (
        sa.select(ExclusionCase, ReserveMembership)
        .join(ReserveMembership, col(ReserveMembership.id) == col(ExclusionCase.membership_id))
        .where(col(ExclusionCase.tenant_id) == tenant_id)
        .order_by(col(ExclusionCase.created_at).desc(), col(ExclusionCase.id))
    )
    if status is not None:
        statement = statement.where(col(ExclusionCase.status) == status)
    return [CaseRow(case, membership) for case, membership in (await session.execute(statement)).all()]


async def evidence_of(session: AsyncSession, case_id: uuid.UUID) -> list[ExclusionEvidence]:
    rows = await session.execute(
        sa.select(ExclusionEvidence)
        .where(col(ExclusionEvidence.case_id) == case_id)
        .order_by(col(ExclusionEvidence.uploaded_at), col(ExclusionEvidence.id))
    )
    return list(rows.scalars())


@dataclass(frozen=True, slots=True)
class EvidenceReads:
    """How often staff read one evidence document, and when last (the read log, `evidence_read_by`)."""

    count: int
    last_at: datetime


async def evidence_reads(session: AsyncSession, case: ExclusionCase) -> dict[uuid.UUID, EvidenceReads]:
    """The read log of the case's evidence, per document: shown next to each document."""
    rows = await session.execute(
        sa.select(col(EvidenceAccess.evidence_id), sa.func.count(), sa.func.max(col(EvidenceAccess.at)))
        .join(ExclusionEvidence, col(ExclusionEvidence.id) == col(EvidenceAccess.evidence_id))
        .where(col(ExclusionEvidence.case_id) == case.id, col(EvidenceAccess.tenant_id) == case.tenant_id)
        .group_by(col(EvidenceAccess.evidence_id))
    )
    return {evidence_id: EvidenceReads(count, last_at) for evidence_id, count, last_at in rows.all()}


async def one_evidence(
    session: AsyncSession, case: ExclusionCase, evidence_id: uuid.UUID
) -> ExclusionEvidence | None:
    row = await session.execute(
        sa.select(ExclusionEvidence).where(
            col(ExclusionEvidence.id) == evidence_id,
            col(ExclusionEvidence.case_id) == case.id,
            col(ExclusionEvidence.tenant_id) == case.tenant_id,
        )
    )
    return row.scalar_one_or_none()


async def evidence_read_by(
    session: AsyncSession, case: ExclusionCase, evidence_id: uuid.UUID, reader: uuid.UUID
) -> ExclusionEvidence | None:
    """One evidence document of the case, its read logged (who and when), as staff reads of a
    candidate's file are (design: privacy); None if the case has no such document."""
    evidence = await one_evidence(session, case, evidence_id)
    if evidence is not None:
        session.add(EvidenceAccess(tenant_id=evidence.tenant_id, evidence_id=evidence.id, user_id=reader))
        await session.flush()
    return evidence


async def filing_check(
    session: AsyncSession, case: ExclusionCase, membership: ReserveMembership, today: date
) -> FilingCheck:
    """portal.rules.exclusion.cl18_filing_check on the case as it stands."""
    evidence = await evidence_of(session, case.id)
    return cl18_filing_check(
        ground_of(case),
        sub_basis=case.sub_basis,
        evidence=[EvidenceItem(EvidenceKind(e.kind), e.in_force_on) for e in evidence],
        requested_by_member=case.requested_by_member,
        act_date=case.act_date,
        membership_term=(membership.starts_on, membership.ends_on),
        today=today,
    )


def is_ready(case: ExclusionCase, today: date | None = None) -> bool:
    """Ready for the agenda: filed and commented on (OPEN), or its comment period is over."""
    if case.status == S.OPEN:
        return True
    return (
        today is not None
        and case.status == S.AWAITING_COMMENT
        and case.comment_due_on is not None
        and case.comment_due_on < today
    )


async def cases_ready_for_agenda(
    session: AsyncSession, tenant_id: str, *, today: date | None = None
) -> list[ExclusionCase]:
    """The region's cases the working body may put on a commission meeting's agenda (cl. 18, A-RC-12).

    OPEN cases (the member has commented, or the period has ended and the reserve job has moved
    them); with `today`, also those still awaiting a comment whose period ended before today.
    Oldest filing first.
    """
    waiting = [col(ExclusionCase.status) == S.OPEN]
    if today is not None:
        waiting.append(
            sa.and_(
                col(ExclusionCase.status) == S.AWAITING_COMMENT, col(ExclusionCase.comment_due_on) < today
            )
        )
    rows = await session.execute(
        sa.select(ExclusionCase)
        .where(col(ExclusionCase.tenant_id) == tenant_id, sa.or_(*waiting))
        .order_by(col(ExclusionCase.opened_at), col(ExclusionCase.id))
    )
    return list(rows.scalars())


# --- the territorial unit's steps ------------------------------------------------------------------


async def _check_open(session: AsyncSession, membership: ReserveMembership, today: date) -> None:
    if membership.status != MembershipStatus.ACTIVE or membership.ends_on < today:
        raise ExclusionRefused(_("The membership is not active."))
    if await live_case(session, membership.id) is not None:
        raise ExclusionRefused(_("An exclusion case of this member is already open."))


async def open_case(
    session: AsyncSession,
    membership: ReserveMembership,
    *,
    ground: ExclusionGround,
    sub_basis: str,
    summary: str,
    act_date: date | None,
    actor: uuid.UUID,
    today: date,
    now: datetime,
) -> ExclusionCase:
    """The territorial unit drafts a proposal on one ground (cl. 18 chapeau; rules.md 3.6 ProposalDrafted)."""
    await _check_open(session, membership, today)
    if ground.sub_bases and sub_basis and cl18_sub_basis(ground, sub_basis) is None:
        raise ExclusionRefused(_("Choose one of the options."), "sub_basis")
    case = ExclusionCase(
        tenant_id=membership.tenant_id,
        membership_id=membership.id,
        ground=ground.value,
        sub_basis=sub_basis if ground.sub_bases else "",
        clause=ground.clause,
        summary=summary,
        act_date=act_date,
        created_by=actor,
        created_at=now,
    )
    session.add(case)
    await session.flush()
    await record(
        session,
        _change(
            case, "exclusion.drafted", actor, ground=case.ground, sub_basis=case.sub_basis, act_date=act_date
        ),
    )
    return case


async def request_own_exclusion(
    session: AsyncSession,
    membership: ReserveMembership,
    *,
    user_id: uuid.UUID,
    statement: str,
    language: str,
    today: date,
    now: datetime,
    mail: Mail,
) -> ExclusionCase:
    """The member asks to leave the reserve: a draft on ground 18(1) opens by itself (A-23)."""
    await _check_open(session, membership, today)
    ground = ExclusionGround.AT_OWN_WISH
    case = ExclusionCase(
        tenant_id=membership.tenant_id,
        membership_id=membership.id,
        ground=ground.value,
        clause=ground.clause,
        requested_by_member=True,
        summary=statement,
        created_by=user_id,
        created_at=now,
    )
    session.add(case)
    await session.flush()
    await record(session, _change(case, "exclusion.requested", user_id, ground=case.ground))
    await tell_member(
        session,
        membership,
        Notice(
            N_("Your request to leave the reserve has been received"),
            N_(
                "The territorial unit of the Agency will make the proposal under clause 18(1) of the Rules "
                "and the personnel commission will decide on it."
            ),
            _member_path(case),
            case.clause,
        ),
        mail,
        now=now,
    )
    await tell_users(
        session,
        await unit_users(session, case.tenant_id, today),
        Notice(
            N_("A member asks to leave the reserve"),
            localized(
                N_("%(name)s asks to be excluded from the reserve at their own wish (clause 18(1))."),
                name=membership.candidate_name,
            ),
            _unit_path(mail, case),
            case.clause,
        ),
        mail,
        tenant_id=case.tenant_id,
        language=language,
        now=now,
    )
    return case


def _require(case: ExclusionCase, *statuses: ExclusionStatus) -> None:
    if case.status not in statuses:
        raise ExclusionRefused(_("The case is no longer at this step."))


async def add_evidence(
    session: AsyncSession,
    case: ExclusionCase,
    upload: Upload,
    *,
    kind: EvidenceKind,
    document_date: date | None,
    in_force_on: date | None,
    actor: uuid.UUID,
    now: datetime,
) -> ExclusionEvidence:
    """Attach one evidence document to a draft (rules.md 1.6: each ground's evidence)."""
    _require(case, S.DRAFT)
    try:
        stored = await upload.storage.save(
            _chunks(upload.received.path), max_bytes=upload.max_bytes, tenant_id=case.tenant_id
        )
    except TooLarge as error:  # images may grow a little when re-encoded
        raise DocumentRejected(RejectionCode.TOO_LARGE) from error
    finally:
        upload.received.path.unlink(missing_ok=True)
    evidence = ExclusionEvidence(
        tenant_id=case.tenant_id,
        case_id=case.id,
        kind=kind.value,
        document_date=document_date,
        in_force_on=in_force_on,
        storage_key=stored.key,
        sha256=stored.sha256,
        size=stored.size,
        media_type=upload.received.media_type,
        display_name=upload.received.display_name,
        uploaded_by=actor,
        uploaded_at=now,
    )
    session.add(evidence)
    await session.flush()
    await record(
        session,
        _change(
            case,
            "exclusion.evidence_added",
            actor,
            evidence=evidence.id,
            kind=kind,
            sha256=stored.sha256,
            in_force_on=in_force_on,
        ),
    )
    return evidence


async def file_case(
    session: AsyncSession,
    case: ExclusionCase,
    membership: ReserveMembership,
    *,
    actor: uuid.UUID,
    today: date,
    now: datetime,
    calendar: WorkCalendar,
    comment_wd: int,
    mail: Mail,
) -> FilingCheck:
    """File the proposal (rules.md 3.6 ProposalSubmitted): the membership is under review (A-22); the
    member is told and may comment until the due date; a member's own request needs no comment."""
    _require(case, S.DRAFT)
    if membership.status != MembershipStatus.ACTIVE or membership.ends_on < today:
        raise ExclusionRefused(_("The membership is not active."))
    check = await filing_check(session, case, membership, today)
    if not check.may_file:
        raise ExclusionRefused(" ".join(_(PROBLEM_TEXTS[p]) for p in check.problems))
    due = None if case.requested_by_member else cl18_comment_due(today, calendar, comment_wd=comment_wd)
    moved = await _move(
        session,
        case,
        [S.DRAFT],
        status=S.OPEN if due is None else S.AWAITING_COMMENT,
        opened_by=actor,
        opened_at=now,
        comment_due_on=due,
    )
    if not moved:
        raise ExclusionRefused(_("The case is no longer at this step."))
    await record(
        session,
        _change(
            case,
            "exclusion.filed",
            actor,
            status=case.status,
            comment_due_on=due,
            comment_working_days=None if due is None else comment_wd,
            cautions=list(check.cautions),
        ),
    )
    ground = ground_of(case)
    if due is not None:
        message = localized(
            N_(
                "The territorial unit of the Agency proposes that the personnel commission exclude you from "
                "the regional personnel reserve on the ground of clause %(clause)s of the Rules: %(ground)s. "
                "You may send your comment in the portal until %(due)s inclusive."
            ),
            clause=case.clause,
            ground=ground.info.title,
            due=due,
        )
        await tell_member(
            session,
            membership,
            Notice(N_("Proposal to exclude you from the reserve"), message, _member_path(case), case.clause),
            mail,
            now=now,
        )
    return check


async def comment(
    session: AsyncSession,
    case: ExclusionCase,
    *,
    user_id: uuid.UUID,
    text: str,
    language: str,
    today: date,
    now: datetime,
    mail: Mail,
) -> None:
    """The member's comment on the proposal, within the period; the case is then ready for the agenda."""
    _require(case, S.AWAITING_COMMENT)
    if case.comment_due_on is None or today > case.comment_due_on:
        raise ExclusionRefused(_("The time to comment has ended."))
    moved = await _move(
        session,
        case,
        [S.AWAITING_COMMENT],
        status=S.OPEN,
        member_comment=text,
        member_commented_at=now,
    )
    if not moved:
        raise ExclusionRefused(_("The case is no longer at this step."))
    await record(session, _change(case, "exclusion.member_commented", user_id, length=len(text)))
    users = [u for u in (case.opened_by, case.created_by) if u is not None]
    await tell_users(
        session,
        users,
        Notice(
            N_("The member has commented on the exclusion proposal"),
            N_("The case is ready for the commission's agenda."),
            _unit_path(mail, case),
            case.clause,
        ),
        mail,
        tenant_id=case.tenant_id,
        language=language,
        now=now,
    )


async def drop_case(
    session: AsyncSession,
    case: ExclusionCase,
    membership: ReserveMembership,
    *,
    reason: str,
    actor: uuid.UUID,
    now: datetime,
    mail: Mail,
) -> None:
    """The unit closes a draft without a proposal (rules.md 3.6 Dropped: no basis)."""
    _require(case, S.DRAFT)
    if not await _move(session, case, [S.DRAFT], status=S.DROPPED, closed_at=now, closed_reason=reason):
        raise ExclusionRefused(_("The case is no longer at this step."))
    await record(session, _change(case, "exclusion.dropped", actor, reason=reason))
    if case.requested_by_member:
        await tell_member(
            session,
            membership,
            Notice(
                N_("Exclusion proceedings closed"),
                N_("The territorial unit has closed the proceedings without a proposal to the commission."),
                _member_path(case),
                case.clause,
                reason,
            ),
            mail,
            now=now,
        )


# --- the commission's side (called by portal.commission) -------------------------------------------


async def put_on_agenda(
    session: AsyncSession,
    case: ExclusionCase,
    *,
    agenda_item_id: uuid.UUID,
    actor: uuid.UUID | str,
    today: date | None = None,
) -> None:
    """The working body puts a ready case on a meeting's agenda (rules.md 3.6 OnAgenda, A-RC-12)."""
    if not is_ready(case, today):
        raise ExclusionRefused(_("The case is not ready for the commission's agenda."))
    allowed = [S.OPEN, S.AWAITING_COMMENT] if today is not None else [S.OPEN]
    if not await _move(session, case, allowed, status=S.ON_AGENDA, agenda_item_id=agenda_item_id):
        raise ExclusionRefused(_("The case is no longer at this step."))
    await record(session, _change(case, "exclusion.on_agenda", actor, agenda_item=agenda_item_id))


async def take_off_agenda(session: AsyncSession, case: ExclusionCase, *, actor: uuid.UUID | str) -> None:
    """Back to ready: the item left the agenda or was closed without quorum (nothing decided)."""
    if not await _move(session, case, [S.ON_AGENDA], status=S.OPEN, agenda_item_id=None):
        raise ExclusionRefused(_("The case is no longer at this step."))
    await record(session, _change(case, "exclusion.off_agenda", actor))


def _decision_message(case: ExclusionCase, decision: ExclusionDecision) -> dict[str, str]:
    ground = ground_of(case)
    if decision == ExclusionDecision.NOT_EXCLUDED:
        return localized(
            N_(
                "The personnel commission has decided not to exclude you from the regional personnel reserve "
                "(clause %(clause)s of the Rules)."
            ),
            clause=case.clause,
        )
    text = localized(
        N_(
            "The personnel commission has decided to exclude you from the regional personnel reserve on the "
            "ground of clause %(clause)s of the Rules: %(ground)s."
        ),
        clause=case.clause,
        ground=ground.info.title,
    )
    basis = [b.citation for b in ground.legal_basis]
    sub = cl18_sub_basis(ground, case.sub_basis)
    if sub is not None and sub.legal_basis is not None:
        basis = [sub.legal_basis.citation]
    appeal = localized(
        N_(
            "The decision may be appealed under the Administrative Procedural and Process-Procedural Code "
            "of the Republic of Kazakhstan."
        )
    )
    for language in text:
        if basis:
            text[language] += (
                " "
                + localized(N_("Legal basis: %(basis)s."), basis="; ".join(b.get(language) for b in basis))[
                    language
                ]
            )
        text[language] += " " + appeal[language]
    return text


async def record_decision(
    session: AsyncSession,
    case: ExclusionCase,
    decision: ExclusionDecision,
    actor: uuid.UUID | str,
    *,
    now: datetime,
    mail: Mail,
    reason: str = "",
    agenda_item_id: uuid.UUID | None = None,
) -> int:
    """The commission's decision on a case (cl. 18; rules.md 3.6 Decided_*), the member told.

    Excluded: the membership is Excluded (terminal) and its open appointment proposals are void
    (A-22); returns how many were voided. Not excluded: the case is closed, the membership goes on.
    Refused (ExclusionRefused) when the case is not open or on the agenda (the member's comment
    period not over, already decided, closed as moot) or the membership has already ended.
    """
    if case.status not in DECIDABLE:
        raise ExclusionRefused(_("The case is not waiting for the commission's decision."))
    membership = await session.get(ReserveMembership, case.membership_id)
    if membership is None or membership.tenant_id != case.tenant_id:
        raise ExclusionRefused(_("The membership of this case cannot be found."))
    voided = 0
    if decision == ExclusionDecision.EXCLUDED:
        ended = cast(
            "CursorResult[Any]",
            await session.execute(
                sa.update(ReserveMembership)
                .where(
                    col(ReserveMembership.id) == membership.id,
                    col(ReserveMembership.status) == MembershipStatus.ACTIVE,
                )
                .values(status=MembershipStatus.EXCLUDED)
                .execution_options(synchronize_session=False)
            ),
        )
        await session.refresh(membership)
        if ended.rowcount != 1:
            raise ExclusionRefused(_("The membership has already ended."))
    values: dict[str, Any] = {
        "status": S.DECIDED,
        "decision": decision,
        "decision_reason": reason,
        "decided_at": now,
    }
    if agenda_item_id is not None:
        values["agenda_item_id"] = agenda_item_id
    if not await _move(session, case, DECIDABLE, **values):
        raise ExclusionRefused(_("The case is not waiting for the commission's decision."))
    await record(session, _change(case, "exclusion.decided", actor, decision=decision, reason=reason))
    if decision == ExclusionDecision.EXCLUDED:
        await record(
            session,
            Change(
                "reserve.membership_excluded",
                "reserve_membership",
                str(membership.id),
                actor_id(actor),
                membership.tenant_id,
                clause=case.clause,
                before={"status": MembershipStatus.ACTIVE},
                after={"status": MembershipStatus.EXCLUDED, "case": case.id},
            ),
        )
        voided = await void_open_proposals(
            session,
            membership,
            reason=N_("The member has been excluded from the reserve."),
            clause=case.clause,
            actor=actor_id(actor),
            now=now,
            mail=mail,
        )
    subject = (
        N_("Decision of the commission: excluded from the reserve")
        if decision == ExclusionDecision.EXCLUDED
        else N_("Decision of the commission: you remain in the reserve")
    )
    await tell_member(
        session,
        membership,
        Notice(subject, _decision_message(case, decision), _member_path(case), case.clause, reason),
        mail,
        now=now,
        key=f"exclusion:{case.id}:decided",
    )
    return voided


# --- the reserve job and the comment periods ---------------------------------------------


async def close_as_moot(
    session: AsyncSession, membership: ReserveMembership, *, actor: str, now: datetime, mail: Mail
) -> int:
    """The membership ended before a decision: its live cases close as moot, history kept (A-25)."""
    cases = [c for c in await cases_of(session, membership.id) if c.status in LIVE_STATUSES]
    closed = 0
    for case in cases:
        reason = N_("The membership ended before the commission's decision.")
        if not await _move(session, case, LIVE_STATUSES, status=S.MOOT, closed_at=now, closed_reason=reason):
            continue
        closed += 1
        await record(session, _change(case, "exclusion.moot", actor, reason=reason, basis="rules.md A-25"))
        users = [u for u in (case.opened_by, case.created_by) if u is not None]
        await tell_users(
            session,
            users,
            Notice(N_("Exclusion proceedings closed as moot"), reason, _unit_path(mail, case), case.clause),
            mail,
            tenant_id=case.tenant_id,
            language="kk",
            now=now,
        )
    return closed


async def end_comment_period(
    session: AsyncSession, case: ExclusionCase, *, actor: str, today: date, now: datetime, mail: Mail
) -> bool:
    """The member's comment period is over without a comment: the case is ready for the agenda."""
    if not is_ready(case, today) or case.status != S.AWAITING_COMMENT:
        return False
    if not await _move(session, case, [S.AWAITING_COMMENT], status=S.OPEN):
        return False
    await record(
        session, _change(case, "exclusion.comment_period_ended", actor, comment_due_on=case.comment_due_on)
    )
    users = [u for u in (case.opened_by, case.created_by) if u is not None]
    await tell_users(
        session,
        users,
        Notice(
            N_("The member's comment period has ended"),
            N_("The case is ready for the commission's agenda."),
            _unit_path(mail, case),
            case.clause,
        ),
        mail,
        tenant_id=case.tenant_id,
        language="kk",
        now=now,
    )
    return True


__all__ = [
    "CAUTION_TEXTS",
    "DECIDABLE",
    "LIVE_STATUSES",
    "PROBLEM_TEXTS",
    "CaseRow",
    "ExclusionRefused",
    "add_evidence",
    "cases_of",
    "cases_ready_for_agenda",
    "close_as_moot",
    "comment",
    "drop_case",
    "end_comment_period",
    "evidence_of",
    "evidence_read_by",
    "evidence_reads",
    "file_case",
    "filing_check",
    "ground_of",
    "is_ready",
    "live_case",
    "one_evidence",
    "open_case",
    "put_on_agenda",
    "record_decision",
    "region_case",
    "region_cases",
    "request_own_exclusion",
    "take_off_agenda",
]
