"""Reserve memberships (rules.md 3.3): created only by a commission decision (A-RC-3(4)).

A selection-based membership (cl. 12) counts against the selection's quota (A-11); a chapter 2-1
membership (cl. 13-3) is outside it. The term runs from the decision date for two years
(portal.rules.terms.membership_end, A-10).
"""

import uuid
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field

from portal.core.models import SQLModel, created_at_field, enum_type, new_id, tenant_id_field
from portal.i18n import N_


class MembershipStatus(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    EXCLUDED = "excluded"  # cl. 18


MEMBERSHIP_STATUS_LABELS: dict[MembershipStatus, str] = {
    MembershipStatus.ACTIVE: N_("Active"),
    MembershipStatus.EXPIRED: N_("Expired"),
    MembershipStatus.EXCLUDED: N_("Excluded"),
}


class ReserveMembership(SQLModel, table=True):
    """One person's membership of a region's reserve, from one commission decision."""

    __tablename__ = "reserve_membership"
    __table_args__ = (
        sa.UniqueConstraint("application_id"),
        sa.CheckConstraint("ends_on >= starts_on", name="term_ordered"),
        sa.Index("ix_reserve_membership_tenant_status", "tenant_id", "status"),
        sa.Index("ix_reserve_membership_selection", "selection_id", "direction_code"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    #: The selection and application of a cl. 12 enrolment (None for chapter 2-1).
    selection_id: uuid.UUID | None = Field(default=None, foreign_key="selection.id")
    application_id: uuid.UUID | None = Field(default=None, foreign_key="application.id")
    user_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id", index=True)
    #: The person (rules.md 5.2): cross-region facts (A-28) and monitoring (A-RC-12) key on it.
    candidate_iin: str = Field(sa_type=sa.String(12), index=True, nullable=False)
    candidate_name: str = Field(sa_type=sa.String(300), nullable=False)
    direction_code: str | None = Field(
        default=None, foreign_key="sector_direction.code", sa_type=sa.String(40)
    )
    #: The decision: the agenda item and its meeting (A-RC-4(3)).
    decision_item_id: uuid.UUID | None = Field(default=None, foreign_key="agenda_item.id")
    meeting_id: uuid.UUID | None = Field(default=None, foreign_key="meeting.id")
    #: "12" (selection) or "13-3" (chapter 2-1).
    clause: str = Field(sa_type=sa.String(16), nullable=False)
    starts_on: date = Field(nullable=False)
    ends_on: date = Field(nullable=False)
    status: MembershipStatus = Field(
        default=MembershipStatus.ACTIVE, sa_type=enum_type(MembershipStatus, 16), nullable=False
    )
    #: rules.md A-11: selection enrolments count against the quota; chapter 2-1 ones do not (cl. 13-4).
    counted_in_quota: bool = Field(nullable=False)
    created_at: datetime = created_at_field()
