"""sender ids on unanswered questions and callback requests (erasure), handled time of callback requests
(retention)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ('unanswered_questions', 'callback_requests'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('sender_id', sa.String(length=120), nullable=False, server_default=''))
            batch.create_index(f'ix_{table}_sender_id', ['sender_id'])
    with op.batch_alter_table('callback_requests') as batch:
        batch.add_column(sa.Column('handled_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('callback_requests') as batch:
        batch.drop_column('handled_at')
    for table in ('unanswered_questions', 'callback_requests'):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f'ix_{table}_sender_id')
            batch.drop_column('sender_id')
