"""Alembic environment: the URL comes from knowledge.migrate, the metadata from knowledge.models."""

from alembic import context

from knowledge.db import get_engine
from knowledge.models import Base

config = context.config


def run_migrations_online() -> None:
    with get_engine(config.get_main_option("sqlalchemy.url")).connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
