"""index faq_entries.updated_at (the FAQ model's change check reads its maximum at every question)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

"""
from collections.abc import Sequence

from alembic import op

revision: str = '0002'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f('ix_faq_entries_updated_at'), 'faq_entries', ['updated_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_faq_entries_updated_at'), table_name='faq_entries')
