"""Every table of the portal, imported in one place for Alembic and for the metadata."""

from portal.applications.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    CandidateProfile,
    EducationEntry,
    EmploymentEntry,
    FileAccess,
    ReferenceCounter,
)
from portal.auth.models import RoleAssignment, User
from portal.core.audit import AuditChainHead, AuditEvent
from portal.core.models import metadata
from portal.core.sessions import SessionStoreItem
from portal.notifications.models import OutboxMessage
from portal.selections.models import AnnouncementText, SectorDirection, Selection, SelectionDirection
from portal.selections.stage_models import (
    AgreementRecord,
    CutOff,
    DocumentReview,
    InterviewRubric,
    InterviewSlot,
    ObserverInvitation,
    PublicationEvidence,
    RemovalProposal,
    ResultsImport,
    StageResult,
    VettingCheck,
    VettingReply,
)
from portal.tenancy.models import Tenant

__all__ = [
    "AgreementRecord",
    "AnnouncementText",
    "Application",
    "ApplicationDocument",
    "ApplicationEvent",
    "AuditChainHead",
    "AuditEvent",
    "CandidateProfile",
    "CutOff",
    "DocumentReview",
    "EducationEntry",
    "EmploymentEntry",
    "FileAccess",
    "InterviewRubric",
    "InterviewSlot",
    "ObserverInvitation",
    "OutboxMessage",
    "PublicationEvidence",
    "ReferenceCounter",
    "RemovalProposal",
    "ResultsImport",
    "RoleAssignment",
    "SectorDirection",
    "Selection",
    "SelectionDirection",
    "SessionStoreItem",
    "StageResult",
    "Tenant",
    "User",
    "VettingCheck",
    "VettingReply",
    "metadata",
]
