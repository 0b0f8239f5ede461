"""The tables of exclusion from the reserve (ch. 4, cl. 18; rules.md 1.6, 3.6, A-23, A-24, A-25).

An `ExclusionCase` is the territorial unit's proposal to exclude a member on one of the 11 grounds
of cl. 18 (portal.rules.grounds.ExclusionGround), with its evidence (`ExclusionEvidence`). The
member is told and may comment by a set date; the case goes on the commission's agenda; the
commission decides. A member's own request (18(1)) opens a draft by itself (A-23). An open case
puts the membership under review: no new appointment proposal (A-22). Expiry while a case is
pending closes it as moot, history kept (A-25).
"""

import uuid
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from sqlmodel import Field

from portal.core.models import SQLModel, created_at_field, enum_type, new_id, tenant_id_field
from portal.i18n import N_


class ExclusionStatus(StrEnum):
    """rules.md 3.6."""

    DRAFT = "draft"  # being prepared by the unit (or opened by the member's own request, 18(1))
    OPEN = "open"  # filed by the unit: the membership is under review
    AWAITING_COMMENT = "awaiting_comment"  # the member is told and may comment until `comment_due_on`
    ON_AGENDA = "on_agenda"  # on a commission meeting's agenda
    DECIDED = "decided"
    MOOT = "moot"  # the membership ended first
    DROPPED = "dropped"  # closed by the unit before filing (no basis)


EXCLUSION_STATUS_LABELS: dict[ExclusionStatus, str] = {
    ExclusionStatus.DRAFT: N_("Draft"),
    ExclusionStatus.OPEN: N_("Open"),
    ExclusionStatus.AWAITING_COMMENT: N_("Awaiting the member's comment"),
    ExclusionStatus.ON_AGENDA: N_("On the commission's agenda"),
    ExclusionStatus.DECIDED: N_("Decided"),
    ExclusionStatus.MOOT: N_("Closed as moot"),
    ExclusionStatus.DROPPED: N_("Dropped"),
}
#: A case in one of these puts the membership under exclusion review (rules.md 3.3, A-22).
UNDER_REVIEW_STATUSES: frozenset[ExclusionStatus] = frozenset(
    {ExclusionStatus.OPEN, ExclusionStatus.AWAITING_COMMENT, ExclusionStatus.ON_AGENDA}
)


class ExclusionDecision(StrEnum):
    EXCLUDED = "excluded"
    NOT_EXCLUDED = "not_excluded"


class ExclusionCase(SQLModel, table=True):
    """The territorial unit's proposal to exclude one member on one cl. 18 ground."""

    __tablename__ = "exclusion_case"
    __table_args__ = (
        sa.Index("ix_exclusion_case_tenant_status", "tenant_id", "status"),
        sa.Index("ix_exclusion_case_membership", "membership_id", "status"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    membership_id: uuid.UUID = Field(foreign_key="reserve_membership.id", nullable=False)
    #: A portal.rules.grounds.ExclusionGround value ("18.1" .. "18.11").
    ground: str = Field(sa_type=sa.String(8), nullable=False)
    #: The limb of 18(8) or 18(11) chosen (a SubBasis code), empty for the other grounds.
    sub_basis: str = Field(default="", sa_type=sa.String(40), nullable=False)
    #: The citation form of the clause applied ("18(4)"), for the audit log and the letters.
    clause: str = Field(sa_type=sa.String(16), nullable=False)
    status: ExclusionStatus = Field(
        default=ExclusionStatus.DRAFT, sa_type=enum_type(ExclusionStatus, 24), nullable=False
    )
    #: 18(1): opened by the member's own request (A-23).
    requested_by_member: bool = Field(default=False, nullable=False)
    #: The facts as the unit states them.
    summary: str = Field(default="", sa_type=sa.Text, nullable=False)
    #: A-24: the date of the act (18(8): must fall inside the membership period).
    act_date: date | None = Field(default=None)
    created_by: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    created_at: datetime = created_at_field()
    opened_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    opened_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    #: The last day the member may comment (a set number of working days after being told).
    comment_due_on: date | None = Field(default=None)
    member_comment: str = Field(default="", sa_type=sa.Text, nullable=False)
    member_commented_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    agenda_item_id: uuid.UUID | None = Field(default=None, foreign_key="agenda_item.id")
    decision: ExclusionDecision | None = Field(default=None, sa_type=enum_type(ExclusionDecision, 16))
    decision_reason: str = Field(default="", sa_type=sa.Text, nullable=False)
    decided_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    #: When the case was closed without a decision (moot, dropped), and why.
    closed_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    closed_reason: str = Field(default="", sa_type=sa.Text, nullable=False)


class ExclusionEvidence(SQLModel, table=True):
    """One evidence document of a case (rules.md 1.6: the ground's EvidenceKind), stored file."""

    __tablename__ = "exclusion_evidence"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    case_id: uuid.UUID = Field(
        foreign_key="exclusion_case.id", index=True, nullable=False, ondelete="CASCADE"
    )
    #: A portal.rules.grounds.EvidenceKind value.
    kind: str = Field(sa_type=sa.String(40), nullable=False)
    #: The document's own date, and its entry into force where the ground needs it (18(6), (8), (10)).
    document_date: date | None = Field(default=None)
    in_force_on: date | None = Field(default=None)
    storage_key: str = Field(sa_type=sa.String(120), unique=True, nullable=False)
    sha256: str = Field(sa_type=sa.String(64), nullable=False)
    size: int = Field(sa_type=sa.BigInteger, nullable=False)
    media_type: str = Field(sa_type=sa.String(40), nullable=False)
    display_name: str = Field(sa_type=sa.String(160), nullable=False)
    uploaded_by: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    uploaded_at: datetime = created_at_field()


class EvidenceAccess(SQLModel, table=True):
    """Each read of an evidence document (design: every read of a person's file is logged): who, when."""

    __tablename__ = "evidence_access"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    evidence_id: uuid.UUID = Field(
        foreign_key="exclusion_evidence.id", index=True, nullable=False, ondelete="CASCADE"
    )
    user_id: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    at: datetime = created_at_field()


__all__ = [
    "EXCLUSION_STATUS_LABELS",
    "UNDER_REVIEW_STATUSES",
    "EvidenceAccess",
    "ExclusionCase",
    "ExclusionDecision",
    "ExclusionEvidence",
    "ExclusionStatus",
]
