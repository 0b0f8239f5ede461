"""the members' consent to publication of the enrolled list (rules.md A-27)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 21:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

sa.DateTimeUTC = DateTimeUTC  # type: ignore[attr-defined]  # autogenerate writes types as sa.<Name>
sa.GUID = GUID  # type: ignore[attr-defined]

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('publication_consent',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.String(length=8), nullable=False),
    sa.Column('membership_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('given_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTimeUTC(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['membership_id'], ['reserve_membership.id'], name=op.f('fk_publication_consent_membership_id_reserve_membership')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_publication_consent_tenant_id_tenant')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_publication_consent_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publication_consent'))
    )
    with op.batch_alter_table('publication_consent', schema=None) as batch_op:
        batch_op.create_index('ix_publication_consent_membership', ['membership_id', 'withdrawn_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_publication_consent_tenant_id'), ['tenant_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('publication_consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publication_consent_tenant_id'))
        batch_op.drop_index('ix_publication_consent_membership')

    op.drop_table('publication_consent')
