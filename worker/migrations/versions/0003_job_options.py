"""Job options: the min_confidence and convention a job's statements are read with.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the two nullable columns: the jobs already stored keep null, the workers' defaults."""
    op.add_column("jobs", sa.Column("min_confidence", sa.Float))
    op.add_column("jobs", sa.Column("convention", sa.String(64)))


def downgrade() -> None:
    """Drop the two columns (in a batch: SQLite rebuilds the table)."""
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("convention")
        batch.drop_column("min_confidence")
