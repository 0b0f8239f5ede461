"""The shared base of every table: one MetaData for SQLModel and advanced-alchemy, and column helpers.

Importing this module first makes SQLModel tables land in advanced-alchemy's MetaData, which
carries the constraint naming convention SQLite batch migrations need (stack-notes 2.2).
"""

import uuid
from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa
from advanced_alchemy.base import metadata_registry
from advanced_alchemy.types import DateTimeUTC
from sqlmodel import Field, SQLModel
from uuid_utils.compat import uuid7

SQLModel.metadata = metadata_registry.get(None)
metadata = SQLModel.metadata


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> uuid.UUID:
    """Time-ordered UUIDs (v7) keep B-tree inserts local and make ids sort by creation."""
    return uuid7()


def enum_type[E: StrEnum](enum_cls: type[E], length: int = 32) -> sa.Enum:
    """A VARCHAR-backed enum: values, not names, are stored; no native PostgreSQL ENUM to migrate."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
    )


def created_at_field() -> datetime:
    return Field(default_factory=utcnow, sa_type=DateTimeUTC(timezone=True), nullable=False)  # type: ignore[no-any-return]


def tenant_id_field() -> str:
    """The owning tenant (ISO 3166-2 code). Indexed: every tenant-owned query filters on it."""
    return Field(foreign_key="tenant.id", sa_type=sa.String(8), index=True, nullable=False)  # type: ignore[no-any-return]


__all__ = ["SQLModel", "created_at_field", "enum_type", "metadata", "new_id", "tenant_id_field", "utcnow"]
