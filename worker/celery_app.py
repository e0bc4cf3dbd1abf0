"""The Celery app. Its reliability settings sit here together, one comment each.

Run a worker with ``generx worker`` or ``celery -A generx.worker.celery_app worker``.
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from kombu import Queue

from generx.worker.reconcile import DatabaseCheck, Reconciler
from generx.worker.settings import Settings, get_settings


def make_app(settings: Settings | None = None) -> Celery:
    """A Celery app configured from ``settings`` (default: the environment)."""
    settings = settings or get_settings()
    celery = Celery("generx", include=["generx.worker.tasks"])
    config: dict[str, Any] = {
        "broker_url": settings.broker_url,
        # Messages carry ids and counts only; JSON keeps pickles (and code execution) off the wire.
        "task_serializer": "json",
        "accept_content": ["json"],
        "result_serializer": "json",
        # Progress and results live in the database, so no result backend and no stored task results.
        "task_ignore_result": True,
        "result_backend": None,
        # Acknowledge a chunk only once it is stored. Recovery does not rest on this (the reconciler
        # queues again whatever the store says is unfinished), but it saves a wait in the common case.
        "task_acks_late": True,
        # A pool process killed by the OS (OOM, SIGKILL) puts its chunk back rather than failing it.
        "task_reject_on_worker_lost": True,
        # Take one chunk at a time, so a busy worker does not sit on chunks an idle one could run.
        "worker_prefetch_multiplier": 1,
        # The soft limit raises inside the task, which stores what it finished and splits the rest
        # into one chunk per statement, so that only the statement at fault fails; the hard limit kills
        # a chunk stuck in native code (its lease then expires and the reconciler takes over).
        "task_soft_time_limit": settings.soft_time_limit,
        "task_time_limit": settings.time_limit,
        "broker_transport_options": {
            # Redis re-delivers an unacknowledged chunk after this long. Only a fallback: the lease
            # drops a redelivery of a chunk that is running, and the reconciler recovers a dead worker's
            # chunk within a lease (30 s), so this may be anything.
            "visibility_timeout": settings.visibility_timeout,
            # Workers look for such overdue chunks (of a worker killed outright) every so many seconds;
            # kombu's default scans only every 10th sweep, about every 100 s.
            "unacked_restore_interval": settings.restore_interval,
            "unacked_restore_throttle": 1,
            # Fail fast instead of hanging when Redis cannot be reached.
            "socket_connect_timeout": 5,
        },
        # One explicit queue, declared here, rather than Celery's implicit "celery" queue.
        "task_default_queue": settings.queue,
        "task_queues": [Queue(settings.queue, routing_key=settings.queue)],
        "task_routes": {"generx.process_chunk": {"queue": settings.queue}},
        # Keep retrying the broker at start-up and after a restart of Redis instead of exiting.
        "broker_connection_retry_on_startup": True,
        "broker_connection_max_retries": None,
        # On a lost broker connection, stop the running chunk: its unacked message is delivered again
        # after the restart, and the store ignores whatever it had already written.
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        "worker_concurrency": settings.worker_concurrency,
        # A pool process loads the pipeline before it reports for work (tasks.py); the default of 4 s
        # would kill and restart it in a loop on a busy machine.
        "worker_proc_alive_timeout": 300,
        # Events for Flower.
        "worker_send_task_events": True,
        "task_send_sent_event": True,
    }
    celery.conf.update(config)
    # Check the database before "ready"; reconcile the store with the queue while running.
    celery.steps["worker"].add(DatabaseCheck)
    celery.steps["worker"].add(Reconciler)
    return celery


app = make_app()
