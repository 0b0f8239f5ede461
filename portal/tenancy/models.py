"""The tenant table: one row per region, synced from tenants/*.toml so foreign keys can point at it."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from portal.core.models import SQLModel, created_at_field, enum_type
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
