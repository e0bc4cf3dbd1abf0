"""All of the job system's settings, read from the environment in one place.

Every value has a ``GENERX_*`` variable; ``get_settings()`` reads them anew on each call so that tests
and tools can point a process at another broker or database by setting the environment first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path

from generx.worker.errors import ConfigurationError

DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/0"
DEFAULT_PIPELINE_LOADER = "generx.pipelines.extract:load_pipeline"
QUEUE = "generx.chunks"
MIN_TOKEN_CHARS = 32
# Tokens printed in documentation, refused whatever their length.
EXAMPLE_TOKENS = frozenset({"change-me", "changeme", "secret", "token"})


@dataclass(frozen=True)
class Settings:
    """The job system's configuration; see ``get_settings`` for the variable behind each field."""

    broker_url: str = DEFAULT_BROKER_URL
    database_url: str = ""
    api_token: str | None = None
    pipeline_loader: str = DEFAULT_PIPELINE_LOADER
    queue: str = QUEUE
    chunk_size: int = 100
    batch_size: int = 64
    # A worker's batches also stop at this many characters: the parser's working memory grows with the
    # batch's tokens, so 64 paragraph-long statements (40,000 characters) need some 150 MB on top of the
    # pipeline, for no gain in speed over batches of 4,000 characters (about 25 MB).
    batch_chars: int = 4_000
    soft_time_limit: int = 300
    time_limit: int = 360
    visibility_timeout: int = 900
    restore_interval: int = 10
    # A worker renews its chunk's lease every third of this; a lease not renewed for this long is the
    # lease of a dead or cut-off worker, and the reconciler queues the chunk again.
    lease_seconds: int = 30
    reconcile_interval: int = 5
    # A queued chunk nobody has leased for this long, while the queue is empty, lost its message
    # (a Redis restarted without persistence, a failed delivery); each requeue doubles the wait.
    requeue_after: int = 30
    max_requeue_backoff: int = 300
    # A chunk whose lease expired this many times is split into single statements; a single
    # statement whose lease expired this many times is recorded as an error.
    max_leases: int = 3
    worker_concurrency: int = 1
    max_upload_bytes: int = 20 * 1024 * 1024
    max_inflated_bytes: int = 256 * 1024 * 1024
    # Lines of an uploaded file (inflated); counted before anything is stored, so a file of millions of
    # tiny lines is refused at once. Above max_statements: PubTator and BioC spend several per statement.
    max_lines: int = 5_000_000
    max_statements: int = 1_000_000


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError as err:
        raise ConfigurationError(f"{name} must be an integer, not {value!r}") from err
    if number <= 0:
        raise ConfigurationError(f"{name} must be positive, not {number}")
    return number


def get_settings() -> Settings:
    """Read the settings from the environment and check that they fit together."""
    settings = Settings(
        broker_url=os.environ.get("GENERX_BROKER_URL") or DEFAULT_BROKER_URL,
        database_url=os.environ.get("GENERX_DATABASE_URL") or default_database_url(),
        api_token=os.environ.get("GENERX_API_TOKEN") or None,
        pipeline_loader=os.environ.get("GENERX_PIPELINE_LOADER") or DEFAULT_PIPELINE_LOADER,
        queue=os.environ.get("GENERX_QUEUE") or QUEUE,
        chunk_size=_int("GENERX_CHUNK_SIZE", Settings.chunk_size),
        batch_size=_int("GENERX_BATCH_SIZE", Settings.batch_size),
        batch_chars=_int("GENERX_BATCH_CHARS", Settings.batch_chars),
        soft_time_limit=_int("GENERX_SOFT_TIME_LIMIT", Settings.soft_time_limit),
        time_limit=_int("GENERX_TIME_LIMIT", Settings.time_limit),
        visibility_timeout=_int("GENERX_VISIBILITY_TIMEOUT", Settings.visibility_timeout),
        restore_interval=_int("GENERX_RESTORE_INTERVAL", Settings.restore_interval),
        lease_seconds=_int("GENERX_LEASE_SECONDS", Settings.lease_seconds),
        reconcile_interval=_int("GENERX_RECONCILE_INTERVAL", Settings.reconcile_interval),
        requeue_after=_int("GENERX_REQUEUE_AFTER", Settings.requeue_after),
        max_requeue_backoff=_int("GENERX_MAX_REQUEUE_BACKOFF", Settings.max_requeue_backoff),
        max_leases=_int("GENERX_MAX_LEASES", Settings.max_leases),
        worker_concurrency=_int("GENERX_WORKER_CONCURRENCY", Settings.worker_concurrency),
        max_upload_bytes=_int("GENERX_MAX_UPLOAD_BYTES", Settings.max_upload_bytes),
        max_inflated_bytes=_int("GENERX_MAX_INFLATED_BYTES", Settings.max_inflated_bytes),
        max_lines=_int("GENERX_MAX_LINES", Settings.max_lines),
        max_statements=_int("GENERX_MAX_STATEMENTS", Settings.max_statements),
    )
    check(settings)
    return settings


def check(settings: Settings) -> None:
    """Raise ConfigurationError for settings that would lose or duplicate work."""
    if settings.soft_time_limit >= settings.time_limit:
        raise ConfigurationError(
            f"GENERX_SOFT_TIME_LIMIT ({settings.soft_time_limit}) must be below "
            f"GENERX_TIME_LIMIT ({settings.time_limit})"
        )
    # The lease, not Redis's visibility timeout, keeps a chunk from running twice at once: a
    # redelivered message whose chunk is leased is dropped. The lease must outlive two renewals.
    if settings.lease_seconds < 3:
        raise ConfigurationError(f"GENERX_LEASE_SECONDS ({settings.lease_seconds}) must be at least 3")


def default_database_url() -> str:
    """``sqlite:///`` on ``generx.sqlite`` in the user's data folder (absolute, whatever the working
    directory: every process of one user finds the same file); platformdirs says where that folder is.
    """
    return f"sqlite:///{user_data_path('generx') / 'generx.sqlite'}"


def check_api_token(token: str | None, host: str) -> None:
    """Raise ConfigurationError unless ``token`` is fit to guard an API served on ``host``.

    Any token will do on a loopback address; on any other one a token of fewer than 32 characters, or
    the README's example, would be guessed.
    """
    if not token:
        raise ConfigurationError("set GENERX_API_TOKEN: the HTTP API does not run without a token")
    if host in ("127.0.0.1", "::1", "localhost") or host.startswith("127."):
        return
    if token in EXAMPLE_TOKENS or len(token) < MIN_TOKEN_CHARS:
        raise ConfigurationError(
            f"GENERX_API_TOKEN must be at least {MIN_TOKEN_CHARS} characters, and not an example, "
            f"to serve on {host}; make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )


def sqlite_path(database_url: str) -> Path | None:
    """The file of a SQLite URL, or None for another database."""
    prefix = "sqlite:///"
    if database_url.startswith(prefix) and database_url != prefix + ":memory:":
        return Path(database_url[len(prefix) :].split("?", 1)[0])
    return None
