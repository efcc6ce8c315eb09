"""analytics: turn log, feedback on answers, daily counts kept after the purge, reviewed conversations

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ('conversations', 'messages', 'answered', 'not_understood', 'handed_off', 'out_of_scope', 'useful',
          'not_useful')


def upgrade() -> None:
    op.create_table(
        'turns',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('channel', sa.String(length=40), nullable=False),
        sa.Column('conversation', sa.String(length=64), nullable=False),
        sa.Column('intent', sa.String(length=80), nullable=False),
        sa.Column('confidence', sa.Float(), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('source_id', sa.String(length=120), nullable=False),
        sa.Column('region', sa.String(length=40), nullable=False),
        sa.Column('latency_ms', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_turns_at', 'turns', ['at'])
    op.create_index('ix_turns_conversation', 'turns', ['conversation'])
    op.create_table(
        'feedback',
        sa.Column('turn_id', sa.String(length=32), nullable=False),
        sa.Column('useful', sa.Boolean(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('channel', sa.String(length=40), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['turn_id'], ['turns.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('turn_id'),
    )
    op.create_table(
        'daily_counts',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('channel', sa.String(length=40), nullable=False),
        sa.Column('region', sa.String(length=40), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS],
        sa.PrimaryKeyConstraint('day', 'channel', 'region'),
    )
    op.create_table(
        'reviewed_conversations',
        sa.Column('conversation', sa.String(length=64), nullable=False),
        sa.Column('reviewed_at', sa.DateTime(), nullable=False),
        sa.Column('reviewed_by', sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint('conversation'),
    )


def downgrade() -> None:
    op.drop_table('reviewed_conversations')
    op.drop_table('daily_counts')
    op.drop_table('feedback')
    op.drop_index('ix_turns_conversation', table_name='turns')
    op.drop_index('ix_turns_at', table_name='turns')
    op.drop_table('turns')
