"""Alembic environment: runs on the connection the store hands over, or on GENERX_DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from generx.worker.settings import get_settings

# VERSION_TABLE: a table of our own, so generx can share a database with another Alembic application.
from generx.worker.store import VERSION_TABLE, Base

target_metadata = Base.metadata


def run_migrations() -> None:
    """Run the migrations online (the store always has a database to talk to)."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table=VERSION_TABLE,
            render_as_batch=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table=VERSION_TABLE,
            render_as_batch=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
