"""The tables of appointment from the reserve (ch. 3; rules.md 1.5, 3.5, A-19, A-21, A-22, A-39).

- `Position`: the corps "B" posts of a region's local executive bodies (cl. 14), kept by the
  region's administrator; an elective post is never offered; the cl. 15 flag (head of an executive
  body financed from the regional budget) is confirmed by the Agency (A-39).
- `AppointmentProposal`: an appointing official's proposal of a reserve member for a vacant post,
  routed by portal.rules.routing to the Agency (cl. 15, 17) or to the territorial unit of the
  post's region (cl. 16); it belongs to the post's region (rules.md 2.3 item 4).
- `MemberConsent`: a member's consent to be appointed in another region (cl. 17), kept as history.
"""

import uuid
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from sqlmodel import Field

from portal.core.models import SQLModel, created_at_field, enum_type, new_id, tenant_id_field
from portal.i18n import N_
from portal.rules.routing import Addressee


class Position(SQLModel, table=True):
    """A corps "B" administrative post of a local executive body of the region (cl. 14)."""

    __tablename__ = "position"
    __table_args__ = (sa.Index("ix_position_tenant_active", "tenant_id", "active", "vacant"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    #: The local executive body (akimat, its department or office) the post belongs to.
    executive_body: str = Field(sa_type=sa.String(300), nullable=False)
    title: str = Field(sa_type=sa.String(300), nullable=False)
    #: The corps "B" category of the post (e.g. "C-O-1", "D-2").
    category: str = Field(sa_type=sa.String(16), nullable=False)
    #: cl. 14: elective posts are never filled from the reserve.
    is_elective: bool = Field(default=False, nullable=False)
    #: cl. 15: head of an executive body financed from the regional (city, capital) budget (A-39).
    heads_regional_budget_body: bool = Field(default=False, nullable=False)
    #: A-39: the Agency's confirmation of the cl. 15 flag as it stands (reset when the flag changes).
    cl15_confirmed: bool = Field(default=False, nullable=False)
    cl15_confirmed_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    cl15_confirmed_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    vacant: bool = Field(default=True, nullable=False)
    #: False once the administrator deactivates the post (kept for the proposals that name it).
    active: bool = Field(default=True, nullable=False)
    #: None for the posts of the demonstration data (portal.demo.positions).
    created_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = created_at_field()
    updated_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    updated_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))


class ProposalStatus(StrEnum):
    """rules.md 3.5 (UnderReview* is `submitted` with its addressee)."""

    DRAFT = "draft"
    AWAITING_MEMBER = "awaiting_member"  # the member's application (and cl. 17 consent) in the portal
    SUBMITTED = "submitted"  # in the addressee's queue
    RETURNED = "returned"  # with reasons; the official may correct it and file it again
    ACCEPTED = "accepted"  # agreed (cl. 17: the Agency's consent)
    APPOINTED = "appointed"  # the appointment act is uploaded (membership continues, A-21)
    WITHDRAWN = "withdrawn"
    VOID = "void"  # the membership ended (expired, excluded) before the appointment


PROPOSAL_STATUS_LABELS: dict[ProposalStatus, str] = {
    ProposalStatus.DRAFT: N_("Draft"),
    ProposalStatus.AWAITING_MEMBER: N_("Awaiting the member's confirmation"),
    ProposalStatus.SUBMITTED: N_("Submitted"),
    ProposalStatus.RETURNED: N_("Returned"),
    ProposalStatus.ACCEPTED: N_("Accepted"),
    ProposalStatus.APPOINTED: N_("Appointed"),
    ProposalStatus.WITHDRAWN: N_("Withdrawn"),
    ProposalStatus.VOID: N_("Void"),
}
#: Where a proposal went and why (portal.rules.routing).
ROUTE_LABELS: dict[str, str] = {
    "15": N_("Clause 15: head of an executive body financed from the regional budget, to the Agency"),
    "16": N_("Clause 16: to the territorial unit of the Agency in the region"),
    "17": N_("Clause 17: appointment to another region, with the Agency's consent"),
}
#: Proposals still alive: they block a second proposal for the same post and are voided when the
#: membership ends (A-22).
OPEN_PROPOSAL_STATUSES: frozenset[ProposalStatus] = frozenset(
    {
        ProposalStatus.DRAFT,
        ProposalStatus.AWAITING_MEMBER,
        ProposalStatus.SUBMITTED,
        ProposalStatus.RETURNED,
        ProposalStatus.ACCEPTED,
    }
)


class AppointmentProposal(SQLModel, table=True):
    """A proposal to appoint a reserve member to a vacant post without competition (cl. 15-17)."""

    __tablename__ = "appointment_proposal"
    __table_args__ = (
        sa.Index("ix_appointment_proposal_tenant_status", "tenant_id", "status"),
        sa.Index("ix_appointment_proposal_queue", "addressee", "status"),
        sa.Index("ix_appointment_proposal_member_tenant", "member_tenant_id", "status"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    #: The post's region: the proposal's owner (rules.md 2.3 item 4), and for cl. 16 whose unit decides.
    tenant_id: str = tenant_id_field()
    position_id: uuid.UUID = Field(foreign_key="position.id", index=True, nullable=False)
    membership_id: uuid.UUID = Field(foreign_key="reserve_membership.id", index=True, nullable=False)
    #: The region of the member's reserve (cl. 17 when it differs from `tenant_id`).
    member_tenant_id: str = Field(foreign_key="tenant.id", sa_type=sa.String(8), nullable=False)
    proposer_id: uuid.UUID = Field(foreign_key="user_account.id", index=True, nullable=False)
    #: The languages the proposer and the member are written to in (rules.md A-32): the proposer's
    #: when filing; the member's from their application, then from their confirmation.
    language: str = Field(default="kk", sa_type=sa.String(2), nullable=False)
    member_language: str = Field(default="kk", sa_type=sa.String(2), nullable=False)
    #: portal.rules.routing.route_proposal: the Agency (cl. 15, 17) or the territorial unit (cl. 16).
    addressee: Addressee = Field(sa_type=enum_type(Addressee, 24), nullable=False)
    #: "15", "16" or "17".
    route_clause: str = Field(sa_type=sa.String(8), nullable=False)
    #: A-39: the post's cl. 15 flag the routing was decided on.
    routed_on_cl15_flag: bool = Field(default=False, nullable=False)
    status: ProposalStatus = Field(
        default=ProposalStatus.DRAFT, sa_type=enum_type(ProposalStatus, 16), nullable=False
    )
    #: cl. 15-16: the member's application for this vacancy, given in the portal (with the cl. 17
    #: consent to this region and post when inter-regional).
    member_confirmed_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    member_declined_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    consent_id: uuid.UUID | None = Field(default=None, foreign_key="member_consent.id")
    #: cl. 15-16: the member's service record (қызметтік тізім), stored file.
    service_record_key: str | None = Field(default=None, sa_type=sa.String(120), unique=True)
    service_record_sha256: str | None = Field(default=None, sa_type=sa.String(64))
    service_record_name: str = Field(default="", sa_type=sa.String(160), nullable=False)
    service_record_media_type: str = Field(default="", sa_type=sa.String(40), nullable=False)
    service_record_size: int = Field(default=0, sa_type=sa.BigInteger, nullable=False)
    submitted_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    #: A-19: the review reminder date (portal.rules.terms.proposal_review_due).
    due_on: date | None = Field(default=None)
    reviewer_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    decided_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    #: The reviewer's reasons (required to return; A-19), or why it was withdrawn or voided.
    reason: str = Field(default="", sa_type=sa.Text, nullable=False)
    #: The appointment act (order number and date) and its file, uploaded by the official.
    act_number: str = Field(default="", sa_type=sa.String(80), nullable=False)
    act_date: date | None = Field(default=None)
    act_key: str | None = Field(default=None, sa_type=sa.String(120), unique=True)
    act_sha256: str | None = Field(default=None, sa_type=sa.String(64))
    act_name: str = Field(default="", sa_type=sa.String(160), nullable=False)
    act_media_type: str = Field(default="", sa_type=sa.String(40), nullable=False)
    act_size: int = Field(default=0, sa_type=sa.BigInteger, nullable=False)
    appointed_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    created_at: datetime = created_at_field()
    updated_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))


class MemberConsent(SQLModel, table=True):
    """A member's consent to be appointed in another region (cl. 17): one row per consent given,
    closed when withdrawn, so the history stays. The current consent has `withdrawn_at` None."""

    __tablename__ = "member_consent"
    __table_args__ = (sa.Index("ix_member_consent_membership", "membership_id", "withdrawn_at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    #: The member's home region (the membership's).
    tenant_id: str = tenant_id_field()
    membership_id: uuid.UUID = Field(foreign_key="reserve_membership.id", nullable=False)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    given_at: datetime = created_at_field()
    withdrawn_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))


__all__ = [
    "OPEN_PROPOSAL_STATUSES",
    "PROPOSAL_STATUS_LABELS",
    "ROUTE_LABELS",
    "AppointmentProposal",
    "MemberConsent",
    "Position",
    "ProposalStatus",
]
