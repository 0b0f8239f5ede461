"""The tenant table: one row per region, synced from tenants/*.toml so foreign keys can point at it."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from portal.core.models import SQLModel, created_at_field, enum_type
from portal.rules.voting import MajorityBase
from portal.tenancy.registry import TenantKind


class Tenant(SQLModel, table=True):
    """A region. The ISO 3166-2 code is the immutable key; the slug only shapes URLs."""

    id: str = Field(primary_key=True, sa_type=sa.String(8))
    slug: str = Field(sa_type=sa.String(40), unique=True, nullable=False)
    kind: TenantKind = Field(sa_type=enum_type(TenantKind, 16), nullable=False)
    name_kk: str = Field(sa_type=sa.String(120), nullable=False)
    name_ru: str = Field(sa_type=sa.String(120), nullable=False)
    name_en: str = Field(sa_type=sa.String(120), nullable=False)
    active: bool = Field(default=True, nullable=False)
    created_at: datetime = created_at_field()

    def name(self, language: str) -> str:
        return {"ru": self.name_ru, "en": self.name_en}.get(language, self.name_kk)


class VotingSettings(SQLModel, table=True):
    """A region's commission voting rule (rules.md A-20); no row means the A-20 defaults.

    Frozen into every meeting when it opens (portal.commission), so a change reaches only later
    meetings. The quorum is a fraction of the members (default 2/3).
    """

    __tablename__ = "tenant_voting_settings"
    __table_args__ = (
        sa.CheckConstraint(
            "quorum_numerator >= 1 AND quorum_denominator >= 1 AND quorum_numerator <= quorum_denominator",
            name="quorum_fraction",
        ),
    )

    tenant_id: str = Field(foreign_key="tenant.id", primary_key=True, sa_type=sa.String(8))
    quorum_numerator: int = Field(default=2, nullable=False)
    quorum_denominator: int = Field(default=3, nullable=False)
    majority_of: MajorityBase = Field(
        default=MajorityBase.PRESENT, sa_type=enum_type(MajorityBase, 16), nullable=False
    )
    chair_casting_vote: bool = Field(default=True, nullable=False)
    remote_participation: bool = Field(default=True, nullable=False)
    #: Secret ballot instead of the default open one (issue 7 item 4).
    secret_ballot: bool = Field(default=False, nullable=False)
    updated_by: str = Field(sa_type=sa.String(80), nullable=False)
    updated_at: datetime = created_at_field()
