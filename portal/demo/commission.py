"""The demo commission of each demo region (issue 7): the demo chair, the head of the territorial unit
as deputy chair (A-RC-COMP), the four demo members and the demo secretary, from the day of seeding."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from portal.commission.composition import NewTerm, add_term
from portal.commission.models import CommissionMember, Position
from portal.demo.users import demo_user

#: Who sits where in every demo region's commission.
DEMO_COMMISSION: tuple[tuple[str, Position], ...] = (
    ("chair-askar", Position.CHAIR),
    ("tu-head-marat", Position.DEPUTY_CHAIR),
    ("member-aliya", Position.MEMBER),
    ("member-berik", Position.MEMBER),
    ("member-saule", Position.MEMBER),
    ("member-yerlan", Position.MEMBER),
    ("secretary-gulnar", Position.SECRETARY),
)


async def seed_demo_commission(session: AsyncSession, tenant_ids: list[str], today: date, actor: str) -> int:
    """Add the missing demo terms (idempotent: a person already in a region's commission is skipped)."""
    added = 0
    for tenant_id in tenant_ids:
        rows = await session.execute(
            sa.select(col(CommissionMember.iin)).where(col(CommissionMember.tenant_id) == tenant_id)
        )
        present = set(rows.scalars())
        for sub, position in DEMO_COMMISSION:
            person = demo_user(sub)
            if person.iin in present:
                continue
            name = f"{person.family_name} {person.given_name} {person.patronymic}".strip()
            term = NewTerm(person.iin, name, "", position, today, None)
            await add_term(session, tenant_id, term, actor=actor, today=today)
            added += 1
    return added


__all__ = ["DEMO_COMMISSION", "seed_demo_commission"]
