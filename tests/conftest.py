"""Shared fixtures. The trained pipeline is loaded once per test session, by tests marked `model`."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from pipelines.extract import load_pipeline

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def nlp() -> Language:
    """generx's full pipeline from models/ (the committed artifacts)."""
    return load_pipeline()
