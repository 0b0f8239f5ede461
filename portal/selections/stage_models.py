"""The records of running a selection (rules.md 3.1, 3.2): agreement, publication evidence,
document review, stage results and their imports, cut-offs, vetting, interview slots, observers.

Each row belongs to one region (tenant_id) and one selection; decisions keep who, when and the
clause; imports and cut-offs keep a SHA-256 of what they were based on.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from sqlmodel import Field

from portal.core.models import SQLModel, created_at_field, enum_type, new_id, tenant_id_field
from portal.selections.results_import import ResultStage


class AgreementAction(StrEnum):
    TO_COMMISSION = "to_commission"  # the draft sent to the commission for approval (cl. 3, A-RC-4(10))
    APPROVED = "approved"  # the commission approved the parameters: sent to the Agency
    NOT_APPROVED = "not_approved"  # the commission did not: back to draft, with the reason
    SUBMITTED = "submitted"  # the selection's parameters sent to the Agency (cl. 3)
    AGREED = "agreed"
    RETURNED = "returned"


class AgreementRecord(SQLModel, table=True):
    """The conversation with the commission and the Agency about a selection's parameters (cl. 3):
    history kept."""

    __tablename__ = "agreement_record"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    selection_id: uuid.UUID = Field(foreign_key="selection.id", index=True, nullable=False)
    action: AgreementAction = Field(sa_type=enum_type(AgreementAction, 16), nullable=False)
    comment: str = Field(default="", sa_type=sa.Text, nullable=False)
    actor: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    at: datetime = created_at_field()


class InterviewRubric(SQLModel, table=True):
    """The structured interview's competencies (cl. 6(4), rules.md A-12): each scored 1..scale_max."""

    __tablename__ = "interview_rubric"

    selection_id: uuid.UUID = Field(foreign_key="selection.id", primary_key=True)
    tenant_id: str = tenant_id_field()
    #: [{"code": "...", "kk": "...", "ru": "...", "en": "..."}]
    competencies: list[dict[str, str]] = Field(default_factory=list, sa_type=sa.JSON, nullable=False)
    scale_max: int = Field(default=5, nullable=False)


class Channel(StrEnum):
    """Where the announcement must appear (cl. 7); the first three are mandatory (rules.md A-02)."""

    AGENCY_SITE = "agency_site"
    TU_SITE = "tu_site"
    AKIMAT_SITE = "akimat_site"
    MEDIA = "media"
    SOCIAL = "social"


MANDATORY_CHANNELS = (Channel.AGENCY_SITE, Channel.TU_SITE, Channel.AKIMAT_SITE)


class PublicationEvidence(SQLModel, table=True):
    """Proof that the announcement appeared on a channel (cl. 7): the address and the date."""

    __tablename__ = "publication_evidence"
    __table_args__ = (sa.UniqueConstraint("selection_id", "channel"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    selection_id: uuid.UUID = Field(foreign_key="selection.id", nullable=False)
    channel: Channel = Field(sa_type=enum_type(Channel, 16), nullable=False)
    url: str = Field(sa_type=sa.String(500), nullable=False)
    published_on: date = Field(nullable=False)
    recorded_by: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    recorded_at: datetime = created_at_field()


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class DocumentReview(SQLModel, table=True):
    """The territorial unit's verdict on one document of an application (cl. 8, 13(1))."""

    __tablename__ = "document_review"
    __table_args__ = (sa.UniqueConstraint("document_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    application_id: uuid.UUID = Field(foreign_key="application.id", index=True, nullable=False)
    document_id: uuid.UUID = Field(foreign_key="application_document.id", nullable=False, ondelete="CASCADE")
    verdict: Verdict = Field(sa_type=enum_type(Verdict, 16), nullable=False)
    #: A code of portal.selections.review.DOCUMENT_REASONS when rejected.
    reason: str = Field(default="", sa_type=sa.String(40), nullable=False)
    reviewer: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    at: datetime = created_at_field()


class ImportStatus(StrEnum):
    PENDING = "pending"  # uploaded, waiting for a second person
    APPROVED = "approved"
    DISCARDED = "discarded"


class ResultsImport(SQLModel, table=True):
    """An uploaded results file (cl. 6(2)-(3)): stored rows, approved by someone else (four eyes)."""

    __tablename__ = "results_import"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    selection_id: uuid.UUID = Field(foreign_key="selection.id", index=True, nullable=False)
    stage: ResultStage = Field(sa_type=enum_type(ResultStage, 16), nullable=False)
    file_name: str = Field(sa_type=sa.String(160), nullable=False)
    sha256: str = Field(sa_type=sa.String(64), nullable=False)
    #: The parsed rows: [{"application_id", "score", "absent", "components"}] (JSON values only).
    rows: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON, nullable=False)
    status: ImportStatus = Field(
        default=ImportStatus.PENDING, sa_type=enum_type(ImportStatus, 16), nullable=False
    )
    uploaded_by: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    uploaded_at: datetime = created_at_field()
    decided_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    decided_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))


class StageResult(SQLModel, table=True):
    """One candidate's result at a stage; absent means no score (rules.md A-13)."""

    __tablename__ = "stage_result"
    __table_args__ = (sa.UniqueConstraint("application_id", "stage"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    selection_id: uuid.UUID = Field(foreign_key="selection.id", index=True, nullable=False)
    application_id: uuid.UUID = Field(foreign_key="application.id", nullable=False)
    stage: ResultStage = Field(sa_type=enum_type(ResultStage, 16), nullable=False)
    score: Decimal | None = Field(default=None, sa_type=sa.Numeric(7, 2))
    absent: bool = Field(default=False, nullable=False)
    components: dict[str, str] = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    import_id: uuid.UUID = Field(foreign_key="results_import.id", nullable=False)


class CutOff(SQLModel, table=True):
    """The commission's cut-off after a stage (cl. 10): the rule, the ranking it produced, its hash."""

    __tablename__ = "cut_off"
    __table_args__ = (sa.UniqueConstraint("selection_id", "stage"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    selection_id: uuid.UUID = Field(foreign_key="selection.id", nullable=False)
    stage: ResultStage = Field(sa_type=enum_type(ResultStage, 16), nullable=False)
    advance_count: int = Field(nullable=False)
    min_score: Decimal | None = Field(default=None, sa_type=sa.Numeric(7, 2))
    include_ties: bool = Field(default=True, nullable=False)
    #: The commission's minutes: number and date of the meeting that fixed it.
    protocol: str = Field(sa_type=sa.String(120), nullable=False)
    #: {"advanced": [...], "not_advanced": [...], "tied_at_cut": [...], "cut_score": ..., "ranks": {...}}
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    snapshot_sha256: str = Field(sa_type=sa.String(64), nullable=False)
    decided_by: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    decided_at: datetime = created_at_field()


class VettingStatus(StrEnum):
    PENDING = "pending"
    CLEAR = "clear"
    ADVERSE = "adverse"


class VettingCheck(SQLModel, table=True):
    """One cl. 11 check of a candidate (Civil Service Law art. 16 p. 3): request, reply, result."""

    __tablename__ = "vetting_check"
    __table_args__ = (sa.UniqueConstraint("application_id", "item"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    application_id: uuid.UUID = Field(foreign_key="application.id", index=True, nullable=False)
    #: A code of portal.rules.vetting.CHECK_ITEMS (the checklist: portal.selections.vetting).
    item: str = Field(sa_type=sa.String(40), nullable=False)
    authority: str = Field(default="", sa_type=sa.String(300), nullable=False)
    requested_on: date | None = Field(default=None)
    reply_reference: str = Field(default="", sa_type=sa.String(200), nullable=False)
    status: VettingStatus = Field(
        default=VettingStatus.PENDING, sa_type=enum_type(VettingStatus, 16), nullable=False
    )
    note: str = Field(default="", sa_type=sa.Text, nullable=False)
    updated_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    updated_at: datetime = created_at_field()


class VettingReply(SQLModel, table=True):
    """A state body's reply to one cl. 11 request (A-RC-4(1)): the stored file, seen by the
    territorial unit and the commission only (R-11), never by the candidate or observers."""

    __tablename__ = "vetting_reply"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    check_id: uuid.UUID = Field(
        foreign_key="vetting_check.id", unique=True, nullable=False, ondelete="CASCADE"
    )
    storage_key: str = Field(sa_type=sa.String(120), unique=True, nullable=False)
    sha256: str = Field(sa_type=sa.String(64), nullable=False)
    size: int = Field(sa_type=sa.BigInteger, nullable=False)
    media_type: str = Field(sa_type=sa.String(40), nullable=False)
    display_name: str = Field(sa_type=sa.String(160), nullable=False)
    uploaded_by: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    uploaded_at: datetime = created_at_field()


class ProposalDecision(StrEnum):
    PENDING = "pending"  # waiting for the commission
    REMOVED = "removed"  # the commission removed the candidate (cl. 13)
    REJECTED = "rejected"  # the commission did not: the check is done again


class RemovalProposal(SQLModel, table=True):
    """The territorial unit's proposal to remove a candidate on a cl. 13 ground; after the interview
    invitation stage the commission decides (rules.md 3.7, A-16). Cl. 11 findings give ground 13(3)."""

    __tablename__ = "removal_proposal"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    application_id: uuid.UUID = Field(foreign_key="application.id", index=True, nullable=False)
    #: A portal.rules.grounds.RefusalGround value ("13.3").
    ground: str = Field(sa_type=sa.String(8), nullable=False)
    #: The adverse check items (codes of portal.rules.vetting.CHECK_ITEMS) the proposal rests on.
    items: list[str] = Field(default_factory=list, sa_type=sa.JSON, nullable=False)
    proposed_by: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    proposed_at: datetime = created_at_field()
    decision: ProposalDecision = Field(
        default=ProposalDecision.PENDING, sa_type=enum_type(ProposalDecision, 16), nullable=False
    )
    decided_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    decided_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    #: The commission's minutes: number and date of the meeting that decided.
    minutes: str = Field(default="", sa_type=sa.String(120), nullable=False)


class SlotStatus(StrEnum):
    INVITED = "invited"
    ATTENDED = "attended"
    NO_SHOW = "no_show"  # rules.md A-13


class InterviewSlot(SQLModel, table=True):
    """A candidate's interview time (cl. 6(4)); observers see the pseudonym, never the person."""

    __tablename__ = "interview_slot"
    __table_args__ = (sa.UniqueConstraint("selection_id", "pseudonym"), sa.UniqueConstraint("application_id"))

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    selection_id: uuid.UUID = Field(foreign_key="selection.id", index=True, nullable=False)
    application_id: uuid.UUID = Field(foreign_key="application.id", nullable=False)
    #: "C-07": how observers know the candidate (cl. 12, no personal identifiers).
    pseudonym: str = Field(sa_type=sa.String(12), nullable=False)
    starts_at: datetime = Field(sa_type=DateTimeUTC(timezone=True), nullable=False)
    place: str = Field(sa_type=sa.String(300), nullable=False)
    status: SlotStatus = Field(default=SlotStatus.INVITED, sa_type=enum_type(SlotStatus, 16), nullable=False)
    #: The last force-majeure reschedule (rules.md A-13): the commission's reason and its minutes.
    reschedule_reason: str = Field(default="", sa_type=sa.Text, nullable=False)
    reschedule_protocol: str = Field(default="", sa_type=sa.String(120), nullable=False)


class ObserverCategory(StrEnum):
    """Who may observe the interview (cl. 12)."""

    PUBLIC_ASSOCIATION = "public_association"
    NGO = "ngo"
    MEDIA = "media"
    BUSINESS = "business"
    SECTOR_EXPERT = "sector_expert"


class ObserverInvitation(SQLModel, table=True):
    """An observer invited to one selection's interview stage, by IIN (cl. 12)."""

    __tablename__ = "observer_invitation"
    __table_args__ = (sa.UniqueConstraint("selection_id", "iin"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    selection_id: uuid.UUID = Field(foreign_key="selection.id", index=True, nullable=False)
    iin: str = Field(sa_type=sa.String(12), nullable=False)
    name: str = Field(sa_type=sa.String(300), nullable=False)
    organisation: str = Field(sa_type=sa.String(300), nullable=False)
    category: ObserverCategory = Field(sa_type=enum_type(ObserverCategory, 24), nullable=False)
    invited_by: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    invited_at: datetime = created_at_field()
    #: When the observer accepted the confidentiality statement (before the first view, R-12).
    confidentiality_accepted_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    revoked_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    revoked_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
