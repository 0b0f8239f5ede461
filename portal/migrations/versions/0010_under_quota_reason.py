"""the recorded reason a selection enrolled fewer than its quota (rules.md A-11)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 00:26:42.219463
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

sa.DateTimeUTC = DateTimeUTC  # type: ignore[attr-defined]  # autogenerate writes types as sa.<Name>
sa.GUID = GUID  # type: ignore[attr-defined]

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('selection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('under_quota_reason', sa.Text(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('selection', schema=None) as batch_op:
        batch_op.drop_column('under_quota_reason')

