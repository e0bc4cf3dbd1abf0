"""The store: the only code that touches the database (SQLAlchemy 2; SQLite by default, PostgreSQL by URL).

Tables: ``jobs``; ``statements`` (one row per submitted statement, with its chunk, status and error);
``chunks`` (one row per chunk: done or not, its lease, how often it was queued and leased);
``mentions`` and ``relations`` (one column per field of the relation record, see generx/record.py).
Results are written with an insert that ignores rows already there, keyed on (job, statement, content),
so a chunk that is delivered twice leaves the tables as one delivery would.

The store is the source of truth for a job: a chunk is to be done while it has pending statements,
whatever the broker holds. A worker leases a chunk before it runs it and renews the lease while it
runs; the reconciler (worker/reconcile.py) queues again the chunks whose lease expired or whose message
was lost. Times are the clocks of the processes, in UTC: keep the machines' clocks in step (NTP).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    create_engine,
    event,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from generx.exports import Document
from generx.record import flatten, unflatten
from generx.worker.errors import DatabaseUnavailable, InvalidSubmission, JobNotFound, SubmissionTooLarge
from generx.worker.settings import sqlite_path

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
PENDING, ERROR = "pending", "error"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "generx_alembic_version"  # named in migrations/env.py
# SQLite has no 64-bit autoincrement type of its own; INTEGER PRIMARY KEY is its rowid and is 64-bit.
BigId = BigInteger().with_variant(Integer(), "sqlite")
# Statements are inserted this many at a time, so a large submission never sits whole in memory.
INSERT_BATCH = 2000
# The largest value of the 32-bit integer columns (seq, pos): a cursor past it names nothing.
MAX_INT32 = 2**31 - 1


class Base(DeclarativeBase):
    """Declarative base of the store's tables."""


class JobRow(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(16), index=True)
    total: Mapped[int] = mapped_column(Integer)
    chunk_size: Mapped[int] = mapped_column(Integer)
    chunks: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # How the job's statements are read (PipelineOptions); null: the worker's own defaults.
    min_confidence: Mapped[float | None] = mapped_column(Float)
    convention: Mapped[str | None] = mapped_column(String(64))


class StatementRow(Base):
    __tablename__ = "statements"
    __table_args__ = (
        Index("ix_statements_job_chunk", "job_id", "chunk", "status"),
        Index("ix_statements_job_status", "job_id", "status"),
    )

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_id: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    gene: Mapped[str | None] = mapped_column(String(100))
    entities: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    chunk: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8))
    error: Mapped[str | None] = mapped_column(Text)
    relation_count: Mapped[int] = mapped_column(Integer, default=0)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ChunkRow(Base):
    __tablename__ = "chunks"
    __table_args__ = (Index("ix_chunks_open", "done", "queued_at"),)

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    chunk: Mapped[int] = mapped_column(Integer, primary_key=True)
    done: Mapped[bool] = mapped_column(Boolean)
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    requeues: Mapped[int] = mapped_column(Integer, default=0)
    leases: Mapped[int] = mapped_column(Integer, default=0)
    leased_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lease_owner: Mapped[str | None] = mapped_column(String(200))


class Lease(StrEnum):
    """What became of a worker's request to lease a chunk."""

    LEASED = "leased"  # run it
    UNKNOWN_JOB = "unknown job"  # this database does not know the job: a worker on the wrong database
    DONE = "done"  # a redelivery of a chunk already stored
    BUSY = "busy"  # another worker holds a live lease on it


@dataclass(frozen=True)
class OpenChunk:
    """A chunk with statements still pending, as the reconciler sees it."""

    job_id: str
    chunk: int
    queued_at: datetime
    requeues: int
    leases: int
    leased_until: datetime | None


class MentionRow(Base):
    __tablename__ = "mentions"
    __table_args__ = (
        UniqueConstraint("job_id", "seq", "key", name="uq_mentions_content"),
        Index("ix_mentions_job_kb", "job_id", "kb_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    pos: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(32))
    kb_id: Mapped[str | None] = mapped_column(String(100))
    name: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class RelationRow(Base):
    __tablename__ = "relations"
    __table_args__ = (
        UniqueConstraint("job_id", "seq", "key", name="uq_relations_content"),
        Index("ix_relations_job_order", "job_id", "seq", "pos"),
        Index("ix_relations_job_subject_name", "job_id", "subject_name"),
        Index("ix_relations_job_object_name", "job_id", "object_name"),
        Index("ix_relations_job_subject_id", "job_id", "subject_id"),
        Index("ix_relations_job_object_id", "job_id", "object_id"),
        Index("ix_relations_job_predicate", "job_id", "predicate"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    pos: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(64))
    statement_id: Mapped[str] = mapped_column(Text)
    subject_text: Mapped[str | None] = mapped_column(Text)
    subject_start: Mapped[int | None] = mapped_column(Integer)
    subject_end: Mapped[int | None] = mapped_column(Integer)
    subject_type: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[str | None] = mapped_column(String(100))
    subject_name: Mapped[str | None] = mapped_column(Text)
    subject_extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    predicate: Mapped[str] = mapped_column(String(64))
    object_text: Mapped[str | None] = mapped_column(Text)
    object_start: Mapped[int | None] = mapped_column(Integer)
    object_end: Mapped[int | None] = mapped_column(Integer)
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(100))
    object_name: Mapped[str | None] = mapped_column(Text)
    object_extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    negated: Mapped[bool] = mapped_column(Boolean)
    hedged: Mapped[bool] = mapped_column(Boolean)
    implicit: Mapped[bool] = mapped_column(Boolean)
    trigger_text: Mapped[str | None] = mapped_column(Text)
    trigger_start: Mapped[int | None] = mapped_column(Integer)
    trigger_end: Mapped[int | None] = mapped_column(Integer)
    evidence_text: Mapped[str | None] = mapped_column(Text)
    evidence_start: Mapped[int | None] = mapped_column(Integer)
    evidence_end: Mapped[int | None] = mapped_column(Integer)
    confidence: Mapped[float | None] = mapped_column(Float)
    pipeline: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)


RELATION_COLUMNS = tuple(
    column.name
    for column in RelationRow.__table__.columns
    if column.name not in ("id", "job_id", "seq", "pos", "key")
)


@dataclass(frozen=True)
class PipelineOptions:
    """How a job's statements are read: the options its pipeline is loaded with (None: the worker's
    default, GENERX_MIN_CONFIDENCE / GENERX_CONVENTION, else the relation model's own)."""

    min_confidence: float | None = None
    convention: str | None = None

    def loader_kwargs(self) -> dict[str, Any]:
        """The keyword arguments for the pipeline loader: only the options set, so that a loader that
        takes none still works, and a job without options gets the very pipeline it always got."""
        return {name: value for name, value in asdict(self).items() if value is not None}


@dataclass
class NewStatement:
    """A statement to store with a job; ``error`` set for one that could not even be read."""

    statement_id: str
    text: str
    gene: str | None = None
    entities: list[dict[str, Any]] | None = None
    error: str | None = None


@dataclass
class StatementOutcome:
    """What a worker found for one stored statement (``seq`` is its position in the job)."""

    seq: int
    relations: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None


@dataclass
class JobStatus:
    """A job's state and progress, as read from the database."""

    id: str
    name: str | None
    state: str
    total: int
    done: int
    errors: int
    relations: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None
    # Statements finished per second since the first worker started, and the seconds left at that rate.
    rate: float | None = None
    eta_seconds: float | None = None
    # The job's PipelineOptions (None: the worker's defaults).
    min_confidence: float | None = None
    convention: str | None = None

    @property
    def finished(self) -> bool:
        """Whether the job will change no more."""
        return self.state in (DONE, FAILED)

    def to_dict(self) -> dict[str, Any]:
        """The status as JSON-ready values (times in ISO 8601)."""
        data = asdict(self)
        for key in ("created_at", "started_at", "finished_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def progress_rate(
    done: int, total: int, started: datetime | None, until: datetime
) -> tuple[float | None, float | None]:
    """(statements per second, seconds left) of a job that has done ``done`` of ``total`` since
    ``started``; (None, None) before there is anything to measure."""
    if started is None or done <= 0:
        return None, None
    elapsed = (until - started).total_seconds()
    if elapsed <= 0:
        return None, None
    rate = done / elapsed
    return rate, max(total - done, 0) / rate


@dataclass(frozen=True)
class RelationFilter:
    """Which relations of a job to read; a None field does not filter. ``gene``, ``process``,
    ``function``, ``component`` and ``family`` each name an argument of that type on either side, by id
    or name."""

    gene: str | None = None
    process: str | None = None
    function: str | None = None
    component: str | None = None
    family: str | None = None
    predicate: str | None = None
    negated: bool | None = None
    min_confidence: float | None = None


def content_key(record: dict[str, Any], occurrence: int) -> str:
    """A record's key within its statement: a hash of its content and of how many equal ones came first."""
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{canonical}#{occurrence}".encode()).hexdigest()


def _keyed(records: Sequence[dict[str, Any]]) -> Iterator[tuple[int, str, dict[str, Any]]]:
    seen: dict[str, int] = {}
    for pos, record in enumerate(records):
        canonical = json.dumps(record, sort_keys=True, ensure_ascii=False)
        occurrence = seen.get(canonical, 0)
        seen[canonical] = occurrence + 1
        yield pos, content_key(record, occurrence), record


def encode_cursor(seq: int, pos: int) -> str:
    """An opaque cursor that points just after the relation at (seq, pos)."""
    return base64.urlsafe_b64encode(f"{seq}:{pos}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, int]:
    """The (seq, pos) of a cursor made by encode_cursor; InvalidSubmission for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        seq_text, pos_text = raw.split(":")
        if len(seq_text) > 10 or len(pos_text) > 10:
            raise ValueError("too many digits")
        seq, pos = int(seq_text), int(pos_text)
    except (ValueError, binascii.Error, UnicodeDecodeError) as err:
        raise InvalidSubmission(f"invalid cursor {cursor[:100]!r}") from err
    if not (0 <= seq <= MAX_INT32 and 0 <= pos <= MAX_INT32):
        raise InvalidSubmission(f"invalid cursor {cursor[:100]!r}: it points past any relation")
    return seq, pos


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; they were stored in UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


class Store:
    """The job system's database: jobs, statements, mentions and relations."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _make_engine(url)
        self.session = sessionmaker(self.engine, expire_on_commit=False)
        self.migrated = False

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (once per process)."""
        if not self.migrated:
            upgrade(self.engine)
            self.migrated = True

    def check(self) -> None:
        """Migrate, then make sure the database takes writes; DatabaseUnavailable says why not.

        What a worker runs before it says it is ready: a worker that cannot write would take chunks
        and store nothing.
        """
        try:
            self.migrate()
            with self.engine.connect() as connection, connection.begin() as transaction:
                # A write that changes nothing, rolled back: fails on a read-only file, a read-only
                # connection or a PostgreSQL standby.
                connection.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = version_num"))
                transaction.rollback()
        except SQLAlchemyError as err:
            reason = getattr(err, "orig", None) or err
            raise DatabaseUnavailable(f"cannot use the database: {type(reason).__name__}: {reason}") from err

    def dispose(self) -> None:
        """Close the pool's connections (after a fork, or at the end of a test)."""
        self.engine.dispose()

    # -- jobs -------------------------------------------------------------------------------------

    def create_job(
        self,
        job_id: str,
        statements: Iterable[NewStatement],
        *,
        chunk_size: int,
        name: str | None = None,
        max_statements: int | None = None,
        options: PipelineOptions | None = None,
    ) -> list[int]:
        """Store a job, the options its statements are read with, and its statements; return the chunks
        holding statements still to process.

        The statements are read and inserted a batch at a time, in one transaction: a large submission
        never sits whole in memory, and a failed one leaves nothing behind. InvalidSubmission for none,
        for more than ``max_statements``, or when none could be read.
        """
        now = _now()
        options = options or PipelineOptions()
        chunks: set[int] = set()
        total = 0
        first_error: str | None = None
        with self.session.begin() as session:
            session.add(
                JobRow(
                    id=job_id,
                    name=name,
                    state=QUEUED,
                    total=0,
                    chunk_size=chunk_size,
                    chunks=0,
                    created_at=now,
                    min_confidence=options.min_confidence,
                    convention=options.convention,
                )
            )
            session.flush()
            batch: list[dict[str, Any]] = []
            for seq, statement in enumerate(statements):
                if max_statements is not None and seq >= max_statements:
                    raise SubmissionTooLarge(f"more than {max_statements} statements: the limit per job")
                chunk = seq // chunk_size
                if statement.error:
                    first_error = first_error or statement.error
                else:
                    chunks.add(chunk)
                batch.append(_statement_row(job_id, seq, chunk, statement, now))
                total = seq + 1
                if len(batch) >= INSERT_BATCH:
                    session.execute(insert(StatementRow), batch)
                    batch = []
            if batch:
                session.execute(insert(StatementRow), batch)
            if not total:
                raise InvalidSubmission("the submission holds no statements")
            if not chunks:
                raise InvalidSubmission(f"none of the {total} statements could be read: {first_error}")
            count = (total - 1) // chunk_size + 1
            session.execute(update(JobRow).where(JobRow.id == job_id).values(total=total, chunks=count))
            session.execute(
                insert(ChunkRow),
                [
                    {
                        "job_id": job_id,
                        "chunk": chunk,
                        "done": chunk not in chunks,
                        "queued_at": now,
                        "requeues": 0,
                        "leases": 0,
                    }
                    for chunk in range(count)
                ],
            )
        return sorted(chunks)

    def fail_job(self, job_id: str, reason: str) -> None:
        """Mark a job failed, with the reason, unless it already finished."""
        with self.session.begin() as session:
            session.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.state.in_((QUEUED, RUNNING)))
                .values(state=FAILED, error=reason, finished_at=_now())
            )

    def mark_running(self, job_id: str) -> None:
        """Record that a worker has started on the job (a no-op past the first chunk)."""
        with self.session.begin() as session:
            session.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.state == QUEUED)
                .values(state=RUNNING, started_at=_now())
            )

    def finish_if_complete(self, job_id: str) -> str | None:
        """Set the job done (or failed, when no statement succeeded) once no statement is pending."""
        with self.session.begin() as session:
            counts = dict(
                session.execute(
                    select(StatementRow.status, func.count())
                    .where(StatementRow.job_id == job_id)
                    .group_by(StatementRow.status)
                ).all()
            )
            if counts.get(PENDING):
                return None
            state = FAILED if not counts.get(DONE) else DONE
            error = "no statement could be processed" if state == FAILED else None
            session.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.state.in_((QUEUED, RUNNING)))
                .values(state=state, error=error, finished_at=_now())
            )
            return state

    def job_options(self, job_id: str) -> PipelineOptions:
        """The options the job's statements are read with; JobNotFound when there is no such job."""
        with self.session() as session:
            job = session.get(JobRow, job_id)
            if job is None:
                raise JobNotFound(f"no job {job_id!r}")
            return PipelineOptions(min_confidence=job.min_confidence, convention=job.convention)

    def has_job(self, job_id: str) -> bool:
        """Whether this database knows the job."""
        with self.session() as session:
            return session.get(JobRow, job_id) is not None

    def status(self, job_id: str) -> JobStatus:
        """The job's state, progress, rate and time left; JobNotFound when there is no such job."""
        with self.session() as session:
            job = session.get(JobRow, job_id)
            if job is None:
                raise JobNotFound(f"no job {job_id!r}")
            counts = {
                status: (number, relations or 0)
                for status, number, relations in session.execute(
                    select(StatementRow.status, func.count(), func.sum(StatementRow.relation_count))
                    .where(StatementRow.job_id == job_id)
                    .group_by(StatementRow.status)
                ).all()
            }
        done, relations = counts.get(DONE, (0, 0))
        errors = counts.get(ERROR, (0, 0))[0]
        started_at, finished_at = _utc(job.started_at), _utc(job.finished_at)
        rate, eta = progress_rate(done + errors, job.total, started_at, finished_at or _now())
        return JobStatus(
            id=job.id,
            name=job.name,
            state=job.state,
            total=job.total,
            done=done + errors,
            errors=errors,
            relations=int(relations),
            created_at=_utc(job.created_at) or _now(),
            started_at=started_at,
            finished_at=finished_at,
            error=job.error,
            rate=rate,
            eta_seconds=eta,
            min_confidence=job.min_confidence,
            convention=job.convention,
        )

    # -- chunks -----------------------------------------------------------------------------------

    def lease_chunk(self, job_id: str, chunk: int, owner: str, seconds: float) -> Lease:
        """Take the chunk's lease for ``seconds`` unless another worker holds a live one."""
        now = _now()
        with self.session.begin() as session:
            taken = _updated(
                session,
                update(ChunkRow)
                .where(
                    ChunkRow.job_id == job_id,
                    ChunkRow.chunk == chunk,
                    ChunkRow.done.is_(False),
                    or_(ChunkRow.leased_until.is_(None), ChunkRow.leased_until < now),
                )
                .values(
                    lease_owner=owner,
                    leased_until=now + timedelta(seconds=seconds),
                    leases=ChunkRow.leases + 1,
                ),
            )
            if taken:
                return Lease.LEASED
            row = session.get(ChunkRow, (job_id, chunk))
            if row is None:
                return Lease.UNKNOWN_JOB if session.get(JobRow, job_id) is None else Lease.DONE
            return Lease.DONE if row.done else Lease.BUSY

    def renew_lease(self, job_id: str, chunk: int, owner: str, seconds: float) -> bool:
        """Extend ``owner``'s lease on the chunk; False when it no longer holds it."""
        with self.session.begin() as session:
            return bool(
                _updated(
                    session,
                    update(ChunkRow)
                    .where(ChunkRow.job_id == job_id, ChunkRow.chunk == chunk, ChunkRow.lease_owner == owner)
                    .values(leased_until=_now() + timedelta(seconds=seconds)),
                )
            )

    def release_chunk(self, job_id: str, chunk: int, owner: str) -> None:
        """Give up ``owner``'s lease; the chunk is done once none of its statements is pending."""
        with self.session.begin() as session:
            pending = session.scalar(
                select(func.count()).where(
                    StatementRow.job_id == job_id, StatementRow.chunk == chunk, StatementRow.status == PENDING
                )
            )
            session.execute(
                update(ChunkRow)
                .where(ChunkRow.job_id == job_id, ChunkRow.chunk == chunk, ChunkRow.lease_owner == owner)
                .values(done=not pending, leased_until=None, lease_owner=None)
            )

    def split_chunk(self, job_id: str, chunk: int) -> list[int]:
        """Give each pending statement of the chunk a chunk of its own; return the new chunks.

        The chunk itself is then done: what it held is in the new ones.
        """
        now = _now()
        with self.session.begin() as session:
            job = session.get(JobRow, job_id, with_for_update=True)
            if job is None:
                raise JobNotFound(f"no job {job_id!r}")
            seqs = list(
                session.scalars(
                    select(StatementRow.seq)
                    .where(
                        StatementRow.job_id == job_id,
                        StatementRow.chunk == chunk,
                        StatementRow.status == PENDING,
                    )
                    .order_by(StatementRow.seq)
                )
            )
            new = list(range(job.chunks, job.chunks + len(seqs)))
            if seqs:
                session.execute(
                    update(StatementRow),
                    [
                        {"job_id": job_id, "seq": seq, "chunk": number}
                        for seq, number in zip(seqs, new, strict=True)
                    ],
                )
                session.execute(
                    insert(ChunkRow),
                    [
                        {
                            "job_id": job_id,
                            "chunk": number,
                            "done": False,
                            "queued_at": now,
                            "requeues": 0,
                            "leases": 0,
                        }
                        for number in new
                    ],
                )
                job.chunks += len(seqs)
            session.execute(
                update(ChunkRow)
                .where(ChunkRow.job_id == job_id, ChunkRow.chunk == chunk)
                .values(done=True, leased_until=None, lease_owner=None)
            )
        return new

    def open_chunks(self, *, limit: int = 1000) -> list[OpenChunk]:
        """Chunks of unfinished jobs that are not done and hold no live lease: those whose lease expired
        first, then the oldest queued."""
        now = _now()
        with self.session() as session:
            rows = session.execute(
                select(ChunkRow)
                .join(JobRow, JobRow.id == ChunkRow.job_id)
                .where(
                    JobRow.state.in_((QUEUED, RUNNING)),
                    ChunkRow.done.is_(False),
                    or_(ChunkRow.leased_until.is_(None), ChunkRow.leased_until < now),
                )
                # Expired leases first: a long backlog of queued chunks must not hide a dead worker's.
                .order_by(ChunkRow.leased_until.is_(None), ChunkRow.queued_at)
                .limit(limit)
            ).scalars()
            return [
                OpenChunk(
                    row.job_id,
                    row.chunk,
                    _utc(row.queued_at) or now,
                    row.requeues,
                    row.leases,
                    _utc(row.leased_until),
                )
                for row in rows
            ]

    def jobs_to_finish(self) -> list[str]:
        """Unfinished jobs none of whose chunks is still open (their last worker could not finish them)."""
        with self.session() as session:
            open_chunk = select(ChunkRow.job_id).where(ChunkRow.job_id == JobRow.id, ChunkRow.done.is_(False))
            return list(
                session.scalars(
                    select(JobRow.id).where(JobRow.state.in_((QUEUED, RUNNING)), ~open_chunk.exists())
                )
            )

    def claim_requeue(self, chunk: OpenChunk) -> bool:
        """Record that ``chunk`` is queued again, unless another reconciler or a worker moved first."""
        now = _now()
        with self.session.begin() as session:
            return bool(
                _updated(
                    session,
                    update(ChunkRow)
                    .where(
                        ChunkRow.job_id == chunk.job_id,
                        ChunkRow.chunk == chunk.chunk,
                        ChunkRow.done.is_(False),
                        ChunkRow.requeues == chunk.requeues,
                        ChunkRow.leases == chunk.leases,
                        or_(ChunkRow.leased_until.is_(None), ChunkRow.leased_until < now),
                    )
                    .values(
                        queued_at=now, requeues=ChunkRow.requeues + 1, leased_until=None, lease_owner=None
                    ),
                )
            )

    def fail_chunk(self, job_id: str, chunk: int, reason: str) -> None:
        """Record the chunk's pending statements as errors with ``reason``; the chunk is then done."""
        todo = self.pending_statements(job_id, chunk)
        self.save_outcomes(job_id, [StatementOutcome(seq, error=reason) for seq, _ in todo])
        with self.session.begin() as session:
            session.execute(
                update(ChunkRow)
                .where(ChunkRow.job_id == job_id, ChunkRow.chunk == chunk)
                .values(done=True, leased_until=None, lease_owner=None)
            )

    def resume(self, job_id: str) -> list[int]:
        """Make an unfinished (or failed, with statements pending) job runnable again; return the chunks
        to queue now, their backoff and lease counts reset. JobNotFound for an unknown job."""
        now = _now()
        with self.session.begin() as session:
            job = session.get(JobRow, job_id)
            if job is None:
                raise JobNotFound(f"no job {job_id!r}")
            chunks = list(
                session.scalars(
                    select(StatementRow.chunk)
                    .where(StatementRow.job_id == job_id, StatementRow.status == PENDING)
                    .distinct()
                    .order_by(StatementRow.chunk)
                )
            )
            if not chunks:
                return []
            if job.state == FAILED:
                job.state, job.error, job.finished_at = (RUNNING if job.started_at else QUEUED), None, None
            session.execute(
                update(ChunkRow)
                .where(
                    ChunkRow.job_id == job_id,
                    ChunkRow.chunk.in_(chunks),
                    or_(ChunkRow.leased_until.is_(None), ChunkRow.leased_until < now),
                )
                .values(done=False, queued_at=now, requeues=0, leases=0, leased_until=None, lease_owner=None)
            )
            # Chunks a live worker holds are left to it.
            return list(
                session.scalars(
                    select(ChunkRow.chunk).where(
                        ChunkRow.job_id == job_id, ChunkRow.chunk.in_(chunks), ChunkRow.leased_until.is_(None)
                    )
                )
            )

    def pending_statements(self, job_id: str, chunk: int) -> list[tuple[int, NewStatement]]:
        """The chunk's statements not yet processed, as (seq, statement), in order."""
        with self.session() as session:
            rows = session.execute(
                select(StatementRow)
                .where(
                    StatementRow.job_id == job_id, StatementRow.chunk == chunk, StatementRow.status == PENDING
                )
                .order_by(StatementRow.seq)
            ).scalars()
            return [
                (row.seq, NewStatement(row.statement_id, row.text, gene=row.gene, entities=row.entities))
                for row in rows
            ]

    def save_outcomes(self, job_id: str, outcomes: Sequence[StatementOutcome]) -> None:
        """Write the chunk's relations, mentions and statement statuses in one transaction.

        Rows already present (same job, statement and content) are left alone, so saving the same
        outcomes twice changes nothing.
        """
        if not outcomes:
            return
        with self.session.begin() as session:
            statement_ids = dict(
                session.execute(
                    select(StatementRow.seq, StatementRow.statement_id).where(
                        StatementRow.job_id == job_id, StatementRow.seq.in_([o.seq for o in outcomes])
                    )
                ).all()
            )
            relations: list[dict[str, Any]] = []
            mentions: list[dict[str, Any]] = []
            for outcome in outcomes:
                for pos, key, record in _keyed(outcome.relations):
                    row = flatten({**record, "statement_id": statement_ids[outcome.seq]})
                    relations.append({"job_id": job_id, "seq": outcome.seq, "pos": pos, "key": key, **row})
                for pos, key, mention in _keyed(outcome.mentions):
                    mentions.append(_mention_row(job_id, outcome.seq, pos, key, mention))
            self._insert_new(session, RelationRow, relations)
            self._insert_new(session, MentionRow, mentions)
            now = _now()
            # One executemany by primary key, not a round trip per statement.
            session.execute(
                update(StatementRow),
                [
                    {
                        "job_id": job_id,
                        "seq": outcome.seq,
                        "status": ERROR if outcome.error else DONE,
                        "error": outcome.error,
                        "relation_count": 0 if outcome.error else len(outcome.relations),
                        "processed_at": now,
                    }
                    for outcome in outcomes
                ],
            )

    def _insert_new(self, session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        dialect = self.engine.dialect.name
        if dialect == "postgresql":
            statement: Any = postgresql.insert(model)
        elif dialect == "sqlite":
            statement = sqlite.insert(model)
        else:  # pragma: no cover - only SQLite and PostgreSQL are supported
            raise NotImplementedError(f"no idempotent insert for {dialect}")
        session.execute(statement.on_conflict_do_nothing(index_elements=["job_id", "seq", "key"]), rows)

    # -- results ----------------------------------------------------------------------------------

    def relations_page(
        self, job_id: str, *, where: RelationFilter | None = None, limit: int = 100, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of the job's relation records in statement order, and the cursor of the next page."""
        where = where or RelationFilter()
        query = select(RelationRow).where(RelationRow.job_id == job_id, *_conditions(where))
        if cursor:
            seq, pos = decode_cursor(cursor)
            query = query.where(
                or_(RelationRow.seq > seq, and_(RelationRow.seq == seq, RelationRow.pos > pos))
            )
        query = query.order_by(RelationRow.seq, RelationRow.pos).limit(limit + 1)
        with self.session() as session:
            self._require_job(session, job_id)
            rows = list(session.execute(query).scalars())
        more = len(rows) > limit
        rows = rows[:limit]
        records = [unflatten({name: getattr(row, name) for name in RELATION_COLUMNS}) for row in rows]
        next_cursor = encode_cursor(rows[-1].seq, rows[-1].pos) if more and rows else None
        return records, next_cursor

    def iter_relations(
        self, job_id: str, *, where: RelationFilter | None = None, page_size: int = 1000
    ) -> Iterator[dict[str, Any]]:
        """Every relation record of the job that passes the filter, in statement order."""
        cursor: str | None = None
        while True:
            records, cursor = self.relations_page(job_id, where=where, limit=page_size, cursor=cursor)
            yield from records
            if cursor is None:
                return

    def iter_documents(
        self, job_id: str, *, where: RelationFilter | None = None, page_size: int = 500
    ) -> Iterator[Document]:
        """Each processed statement of the job with its text, mentions and the relations that pass the
        filter, in statement order, a page of statements at a time (what BioC and PubTator write)."""
        where = where or RelationFilter()
        after = -1
        while True:
            with self.session() as session:
                self._require_job(session, job_id)
                statements = list(
                    session.execute(
                        select(StatementRow)
                        .where(
                            StatementRow.job_id == job_id,
                            StatementRow.status == DONE,
                            StatementRow.seq > after,
                        )
                        .order_by(StatementRow.seq)
                        .limit(page_size)
                    ).scalars()
                )
                if not statements:
                    return
                seqs = (statements[0].seq, statements[-1].seq)
                relations: dict[int, list[dict[str, Any]]] = {}
                for row in session.execute(
                    select(RelationRow)
                    .where(RelationRow.job_id == job_id, RelationRow.seq.between(*seqs), *_conditions(where))
                    .order_by(RelationRow.seq, RelationRow.pos)
                ).scalars():
                    record = unflatten({name: getattr(row, name) for name in RELATION_COLUMNS})
                    relations.setdefault(row.seq, []).append(record)
                mentions: dict[int, list[dict[str, Any]]] = {}
                for mention in session.execute(
                    select(MentionRow)
                    .where(MentionRow.job_id == job_id, MentionRow.seq.between(*seqs))
                    .order_by(MentionRow.seq, MentionRow.pos)
                ).scalars():
                    mentions.setdefault(mention.seq, []).append(_mention_record(mention))
            for statement in statements:
                yield Document(
                    id=statement.statement_id,
                    text=statement.text,
                    gene=statement.gene,
                    mentions=mentions.get(statement.seq, []),
                    relations=relations.get(statement.seq, []),
                )
            after = statements[-1].seq

    def statement_errors(self, job_id: str) -> list[tuple[str, str]]:
        """(statement_id, error) of every statement of the job that failed, in order."""
        with self.session() as session:
            self._require_job(session, job_id)
            rows = session.execute(
                select(StatementRow.statement_id, StatementRow.error)
                .where(StatementRow.job_id == job_id, StatementRow.status == ERROR)
                .order_by(StatementRow.seq)
            ).all()
        return [(statement_id, error or "") for statement_id, error in rows]

    def _require_job(self, session: Session, job_id: str) -> None:
        if session.get(JobRow, job_id) is None:
            raise JobNotFound(f"no job {job_id!r}")


def _either_side(kind: str, value: str) -> Any:
    """Subject or object is a ``kind`` mention named ``value`` (by id or by name)."""
    return or_(
        and_(
            RelationRow.subject_type == kind,
            or_(RelationRow.subject_id == value, RelationRow.subject_name == value),
        ),
        and_(
            RelationRow.object_type == kind,
            or_(RelationRow.object_id == value, RelationRow.object_name == value),
        ),
    )


def _conditions(where: RelationFilter) -> list[Any]:
    conditions: list[Any] = []
    for kind in ("gene", "process", "function", "component", "family"):
        value = getattr(where, kind)
        if value:
            conditions.append(_either_side(kind, value))
    if where.predicate:
        conditions.append(RelationRow.predicate == where.predicate)
    if where.negated is not None:
        conditions.append(RelationRow.negated.is_(where.negated))
    if where.min_confidence is not None:
        conditions.append(RelationRow.confidence >= where.min_confidence)
    return conditions


def _statement_row(
    job_id: str, seq: int, chunk: int, statement: NewStatement, now: datetime
) -> dict[str, Any]:
    return {
        "job_id": job_id,
        "seq": seq,
        "statement_id": statement.statement_id,
        "text": statement.text,
        "gene": statement.gene,
        "entities": statement.entities,
        "chunk": chunk,
        "status": ERROR if statement.error else PENDING,
        "error": statement.error,
        "relation_count": 0,
        "processed_at": now if statement.error else None,
    }


def _mention_row(job_id: str, seq: int, pos: int, key: str, mention: dict[str, Any]) -> dict[str, Any]:
    known = ("text", "start", "end", "type", "id", "name")
    return {
        "job_id": job_id,
        "seq": seq,
        "pos": pos,
        "key": key,
        "text": mention.get("text") or "",
        "start": mention.get("start"),
        "end": mention.get("end"),
        "type": mention.get("type") or "",
        "kb_id": mention.get("id"),
        "name": mention.get("name"),
        "extra": {k: v for k, v in mention.items() if k not in known} or None,
    }


def _mention_record(row: MentionRow) -> dict[str, Any]:
    """The mention record stored by ``_mention_row``."""
    record = {"text": row.text, "start": row.start, "end": row.end, "type": row.type, "id": row.kb_id}
    return {**record, "name": row.name, **(row.extra or {})}


def _updated(session: Session, statement: Any) -> int:
    """Run an UPDATE and return how many rows it changed."""
    return cast(CursorResult[Any], session.execute(statement)).rowcount


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = sqlite_path(url)
        if path is not None:
            # The default lives in a per-user data folder that a first command has to create.
            path.parent.mkdir(parents=True, exist_ok=True)
        # Several worker processes write one SQLite file: wait for the lock rather than fail at once.
        engine = create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            # WAL lets readers (status, results) go on while a worker writes.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    # pre_ping replaces connections the server dropped (a restarted database) before they are used.
    return create_engine(url, pool_pre_ping=True)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations under worker/migrations up to ``revision`` on ``engine``."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        # Processes starting at once (api, workers, a dozen submits) must not all create the tables:
        # the first takes a lock that the others wait on, then they find the schema at its newest.
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(7142014)"))
        elif engine.dialect.name == "sqlite":
            # pysqlite opens no transaction before DDL by itself; IMMEDIATE takes the write lock now.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


_stores: dict[tuple[int, str], Store] = {}


def get_store(url: str) -> Store:
    """The process's Store for ``url`` (a new one in a forked child: connections must not cross a fork)."""
    key = (os.getpid(), url)
    if key not in _stores:
        _stores[key] = Store(url)
    return _stores[key]
