"""The candidate's profile, applications, their documents, history and who read them (rules.md 3.2)."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from sqlmodel import Field, col

from portal.core.models import SQLModel, created_at_field, enum_type, new_id, tenant_id_field, utcnow
from portal.i18n import N_
from portal.rules.eligibility import EducationLevel, EmploymentKind


class CandidateProfile(SQLModel, table=True):
    """What the candidate adds to the identity provider's data (names, IIN, birth date come from there)."""

    __tablename__ = "candidate_profile"

    user_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)
    email: str = Field(default="", sa_type=sa.String(254), nullable=False)
    phone: str = Field(default="", sa_type=sa.String(40), nullable=False)
    #: ISO 3166-1 alpha-2 codes of the citizenships declared (cl. 4; never derived from the IIN, A-29).
    citizenships: list[str] = Field(default_factory=list, sa_type=sa.JSON, nullable=False)
    #: The cl. 5 categories the candidate declared (portal.rules.eligibility.BarredCategory values).
    barred: list[str] = Field(default_factory=list, sa_type=sa.JSON, nullable=False)
    declarations_made_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTimeUTC(timezone=True), nullable=False)


class EducationEntry(SQLModel, table=True):
    __tablename__ = "education_entry"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True, nullable=False)
    level: EducationLevel = Field(sa_type=enum_type(EducationLevel, 24), nullable=False)
    institution: str = Field(sa_type=sa.String(300), nullable=False)
    country: str = Field(default="KZ", sa_type=sa.String(2), nullable=False)
    start_date: date = Field(nullable=False)
    end_date: date = Field(nullable=False)
    diploma_number: str = Field(default="", sa_type=sa.String(60), nullable=False)


class EmploymentEntry(SQLModel, table=True):
    __tablename__ = "employment_entry"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", index=True, nullable=False)
    employer: str = Field(sa_type=sa.String(300), nullable=False)
    position: str = Field(sa_type=sa.String(300), nullable=False)
    sector: str = Field(default="", sa_type=sa.String(120), nullable=False)
    kind: EmploymentKind = Field(
        default=EmploymentKind.LABOUR_CONTRACT, sa_type=enum_type(EmploymentKind, 24), nullable=False
    )
    start_date: date = Field(nullable=False)
    end_date: date | None = Field(default=None)


class ApplicationStatus(StrEnum):
    """rules.md 3.2."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    ADMITTED = "admitted"
    REFUSED = "refused"
    IN_TESTING = "in_testing"
    IN_COMPETENCY = "in_competency"
    IN_VETTING = "in_vetting"
    IN_INTERVIEW = "in_interview"
    UNDER_CONSIDERATION = "under_consideration"
    NOT_ADVANCED = "not_advanced"
    ENROLLED = "enrolled"
    NOT_ENROLLED = "not_enrolled"
    REMOVED = "removed"
    WITHDRAWN = "withdrawn"


FINAL_STATUSES = frozenset(
    {
        ApplicationStatus.REFUSED,
        ApplicationStatus.NOT_ADVANCED,
        ApplicationStatus.ENROLLED,
        ApplicationStatus.NOT_ENROLLED,
        ApplicationStatus.REMOVED,
        ApplicationStatus.WITHDRAWN,
    }
)

STATUS_LABELS: dict[ApplicationStatus, str] = {
    ApplicationStatus.DRAFT: N_("Draft"),
    ApplicationStatus.SUBMITTED: N_("Submitted"),
    ApplicationStatus.UNDER_REVIEW: N_("Documents under review"),
    ApplicationStatus.ADMITTED: N_("Admitted"),
    ApplicationStatus.REFUSED: N_("Refused"),
    ApplicationStatus.IN_TESTING: N_("Testing"),
    ApplicationStatus.IN_COMPETENCY: N_("Competency assessment"),
    ApplicationStatus.IN_VETTING: N_("Checks before the interview"),
    ApplicationStatus.IN_INTERVIEW: N_("Interview"),
    ApplicationStatus.UNDER_CONSIDERATION: N_("Consideration by the commission"),
    ApplicationStatus.NOT_ADVANCED: N_("Not advanced"),
    ApplicationStatus.ENROLLED: N_("Enrolled in the reserve"),
    ApplicationStatus.NOT_ENROLLED: N_("Not enrolled"),
    ApplicationStatus.REMOVED: N_("Removed from the selection"),
    ApplicationStatus.WITHDRAWN: N_("Withdrawn"),
}


class Channel(StrEnum):
    """How the documents arrived (cl. 8): through the portal, on paper, or by e-mail."""

    PORTAL = "portal"
    PAPER = "paper"
    EMAIL = "email"


class DocumentSlot(StrEnum):
    """The four documents of cl. 8."""

    ID_COPY = "id_copy"  # cl. 8(1)
    APPLICATION_FORM = "application_form"  # cl. 8(2)
    EDUCATION = "education"  # cl. 8(3)
    EMPLOYMENT = "employment"  # cl. 8(4)


SLOT_LABELS: dict[DocumentSlot, str] = {
    DocumentSlot.ID_COPY: N_("Copy of the identity card or passport"),
    DocumentSlot.APPLICATION_FORM: N_("Application"),
    DocumentSlot.EDUCATION: N_("Education documents and their supplements"),
    DocumentSlot.EMPLOYMENT: N_("Document confirming work activity"),
}
SLOT_CLAUSES: dict[DocumentSlot, str] = {
    DocumentSlot.ID_COPY: "8(1)",
    DocumentSlot.APPLICATION_FORM: "8(2)",
    DocumentSlot.EDUCATION: "8(3)",
    DocumentSlot.EMPLOYMENT: "8(4)",
}


class Application(SQLModel, table=True):
    """One candidate in one selection (one per candidate per selection)."""

    __table_args__ = (
        sa.UniqueConstraint("selection_id", "candidate_iin"),
        sa.UniqueConstraint("tenant_id", "reference"),
        sa.Index("ix_application_tenant_selection_status", "tenant_id", "selection_id", "status"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    selection_id: uuid.UUID = Field(foreign_key="selection.id", nullable=False)
    #: The person (rules.md 5.2); a paper application may precede the candidate's first sign-in.
    candidate_iin: str = Field(sa_type=sa.String(12), index=True, nullable=False)
    user_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id", index=True)
    candidate_name: str = Field(default="", sa_type=sa.String(300), nullable=False)
    #: "KZ-71-2026-000123", given at submission.
    reference: str | None = Field(default=None, sa_type=sa.String(24))
    status: ApplicationStatus = Field(
        default=ApplicationStatus.DRAFT, sa_type=enum_type(ApplicationStatus, 24), nullable=False
    )
    channel: Channel = Field(default=Channel.PORTAL, sa_type=enum_type(Channel, 8), nullable=False)
    #: The language the candidate used when applying: decisions are written to them in it.
    language: str = Field(default="kk", sa_type=sa.String(2), nullable=False)
    direction_code: str | None = Field(
        default=None, foreign_key="sector_direction.code", sa_type=sa.String(40)
    )
    consent_version: str | None = Field(default=None, sa_type=sa.String(16))
    consent_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    #: The day eligibility is measured on (rules.md A-03): submission, or receipt for paper.
    reference_date: date | None = Field(default=None)
    #: The cl. 4-5 check at submission: reasons and officer flags.
    eligibility: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    submitted_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    registered_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = created_at_field()
    updated_at: datetime = Field(
        default_factory=utcnow,
        sa_type=DateTimeUTC(timezone=True),
        nullable=False,
        sa_column_kwargs={"onupdate": utcnow},
    )


# The officer's list (issue 9): `ORDER BY submitted_at DESC, id` read straight from the index, so a
# page is found without sorting the region's applications (deep pages skip index entries only) and
# the count is answered from the index; the first serves a status filter, the second "any status".
sa.Index(
    "ix_application_tenant_status_submitted",
    col(Application.tenant_id),
    col(Application.status),
    col(Application.submitted_at).desc(),
    col(Application.id),
)
sa.Index(
    "ix_application_tenant_submitted",
    col(Application.tenant_id),
    col(Application.submitted_at).desc(),
    col(Application.id),
)


class ApplicationDocument(SQLModel, table=True):
    """The current file of one cl. 8 slot; replaced files are deleted from storage."""

    __tablename__ = "application_document"
    __table_args__ = (sa.UniqueConstraint("application_id", "slot"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    application_id: uuid.UUID = Field(foreign_key="application.id", nullable=False, ondelete="CASCADE")
    tenant_id: str = tenant_id_field()
    slot: DocumentSlot = Field(sa_type=enum_type(DocumentSlot, 24), nullable=False)
    storage_key: str = Field(sa_type=sa.String(120), unique=True, nullable=False)
    sha256: str = Field(sa_type=sa.String(64), nullable=False)
    size: int = Field(sa_type=sa.BigInteger, nullable=False)
    media_type: str = Field(sa_type=sa.String(40), nullable=False)
    pages: int = Field(default=1, nullable=False)
    display_name: str = Field(sa_type=sa.String(160), nullable=False)
    uploaded_at: datetime = created_at_field()


class ApplicationEvent(SQLModel, table=True):
    """The candidate-facing history: every state change with its reason and clause."""

    __tablename__ = "application_event"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    application_id: uuid.UUID = Field(
        foreign_key="application.id", index=True, nullable=False, ondelete="CASCADE"
    )
    tenant_id: str = tenant_id_field()
    at: datetime = created_at_field()
    status: ApplicationStatus = Field(sa_type=enum_type(ApplicationStatus, 24), nullable=False)
    clause: str = Field(default="", sa_type=sa.String(16), nullable=False)
    #: A message id (translated when shown) or the officer's own words.
    reason: str = Field(default="", sa_type=sa.Text, nullable=False)


class FileAccess(SQLModel, table=True):
    """Each read of an application or a document by someone other than the candidate (design: privacy)."""

    __tablename__ = "file_access"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    application_id: uuid.UUID = Field(
        foreign_key="application.id", index=True, nullable=False, ondelete="CASCADE"
    )
    tenant_id: str = tenant_id_field()
    user_id: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    document_id: uuid.UUID | None = Field(default=None)
    at: datetime = created_at_field()


class ReferenceCounter(SQLModel, table=True):
    """The last reference number given per region and year (KZ-71-2026-000123)."""

    __tablename__ = "reference_counter"

    tenant_id: str = Field(foreign_key="tenant.id", primary_key=True, sa_type=sa.String(8))
    year: int = Field(primary_key=True)
    last: int = Field(default=0, nullable=False)
