"""The job API every front (CLI, HTTP, Python callers) goes through: submit, status, wait, results."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import IO, Any

from kombu.exceptions import OperationalError as KombuOperationalError

from generx.exports import Document
from generx.pipelines.errors import InvalidStatement
from generx.pipelines.statements import Statement, statement_problem
from generx.worker.errors import BrokerUnavailable, InvalidSubmission, SubmissionTooLarge
from generx.worker.settings import Settings, get_settings
from generx.worker.store import JobStatus, NewStatement, PipelineOptions, RelationFilter, Store, get_store

log = logging.getLogger(__name__)

MAX_NAME_CHARS = 500  # the width of jobs.name


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


def check_options(min_confidence: float | None, convention: str | None) -> PipelineOptions:
    """The options a job's statements are to be read with, checked; InvalidSubmission for a
    ``min_confidence`` outside [0, 1] or a ``convention`` the shipped relation model does not know."""
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:  # NaN fails this too
        raise InvalidSubmission(f"min_confidence {min_confidence} is outside [0, 1]")
    if convention is not None:
        known = known_conventions()
        if convention not in known:
            raise InvalidSubmission(
                f"no relation convention {convention[:100]!r} in the relation model "
                f"(it has: {', '.join(sorted(known))})"
            )
    return PipelineOptions(min_confidence=min_confidence, convention=convention)


def known_conventions() -> frozenset[str]:
    """The conventions the relation model in the models folder (GENERX_MODELS) was trained on."""
    from generx.models import models_dir

    return _conventions(models_dir() / "relation_model" / "relation_model.json.gz")


@cache
def _conventions(path: Path) -> frozenset[str]:
    # The model's file alone (some 0.1 s, once per process): submitting must not load the pipeline.
    from generx.pipelines.relation_model import RelationModel

    return frozenset(RelationModel.from_disk(path, convention=None).conventions)


def to_new_statement(item: Statement | InvalidStatement, index: int) -> NewStatement:
    """The stored form of what a reader yielded: a statement, or the error of one it could not read."""
    if isinstance(item, InvalidStatement):
        where = item.statement_id or (f"line {item.line}" if item.line is not None else f"#{index + 1}")
        return NewStatement(statement_id=_storable(where), text="", error=f"InvalidStatement: {item.reason}")
    # Statements made in Python (not by a reader or the API) are checked here, as those are.
    problem = statement_problem(item)
    if problem:
        return NewStatement(statement_id=_storable(item.id), text="", error=f"InvalidStatement: {problem}")
    entities = None if item.entities is None else [asdict(entity) for entity in item.entities]
    return NewStatement(statement_id=item.id, text=item.text, gene=item.gene, entities=entities)


def _storable(value: str) -> str:
    # PostgreSQL's text cannot hold NUL: the id of an error record shows U+FFFD in its place.
    return value.replace("\x00", "\ufffd")


def read_path(path: str | Path, *, gene: str | None = None, fmt: str | None = None) -> Iterator[NewStatement]:
    """Read a file (or "-" for standard input) with the readers of ``generx extract``, lazily.

    InvalidSubmission at once when the file cannot be opened; statements that cannot be read are kept
    as error records.
    """
    from generx.pipelines.statements import read_statements

    try:
        items = read_statements(str(path), gene=gene, fmt=fmt)
    except (OSError, ValueError) as err:
        raise InvalidSubmission(f"cannot read {path}: {err}") from err
    return (to_new_statement(item, index) for index, item in enumerate(items))


def read_stream(
    stream: IO[bytes],
    *,
    name: str,
    gene: str | None = None,
    fmt: str | None = None,
    settings: Settings | None = None,
) -> Iterator[NewStatement]:
    """Read the statements of an uploaded file, lazily, inflating at most GENERX_MAX_INFLATED_BYTES."""
    from generx.pipelines.statements import read_statement_stream

    settings = settings or get_settings()
    try:
        items = read_statement_stream(
            stream, name=name, gene=gene, fmt=fmt, max_bytes=settings.max_inflated_bytes
        )
    except ValueError as err:
        raise InvalidSubmission(f"cannot read {name}: {err}") from err
    return (to_new_statement(item, index) for index, item in enumerate(items))


def submit(
    statements: Iterable[Statement | InvalidStatement | NewStatement],
    *,
    name: str | None = None,
    min_confidence: float | None = None,
    convention: str | None = None,
    settings: Settings | None = None,
) -> str:
    """Store the statements as a new job, queue its chunks, and return the job id.

    ``min_confidence`` and ``convention`` are what ``generx extract`` takes: the workers read the job's
    statements with them (None: with the workers' defaults). The statements are consumed as they are
    stored, never held all at once. InvalidSubmission when there are none or none could be read, or for
    an option out of range or unknown; SubmissionTooLarge past GENERX_MAX_STATEMENTS or
    GENERX_MAX_INFLATED_BYTES; BrokerUnavailable when the job was stored but could not be queued (the
    job is then marked failed, and ``generx resume`` queues it once the broker is back).
    """
    from generx.pipelines.statements import InputTooLarge
    from generx.worker.tasks import queue_chunks

    settings = settings or get_settings()
    if name is not None and len(name) > MAX_NAME_CHARS:
        raise InvalidSubmission(f"a job name of {len(name)} characters (at most {MAX_NAME_CHARS})")
    options = check_options(min_confidence, convention)
    rows = (
        item if isinstance(item, NewStatement) else to_new_statement(item, index)
        for index, item in enumerate(statements)
    )
    store = open_store(settings)
    job_id = uuid.uuid4().hex
    try:
        chunks = store.create_job(
            job_id,
            rows,
            chunk_size=settings.chunk_size,
            name=name,
            max_statements=settings.max_statements,
            options=options,
        )
    except InputTooLarge as err:
        raise SubmissionTooLarge(str(err)) from err
    except InvalidSubmission:
        raise
    except (OSError, UnicodeDecodeError, ValueError) as err:  # the input failed while it was read
        raise InvalidSubmission(f"cannot read the submission: {err}") from err
    try:
        queue_chunks(job_id, chunks, settings)
    except (KombuOperationalError, OSError) as err:
        store.fail_job(job_id, f"could not queue the job: {err}")
        raise BrokerUnavailable(f"job {job_id} stored but not queued: {err}") from err
    log.info("job %s: %d chunks queued", job_id, len(chunks))
    return job_id


def resume(job_id: str, *, settings: Settings | None = None) -> int:
    """Queue again every chunk of the job with statements pending that no live worker holds, now,
    with backoff and lease counts reset (a job failed for a broker outage runs again); return how
    many chunks were queued. JobNotFound for an unknown job, BrokerUnavailable without a broker."""
    from generx.worker.tasks import queue_chunks

    settings = settings or get_settings()
    chunks = open_store(settings).resume(job_id)
    try:
        queue_chunks(job_id, chunks, settings)
    except (KombuOperationalError, OSError) as err:
        raise BrokerUnavailable(f"cannot queue job {job_id}: {err}") from err
    return len(chunks)


def submit_path(
    path: str | Path,
    *,
    gene: str | None = None,
    fmt: str | None = None,
    name: str | None = None,
    min_confidence: float | None = None,
    convention: str | None = None,
    settings: Settings | None = None,
) -> str:
    """Read a file as ``generx extract`` does and submit its statements, to be read with
    ``min_confidence`` and ``convention`` (see ``submit``); return the job id."""
    return submit(
        read_path(path, gene=gene, fmt=fmt),
        name=name or Path(str(path)).name,
        min_confidence=min_confidence,
        convention=convention,
        settings=settings,
    )


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
