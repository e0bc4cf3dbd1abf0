"""The relation record's one definition: its published JSON Schema, and every producer and reader held to it.

Real records (the IL2 page through the trained pipeline) are validated as ``generx extract`` prints them,
after a JSON Lines round trip, after the store's flat form and back, after a BioC and a PubTator
round trip, and as the HTTP API serves them.
"""

from __future__ import annotations

import functools
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from spacy.language import Language

from generx.exports import Document
from generx.exports.formats import write_export
from generx.pipelines.extract import extract
from generx.pipelines.statements import Statement, read_statements
from generx.record import PREDICATES, flatten, json_schema, json_schema_text, unflatten
from generx.worker.api import create_app
from generx.worker.settings import Settings
from generx.worker.store import NewStatement, StatementOutcome, get_store
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "schema" / "relation.schema.json"
VALIDATOR = Draft202012Validator(json_schema())
pytestmark = pytest.mark.model


def assert_valid(records: list[dict[str, Any]]) -> None:
    assert records
    for record in records:
        errors = [f"{list(e.path)}: {e.message}" for e in VALIDATOR.iter_errors(record)]
        assert errors == [], record


@pytest.fixture(scope="module")
def documents(nlp: Language) -> list[Document]:
    statements = [s for s in read_statements(DATA / "genatlas_IL2.txt") if isinstance(s, Statement)]
    return [
        Document(r.statement.id, r.statement.text, r.statement.gene, r.mentions, r.relations)
        for r in extract(nlp, statements)
    ]


@pytest.fixture(scope="module")
def records(documents: list[Document]) -> list[dict[str, Any]]:
    return [record for document in documents for record in document.relations]


def test_the_published_schema_is_the_one_in_the_code() -> None:
    Draft202012Validator.check_schema(json_schema())
    assert SCHEMA_FILE.read_text() == json_schema_text()
    printed = subprocess.run(
        [sys.executable, "-m", "generx.worker", "schema"], capture_output=True, text=True, check=True
    ).stdout
    assert printed == json_schema_text()


def test_the_schema_names_the_predicate_vocabulary() -> None:
    assert set(json_schema()["properties"]["predicate"]["enum"]) == set(PREDICATES)


def test_the_schema_refuses_a_broken_record(records: list[dict[str, Any]]) -> None:
    broken = {**records[0], "predicate": "activates"}
    assert list(VALIDATOR.iter_errors(broken))
    missing = {k: v for k, v in records[0].items() if k != "subject"}
    assert list(VALIDATOR.iter_errors(missing))


def test_extracted_records_and_their_jsonl_round_trip(
    records: list[dict[str, Any]], documents: list[Document]
) -> None:
    assert_valid(records)
    out = io.BytesIO()
    write_export(documents, out, fmt="jsonl")
    read_back = [json.loads(line) for line in out.getvalue().decode().splitlines()]
    assert read_back == records
    assert_valid(read_back)


def test_the_stores_flat_form_round_trip(records: list[dict[str, Any]]) -> None:
    read_back = [unflatten(flatten(record)) for record in records]
    assert read_back == records
    assert_valid(read_back)


@pytest.mark.parametrize("fmt", ["bioc", "pubtator"])
def test_bioc_and_pubtator_round_trips(
    fmt: str, nlp: Language, documents: list[Document], tmp_path: Path
) -> None:
    path = tmp_path / f"il2.{fmt}"
    with path.open("wb") as out:
        write_export(documents, out, fmt=fmt)
    statements = [s for s in read_statements(path) if isinstance(s, Statement)]
    again = [record for result in extract(nlp, statements) for record in result.relations]
    assert_valid(again)


@pytest.mark.integration
def test_the_api_serves_valid_records(records: list[dict[str, Any]], tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'schema.sqlite'}"
    settings = Settings(database_url=database, api_token="t" * 40)
    store = get_store(database)
    store.migrate()
    ids = sorted({record["statement_id"] for record in records})
    store.create_job("job-schema", [NewStatement(i, "text") for i in ids], chunk_size=100)
    by_statement = {i: [r for r in records if r["statement_id"] == i] for i in ids}
    store.save_outcomes(
        "job-schema", [StatementOutcome(seq, relations=by_statement[i]) for seq, i in enumerate(ids)]
    )
    with TestClient(create_app(settings)) as client:
        served: list[dict[str, Any]] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 10} | ({"cursor": cursor} if cursor else {})
            response = client.get(
                "/jobs/job-schema/relations", params=params, headers={"Authorization": f"Bearer {'t' * 40}"}
            )
            assert response.status_code == 200, response.text
            served += response.json()["relations"]
            cursor = response.json()["next_cursor"]
            if cursor is None:
                break
    assert_valid(served)
    canonical = functools.partial(json.dumps, sort_keys=True)
    assert sorted(map(canonical, served)) == sorted(map(canonical, records))
