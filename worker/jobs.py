"""The job API every front (CLI, HTTP, Python callers) goes through: submit, status, wait, results."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kombu.exceptions import OperationalError as KombuOperationalError

from generx.exports import Document
from generx.pipelines.errors import InvalidStatement
from generx.pipelines.statements import Statement
from generx.worker.errors import BrokerUnavailable, InvalidSubmission
from generx.worker.settings import Settings, get_settings
from generx.worker.store import JobStatus, NewStatement, RelationFilter, Store, get_store

log = logging.getLogger(__name__)


def open_store(settings: Settings | None = None, *, migrate: bool = True) -> Store:
    """The store of ``settings`` (default: the environment), migrated to the newest schema first.

    Migrating is done once per process and URL, so a fresh database answers "no such job" rather
    than "no such table".
    """
    settings = settings or get_settings()
    store = get_store(settings.database_url)
    if migrate:
        store.migrate()
    return store


def to_new_statement(item: Statement | InvalidStatement, index: int) -> NewStatement:
    """The stored form of what a reader yielded: a statement, or the error of one it could not read."""
    if isinstance(item, InvalidStatement):
        where = item.statement_id or (f"line {item.line}" if item.line is not None else f"#{index + 1}")
        return NewStatement(statement_id=where, text="", error=f"InvalidStatement: {item.reason}")
    entities = None if item.entities is None else [asdict(entity) for entity in item.entities]
    return NewStatement(statement_id=item.id, text=item.text, gene=item.gene, entities=entities)


def read_path(path: str | Path, *, gene: str | None = None, fmt: str | None = None) -> list[NewStatement]:
    """Read a file (or "-" for standard input) with the readers of ``generx extract``.

    InvalidSubmission when the file cannot be read at all; statements that cannot be read are kept
    as error records.
    """
    from generx.pipelines.statements import read_statements

    try:
        items = list(read_statements(str(path), gene=gene, fmt=fmt))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise InvalidSubmission(f"cannot read {path}: {err}") from err
    return [to_new_statement(item, index) for index, item in enumerate(items)]


def read_bytes(
    data: bytes, *, name: str, gene: str | None = None, fmt: str | None = None
) -> list[NewStatement]:
    """Read the statements of a file received whole (an upload); ``name`` is its file name."""
    from generx.pipelines.statements import read_statements_from_bytes

    try:
        items = list(read_statements_from_bytes(data, name=name, gene=gene, fmt=fmt))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise InvalidSubmission(f"cannot read {name}: {err}") from err
    return [to_new_statement(item, index) for index, item in enumerate(items)]


def submit(
    statements: Iterable[Statement | InvalidStatement | NewStatement],
    *,
    name: str | None = None,
    settings: Settings | None = None,
) -> str:
    """Store the statements as a new job, queue its chunks, and return the job id.

    InvalidSubmission when there are no statements or too many; BrokerUnavailable when the job was
    stored but could not be queued (the job is then marked failed).
    """
    from generx.worker.celery_app import app
    from generx.worker.tasks import process_chunk

    settings = settings or get_settings()
    rows = [
        item if isinstance(item, NewStatement) else to_new_statement(item, index)
        for index, item in enumerate(statements)
    ]
    if not rows:
        raise InvalidSubmission("the submission holds no statements")
    if len(rows) > settings.max_statements:
        raise InvalidSubmission(
            f"{len(rows)} statements exceed the limit of {settings.max_statements} per job"
        )
    if all(row.error for row in rows):
        raise InvalidSubmission(f"none of the {len(rows)} statements could be read: {rows[0].error}")
    store = open_store(settings)
    job_id = uuid.uuid4().hex
    chunks = store.create_job(job_id, rows, chunk_size=settings.chunk_size, name=name)
    try:
        # The broker of ``settings``, not the one the Celery app was made with: callers may pass their own.
        with app.connection_for_write(settings.broker_url) as connection:
            for chunk in chunks:
                process_chunk.apply_async(
                    args=(job_id, chunk), queue=settings.queue, connection=connection, retry=False
                )
    except (KombuOperationalError, OSError) as err:
        store.fail_job(job_id, f"could not queue the job: {err}")
        raise BrokerUnavailable(f"job {job_id} stored but not queued: {err}") from err
    log.info("job %s: %d statements in %d chunks queued", job_id, len(rows), len(chunks))
    return job_id


def submit_path(
    path: str | Path,
    *,
    gene: str | None = None,
    fmt: str | None = None,
    name: str | None = None,
    settings: Settings | None = None,
) -> str:
    """Read a file as ``generx extract`` does and submit its statements; return the job id."""
    return submit(read_path(path, gene=gene, fmt=fmt), name=name or Path(str(path)).name, settings=settings)


def status(job_id: str, *, settings: Settings | None = None) -> JobStatus:
    """The job's state and progress from the database (JobNotFound for an unknown id)."""
    return open_store(settings).status(job_id)


def wait(
    job_id: str,
    *,
    timeout: float | None = None,
    poll: float = 0.5,
    on_progress: Callable[[JobStatus], None] | None = None,
    settings: Settings | None = None,
) -> JobStatus:
    """Poll the job until it is done or failed; TimeoutError after ``timeout`` seconds."""
    deadline = None if timeout is None else time.monotonic() + timeout
    store = open_store(settings)
    while True:
        current = store.status(job_id)
        if on_progress is not None:
            on_progress(current)
        if current.finished:
            return current
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError(f"job {job_id} not finished after {timeout} s: {current.done}/{current.total}")
        time.sleep(poll)


def relations(
    job_id: str, *, where: RelationFilter | None = None, settings: Settings | None = None
) -> Iterator[dict[str, Any]]:
    """Every relation record of the job that passes the filter, in statement order."""
    return open_store(settings).iter_relations(job_id, where=where)


def documents(
    job_id: str, *, where: RelationFilter | None = None, settings: Settings | None = None
) -> Iterator[Document]:
    """Every processed statement of the job with its text, mentions and filtered relations, in order."""
    return open_store(settings).iter_documents(job_id, where=where)


def relations_page(
    job_id: str,
    *,
    where: RelationFilter | None = None,
    limit: int = 100,
    cursor: str | None = None,
    settings: Settings | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of the job's relation records and the cursor of the next page (None on the last)."""
    return open_store(settings).relations_page(job_id, where=where, limit=limit, cursor=cursor)


def errors(job_id: str, *, settings: Settings | None = None) -> list[tuple[str, str]]:
    """(statement_id, error) of each statement of the job that failed."""
    return open_store(settings).statement_errors(job_id)
