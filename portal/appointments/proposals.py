"""Appointment proposals (cl. 15-17; rules.md 3.5, A-19, A-21, A-22): one function per step.

An appointing official of the post's region picks a vacant, non-elective post of the region
(portal.appointments.positions.offerable) and an active member of the region's reserve, or of
another region's reserve who consented (cl. 17). The member confirms their application in the
portal (for cl. 17 this is also the consent to the region and the post); the official attaches the
member's service record and files the proposal. portal.rules.routing decides where it goes: the
Agency (cl. 15, 17) or the territorial unit of the post's region (cl. 16); it is in that queue and
no other. The reviewer accepts (cl. 17: the Agency consents) or returns it with reasons (A-19); the
official uploads the appointment act and the member is appointed, the membership going on (A-21).
A member under exclusion review cannot be proposed (A-22); a membership that ends voids the open
proposals (`void_open_proposals`, for the expiry and exclusion services).

Every step is one transaction of the caller with one audit event (with its clause) and the
notices to the people concerned, in their language.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.applications.documents import DocumentRejected, RejectionCode
from portal.applications.models import Application, CandidateProfile
from portal.applications.uploads import Received, _chunks
from portal.appointments import consents, policies
from portal.appointments.models import (
    OPEN_PROPOSAL_STATUSES,
    AppointmentProposal,
    MemberConsent,
    Position,
    ProposalStatus,
)
from portal.appointments.positions import offerable
from portal.auth.models import User
from portal.core.audit import Change, record
from portal.core.settings import LANGUAGES
from portal.core.storage import Storage, TooLarge
from portal.i18n import N_
from portal.i18n import gettext as _
from portal.notifications.services import enqueue
from portal.reserve.exclusion_models import UNDER_REVIEW_STATUSES, ExclusionCase
from portal.reserve.models import MembershipStatus, ReserveMembership
from portal.rules.calendar import WorkCalendar
from portal.rules.routing import Addressee, NotRoutableError, Route, route_proposal
from portal.rules.terms import proposal_review_due

S = ProposalStatus
OBJECT = "appointment_proposal"
MEMBER_LIMIT = 100


class ProposalRefused(Exception):  # noqa: N818 - a refusal explained to the user
    """A step the proposal's state or the Rules do not allow; `field` names the form field to mark."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True, slots=True)
class Mail:
    """What the notices need: the portal's address, the regions' names in every language and slugs."""

    base_url: str
    regions: Mapping[str, Mapping[str, str]]
    slugs: Mapping[str, str]

    def url(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}{path}"


@dataclass(frozen=True, slots=True)
class Upload:
    """A checked file waiting to be stored, and where storage is."""

    received: Received
    storage: Storage
    max_bytes: int


@dataclass(frozen=True, slots=True)
class Row:
    """A proposal with its post and the member's membership."""

    proposal: AppointmentProposal
    position: Position
    membership: ReserveMembership


# --- reading --------------------------------------------------------------------------------------


def _in_term(today: date) -> sa.ColumnElement[bool]:
    return sa.and_(
        col(ReserveMembership.status) == MembershipStatus.ACTIVE,
        col(ReserveMembership.starts_on) <= today,
        col(ReserveMembership.ends_on) >= today,
    )


def _under_review() -> sa.Exists:
    return sa.exists().where(
        col(ExclusionCase.membership_id) == col(ReserveMembership.id),
        col(ExclusionCase.status).in_(UNDER_REVIEW_STATUSES),
    )


def _consented() -> sa.Exists:
    return sa.exists().where(
        col(MemberConsent.membership_id) == col(ReserveMembership.id),
        col(MemberConsent.withdrawn_at).is_(None),
    )


async def under_review(session: AsyncSession, membership_id: uuid.UUID) -> bool:
    """A-22: an exclusion case of the membership is filed and not yet decided."""
    row = await session.execute(
        sa.select(sa.func.count())
        .select_from(ExclusionCase)
        .where(
            col(ExclusionCase.membership_id) == membership_id,
            col(ExclusionCase.status).in_(UNDER_REVIEW_STATUSES),
        )
    )
    return bool(row.scalar_one())


async def proposable_members(
    session: AsyncSession, tenant_id: str, *, today: date, query: str = "", limit: int = MEMBER_LIMIT
) -> list[ReserveMembership]:
    """The members an official of the region may propose: the region's own active members, and other
    regions' active members who consented (cl. 17); none under exclusion review (A-22)."""
    statement = sa.select(ReserveMembership).where(
        _in_term(today),
        sa.or_(col(ReserveMembership.tenant_id) == tenant_id, _consented()),
        sa.not_(_under_review()),
    )
    if query.strip():
        statement = statement.where(col(ReserveMembership.candidate_name).ilike(f"%{query.strip()}%"))
    statement = statement.order_by(
        (col(ReserveMembership.tenant_id) != tenant_id), col(ReserveMembership.candidate_name)
    ).limit(limit)
    return list((await session.execute(statement)).scalars())


def _open_for(position_id: uuid.UUID) -> sa.ColumnElement[bool]:
    return sa.and_(
        col(AppointmentProposal.position_id) == position_id,
        col(AppointmentProposal.status).in_(OPEN_PROPOSAL_STATUSES),
    )


async def offerable_posts(session: AsyncSession, tenant_id: str) -> list[Position]:
    """The region's posts a new proposal may name (cl. 14, A-39) and no open proposal holds."""
    busy = sa.exists().where(
        col(AppointmentProposal.position_id) == col(Position.id),
        col(AppointmentProposal.status).in_(OPEN_PROPOSAL_STATUSES),
    )
    rows = await session.execute(
        sa.select(Position)
        .where(col(Position.tenant_id) == tenant_id, sa.not_(busy))
        .order_by(col(Position.executive_body), col(Position.title))
    )
    return [p for p in rows.scalars() if offerable(p)]


async def _fetch(
    session: AsyncSession, *where: sa.ColumnElement[bool], order: sa.ColumnElement[Any] | None = None
) -> list[Row]:
    statement = (
        sa.select(AppointmentProposal, Position, ReserveMembership)
        .join(Position, col(Position.id) == col(AppointmentProposal.position_id))
        .join(ReserveMembership, col(ReserveMembership.id) == col(AppointmentProposal.membership_id))
        .where(*where)
    )
    if order is not None:
        statement = statement.order_by(order)
    result = await session.execute(statement)
    return [Row(proposal, position, membership) for proposal, position, membership in result.all()]


async def region_proposals(session: AsyncSession, tenant_id: str) -> list[Row]:
    """The proposals for the region's posts (the appointing officials' list), newest first."""
    return await _fetch(
        session,
        col(AppointmentProposal.tenant_id) == tenant_id,
        order=col(AppointmentProposal.created_at).desc(),
    )


async def region_proposal(session: AsyncSession, tenant_id: str, proposal_id: uuid.UUID) -> Row | None:
    """One proposal for a post of the region; another region's is not found."""
    found = await _fetch(
        session, col(AppointmentProposal.id) == proposal_id, col(AppointmentProposal.tenant_id) == tenant_id
    )
    return found[0] if found else None


def _queue_clause(addressee: Addressee, tenant_id: str | None) -> sa.ColumnElement[bool]:
    """A queue: the proposals filed to the addressee (for the territorial unit: of its region's posts)."""
    clause = sa.and_(
        col(AppointmentProposal.addressee) == addressee, col(AppointmentProposal.submitted_at).is_not(None)
    )
    if addressee == Addressee.TERRITORIAL_UNIT:
        if tenant_id is None:
            raise ValueError("the territorial unit's queue is per region")
        clause = sa.and_(clause, col(AppointmentProposal.tenant_id) == tenant_id)
    return clause


async def queue(session: AsyncSession, addressee: Addressee, tenant_id: str | None = None) -> list[Row]:
    """The addressee's queue: waiting first (oldest due first), then the decided ones, newest first."""
    rows = await _fetch(
        session, _queue_clause(addressee, tenant_id), order=col(AppointmentProposal.submitted_at).desc()
    )
    waiting = sorted(
        (r for r in rows if r.proposal.status == S.SUBMITTED),
        key=lambda r: (r.proposal.due_on or date.max, r.proposal.submitted_at),
    )
    return waiting + [r for r in rows if r.proposal.status != S.SUBMITTED]


async def queued_proposal(
    session: AsyncSession, proposal_id: uuid.UUID, addressee: Addressee, tenant_id: str | None = None
) -> Row | None:
    """One proposal of the addressee's queue; any other is not found."""
    found = await _fetch(
        session, col(AppointmentProposal.id) == proposal_id, _queue_clause(addressee, tenant_id)
    )
    return found[0] if found else None


def _home_clause(tenant_id: str) -> sa.ColumnElement[bool]:
    """R-17: proposals filed in other regions for members of this region's reserve (cl. 17), which
    the member's home territorial unit is told about and reads, but does not decide."""
    return sa.and_(
        col(AppointmentProposal.member_tenant_id) == tenant_id,
        col(AppointmentProposal.tenant_id) != tenant_id,
        col(AppointmentProposal.submitted_at).is_not(None),
    )


async def home_region_proposals(session: AsyncSession, tenant_id: str) -> list[Row]:
    """R-17, the home territorial unit's read-only list: newest filed first."""
    return await _fetch(session, _home_clause(tenant_id), order=col(AppointmentProposal.submitted_at).desc())


async def home_region_proposal(session: AsyncSession, tenant_id: str, proposal_id: uuid.UUID) -> Row | None:
    found = await _fetch(session, col(AppointmentProposal.id) == proposal_id, _home_clause(tenant_id))
    return found[0] if found else None


async def member_proposals(session: AsyncSession, user_id: uuid.UUID, iin: str) -> list[Row]:
    """The proposals naming the person (as a member of any region's reserve), newest first."""
    return await _fetch(
        session, consents.person_clause(user_id, iin), order=col(AppointmentProposal.created_at).desc()
    )


async def member_proposal(
    session: AsyncSession, proposal_id: uuid.UUID, user_id: uuid.UUID, iin: str
) -> Row | None:
    for row in await member_proposals(session, user_id, iin):
        if row.proposal.id == proposal_id:
            return row
    return None


# --- notices --------------------------------------------------------------------------------------


async def _member_contact(
    session: AsyncSession, membership: ReserveMembership
) -> tuple[uuid.UUID | None, str | None]:
    user_id = membership.user_id
    if user_id is None:
        row = await session.execute(sa.select(col(User.id)).where(col(User.iin) == membership.candidate_iin))
        user_id = row.scalar_one_or_none()
    return user_id, await _email(session, user_id)


async def _email(session: AsyncSession, user_id: uuid.UUID | None) -> str | None:
    if user_id is None:
        return None
    profile = await session.get(CandidateProfile, user_id)
    if profile is not None and profile.email:
        return profile.email
    user = await session.get(User, user_id)
    return user.email if user is not None and user.email else None


async def _member_language(session: AsyncSession, membership: ReserveMembership) -> str:
    """The language the member applied in (A-32); Kazakh when there is no application (kk is primary)."""
    if membership.application_id is None:
        return "kk"
    application = await session.get(Application, membership.application_id)
    return application.language if application is not None and application.language in LANGUAGES else "kk"


@dataclass(frozen=True, slots=True)
class _Notice:
    subject: str
    message: str
    reason: str = ""


async def _tell_member(
    session: AsyncSession, row: Row, notice: _Notice, mail: Mail, *, event: str, now: datetime
) -> None:
    user_id, email = await _member_contact(session, row.membership)
    if user_id is None and email is None:
        return  # never signed in: the official tells them (as cl. 10 letters to paper candidates)
    await _send(
        session,
        row,
        notice,
        mail,
        to=(user_id, email),
        language=row.proposal.member_language,
        path=f"/me/proposals/{row.proposal.id}",
        event=f"{event}:member",
        now=now,
    )


async def _tell_proposer(
    session: AsyncSession, row: Row, notice: _Notice, mail: Mail, *, event: str, now: datetime
) -> None:
    proposer = row.proposal.proposer_id
    slug = mail.slugs.get(row.proposal.tenant_id, row.proposal.tenant_id)
    await _send(
        session,
        row,
        notice,
        mail,
        to=(proposer, await _email(session, proposer)),
        language=row.proposal.language,
        path=f"/{slug}/appointments/proposals/{row.proposal.id}",
        event=f"{event}:proposer",
        now=now,
    )


async def _send(
    session: AsyncSession,
    row: Row,
    notice: _Notice,
    mail: Mail,
    *,
    to: tuple[uuid.UUID | None, str | None],
    language: str,
    path: str,
    event: str,
    now: datetime,
) -> None:
    region = dict(mail.regions.get(row.proposal.tenant_id, {}))
    await enqueue(
        session,
        template="reserve_notice",
        language=language if language in LANGUAGES else "kk",
        context={
            "subject": notice.subject,
            "message": notice.message,
            "url": mail.url(path),
            "post": f"{row.position.title} ({row.position.executive_body})",
            "region": region or row.proposal.tenant_id,
            "reason": notice.reason,
            "clause": row.proposal.route_clause,
            "at": now.isoformat(),
        },
        recipient=to[1],
        user_id=to[0],
        tenant_id=row.proposal.tenant_id,
        # a proposal is voided once, though the expiry job may run twice at once
        idempotency_key=f"proposal:{row.proposal.id}:{event}" if event.startswith("voided") else None,
        now=now,
    )


def _audit(row: Row, action: str, actor: str, *, clause: str | None = None, **after: object) -> Change:
    return Change(
        action,
        OBJECT,
        str(row.proposal.id),
        actor,
        row.proposal.tenant_id,
        clause=clause or row.proposal.route_clause,
        after={"status": row.proposal.status, **after},
    )


# --- filing ---------------------------------------------------------------------------------------


def _route(position: Position, membership: ReserveMembership) -> Route:
    try:
        return route_proposal(
            position.tenant_id,
            membership.tenant_id,
            position.heads_regional_budget_body,
            is_elective=position.is_elective,
        )
    except NotRoutableError as error:
        raise ProposalRefused(
            _("Elective posts are never filled from the reserve (clause 14)."), "position_id"
        ) from error


async def _check_member(session: AsyncSession, membership: ReserveMembership, *, today: date) -> None:
    """The member may be proposed: active and in term, not under exclusion review (A-22)."""
    if (
        membership.status != MembershipStatus.ACTIVE
        or not membership.starts_on <= today <= membership.ends_on
    ):
        raise ProposalRefused(_("The membership of the reserve is not active."), "membership_id")
    if await under_review(session, membership.id):
        raise ProposalRefused(
            _("The member is under exclusion review (clause 18): no proposal can be made meanwhile."),
            "membership_id",
        )


async def create_proposal(
    session: AsyncSession,
    tenant_id: str,
    *,
    position_id: uuid.UUID,
    membership_id: uuid.UUID,
    actor: uuid.UUID,
    language: str,
    today: date,
    now: datetime,
    mail: Mail,
) -> AppointmentProposal:
    """A new proposal, routed (cl. 15-17) and waiting for the member's confirmation."""
    position = await session.get(Position, position_id)
    if position is None or position.tenant_id != tenant_id or not offerable(position):
        raise ProposalRefused(
            _("Choose a vacant post of the region that may be filled from the reserve."), "position_id"
        )
    if (await session.execute(sa.select(sa.func.count()).where(_open_for(position.id)))).scalar_one():
        raise ProposalRefused(_("A proposal for this post is already under way."), "position_id")
    membership = await session.get(ReserveMembership, membership_id)
    if membership is None:
        raise ProposalRefused(_("Choose a member of the reserve."), "membership_id")
    await _check_member(session, membership, today=today)
    consent = None
    if membership.tenant_id != tenant_id:
        consent = await consents.current_consent(session, membership.id)
        if consent is None:
            raise ProposalRefused(
                _("A member of another region's reserve may be proposed only with their consent (cl. 17)."),
                "membership_id",
            )
    route = _route(position, membership)
    proposal = AppointmentProposal(
        tenant_id=tenant_id,
        position_id=position.id,
        membership_id=membership.id,
        member_tenant_id=membership.tenant_id,
        proposer_id=actor,
        language=language if language in LANGUAGES else "kk",
        member_language=await _member_language(session, membership),
        addressee=route.addressee,
        route_clause=route.clause,
        routed_on_cl15_flag=position.heads_regional_budget_body,
        status=S.AWAITING_MEMBER,
        consent_id=consent.id if consent is not None else None,
        created_at=now,
    )
    session.add(proposal)
    await session.flush()
    row = Row(proposal, position, membership)
    await record(
        session,
        _audit(
            row,
            "proposal.created",
            str(actor),
            position=position.id,
            membership=membership.id,
            member_region=membership.tenant_id,
            addressee=route.addressee,
            cl15_flag=position.heads_regional_budget_body,
        ),
    )
    await _tell_member(
        session,
        row,
        _Notice(
            N_("Appointment proposal: your confirmation is needed"),
            N_(
                "An appointing official proposes to appoint you from the reserve without competition. "
                "Confirm your application in the portal, or decline it."
            ),
        ),
        mail,
        event="created",
        now=now,
    )
    return proposal


async def answer(
    session: AsyncSession,
    row: Row,
    *,
    confirm: bool,
    actor: uuid.UUID,
    language: str,
    now: datetime,
    mail: Mail,
) -> None:
    """The member confirms their application for the post (cl. 15-16; cl. 17: with their consent to
    the region and the post), or declines it; the draft goes back to the official (rules.md 3.5)."""
    proposal = row.proposal
    if proposal.status not in policies.MAY_ANSWER:
        raise ProposalRefused(_("This proposal is not waiting for your answer."))
    if confirm and row.membership.status != MembershipStatus.ACTIVE:
        raise ProposalRefused(_("Your membership of the reserve is not active."))
    proposal.status = S.DRAFT
    proposal.member_language = language if language in LANGUAGES else proposal.member_language
    if confirm:
        proposal.member_confirmed_at, proposal.member_declined_at = now, None
    else:
        proposal.member_declined_at, proposal.member_confirmed_at = now, None
    proposal.updated_at = now
    await session.flush()
    await record(
        session,
        _audit(
            row,
            "proposal.member_confirmed" if confirm else "proposal.member_declined",
            str(actor),
            inter_regional_consent=confirm and proposal.route_clause == "17",
        ),
    )
    notice = (
        _Notice(
            N_("Appointment proposal: the member has confirmed"),
            N_("The member has confirmed the application. Attach the service record and file the proposal."),
        )
        if confirm
        else _Notice(
            N_("Appointment proposal: the member has declined"),
            N_("The member has declined the proposal. You may withdraw it or ask the member again."),
        )
    )
    await _tell_proposer(session, row, notice, mail, event="answered", now=now)


async def ask_again(session: AsyncSession, row: Row, *, actor: uuid.UUID, now: datetime, mail: Mail) -> None:
    """The official asks a member who declined once more (rules.md 3.5: Draft -> AwaitingMember)."""
    proposal = row.proposal
    if not policies.may_ask_again(proposal.status, member_declined=proposal.member_declined_at is not None):
        raise ProposalRefused(_("The member has not declined this proposal."))
    proposal.status, proposal.member_declined_at, proposal.updated_at = S.AWAITING_MEMBER, None, now
    await session.flush()
    await record(session, _audit(row, "proposal.member_asked", str(actor)))
    await _tell_member(
        session,
        row,
        _Notice(
            N_("Appointment proposal: your confirmation is needed"),
            N_(
                "An appointing official proposes to appoint you from the reserve without competition. "
                "Confirm your application in the portal, or decline it."
            ),
        ),
        mail,
        event="asked",
        now=now,
    )


async def _store(upload: Upload, tenant_id: str) -> tuple[str, str, int]:
    try:
        stored = await upload.storage.save(
            _chunks(upload.received.path), max_bytes=upload.max_bytes, tenant_id=tenant_id
        )
    except TooLarge as error:  # images may grow a little when re-encoded
        raise DocumentRejected(RejectionCode.TOO_LARGE) from error
    finally:
        upload.received.path.unlink(missing_ok=True)
    return stored.key, stored.sha256, stored.size


async def attach_service_record(
    session: AsyncSession, row: Row, upload: Upload, *, actor: uuid.UUID, now: datetime
) -> str | None:
    """The member's service record (cl. 15-16), stored; returns the replaced file's key (to delete)."""
    proposal = row.proposal
    if proposal.status not in policies.MAY_ATTACH_SERVICE_RECORD:
        upload.received.path.unlink(missing_ok=True)
        raise ProposalRefused(_("The service record can no longer be changed."), "service_record")
    key, sha256, size = await _store(upload, proposal.tenant_id)
    replaced = proposal.service_record_key
    proposal.service_record_key, proposal.service_record_sha256 = key, sha256
    proposal.service_record_size, proposal.service_record_media_type = size, upload.received.media_type
    proposal.service_record_name, proposal.updated_at = upload.received.display_name, now
    await session.flush()
    await record(
        session, _audit(row, "proposal.service_record_attached", str(actor), service_record_sha256=sha256)
    )
    return replaced


async def submit(
    session: AsyncSession,
    row: Row,
    *,
    actor: uuid.UUID,
    today: date,
    now: datetime,
    calendar: WorkCalendar,
    mail: Mail,
) -> Route:
    """File the proposal: routed again on the post as it stands (A-39) and put in that queue only."""
    proposal, position, membership = row.proposal, row.position, row.membership
    if proposal.status not in policies.MAY_SUBMIT:
        raise ProposalRefused(_("This proposal cannot be filed now."))
    if proposal.member_confirmed_at is None:
        raise ProposalRefused(_("The member has not confirmed their application yet."))
    if proposal.service_record_key is None:
        raise ProposalRefused(
            _("Attach the member's service record first (clauses 15 and 16)."), "service_record"
        )
    if not (position.active and position.vacant and not position.is_elective) or (
        position.heads_regional_budget_body and not position.cl15_confirmed
    ):
        raise ProposalRefused(_("The post can no longer be offered: check it in the region's list of posts."))
    await _check_member(session, membership, today=today)
    route = _route(position, membership)
    proposal.addressee, proposal.route_clause = route.addressee, route.clause
    proposal.routed_on_cl15_flag = position.heads_regional_budget_body
    proposal.status, proposal.submitted_at, proposal.updated_at = S.SUBMITTED, now, now
    proposal.due_on = proposal_review_due(today, calendar)
    proposal.reviewer_id, proposal.decided_at, proposal.reason = None, None, ""
    await session.flush()
    await record(
        session,
        _audit(
            row,
            "proposal.submitted",
            str(actor),
            addressee=route.addressee,
            cl15_flag=position.heads_regional_budget_body,
            due_on=proposal.due_on,
            service_record_sha256=proposal.service_record_sha256,
        ),
    )
    message = (
        N_("The proposal to appoint you has been filed with the Agency for Civil Service Affairs.")
        if route.addressee == Addressee.AGENCY
        else N_("The proposal to appoint you has been filed with the territorial unit of the Agency.")
    )
    await _tell_member(
        session, row, _Notice(N_("Appointment proposal filed"), message), mail, event="submitted", now=now
    )
    return route


async def decide(
    session: AsyncSession,
    row: Row,
    *,
    addressee: Addressee,
    accept: bool,
    reason: str,
    actor: uuid.UUID,
    now: datetime,
    mail: Mail,
) -> None:
    """The addressee accepts the proposal (cl. 17: the Agency consents) or returns it with reasons (A-19)."""
    proposal = row.proposal
    if proposal.addressee != addressee or proposal.status not in policies.MAY_DECIDE:
        raise ProposalRefused(_("This proposal is not waiting for your decision."))
    if not accept and not reason.strip():
        raise ProposalRefused(_("Give the reasons for returning the proposal."), "reason")
    if accept and row.membership.status != MembershipStatus.ACTIVE:
        raise ProposalRefused(
            _("The membership of the reserve has ended: the proposal cannot be accepted (A-22).")
        )
    proposal.status = S.ACCEPTED if accept else S.RETURNED
    proposal.reviewer_id, proposal.decided_at, proposal.updated_at = actor, now, now
    proposal.reason = reason.strip()
    await session.flush()
    await record(
        session,
        _audit(
            row,
            "proposal.accepted" if accept else "proposal.returned",
            str(actor),
            addressee=addressee,
            reason=proposal.reason,
        ),
    )
    if accept:
        notice = _Notice(
            N_("Appointment proposal accepted"),
            N_("The Agency has consented to the appointment in another region.")
            if proposal.route_clause == "17"
            else N_("The proposal has been accepted. The appointing official adopts the act of appointment."),
            proposal.reason,
        )
    else:
        notice = _Notice(
            N_("Appointment proposal returned"),
            N_("The proposal has been returned with reasons."),
            proposal.reason,
        )
    await _tell_proposer(session, row, notice, mail, event="decided", now=now)
    await _tell_member(session, row, notice, mail, event="decided", now=now)


async def record_act(
    session: AsyncSession,
    row: Row,
    upload: Upload,
    *,
    act_number: str,
    act_date: date,
    actor: uuid.UUID,
    now: datetime,
    mail: Mail,
) -> None:
    """The act is uploaded: the member is appointed, the post filled, the membership goes on (A-21)."""
    proposal, position = row.proposal, row.position
    if proposal.status not in policies.MAY_RECORD_ACT:
        upload.received.path.unlink(missing_ok=True)
        raise ProposalRefused(_("The act can be uploaded only once the proposal is accepted."), "act")
    if row.membership.status != MembershipStatus.ACTIVE:
        upload.received.path.unlink(missing_ok=True)
        raise ProposalRefused(
            _("The membership of the reserve has ended: the appointment needs a decision (A-22)."), "act"
        )
    key, sha256, size = await _store(upload, proposal.tenant_id)
    proposal.act_key, proposal.act_sha256, proposal.act_size = key, sha256, size
    proposal.act_media_type, proposal.act_name = upload.received.media_type, upload.received.display_name
    proposal.act_number, proposal.act_date = act_number, act_date
    proposal.status, proposal.appointed_at, proposal.updated_at = S.APPOINTED, now, now
    position.vacant, position.updated_by, position.updated_at = False, actor, now
    await session.flush()
    await record(
        session,
        _audit(
            row,
            "proposal.appointed",
            str(actor),
            act_number=act_number,
            act_date=act_date,
            act_sha256=sha256,
            membership_continues=True,
        ),
    )
    await _tell_member(
        session,
        row,
        _Notice(
            N_("You have been appointed"),
            N_("Your appointment act has been adopted. You stay in the reserve to the end of the term."),
        ),
        mail,
        event="appointed",
        now=now,
    )


async def withdraw(
    session: AsyncSession, row: Row, *, reason: str, actor: uuid.UUID, now: datetime, mail: Mail
) -> None:
    """The official withdraws the proposal (rules.md 3.5)."""
    proposal = row.proposal
    if proposal.status not in policies.MAY_WITHDRAW:
        raise ProposalRefused(_("This proposal can no longer be withdrawn."))
    proposal.status, proposal.reason, proposal.updated_at = S.WITHDRAWN, reason.strip(), now
    await session.flush()
    await record(session, _audit(row, "proposal.withdrawn", str(actor), reason=proposal.reason))
    await _tell_member(
        session,
        row,
        _Notice(
            N_("Appointment proposal withdrawn"),
            N_("The appointing official has withdrawn the proposal."),
            proposal.reason,
        ),
        mail,
        event="withdrawn",
        now=now,
    )


async def void_open_proposals(
    session: AsyncSession,
    membership: ReserveMembership,
    *,
    reason: str,
    clause: str,
    actor: str,
    now: datetime,
    mail: Mail,
) -> int:
    """A-22, rules.md 3.3/3.6: the membership has ended (expired, excluded): its open proposals become void.

    For the expiry job and the exclusion decision; `reason` is an N_() message, `clause` the clause
    that ended the membership ("12", "18(4)"). Returns how many were voided. Idempotent.
    """
    rows = await _fetch(
        session,
        col(AppointmentProposal.membership_id) == membership.id,
        col(AppointmentProposal.status).in_(OPEN_PROPOSAL_STATUSES),
    )
    for row in rows:
        row.proposal.status, row.proposal.reason, row.proposal.updated_at = S.VOID, reason, now
        await session.flush()
        await record(session, _audit(row, "proposal.voided", actor, clause=clause, reason=reason))
        notice = _Notice(
            N_("Appointment proposal void"),
            N_("The membership of the reserve has ended: the proposal is void."),
            reason,
        )
        await _tell_proposer(session, row, notice, mail, event="voided", now=now)
        await _tell_member(session, row, notice, mail, event="voided", now=now)
    return len(rows)


__all__ = [
    "Mail",
    "ProposalRefused",
    "Row",
    "Upload",
    "answer",
    "ask_again",
    "attach_service_record",
    "create_proposal",
    "decide",
    "member_proposal",
    "member_proposals",
    "offerable_posts",
    "proposable_members",
    "queue",
    "queued_proposal",
    "record_act",
    "region_proposal",
    "region_proposals",
    "submit",
    "under_review",
    "void_open_proposals",
    "withdraw",
]
