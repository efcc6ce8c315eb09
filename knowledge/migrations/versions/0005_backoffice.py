"""back-office: staff accounts and sessions, audit log, record versions (optimistic locking), published flag on
catalogue records, cancelled workshops, dismissed unanswered questions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSIONED = ('centres', 'services', 'workshops', 'trainings', 'jobs', 'faq_entries')
PUBLISHABLE = ('services', 'workshops', 'trainings', 'jobs')


def upgrade() -> None:
    op.create_table(
        'staff_users',
        sa.Column('email', sa.String(length=200), nullable=False),
        sa.Column('password_hash', sa.String(length=200), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('failed_logins', sa.Integer(), nullable=False),
        sa.Column('last_failed_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('email'),
    )
    op.create_table(
        'staff_sessions',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('email', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['email'], ['staff_users.email'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_staff_sessions_email', 'staff_sessions', ['email'])
    op.create_table(
        'audit_log',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('actor', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('record_id', sa.String(length=120), nullable=False),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('before', sa.JSON(), nullable=True),
        sa.Column('after', sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_audit_log_at', 'audit_log', ['at'])
    op.create_index('ix_audit_log_kind_record_id', 'audit_log', ['kind', 'record_id'])
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    for table in PUBLISHABLE:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('published', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('workshops') as batch:
        batch.add_column(sa.Column('cancelled_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('unanswered_questions') as batch:
        batch.add_column(sa.Column('dismissed_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN, never a copy of the table: on SQLite, dropping the old faq_entries would
    # delete its phrasings (ON DELETE CASCADE).
    columns = [('unanswered_questions', 'dismissed_at'), ('workshops', 'cancelled_at'),
               *((table, 'published') for table in PUBLISHABLE), *((table, 'version') for table in VERSIONED)]
    for table, column in columns:
        with op.batch_alter_table(table, recreate='never') as batch:
            batch.drop_column(column)
    op.drop_index('ix_audit_log_kind_record_id', table_name='audit_log')
    op.drop_index('ix_audit_log_at', table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_index('ix_staff_sessions_email', table_name='staff_sessions')
    op.drop_table('staff_sessions')
    op.drop_table('staff_users')
