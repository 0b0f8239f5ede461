"""who read which evidence document of an exclusion case (every read of a person's file is logged)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 00:06:26.807073
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

sa.DateTimeUTC = DateTimeUTC  # type: ignore[attr-defined]  # autogenerate writes types as sa.<Name>
sa.GUID = GUID  # type: ignore[attr-defined]

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('evidence_access',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.String(length=8), nullable=False),
    sa.Column('evidence_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['evidence_id'], ['exclusion_evidence.id'], name=op.f('fk_evidence_access_evidence_id_exclusion_evidence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_evidence_access_tenant_id_tenant')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_evidence_access_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_access'))
    )
    with op.batch_alter_table('evidence_access', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_access_evidence_id'), ['evidence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_access_tenant_id'), ['tenant_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('evidence_access', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_access_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_access_evidence_id'))

    op.drop_table('evidence_access')
