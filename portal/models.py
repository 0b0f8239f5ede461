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
from portal.appointments.models import AppointmentProposal, MemberConsent, Position
from portal.auth.models import RoleAssignment, User
from portal.commission.models import (
    AgendaItem,
    Attendance,
    CommissionMember,
    InterviewScore,
    Meeting,
    MemberVote,
    Minutes,
    Recusal,
    SecretBallotCount,
    VoteCast,
)
from portal.core.audit import AuditChainHead, AuditEvent
from portal.core.models import metadata
from portal.core.sessions import SessionStoreItem
from portal.notifications.models import OutboxMessage
from portal.reserve.direct_models import DirectEnrolmentEntry, DirectEnrolmentList, DirectEnrolmentRequest
from portal.reserve.exclusion_models import EvidenceAccess, ExclusionCase, ExclusionEvidence
from portal.reserve.models import ReserveMembership
from portal.reserve.publication_models import PublicationConsent
from portal.reserve.reminder_models import ReminderSent
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
from portal.tenancy.models import Tenant, VotingSettings

__all__ = [
    "AgendaItem",
    "AgreementRecord",
    "AnnouncementText",
    "Application",
    "ApplicationDocument",
    "ApplicationEvent",
    "AppointmentProposal",
    "Attendance",
    "AuditChainHead",
    "AuditEvent",
    "CandidateProfile",
    "CommissionMember",
    "CutOff",
    "DirectEnrolmentEntry",
    "DirectEnrolmentList",
    "DirectEnrolmentRequest",
    "DocumentReview",
    "EducationEntry",
    "EmploymentEntry",
    "EvidenceAccess",
    "ExclusionCase",
    "ExclusionEvidence",
    "FileAccess",
    "InterviewRubric",
    "InterviewScore",
    "InterviewSlot",
    "Meeting",
    "MemberConsent",
    "MemberVote",
    "Minutes",
    "ObserverInvitation",
    "OutboxMessage",
    "Position",
    "PublicationConsent",
    "PublicationEvidence",
    "Recusal",
    "ReferenceCounter",
    "ReminderSent",
    "RemovalProposal",
    "ReserveMembership",
    "ResultsImport",
    "RoleAssignment",
    "SecretBallotCount",
    "SectorDirection",
    "Selection",
    "SelectionDirection",
    "SessionStoreItem",
    "StageResult",
    "Tenant",
    "User",
    "VettingCheck",
    "VettingReply",
    "VoteCast",
    "VotingSettings",
    "metadata",
]
