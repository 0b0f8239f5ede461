"""Reminders of a membership's end (rules.md 3.3: notices 90 and 30 days before expiry).

One row per membership and kind, UNIQUE: the expiry job inserts the row before it queues the
notice, so a second run (or two runs at once) cannot send the same reminder twice.
"""

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field

from portal.core.models import SQLModel, created_at_field, enum_type, new_id, tenant_id_field


class ReminderKind(StrEnum):
    DAYS_90 = "90"
    DAYS_30 = "30"


class ReminderSent(SQLModel, table=True):
    """A reminder of the membership's end that has been queued."""

    __tablename__ = "reminder_sent"
    __table_args__ = (sa.UniqueConstraint("membership_id", "kind"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str = tenant_id_field()
    membership_id: uuid.UUID = Field(foreign_key="reserve_membership.id", nullable=False)
    kind: ReminderKind = Field(sa_type=enum_type(ReminderKind, 8), nullable=False)
    sent_at: datetime = created_at_field()


__all__ = ["ReminderKind", "ReminderSent"]
