"""The demo posts of each demo region (issue 8): corps B posts of the local executive bodies for the
appointment proposals (cl. 14-17). One heads an executive body financed from the regional budget, its
cl. 15 mark confirmed (rules.md A-39); one is elective and never offered (cl. 14)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.appointments.models import Position
from portal.core.audit import Change, record

#: (executive body, title, category, elective, heads a regionally financed body)
DEMO_POSITIONS: tuple[tuple[str, str, str, bool, bool], ...] = (
    ("Управление образования", "Руководитель управления образования", "C-O-1", False, True),
    ("Управление цифровизации", "Главный специалист отдела цифровых услуг", "C-O-6", False, False),
    ("Аппарат акима района", "Руководитель отдела культуры и развития языков", "D-2", False, False),
    ("Аппарат акима сельского округа", "Аким сельского округа", "E-1", True, False),
)


async def seed_demo_positions(session: AsyncSession, tenant_ids: list[str], now: datetime, actor: str) -> int:
    """Add the demo posts a region does not have yet (idempotent: matched by title)."""
    added = 0
    for tenant_id in tenant_ids:
        titles = sa.select(col(Position.title)).where(col(Position.tenant_id) == tenant_id)
        present = set((await session.execute(titles)).scalars())
        for body, title, category, elective, head in DEMO_POSITIONS:
            if title in present:
                continue
            position = Position(
                tenant_id=tenant_id,
                executive_body=body,
                title=title,
                category=category,
                is_elective=elective,
                heads_regional_budget_body=head,
                cl15_confirmed=head,
                cl15_confirmed_at=now if head else None,
                created_at=now,
            )
            session.add(position)
            await session.flush()
            await record(
                session,
                Change(
                    "position.seeded",
                    "position",
                    str(position.id),
                    actor,
                    tenant_id,
                    clause="15" if head else "14",
                    after={"title": title, "is_elective": elective, "heads_regional_budget_body": head},
                ),
            )
            added += 1
    return added


__all__ = ["DEMO_POSITIONS", "seed_demo_positions"]
