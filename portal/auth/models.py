"""Users (keyed by IIN) and their role assignments (granted to an IIN, per region or centrally)."""

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from sqlmodel import Field

from portal.auth.roles import Role
from portal.core.models import SQLModel, created_at_field, enum_type, new_id


class User(SQLModel, table=True):
    """A person who has signed in; created or refreshed from the identity provider's claims."""

    __tablename__ = "user_account"
    __table_args__ = (sa.UniqueConstraint("issuer", "sub"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    #: The person's key (rules.md 5.2). Personal data: never in a URL or a log line.
    iin: str = Field(sa_type=sa.String(12), unique=True, nullable=False)
    issuer: str = Field(sa_type=sa.String(255), nullable=False)
    sub: str = Field(sa_type=sa.String(255), nullable=False)
    given_name: str = Field(default="", sa_type=sa.String(120), nullable=False)
    family_name: str = Field(default="", sa_type=sa.String(120), nullable=False)
    patronymic: str = Field(default="", sa_type=sa.String(120), nullable=False)
    birth_date: date = Field(nullable=False)
    email: str | None = Field(default=None, sa_type=sa.String(254))
    active: bool = Field(default=True, nullable=False)
    created_at: datetime = created_at_field()
    last_login_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.family_name, self.given_name, self.patronymic) if part)


class RoleAssignment(SQLModel, table=True):
    """A role granted to an IIN in one region (tenant_id) or centrally (tenant_id is NULL).

    Granted before the holder's first login; revoked assignments are kept (revoked_at) for history.
    """

    __tablename__ = "role_assignment"
    __table_args__ = (sa.Index("ix_role_assignment_iin_active", "iin", "revoked_at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    iin: str = Field(sa_type=sa.String(12), nullable=False)
    tenant_id: str | None = Field(default=None, foreign_key="tenant.id", sa_type=sa.String(8), index=True)
    role: Role = Field(sa_type=enum_type(Role, 32), nullable=False)
    valid_from: date = Field(nullable=False)
    valid_to: date | None = Field(default=None)
    granted_by: str = Field(sa_type=sa.String(80), nullable=False)
    granted_at: datetime = created_at_field()
    revoked_at: datetime | None = Field(default=None, sa_type=DateTimeUTC(timezone=True))
    revoked_by: str | None = Field(default=None, sa_type=sa.String(80))

    def in_force_on(self, day: date) -> bool:
        return (
            self.revoked_at is None
            and self.valid_from <= day
            and (self.valid_to is None or day <= self.valid_to)
        )
