"""Shared fixtures. The trained pipeline is loaded once per test session, by tests marked `model`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from spacy.language import Language

from generx.pipelines.extract import load_pipeline

DATA = Path(__file__).parent / "data"
# The PostgreSQL the integration tests use: a local server unless GENERX_TEST_DATABASE_URL says otherwise.
POSTGRESQL_URL = os.environ.get(
    "GENERX_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def nlp() -> Language:
    """generx's full pipeline from models/ (the committed artifacts)."""
    return load_pipeline()
