"""A member's consent to the publication of their name and sector direction (rules.md A-27, cl. 12).

One row per consent given, closed when withdrawn, so the history stays (as MemberConsent of cl. 17).
The region's public list of the enrolled shows only active members whose consent stands.
"""

import uuid
from datetime import datetime

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from sqlmodel import Field

from portal.core.models import SQLModel, created_at_field, new_id, tenant_id_field


class PublicationConsent(SQLModel, table=True):
    """The member's consent to be listed publicly; the current one has `withdrawn_at` None."""

    __tablename__ = "publication_consent"
    __table_args__ = (sa.Index("ix_publication_consent_membership", "membership_id", "withdrawn_at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    #: The membership's region.
    tenant_id: str = tenant_id_field()
    membership_id: uuid.UUID = Field(foreign_key="reserve_membership.id", nullable=False)
    #: The member who gave it (and who withdraws it).
    user_id: uuid.UUID = Field(foreign_key="user_account.id", nullable=False)
    given_at: datetime = created_at_field()
    withdrawn_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))


__all__ = ["PublicationConsent"]
