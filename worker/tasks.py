"""Thin Celery tasks: take ids, call the pipeline, call the store, return counts."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from billiard.exceptions import SoftTimeLimitExceeded
from celery import Task
from celery.signals import worker_process_init
from sqlalchemy.exc import InterfaceError, OperationalError

from generx.pipelines.statements import GivenEntity, Statement
from generx.worker.celery_app import app
from generx.worker.nlp import get_nlp
from generx.worker.settings import get_settings
from generx.worker.store import NewStatement, StatementOutcome, get_store

log = logging.getLogger(__name__)

# Worth a retry: the database went away for a moment. Bad input is recorded, never retried.
TRANSIENT = (OperationalError, InterfaceError)


def to_statement(stored: NewStatement) -> Statement:
    """The pipelines' Statement for a stored statement."""
    entities = None
    if stored.entities is not None:
        entities = tuple(GivenEntity(**entity) for entity in stored.entities)
    return Statement(id=stored.statement_id, text=stored.text, gene=stored.gene, entities=entities)


def run_chunk(
    nlp: Any, todo: Sequence[tuple[int, NewStatement]], *, batch_size: int
) -> list[StatementOutcome]:
    """Run the pipeline over a chunk's statements; on the soft time limit, the rest become errors."""
    from generx.pipelines.extract import extract

    outcomes: list[StatementOutcome] = []
    try:
        results = extract(nlp, (to_statement(statement) for _, statement in todo), batch_size=batch_size)
        for (seq, _), result in zip(todo, results, strict=False):
            outcomes.append(StatementOutcome(seq, result.relations, result.mentions, result.error))
    except SoftTimeLimitExceeded:
        log.warning("chunk ran past its soft time limit after %d of %d statements", len(outcomes), len(todo))
        outcomes += [
            StatementOutcome(seq, error="TimeLimitExceeded: the chunk ran past its time limit")
            for seq, _ in todo[len(outcomes) :]
        ]
    return outcomes


class ChunkTask(Task):
    """A chunk task that, when it fails for good, records its statements as errors so the job finishes."""

    def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        """Record the chunk's unprocessed statements as errors (after the last retry, or a hard timeout)."""
        job_id, chunk = [*args, kwargs.get("job_id"), kwargs.get("chunk")][:2]
        log.error("chunk %s of job %s failed: %s", chunk, job_id, exc)
        try:
            store = get_store(get_settings().database_url)
            todo = store.pending_statements(job_id, chunk)
            reason = f"{type(exc).__name__}: {exc}"
            store.save_outcomes(job_id, [StatementOutcome(seq, error=reason) for seq, _ in todo])
            store.finish_if_complete(job_id)
        except Exception:  # the store itself may be what failed; the job then stays running
            log.exception("could not record the failure of chunk %s of job %s", chunk, job_id)


@app.task(
    name="generx.process_chunk",
    bind=True,
    base=ChunkTask,
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=8,
)
def process_chunk(self: Task, job_id: str, chunk: int) -> dict[str, int]:
    """Process the statements of one chunk that are still pending; return counts."""
    settings = get_settings()
    store = get_store(settings.database_url)
    todo = store.pending_statements(job_id, chunk)
    if todo:
        store.mark_running(job_id)
        nlp = get_nlp(settings.pipeline_loader)
        outcomes = run_chunk(nlp, todo, batch_size=settings.batch_size)
        store.save_outcomes(job_id, outcomes)
    else:
        # A redelivered chunk whose first delivery was stored before its ack was lost.
        outcomes = []
    store.finish_if_complete(job_id)
    return {
        "statements": len(outcomes),
        "relations": sum(len(outcome.relations) for outcome in outcomes),
        "errors": sum(1 for outcome in outcomes if outcome.error),
    }


@worker_process_init.connect
def _load_in_child(**_: Any) -> None:
    # Load the pipeline as the pool process starts, not on its first chunk, so the first job is not
    # slowed by it; a loader that fails here is reported again by the first chunk.
    settings = get_settings()
    try:
        get_nlp(settings.pipeline_loader)
    except Exception:
        log.exception("could not load the pipeline %s", settings.pipeline_loader)
