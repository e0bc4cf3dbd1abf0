"""The store's first schema: jobs, statements, mentions, relations.

Revision ID: 0001
Revises:
Create Date: 2025-11-26
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create the four tables and the indexes the status and results queries use."""
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(500)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("chunk_size", sa.Integer, nullable=False),
        sa.Column("chunks", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_jobs_state", "jobs", ["state"])
    op.create_table(
        "statements",
        sa.Column("job_id", sa.String(32), sa.ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("statement_id", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("gene", sa.String(100)),
        sa.Column("entities", sa.JSON),
        sa.Column("chunk", sa.Integer, nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("relation_count", sa.Integer, nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_statements_job_chunk", "statements", ["job_id", "chunk", "status"])
    op.create_index("ix_statements_job_status", "statements", ["job_id", "status"])
    op.create_table(
        "mentions",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("job_id", sa.String(32), sa.ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("pos", sa.Integer, nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("kb_id", sa.String(100)),
        sa.Column("name", sa.Text),
        sa.Column("extra", sa.JSON),
        sa.UniqueConstraint("job_id", "seq", "key", name="uq_mentions_content"),
    )
    op.create_index("ix_mentions_job_kb", "mentions", ["job_id", "kb_id"])
    mention_columns: list[sa.Column[Any]] = []
    for side in ("subject", "object"):
        mention_columns += [
            sa.Column(f"{side}_text", sa.Text),
            sa.Column(f"{side}_start", sa.Integer),
            sa.Column(f"{side}_end", sa.Integer),
            sa.Column(f"{side}_type", sa.String(32)),
            sa.Column(f"{side}_id", sa.String(100)),
            sa.Column(f"{side}_name", sa.Text),
            sa.Column(f"{side}_extra", sa.JSON),
        ]
    op.create_table(
        "relations",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("job_id", sa.String(32), sa.ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("pos", sa.Integer, nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("statement_id", sa.Text, nullable=False),
        *mention_columns[:7],
        sa.Column("predicate", sa.String(64), nullable=False),
        *mention_columns[7:],
        sa.Column("negated", sa.Boolean, nullable=False),
        sa.Column("hedged", sa.Boolean, nullable=False),
        sa.Column("implicit", sa.Boolean, nullable=False),
        sa.Column("trigger_text", sa.Text),
        sa.Column("trigger_start", sa.Integer),
        sa.Column("trigger_end", sa.Integer),
        sa.Column("evidence_text", sa.Text),
        sa.Column("evidence_start", sa.Integer),
        sa.Column("evidence_end", sa.Integer),
        sa.Column("confidence", sa.Float),
        sa.Column("pipeline", sa.Text),
        sa.Column("extra", sa.JSON),
        sa.UniqueConstraint("job_id", "seq", "key", name="uq_relations_content"),
    )
    op.create_index("ix_relations_job_order", "relations", ["job_id", "seq", "pos"])
    for column in ("subject_name", "object_name", "subject_id", "object_id", "predicate"):
        op.create_index(f"ix_relations_job_{column}", "relations", ["job_id", column])


def downgrade() -> None:
    """Drop the tables (and with them their indexes)."""
    for table in ("relations", "mentions", "statements", "jobs"):
        op.drop_table(table)
