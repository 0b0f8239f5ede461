"""The tables of enrolment without selection (ch. 2-1, cl. 13-1..13-4; rules.md 1.4, 3.4, A-17, A-18).

An Agency officer imports the National Commission's approved list (`DirectEnrolmentList`: the file,
its preview rows, four eyes as in the results import); on approval its rows become
`DirectEnrolmentEntry` rows (IIN, list number, approval date). A listed person files one
`DirectEnrolmentRequest` with the commission of the region they choose (cl. 13-2), before the
deadline of portal.rules.terms.direct_enrolment_deadline; the decision is due within a month of
receipt (cl. 13-3, portal.rules.terms.direct_enrolment_decision_due); enrolment is outside the
quota (cl. 13-4).
"""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from sqlmodel import Field

from portal.core.models import SQLModel, created_at_field, enum_type, new_id, tenant_id_field
from portal.i18n import N_


class ListImportStatus(StrEnum):
    PENDING = "pending"  # uploaded, waiting for a second Agency officer
    APPROVED = "approved"
    DISCARDED = "discarded"


class DirectEnrolmentList(SQLModel, table=True):
    """An uploaded National Commission list (CSV: IIN, list number, approval date), national data."""

    __tablename__ = "direct_enrolment_list"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    file_name: str = Field(sa_type=sa.String(160), nullable=False)
    sha256: str = Field(sa_type=sa.String(64), nullable=False, index=True)
    #: The parsed rows for the preview: [{"iin", "list_number", "approved_on"}] (JSON values only).
    rows: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON, nullable=False)
    status: ListImportStatus = Field(
        default=ListImportStatus.PENDING, sa_type=enum_type(ListImportStatus, 16), nullable=False
    )
    uploaded_by: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    uploaded_at: datetime = created_at_field()
    decided_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    decided_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))


class DirectEnrolmentEntry(SQLModel, table=True):
    """One person on an approved list (cl. 13-1): the window runs from `approved_on` (cl. 13-2)."""

    __tablename__ = "direct_enrolment_entry"
    __table_args__ = (sa.UniqueConstraint("list_number", "iin"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    list_id: uuid.UUID = Field(foreign_key="direct_enrolment_list.id", index=True, nullable=False)
    iin: str = Field(sa_type=sa.String(12), index=True, nullable=False)
    list_number: str = Field(sa_type=sa.String(80), nullable=False)
    approved_on: date = Field(nullable=False)
    created_at: datetime = created_at_field()


class DirectRequestStatus(StrEnum):
    """rules.md 3.4 (Registered is `submitted`; Overdue is computed from `decision_due`)."""

    SUBMITTED = "submitted"
    ON_AGENDA = "on_agenda"
    ENROLLED = "enrolled"
    REFUSED = "refused"  # only with a recorded legal reason
    WITHDRAWN = "withdrawn"


DIRECT_REQUEST_STATUS_LABELS: dict[DirectRequestStatus, str] = {
    DirectRequestStatus.SUBMITTED: N_("Submitted"),
    DirectRequestStatus.ON_AGENDA: N_("On the commission's agenda"),
    DirectRequestStatus.ENROLLED: N_("Enrolled"),
    DirectRequestStatus.REFUSED: N_("Refused"),
    DirectRequestStatus.WITHDRAWN: N_("Withdrawn"),
}
#: A request in one of these "stands": a second region is refused meanwhile (cl. 13-2, A-17).
STANDING_REQUEST_STATUSES: frozenset[DirectRequestStatus] = frozenset(
    {DirectRequestStatus.SUBMITTED, DirectRequestStatus.ON_AGENDA}
)


class DirectEnrolmentRequest(SQLModel, table=True):
    """A listed person's request to the commission of the region they chose (cl. 13-1, 13-2)."""

    __tablename__ = "direct_enrolment_request"
    __table_args__ = (
        sa.Index("ix_direct_enrolment_request_tenant_status", "tenant_id", "status"),
        sa.Index("ix_direct_enrolment_request_iin_status", "iin", "status"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    #: The chosen region (cl. 13-2).
    tenant_id: str = tenant_id_field()
    entry_id: uuid.UUID = Field(foreign_key="direct_enrolment_entry.id", index=True, nullable=False)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True, nullable=False)
    iin: str = Field(sa_type=sa.String(12), nullable=False)
    candidate_name: str = Field(sa_type=sa.String(300), nullable=False)
    direction_code: str | None = Field(
        default=None, foreign_key="sector_direction.code", sa_type=sa.String(40)
    )
    status: DirectRequestStatus = Field(
        default=DirectRequestStatus.SUBMITTED, sa_type=enum_type(DirectRequestStatus, 16), nullable=False
    )
    filed_at: datetime = created_at_field()
    #: The date the commission received it (the decision's month runs from it, cl. 13-3).
    received_on: date = Field(nullable=False)
    #: cl. 13-2: the last day to apply (list approval + 1 year), as it stood when filed.
    deadline: date = Field(nullable=False)
    #: cl. 13-3: the last day for the decision (receipt + 1 month).
    decision_due: date = Field(nullable=False)
    agenda_item_id: uuid.UUID | None = Field(default=None, foreign_key="agenda_item.id")
    membership_id: uuid.UUID | None = Field(default=None, foreign_key="reserve_membership.id")
    decided_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    #: A-18: the recorded legal reason of a refusal.
    refusal_reason: str = Field(default="", sa_type=sa.Text, nullable=False)
    withdrawn_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    #: When the overdue request was flagged to the chair and the Agency (once).
    overdue_flagged_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))


__all__ = [
    "DIRECT_REQUEST_STATUS_LABELS",
    "STANDING_REQUEST_STATUSES",
    "DirectEnrolmentEntry",
    "DirectEnrolmentList",
    "DirectEnrolmentRequest",
    "DirectRequestStatus",
    "ListImportStatus",
]
