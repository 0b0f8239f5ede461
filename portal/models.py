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
from portal.tenancy.models import Tenant

__all__ = [
    "AnnouncementText",
    "Application",
    "ApplicationDocument",
    "ApplicationEvent",
    "AuditChainHead",
    "AuditEvent",
    "CandidateProfile",
    "EducationEntry",
    "EmploymentEntry",
    "FileAccess",
    "OutboxMessage",
    "ReferenceCounter",
    "RoleAssignment",
    "SectorDirection",
    "Selection",
    "SelectionDirection",
    "SessionStoreItem",
    "Tenant",
    "User",
    "metadata",
]
