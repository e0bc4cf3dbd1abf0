"""Thin Celery tasks: take ids, lease the chunk, call the pipeline, call the store, return counts.

A chunk is run only under a lease in the store (worker/store.py), renewed while it runs: a second
delivery of a chunk someone holds is dropped, and a chunk whose worker died is queued again by the
reconciler (worker/reconcile.py) once its lease expires. Nothing here waits on the broker to recover
work; the broker only carries the news that a chunk is to be done.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from billiard.exceptions import SoftTimeLimitExceeded
from celery import Task
from celery.exceptions import Reject
from celery.signals import worker_process_init
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError

from generx.pipelines.memory import release_memory
from generx.pipelines.statements import GivenEntity, Statement
from generx.worker.celery_app import app
from generx.worker.nlp import get_nlp, tidy
from generx.worker.settings import Settings, get_settings
from generx.worker.store import Lease, NewStatement, StatementOutcome, Store, get_store

log = logging.getLogger(__name__)

# The database went away for a moment: the chunk is left to the reconciler, never marked failed.
TRANSIENT = (OperationalError, InterfaceError)
# How long a worker on the wrong database waits before it hands a chunk back to the queue, so that
# the workers of the right database get it rather than this one again at once.
REFUSE_DELAY = 1.0


def to_statement(stored: NewStatement) -> Statement:
    """The pipelines' Statement for a stored statement."""
    entities = None
    if stored.entities is not None:
        entities = tuple(GivenEntity(**entity) for entity in stored.entities)
    return Statement(id=stored.statement_id, text=stored.text, gene=stored.gene, entities=entities)


def batches(
    todo: Sequence[tuple[int, NewStatement]], *, size: int, chars: int
) -> Iterator[Sequence[tuple[int, NewStatement]]]:
    """Consecutive runs of the chunk's statements, each of at most ``size`` statements and ``chars``
    characters (a statement longer than that makes a batch of its own)."""
    start, total = 0, 0
    for end, (_, statement) in enumerate(todo):
        if end > start and (end - start == size or total + len(statement.text) > chars):
            yield todo[start:end]
            start, total = end, 0
        total += len(statement.text)
    if start < len(todo):
        yield todo[start:]


def run_chunk(
    nlp: Any, todo: Sequence[tuple[int, NewStatement]], *, batch_size: int, batch_chars: int | None = None
) -> tuple[list[StatementOutcome], bool]:
    """Run the pipeline over a chunk's statements, in batches of at most ``batch_size`` statements and
    ``batch_chars`` characters: (the outcomes, whether the soft time limit cut it short).

    On the time limit the outcomes are those of the statements finished before it.
    """
    from generx.pipelines.extract import extract

    outcomes: list[StatementOutcome] = []
    try:
        for batch in batches(todo, size=batch_size, chars=batch_chars or sys.maxsize):
            statements = [to_statement(statement) for _, statement in batch]
            results = extract(nlp, statements, batch_size=len(batch), passthrough=(SoftTimeLimitExceeded,))
            for (seq, _), result in zip(batch, results, strict=True):
                outcomes.append(StatementOutcome(seq, result.relations, result.mentions, result.error))
    except SoftTimeLimitExceeded:
        log.warning("chunk ran past its soft time limit after %d of %d statements", len(outcomes), len(todo))
        return outcomes, True
    return outcomes, False


@contextmanager
def kept_lease(store: Store, job_id: str, chunk: int, owner: str, seconds: int) -> Iterator[None]:
    """Renew the lease every third of its length while the block runs (from a thread: the pipeline
    holds the task's own thread), and give it back at the end."""
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(seconds / 3):
            try:
                if not store.renew_lease(job_id, chunk, owner, seconds):
                    log.warning("lost the lease on chunk %s of job %s", chunk, job_id)
            except Exception as err:  # the database may be down; the next renewal tries again
                log.warning("could not renew the lease on chunk %s of job %s: %s", chunk, job_id, err)

    thread = threading.Thread(target=renew, name=f"lease-{job_id[:8]}-{chunk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        try:
            store.release_chunk(job_id, chunk, owner)
        except TRANSIENT as err:  # the lease then expires by itself
            log.warning("could not release chunk %s of job %s: %s", chunk, job_id, err)


def safe_url(url: str) -> str:
    """The database URL without its password, for logs."""
    return make_url(url).render_as_string(hide_password=True)


def queue_chunks(job_id: str, chunks: Sequence[int], settings: Settings) -> None:
    """Send one message per chunk to the broker of ``settings``."""
    with app.connection_for_write(settings.broker_url) as connection:
        for chunk in chunks:
            # No time limits in the message: the worker's own settings apply, not the sender's.
            process_chunk.apply_async(
                args=(job_id, chunk),
                queue=settings.queue,
                connection=connection,
                retry=False,
                time_limit=None,
                soft_time_limit=None,
            )


@app.task(name="generx.process_chunk", bind=True)
def process_chunk(self: Task, job_id: str, chunk: int) -> dict[str, int]:
    """Process the statements of one chunk that are still pending, under its lease; return counts."""
    settings = get_settings()
    store = get_store(settings.database_url)
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
    counts = {"statements": 0, "relations": 0, "errors": 0}
    try:
        lease = store.lease_chunk(job_id, chunk, owner, settings.lease_seconds)
    except TRANSIENT as err:
        # Acknowledged and dropped: the reconciler queues the chunk again once the database is back.
        log.error("database unavailable, chunk %s of job %s left for later: %s", chunk, job_id, err)
        return counts
    if lease is Lease.UNKNOWN_JOB:
        log.error(
            "refusing chunk %s of job %s: the database %s does not know the job (is this worker on the "
            "wrong GENERX_DATABASE_URL?)",
            chunk,
            job_id,
            safe_url(settings.database_url),
        )
        time.sleep(REFUSE_DELAY)
        raise Reject(f"job {job_id} unknown to this worker's database", requeue=True)
    if lease is not Lease.LEASED:
        log.info("chunk %s of job %s is %s: dropping this delivery", chunk, job_id, lease.value)
        return counts
    try:
        with kept_lease(store, job_id, chunk, owner, settings.lease_seconds):
            counts = _run_leased(store, job_id, chunk, settings)
        store.finish_if_complete(job_id)
    except TRANSIENT as err:
        # The statements not saved stay pending; the reconciler queues the chunk again later.
        log.error("database unavailable during chunk %s of job %s, left for later: %s", chunk, job_id, err)
    finally:
        # What the chunk's Docs needed goes back to the system between chunks, and the pipeline's caches
        # stay bounded: resident memory is then the same after the thousandth chunk as after the first.
        tidy()
    return counts


def _run_leased(store: Store, job_id: str, chunk: int, settings: Settings) -> dict[str, int]:
    """Run and store a leased chunk; split it when it ran past its time limit."""
    todo = store.pending_statements(job_id, chunk)
    if not todo:  # a redelivery of a chunk stored before its acknowledgement was lost
        return {"statements": 0, "relations": 0, "errors": 0}
    store.mark_running(job_id)
    try:
        # The job's own options, only those it set: a job without any gets the worker's default pipeline.
        nlp = get_nlp(settings.pipeline_loader, **store.job_options(job_id).loader_kwargs())
        outcomes, timed_out = run_chunk(
            nlp, todo, batch_size=settings.batch_size, batch_chars=settings.batch_chars
        )
    except TRANSIENT:
        raise
    except Exception as err:  # the pipeline failed to load, or a bug: record it rather than loop
        log.exception("chunk %s of job %s failed", chunk, job_id)
        reason = f"{type(err).__name__}: {err}"
        outcomes, timed_out = [StatementOutcome(seq, error=reason) for seq, _ in todo], False
    if timed_out and len(todo) == 1:
        # Alone in its chunk and still over the limit: this statement is the one at fault.
        reason = f"TimeLimitExceeded: the statement ran past the time limit of {settings.soft_time_limit} s"
        outcomes = [StatementOutcome(todo[0][0], error=reason)]
    store.save_outcomes(job_id, outcomes)
    if timed_out and len(todo) > 1:
        # Split so that only the statement at fault fails: each unfinished statement gets a chunk.
        new = store.split_chunk(job_id, chunk)
        log.warning("chunk %s of job %s split into %d after its time limit", chunk, job_id, len(new))
        queue_chunks(job_id, new, settings)
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
    # Loading leaves the parsed model and lexicon files free in the heap (about 30 MB): give them back.
    release_memory()
