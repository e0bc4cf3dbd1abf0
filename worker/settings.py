"""All of the job system's settings, read from the environment in one place.

Every value has a ``GENERX_*`` variable; ``get_settings()`` reads them anew on each call so that tests
and tools can point a process at another broker or database by setting the environment first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from generx.worker.errors import ConfigurationError

DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/0"
# A file in the current directory: the embedded default needs no server and is easy to find.
DEFAULT_DATABASE_URL = "sqlite:///generx.sqlite"
DEFAULT_PIPELINE_LOADER = "generx.pipelines.extract:load_pipeline"
QUEUE = "generx.chunks"


@dataclass(frozen=True)
class Settings:
    """The job system's configuration; see ``get_settings`` for the variable behind each field."""

    broker_url: str = DEFAULT_BROKER_URL
    database_url: str = DEFAULT_DATABASE_URL
    api_token: str | None = None
    pipeline_loader: str = DEFAULT_PIPELINE_LOADER
    queue: str = QUEUE
    chunk_size: int = 100
    batch_size: int = 64
    soft_time_limit: int = 300
    time_limit: int = 360
    visibility_timeout: int = 900
    restore_interval: int = 10
    worker_concurrency: int = 1
    max_upload_bytes: int = 20 * 1024 * 1024
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
        database_url=os.environ.get("GENERX_DATABASE_URL") or DEFAULT_DATABASE_URL,
        api_token=os.environ.get("GENERX_API_TOKEN") or None,
        pipeline_loader=os.environ.get("GENERX_PIPELINE_LOADER") or DEFAULT_PIPELINE_LOADER,
        queue=os.environ.get("GENERX_QUEUE") or QUEUE,
        chunk_size=_int("GENERX_CHUNK_SIZE", Settings.chunk_size),
        batch_size=_int("GENERX_BATCH_SIZE", Settings.batch_size),
        soft_time_limit=_int("GENERX_SOFT_TIME_LIMIT", Settings.soft_time_limit),
        time_limit=_int("GENERX_TIME_LIMIT", Settings.time_limit),
        visibility_timeout=_int("GENERX_VISIBILITY_TIMEOUT", Settings.visibility_timeout),
        restore_interval=_int("GENERX_RESTORE_INTERVAL", Settings.restore_interval),
        worker_concurrency=_int("GENERX_WORKER_CONCURRENCY", Settings.worker_concurrency),
        max_upload_bytes=_int("GENERX_MAX_UPLOAD_BYTES", Settings.max_upload_bytes),
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
    # Redis hands an unacknowledged message to another worker once the visibility timeout passes:
    # were it shorter than a chunk may run, a slow chunk would run twice at the same time.
    if settings.visibility_timeout <= settings.time_limit:
        raise ConfigurationError(
            f"GENERX_VISIBILITY_TIMEOUT ({settings.visibility_timeout}) must exceed "
            f"GENERX_TIME_LIMIT ({settings.time_limit})"
        )


def sqlite_path(database_url: str) -> Path | None:
    """The file of a SQLite URL, or None for another database."""
    prefix = "sqlite:///"
    if database_url.startswith(prefix) and database_url != prefix + ":memory:":
        return Path(database_url[len(prefix) :])
    return None
