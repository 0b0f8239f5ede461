"""Selections, their sector directions and their announcement texts (rules.md 3.1).

The states and dates exist now; the transitions between them come with the issue that runs
selections. Statuses are stored as their values (VARCHAR), never as a native database enum.
"""

import uuid
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from sqlmodel import Field, col

from portal.core.models import SQLModel, created_at_field, enum_type, new_id, tenant_id_field, utcnow


class SelectionStatus(StrEnum):
    """The selection lifecycle of rules.md 3.1."""

    DRAFT = "draft"
    #: cl. 3, A-RC-4(10): the commission approves the parameters before the Agency agrees them.
    #: A new VARCHAR value (enum_type: no native enum, no CHECK constraint): no migration.
    AWAITING_COMMISSION = "awaiting_commission"
    AWAITING_AGREEMENT = "awaiting_agreement"  # cl. 3: the Agency agrees the parameters
    AGREED = "agreed"
    ANNOUNCED = "announced"  # cl. 7: published at least the notice period before intake
    INTAKE_OPEN = "intake_open"  # cl. 6(1), 8
    INTAKE_CLOSED = "intake_closed"
    TESTING = "testing"  # cl. 6(2)
    COMPETENCY = "competency"  # cl. 6(3)
    VETTING = "vetting"  # cl. 11
    INTERVIEW = "interview"  # cl. 6(4)
    CONSIDERATION = "consideration"  # cl. 6(5)
    COMPLETED = "completed"  # cl. 12
    CANCELLED = "cancelled"
    SUSPENDED = "suspended"


#: Statuses in which the announcement has been published and the public may read it.
PUBLISHED_STATUSES: frozenset[SelectionStatus] = frozenset(
    {
        SelectionStatus.ANNOUNCED,
        SelectionStatus.INTAKE_OPEN,
        SelectionStatus.INTAKE_CLOSED,
        SelectionStatus.SUSPENDED,
        SelectionStatus.TESTING,
        SelectionStatus.COMPETENCY,
        SelectionStatus.VETTING,
        SelectionStatus.INTERVIEW,
        SelectionStatus.CONSIDERATION,
        SelectionStatus.COMPLETED,
    }
)


class SectorDirection(SQLModel, table=True):
    """A sectoral direction (cl. 3): national reference data kept by the Agency."""

    __tablename__ = "sector_direction"

    code: str = Field(primary_key=True, sa_type=sa.String(40))
    position: int = Field(default=0, nullable=False)
    name_kk: str = Field(sa_type=sa.String(200), nullable=False)
    name_ru: str = Field(sa_type=sa.String(200), nullable=False)
    name_en: str = Field(sa_type=sa.String(200), nullable=False)
    description_kk: str = Field(default="", sa_type=sa.Text, nullable=False)
    description_ru: str = Field(default="", sa_type=sa.Text, nullable=False)
    description_en: str = Field(default="", sa_type=sa.Text, nullable=False)
    active: bool = Field(default=True, nullable=False)

    def name(self, language: str) -> str:
        return {"ru": self.name_ru, "en": self.name_en}.get(language, self.name_kk)


class Selection(SQLModel, table=True):
    """One selection of one region (cl. 3): quota, directions, stage dates and notice period."""

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "reference"),
        sa.Index("ix_selection_tenant_status_intake", "tenant_id", "status", "intake_start"),
        sa.CheckConstraint("quota >= 1", name="quota_positive"),
        sa.CheckConstraint("intake_end >= intake_start", name="intake_ordered"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    #: The number citizens quote: "KZ-10-2025-01".
    reference: str = Field(sa_type=sa.String(32), nullable=False)
    cycle_year: int = Field(nullable=False)
    status: SelectionStatus = Field(
        default=SelectionStatus.DRAFT, sa_type=enum_type(SelectionStatus, 24), nullable=False
    )
    quota: int = Field(nullable=False)
    #: Working days strictly between publication and intake start (cl. 7; rules.md A-01, A-02).
    notice_working_days: int = Field(default=15, nullable=False)
    contact_email: str = Field(sa_type=sa.String(254), nullable=False)
    contact_phone: str = Field(default="", sa_type=sa.String(40), nullable=False)
    published_on: date | None = Field(default=None)
    intake_start: date = Field(nullable=False)
    intake_end: date = Field(nullable=False)
    testing_on: date | None = Field(default=None)
    competency_on: date | None = Field(default=None)
    interview_on: date | None = Field(default=None)
    consideration_on: date | None = Field(default=None)
    #: rules.md A-11: the commission may enrol fewer than the quota, with a recorded reason.
    under_quota_reason: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(
        default_factory=utcnow,
        sa_type=DateTimeUTC(timezone=True),
        nullable=False,
        sa_column_kwargs={"onupdate": utcnow},
    )


# The national Atom feed: the 50 newest published selections, read in index order (issue 9).
sa.Index("ix_selection_updated_at", col(Selection.updated_at).desc(), col(Selection.reference))


class SelectionDirection(SQLModel, table=True):
    """A sectoral direction of one selection, with its optional own quota (rules.md A-09)."""

    __tablename__ = "selection_direction"

    selection_id: uuid.UUID = Field(foreign_key="selection.id", primary_key=True, ondelete="CASCADE")
    direction_code: str = Field(foreign_key="sector_direction.code", primary_key=True, sa_type=sa.String(40))
    tenant_id: str = tenant_id_field()
    quota: int | None = Field(default=None)


class AnnouncementText(SQLModel, table=True):
    """The announcement of a selection in one language (cl. 7 para 2): title, summary and body."""

    __tablename__ = "announcement_text"

    selection_id: uuid.UUID = Field(foreign_key="selection.id", primary_key=True, ondelete="CASCADE")
    language: str = Field(primary_key=True, sa_type=sa.String(2))
    tenant_id: str = tenant_id_field()
    title: str = Field(sa_type=sa.String(300), nullable=False)
    summary: str = Field(sa_type=sa.Text, nullable=False)
    body: str = Field(sa_type=sa.Text, nullable=False)
