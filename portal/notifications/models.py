"""The outbox: one row per message promised to a person, by e-mail, in-app, or both."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from sqlmodel import Field

from portal.core.models import SQLModel, created_at_field, enum_type, new_id


class OutboxStatus(StrEnum):
    """Where an e-mail stands. A message without a recipient (in-app only) is `sent` when written."""

    PENDING = "pending"  # waiting for its first attempt
    SENDING = "sending"  # claimed by a worker; next_attempt_at is the end of that worker's lease
    SENT = "sent"
    FAILED = "failed"  # the last attempt failed; another one is due at next_attempt_at
    DEAD = "dead"  # every attempt failed; nobody tries again


class OutboxMessage(SQLModel, table=True):
    """A message rendered when the event happened: later template changes do not alter what was said."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        # The delivery loop's query: due rows by status and time.
        sa.Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),
        # The in-app inbox: a person's unread notifications.
        sa.Index("ix_outbox_message_user_id_read_at", "user_id", "read_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    tenant_id: str | None = Field(default=None, foreign_key="tenant.id", sa_type=sa.String(8), index=True)
    #: The person it concerns; shown in their in-app inbox when set.
    user_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    #: The e-mail address; in-app only when absent.
    recipient: str | None = Field(default=None, sa_type=sa.String(254))
    language: str = Field(sa_type=sa.String(2), nullable=False)
    #: The name of the template under templates/emails/ (without ".txt").
    template: str = Field(sa_type=sa.String(64), nullable=False)
    #: What the template was rendered with; JSON values only.
    context: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    subject: str = Field(sa_type=sa.Text, nullable=False)
    body: str = Field(sa_type=sa.Text, nullable=False)
    status: OutboxStatus = Field(
        default=OutboxStatus.PENDING, sa_type=enum_type(OutboxStatus, 16), nullable=False
    )
    #: Delivery attempts started (a claim counts, so a message that crashes its worker ends dead too).
    attempts: int = Field(default=0, nullable=False)
    #: When the next attempt is due (pending, failed), or when a worker's claim lapses (sending).
    next_attempt_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    #: Why the last attempt failed: the exception class and a short message, IINs masked.
    last_error: str | None = Field(default=None, sa_type=sa.String(500))
    created_at: datetime = created_at_field()
    sent_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    read_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    #: Names the event ("application:<id>:submitted"): the same event never writes a second message.
    idempotency_key: str | None = Field(default=None, sa_type=sa.String(200), unique=True)

    @property
    def in_app_only(self) -> bool:
        return self.recipient is None


__all__ = ["OutboxMessage", "OutboxStatus"]
