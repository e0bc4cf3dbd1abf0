"""The store: the only code that touches the database (SQLAlchemy 2; SQLite by default, PostgreSQL by URL).

Tables: ``jobs``; ``statements`` (one row per submitted statement, with its chunk, status and error);
``mentions`` and ``relations`` (one column per field of the relation record, see generx/record.py).
Results are written with an insert that ignores rows already there, keyed on (job, statement, content),
so a chunk that is delivered twice leaves the tables as one delivery would.
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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from generx.exports import Document
from generx.record import flatten, unflatten
from generx.worker.errors import InvalidSubmission, JobNotFound

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
PENDING, ERROR = "pending", "error"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# SQLite has no 64-bit autoincrement type of its own; INTEGER PRIMARY KEY is its rowid and is 64-bit.
BigId = BigInteger().with_variant(Integer(), "sqlite")


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


@dataclass(frozen=True)
class RelationFilter:
    """Which relations of a job to read; a None field does not filter."""

    gene: str | None = None
    process: str | None = None
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
        seq, pos = raw.split(":")
        return int(seq), int(pos)
    except (ValueError, binascii.Error, UnicodeDecodeError) as err:
        raise InvalidSubmission(f"invalid cursor {cursor!r}") from err


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

    def dispose(self) -> None:
        """Close the pool's connections (after a fork, or at the end of a test)."""
        self.engine.dispose()

    # -- jobs -------------------------------------------------------------------------------------

    def create_job(
        self, job_id: str, statements: Iterable[NewStatement], *, chunk_size: int, name: str | None = None
    ) -> list[int]:
        """Store a job and its statements; return the chunks holding statements still to process."""
        rows: list[dict[str, Any]] = []
        chunks: set[int] = set()
        now = _now()
        for seq, statement in enumerate(statements):
            chunk = seq // chunk_size
            status = ERROR if statement.error else PENDING
            if status == PENDING:
                chunks.add(chunk)
            rows.append(
                {
                    "job_id": job_id,
                    "seq": seq,
                    "statement_id": statement.statement_id,
                    "text": statement.text,
                    "gene": statement.gene,
                    "entities": statement.entities,
                    "chunk": chunk,
                    "status": status,
                    "error": statement.error,
                    "relation_count": 0,
                    "processed_at": now if statement.error else None,
                }
            )
        if not rows:
            raise InvalidSubmission("the submission holds no statements")
        with self.session.begin() as session:
            session.add(
                JobRow(
                    id=job_id,
                    name=name,
                    state=QUEUED,
                    total=len(rows),
                    chunk_size=chunk_size,
                    chunks=(len(rows) - 1) // chunk_size + 1,
                    created_at=now,
                )
            )
            session.flush()
            session.execute(insert(StatementRow), rows)
        if not chunks:
            self.finish_if_complete(job_id)
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

    def status(self, job_id: str) -> JobStatus:
        """The job's state and progress; JobNotFound when there is no such job."""
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
        return JobStatus(
            id=job.id,
            name=job.name,
            state=job.state,
            total=job.total,
            done=done + errors,
            errors=errors,
            relations=int(relations),
            created_at=_utc(job.created_at) or _now(),
            started_at=_utc(job.started_at),
            finished_at=_utc(job.finished_at),
            error=job.error,
        )

    # -- chunks -----------------------------------------------------------------------------------

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
    if where.gene:
        conditions.append(_either_side("gene", where.gene))
    if where.process:
        conditions.append(_either_side("process", where.process))
    if where.predicate:
        conditions.append(RelationRow.predicate == where.predicate)
    if where.negated is not None:
        conditions.append(RelationRow.negated.is_(where.negated))
    if where.min_confidence is not None:
        conditions.append(RelationRow.confidence >= where.min_confidence)
    return conditions


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


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
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
        if engine.dialect.name == "postgresql":
            # Two processes starting at once (api and submit) must not both create the tables.
            connection.execute(text("SELECT pg_advisory_xact_lock(7142014)"))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


_stores: dict[tuple[int, str], Store] = {}


def get_store(url: str) -> Store:
    """The process's Store for ``url`` (a new one in a forked child: connections must not cross a fork)."""
    key = (os.getpid(), url)
    if key not in _stores:
        _stores[key] = Store(url)
    return _stores[key]
