"""Keeping the tenant table in step with tenants/*.toml (`portal tenants sync`)."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from portal.core.audit import Change, record
from portal.tenancy.models import Tenant
from portal.tenancy.registry import TenantConfig, TenantRegistry


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _row_values(config: TenantConfig) -> dict[str, object]:
    return {
        "slug": config.slug,
        "kind": config.kind,
        "name_kk": config.name.kk,
        "name_ru": config.name.ru,
        "name_en": config.name.en,
        "active": True,
    }


async def sync_tenants(session: AsyncSession, registry: TenantRegistry, actor: str) -> SyncReport:
    """Upsert one row per tenant file, audited; the ISO code never changes, everything else may."""
    existing = {t.id: t for t in (await session.execute(sa.select(Tenant))).scalars()}
    report = SyncReport()
    for config in registry.all():
        values = _row_values(config)
        row = existing.get(config.code)
        if row is None:
            session.add(Tenant(id=config.code, **values))  # type: ignore[arg-type]
            await session.flush()
            await record(
                session, Change("tenant.created", "tenant", config.code, actor, config.code, after=values)
            )
            report.created.append(config.code)
            continue
        before = {key: getattr(row, key) for key in values}
        if before == values:
            report.unchanged.append(config.code)
            continue
        for key, value in values.items():
            setattr(row, key, value)
        await session.flush()
        await record(
            session,
            Change("tenant.updated", "tenant", config.code, actor, config.code, before=before, after=values),
        )
        report.updated.append(config.code)
    return report
