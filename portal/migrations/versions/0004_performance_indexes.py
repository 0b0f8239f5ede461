"""performance indexes: the officer's application list and the national feed (issue 9)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 06:00:00.000000

The orders match the queries' ORDER BY (submitted_at DESC, id / updated_at DESC, reference), so
a page is read in index order without a sort, on SQLite and PostgreSQL alike.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index('ix_application_tenant_status_submitted', ['tenant_id', 'status', sa.text('submitted_at DESC'), 'id'], unique=False)
        batch_op.create_index('ix_application_tenant_submitted', ['tenant_id', sa.text('submitted_at DESC'), 'id'], unique=False)

    with op.batch_alter_table('selection', schema=None) as batch_op:
        batch_op.create_index('ix_selection_updated_at', [sa.text('updated_at DESC'), 'reference'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('selection', schema=None) as batch_op:
        batch_op.drop_index('ix_selection_updated_at')

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_tenant_submitted')
        batch_op.drop_index('ix_application_tenant_status_submitted')
