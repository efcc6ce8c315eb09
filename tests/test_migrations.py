"""The migrations build exactly the schema the models describe, on each backend."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select

from knowledge.db import get_engine, session_scope
from knowledge.migrate import alembic_config, migrate
from knowledge.models import Base, Workshop
from knowledge.records_io import MODELS, export_records


def test_migrations_match_the_models(store_url: str) -> None:
    with get_engine(store_url).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_upgrade_from_0004_keeps_the_data(store_url: str) -> None:
    """A store of the previous revision (seeded, then taken back to 0004) is upgraded with nothing lost."""
    before = {kind: export_records(kind) for kind in MODELS}
    command.downgrade(alembic_config(store_url), "0004")
    with get_engine(store_url).connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("workshops")}
        assert "version" not in columns and "cancelled_at" not in columns
        assert "staff_users" not in inspect(connection).get_table_names()
    migrate(store_url)
    assert {kind: export_records(kind) for kind in MODELS} == before
    with session_scope() as s:
        assert set(s.scalars(select(Workshop.version))) == {1} and set(s.scalars(select(Workshop.published))) == {True}
        assert s.scalar(select(func.count()).where(Workshop.cancelled_at.is_not(None))) == 0
