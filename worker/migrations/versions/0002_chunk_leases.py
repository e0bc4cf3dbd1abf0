"""Chunks with leases: the store, not the broker, knows which chunks are still to be done.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``chunks`` and fill it from the statements of the jobs already stored."""
    op.create_table(
        "chunks",
        sa.Column("job_id", sa.String(32), sa.ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("chunk", sa.Integer, primary_key=True),
        sa.Column("done", sa.Boolean, nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requeues", sa.Integer, nullable=False),
        sa.Column("leases", sa.Integer, nullable=False),
        sa.Column("leased_until", sa.DateTime(timezone=True)),
        sa.Column("lease_owner", sa.String(200)),
    )
    op.create_index("ix_chunks_open", "chunks", ["done", "queued_at"])
    op.execute(
        """
        INSERT INTO chunks (job_id, chunk, done, queued_at, requeues, leases)
        SELECT s.job_id, s.chunk,
               SUM(CASE WHEN s.status = 'pending' THEN 1 ELSE 0 END) = 0,
               MIN(j.created_at), 0, 0
        FROM statements s JOIN jobs j ON j.id = s.job_id
        GROUP BY s.job_id, s.chunk
        """
    )


def downgrade() -> None:
    """Drop ``chunks``."""
    op.drop_table("chunks")
