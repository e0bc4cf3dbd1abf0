"""The reconciler: queues again the chunks the store says are unfinished and nobody is running.

It runs as a thread in every worker's main process (a Celery bootstep, see celery_app.py), so a
deployment needs no extra process and recovers as long as one worker is up; the store's conditional
updates make sure that of several reconcilers only one queues a given chunk. Every
``GENERX_RECONCILE_INTERVAL`` seconds it looks at each chunk of an unfinished job that is not done and
holds no live lease:

- its lease expired (the worker died, was killed, or lost the database mid-chunk): queue it again at
  once; after a second expiry split it into one chunk per statement, so that a statement that kills
  its worker takes only itself down; a single statement whose lease expired ``GENERX_MAX_LEASES``
  times is recorded as an error with that reason.
- it was queued and never leased: its message may be lost (Redis restarted without persistence, a
  delivery dropped while the database was away). It is queued again once the broker's queue is empty
  (nothing is ahead of it) and it has waited ``GENERX_REQUEUE_AFTER`` seconds, doubled at each
  requeue up to ``GENERX_MAX_REQUEUE_BACKOFF``.

A redundant message costs one lookup: the worker that gets it finds the chunk done or leased and drops
it. Jobs whose chunks are all done but that were never marked finished are finished here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from celery import bootsteps

from generx.worker.settings import Settings, get_settings
from generx.worker.store import OpenChunk, Store, get_store

log = logging.getLogger(__name__)


def requeue_wait(chunk: OpenChunk, settings: Settings) -> float:
    """Seconds a never-leased chunk waits after it was last queued before it is queued again."""
    return float(min(settings.requeue_after * 2**chunk.requeues, settings.max_requeue_backoff))


def reconcile(
    store: Store,
    settings: Settings,
    *,
    send: Callable[[str, Sequence[int]], None],
    queue_empty: Callable[[], bool],
    now: datetime | None = None,
) -> dict[str, int]:
    """One pass over the open chunks; return how many were requeued, split and failed."""
    now = now or datetime.now(UTC)
    counts = {"requeued": 0, "split": 0, "failed": 0}
    empty: bool | None = None
    touched: set[str] = set()
    for chunk in store.open_chunks():
        if chunk.leased_until is not None:  # a lease that expired
            pending = len(store.pending_statements(chunk.job_id, chunk.chunk))
            if pending > 1 and chunk.leases >= 2:
                if store.claim_requeue(chunk):
                    new = store.split_chunk(chunk.job_id, chunk.chunk)
                    log.warning(
                        "chunk %s of job %s lost its worker %d times: split into %d",
                        chunk.chunk,
                        chunk.job_id,
                        chunk.leases,
                        len(new),
                    )
                    send(chunk.job_id, new)
                    counts["split"] += 1
                continue
            if pending <= 1 and chunk.leases >= settings.max_leases:
                if store.claim_requeue(chunk):
                    reason = (
                        f"WorkerLost: the worker running this statement died or stalled "
                        f"{chunk.leases} times (killed for memory or time?)"
                    )
                    store.fail_chunk(chunk.job_id, chunk.chunk, reason)
                    touched.add(chunk.job_id)
                    counts["failed"] += 1
                continue
        else:
            if (now - chunk.queued_at).total_seconds() < requeue_wait(chunk, settings):
                continue
            if empty is None:
                empty = queue_empty()
            if not empty:
                continue
        if store.claim_requeue(chunk):
            log.info(
                "queueing chunk %s of job %s again (requeue %d)",
                chunk.chunk,
                chunk.job_id,
                chunk.requeues + 1,
            )
            send(chunk.job_id, [chunk.chunk])
            counts["requeued"] += 1
    for job_id in touched | set(store.jobs_to_finish()):
        store.finish_if_complete(job_id)
    return counts


class Reconciler(bootsteps.StartStopStep):
    """The worker bootstep that runs ``reconcile`` every ``GENERX_RECONCILE_INTERVAL`` seconds."""

    requires: ClassVar[set[str]] = {"celery.worker.components:Pool"}

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self, parent: Any) -> None:
        self.thread = threading.Thread(
            target=self.loop, args=(parent.app,), name="generx-reconciler", daemon=True
        )
        self.thread.start()

    def stop(self, parent: Any) -> None:
        self.stopping.set()

    def loop(self, app: Any) -> None:
        from generx.worker.tasks import queue_chunks

        settings = get_settings()
        store = get_store(settings.database_url)

        def send(job_id: str, chunks: Sequence[int]) -> None:
            queue_chunks(job_id, chunks, settings)

        def queue_empty() -> bool:
            # Not passive: a Redis restarted without persistence has forgotten the queue, and an
            # unknown queue is an empty one.
            with app.connection_for_write(settings.broker_url) as connection:
                declared = connection.default_channel.queue_declare(
                    queue=settings.queue, durable=True, auto_delete=False
                )
                return int(declared.message_count) == 0

        while not self.stopping.wait(settings.reconcile_interval):
            try:
                counts = reconcile(store, settings, send=send, queue_empty=queue_empty)
                if any(counts.values()):
                    log.info("reconciler: %s", counts)
            except Exception as err:  # the database or the broker is away: try again next round
                log.warning("reconciler: %s: %s", type(err).__name__, err)


class DatabaseCheck(bootsteps.StartStopStep):
    """The worker bootstep that migrates and checks its database before the worker says it is ready."""

    def start(self, parent: Any) -> None:
        settings = get_settings()
        get_store(settings.database_url).check()
