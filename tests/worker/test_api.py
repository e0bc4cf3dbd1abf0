"""The HTTP API: bearer auth, submissions (JSON and upload) and their errors, status, paged relations.

Runs the FastAPI app in-process on a real SQLite file and a real redis-server (chunks are queued but
no worker runs: results are written through the store, as a worker would).
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import tarfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from generx.worker.api import create_app
from generx.worker.errors import ConfigurationError
from generx.worker.settings import Settings, check_api_token
from generx.worker.store import JobRow, PipelineOptions, StatementOutcome, get_store
from tests.conftest import DATA, POSTGRESQL_URL
from tests.fixtures_services import broker_url, free_port, proxied_postgresql, redis_server

__all__ = ["broker_url", "redis_server"]

pytestmark = pytest.mark.integration
TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def settings(tmp_path: Path, broker_url: str) -> Settings:
    return Settings(
        broker_url=broker_url,
        database_url=f"sqlite:///{tmp_path / 'api.sqlite'}",
        api_token=TOKEN,
        chunk_size=2,
        max_upload_bytes=4096,
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def submit(client: TestClient, statements: list[dict[str, Any]], **body: Any) -> dict[str, Any]:
    response = client.post("/jobs", json={"statements": statements, **body}, headers=AUTH)
    assert response.status_code == 202, response.text
    return dict(response.json())


def test_health_needs_no_token_and_the_rest_does(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"
    for method, url in [("get", "/jobs/x"), ("get", "/jobs/x/relations"), ("post", "/jobs")]:
        response = client.request(method, url)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert client.request(method, url, headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_the_api_refuses_to_run_without_a_token(settings: Settings) -> None:
    with pytest.raises(ConfigurationError, match="GENERX_API_TOKEN"):
        create_app(Settings(database_url=settings.database_url))


def test_openapi_document_is_served(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert {"/jobs", "/jobs/{job_id}", "/jobs/{job_id}/relations", "/health"} <= set(document["paths"])
    assert set(document["paths"]["/jobs"]["post"]["requestBody"]["content"]) == {
        "application/json",
        "multipart/form-data",
    }


def test_a_json_submission_is_queued_and_its_progress_read(client: TestClient, settings: Settings) -> None:
    job = submit(
        client, [{"id": "a", "text": "PRDM1 inhibits IL2."}, {"text": "TP53 activates MDM2."}], gene="IL2"
    )
    assert (job["state"], job["total"], job["done"]) == ("queued", 2, 0)
    status = client.get(f"/jobs/{job['id']}", headers=AUTH).json()
    assert status == job


def test_an_uploaded_file_is_read_like_generx_extract(client: TestClient) -> None:
    lines = [json.dumps({"id": "a", "text": "PRDM1 inhibits IL2."}), "{broken", json.dumps({"text": "x y"})]
    files = {"file": ("statements.jsonl", "\n".join(lines).encode(), "application/octet-stream")}
    response = client.post("/jobs", files=files, data={"gene": "IL2"}, headers=AUTH)
    assert response.status_code == 202, response.text
    job = response.json()
    # The line that could not be read is an error record of the job; the others are queued.
    assert (job["name"], job["total"], job["errors"], job["done"]) == ("statements.jsonl", 3, 1, 1)


@pytest.mark.parametrize(
    ("kwargs", "code", "message"),
    [
        ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 400, "not valid JSON"),
        ({"json": {"statements": []}}, 422, "statements: List should have at least 1 item"),
        ({"json": {"statements": [{"text": ""}]}}, 422, "statements.0.text: String should have at least 1"),
        ({"json": {"statments": [{"text": "x"}]}}, 422, "statments: Extra inputs are not permitted"),
        ({"json": {"statements": [{"text": "x" * 5000}]}}, 413, "exceeds the limit of 4096"),
        ({"content": b"TP53 activates MDM2", "headers": {"Content-Type": "text/plain"}}, 415, "multipart"),
        ({"files": {"other": ("a.txt", b"x")}}, 422, "no file in its 'file' field"),
        ({"files": {"file": ("a.jsonl", b"{broken\n")}}, 422, "none of the 1 statements could be read"),
        ({"files": {"file": ("a.txt", b"x")}, "data": {"format": "docx"}}, 422, "docx"),
    ],
)
def test_malformed_submissions_get_a_4xx_with_a_clear_message(
    client: TestClient, kwargs: dict[str, Any], code: int, message: str
) -> None:
    headers = {**AUTH, **kwargs.pop("headers", {})}
    response = client.post("/jobs", headers=headers, **kwargs)
    assert response.status_code == code, response.text
    assert message in response.json()["detail"]


def test_a_submission_sets_how_its_statements_are_read(client: TestClient, settings: Settings) -> None:
    statements = [{"text": "PRDM1 inhibits IL2."}]
    job = submit(client, statements, min_confidence=0.05, convention="genia")
    assert (job["min_confidence"], job["convention"]) == (0.05, "genia")
    status = client.get(f"/jobs/{job['id']}", headers=AUTH).json()
    assert (status["min_confidence"], status["convention"]) == (0.05, "genia")
    files = {"file": ("statements.txt", b"PRDM1 inhibits IL2.\n", "text/plain")}
    data = {"min_confidence": "0.5", "convention": "biored"}
    response = client.post("/jobs", files=files, data=data, headers=AUTH)
    assert response.status_code == 202, response.text
    assert (response.json()["min_confidence"], response.json()["convention"]) == (0.5, "biored")
    # What the workers read: the options as stored with each job.
    store = get_store(settings.database_url)
    assert store.job_options(job["id"]) == PipelineOptions(0.05, "genia")
    assert store.job_options(response.json()["id"]) == PipelineOptions(0.5, "biored")
    plain = submit(client, statements)
    assert (plain["min_confidence"], plain["convention"]) == (None, None)
    assert store.job_options(plain["id"]).loader_kwargs() == {}


KNOWN = "(it has: bioinfer, biored, general, genia)"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"min_confidence": 1.5}, "min_confidence 1.5 is outside [0, 1]"),
        ({"min_confidence": -0.2}, "min_confidence -0.2 is outside [0, 1]"),
        (
            {"min_confidence": "high"},
            "min_confidence: Input should be a valid number, unable to parse string as a number",
        ),
        ({"convention": "pubmed"}, f"no relation convention 'pubmed' in the relation model {KNOWN}"),
        ({"convention": "genia", "min_confidence": 2}, "min_confidence 2.0 is outside [0, 1]"),
    ],
)
def test_bad_options_are_refused_as_json_and_as_form_fields_with_nothing_stored(
    client: TestClient, settings: Settings, options: dict[str, Any], message: str
) -> None:
    body = {"statements": [{"text": "PRDM1 inhibits IL2."}], **options}
    response = client.post("/jobs", json=body, headers=AUTH)
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == message
    files = {"file": ("statements.txt", b"PRDM1 inhibits IL2.\n", "text/plain")}
    form = {key: str(value) for key, value in options.items()}
    response = client.post("/jobs", files=files, data=form, headers=AUTH)
    assert response.status_code == 422, response.text
    if "valid number" in message:
        message = "the form field 'min_confidence' must be a number, not 'high'"
    assert response.json()["detail"] == message
    with get_store(settings.database_url).session() as session:
        assert session.scalar(select(func.count()).select_from(JobRow)) == 0


def test_unknown_jobs_are_404(client: TestClient) -> None:
    response = client.get("/jobs/nope/relations", headers=AUTH)
    assert (response.status_code, response.json()["detail"]) == (404, "no job 'nope'")
    assert client.get("/jobs/nope", headers=AUTH).status_code == 404


def record(statement_id: str, subject: str, predicate: str, obj: str, **flags: Any) -> dict[str, Any]:
    def gene(text: str, start: int) -> dict[str, Any]:
        return {
            "text": text,
            "start": start,
            "end": start + len(text),
            "type": "gene",
            "id": f"HGNC:{text}",
        } | {"name": text}

    return {
        "statement_id": statement_id,
        "subject": gene(subject, 0),
        "predicate": predicate,
        "object": gene(obj, 12),
        "negated": False,
        "hedged": False,
        "implicit": False,
        "trigger": {"text": "activates", "start": 5, "end": 14},
        "evidence": {"text": "...", "start": 0, "end": 20},
        "confidence": 0.9,
    } | flags


def test_relations_are_paged_with_a_cursor_and_filtered(client: TestClient, settings: Settings) -> None:
    job = submit(client, [{"id": f"s{i}", "text": f"statement {i}"} for i in range(3)])
    records = {
        0: [record("s0", "TP53", "positively_regulates", "MDM2"), record("s0", "MDM2", "binds", "TP53")],
        1: [record("s1", "PRDM1", "negatively_regulates", "IL2", negated=True, confidence=0.5)],
        2: [record("s2", "FOXK2", "binds", "IL2")],
    }
    get_store(settings.database_url).save_outcomes(
        job["id"], [StatementOutcome(seq, relations=found) for seq, found in records.items()]
    )
    url = f"/jobs/{job['id']}/relations"
    seen, cursor, pages = [], None, 0
    while True:
        params: dict[str, Any] = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get(url, params=params, headers=AUTH).json()
        seen += page["relations"]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert (pages, seen) == (2, [r for seq in range(3) for r in records[seq]])

    def predicates(**params: Any) -> list[str]:
        response = client.get(url, params=params, headers=AUTH)
        assert response.status_code == 200, response.text
        return [r["predicate"] for r in response.json()["relations"]]

    assert predicates(gene="IL2") == ["negatively_regulates", "binds"]
    assert predicates(predicate="binds") == ["binds", "binds"]
    assert predicates(negated="true") == ["negatively_regulates"]
    assert predicates(min_confidence=0.8, gene="IL2") == ["binds"]
    assert predicates(process="GO:0006915") == []
    assert client.get(url, params={"min_confidence": 2}, headers=AUTH).status_code == 422
    assert client.get(url, params={"cursor": "%%%"}, headers=AUTH).status_code == 422


def test_relations_export_in_a_named_format(client: TestClient, settings: Settings) -> None:
    texts = ["TP53 activates MDM2.", "FOXK2 binds IL2."]
    job = submit(client, [{"id": f"s{i}", "text": text} for i, text in enumerate(texts)])
    records = {
        0: [record("s0", "TP53", "positively_regulates", "MDM2")],
        1: [record("s1", "FOXK2", "binds", "IL2")],
    }
    get_store(settings.database_url).save_outcomes(
        job["id"], [StatementOutcome(seq, relations=found) for seq, found in records.items()]
    )
    url = f"/jobs/{job['id']}/relations"
    response = client.get(url, params={"format": "indra"}, headers=AUTH)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert f'filename="{job["id"]}.indra.json"' in response.headers["content-disposition"]
    assert [statement["type"] for statement in response.json()] == ["Activation", "Complex"]
    # Filters apply to exports too; BioC carries each statement's text from the store.
    bioc = client.get(url, params={"format": "bioc", "gene": "IL2"}, headers=AUTH)
    assert bioc.status_code == 200
    documents = ET.fromstring(bioc.content).findall("document")
    assert [d.findtext("passage/text") for d in documents] == texts
    assert [len(d.findall("relation")) for d in documents] == [0, 1]
    kgx = client.get(url, params={"format": "kgx"}, headers=AUTH)
    with tarfile.open(fileobj=io.BytesIO(kgx.content)) as tar:
        assert sorted(tar.getnames()) == ["edges.tsv", "nodes.tsv"]
    assert client.get(url, params={"format": "xls"}, headers=AUTH).status_code == 400
    assert client.get("/jobs/nope/relations", params={"format": "bel"}, headers=AUTH).status_code == 404


def stored_fixture_job(
    client: TestClient, settings: Settings, predicates: tuple[str, ...]
) -> tuple[list[dict[str, Any]], str]:
    """A job whose outcomes are the export fixture's records of ``predicates``; its relations URL."""
    lines = (DATA / "exports" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    chosen = [r for r in map(json.loads, filter(str.strip, lines)) if r["predicate"] in predicates]
    job = submit(client, [{"id": r["statement_id"], "text": r["evidence"]["text"]} for r in chosen])
    get_store(settings.database_url).save_outcomes(
        job["id"], [StatementOutcome(seq, relations=[r]) for seq, r in enumerate(chosen)]
    )
    return chosen, f"/jobs/{job['id']}/relations"


def relations_at(client: TestClient, url: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(url, params=params, headers=AUTH)
    assert response.status_code == 200, response.text
    return list(response.json()["relations"])


def test_go_annotations_round_trip_through_the_api(client: TestClient, settings: Settings) -> None:
    """A job's enables / located_in / part_of records come back as stored, filtered by function or
    component, and KGX carries them as Biolink edges to MolecularActivity / CellularComponent nodes."""
    annotations, url = stored_fixture_job(client, settings, ("enables", "located_in", "part_of"))

    def relations(**params: Any) -> list[dict[str, Any]]:
        return relations_at(client, url, **params)

    assert relations() == annotations
    assert [r["object"]["type"] for r in relations()] == ["function", "component", "component"]
    assert [r["predicate"] for r in relations(function="GO:0004674")] == ["enables"]
    assert [r["predicate"] for r in relations(component="mitochondrion")] == ["located_in"]
    assert [r["predicate"] for r in relations(component="mediator complex")] == ["part_of"]
    assert relations(process="mitochondrion") == []
    kgx = client.get(url, params={"format": "kgx"}, headers=AUTH)
    with tarfile.open(fileobj=io.BytesIO(kgx.content)) as tar:
        edges = tar.extractfile("edges.tsv").read().decode().splitlines()  # type: ignore[union-attr]
        nodes = tar.extractfile("nodes.tsv").read().decode().splitlines()  # type: ignore[union-attr]
    assert [line.split("\t")[1:4] for line in edges[1:]] == [
        ["HGNC:391", "biolink:enables", "GO:0004674"],
        ["HGNC:20947", "biolink:located_in", "GO:0005739"],
        ["HGNC:9234", "biolink:part_of", "GO:0016592"],
    ]
    assert "GO:0005739\tbiolink:CellularComponent\tmitochondrion\tinfores:generx" in nodes


def test_gene_families_round_trip_through_the_api(client: TestClient, settings: Settings) -> None:
    """A job's member_of record comes back as stored, filtered by family (id or name), and KGX carries
    it as biolink:member_of to a GeneFamily node."""
    chosen, url = stored_fixture_job(client, settings, ("located_in", "member_of"))

    def relations(**params: Any) -> list[dict[str, Any]]:
        return relations_at(client, url, **params)

    assert relations() == chosen
    assert [r["object"]["type"] for r in relations()] == ["component", "family"]
    assert [r["predicate"] for r in relations(family="HGNC.FAMILY:488")] == ["member_of"]
    assert [r["predicate"] for r in relations(family="Claudins")] == ["member_of"]
    assert relations(family="mitochondrion") == [] and relations(component="Claudins") == []
    kgx = client.get(url, params={"format": "kgx", "family": "Claudins"}, headers=AUTH)
    with tarfile.open(fileobj=io.BytesIO(kgx.content)) as tar:
        edges = tar.extractfile("edges.tsv").read().decode().splitlines()  # type: ignore[union-attr]
        nodes = tar.extractfile("nodes.tsv").read().decode().splitlines()  # type: ignore[union-attr]
    assert [line.split("\t")[1:4] for line in edges[1:]] == [
        ["HGNC:2032", "biolink:member_of", "HGNC.FAMILY:488"]
    ]
    assert "HGNC.FAMILY:488\tbiolink:GeneFamily\tClaudins\tinfores:generx" in nodes


# -- hardening (issue 17) -------------------------------------------------------------------------


def test_health_says_only_ok_or_degraded(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        response = client.get("/health")
        assert (response.status_code, response.json()) == (200, {"status": "ok"})
    no_broker = Settings(**{**settings.__dict__, "broker_url": f"redis://127.0.0.1:{free_port()}/0"})
    with TestClient(create_app(no_broker)) as client:
        response = client.get("/health")
        assert (response.status_code, response.json()) == (503, {"status": "degraded"})


def test_the_docs_page_loads_nothing_from_elsewhere(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "/jobs/{job_id}/relations" in page
    assert "<script" not in page
    assert "http://" not in page and "https://" not in page


DEEP = b'{"statements": [{"text": "x", "gene": ' + b"[" * 50_000 + b"]" * 50_000 + b"}]}"
HUGE_INT = b'{"statements": [{"text": "x"}], "name": ' + b"9" * 5001 + b"}"


@pytest.mark.parametrize(
    ("statement", "code", "message"),
    [
        ({"text": "IL2\u0000 binds CD28."}, 422, "statements.0: a NUL character in the text"),
        ({"text": "IL2 binds CD28.", "gene": "G" * 101}, 422, "statements.0: gene of 101 characters"),
        (
            {
                "text": "IL2 binds CD28.",
                "entities": [{"start": 0, "end": 3, "text": "CD2", "type": "gene", "id": "1"}],
            },
            422,
            "statements.0: entity 1: mention 'CD2' does not match the text at 0-3 ('IL2')",
        ),
        (
            {
                "text": "IL2 binds CD28.",
                "entities": [{"start": 9, "end": 99, "text": "x", "type": "gene", "id": "1"}],
            },
            422,
            "statements.0: entity 1: mention offsets 9-99 outside the text of 15 characters",
        ),
    ],
)
def test_statements_sent_as_json_are_checked_like_a_file(
    client: TestClient, statement: dict[str, Any], code: int, message: str
) -> None:
    response = client.post(
        "/jobs", json={"statements": [{"text": "TP53 binds MDM2."}, statement]}, headers=AUTH
    )
    assert response.status_code == code, response.text
    assert response.json()["detail"].startswith(message.replace("statements.0", "statements.1"))


@pytest.mark.parametrize(("body", "reason"), [(DEEP, "nested too deeply"), (HUGE_INT, "digits")])
def test_hostile_json_bodies_are_400_not_500(settings: Settings, body: bytes, reason: str) -> None:
    roomy = Settings(**{**settings.__dict__, "max_upload_bytes": 1 << 20})
    with TestClient(create_app(roomy)) as client:
        response = client.post("/jobs", content=body, headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert reason in response.json()["detail"]


def test_a_paging_cursor_past_2_31_is_422(client: TestClient) -> None:
    job = submit(client, [{"text": "TP53 binds MDM2."}])
    for seq in (2**31, 10**30, -1):
        cursor = base64.urlsafe_b64encode(f"{seq}:0".encode()).decode().rstrip("=")
        response = client.get(f"/jobs/{job['id']}/relations", params={"cursor": cursor}, headers=AUTH)
        assert response.status_code == 422, response.text


def test_a_chunked_body_is_cut_off_at_the_limit(client: TestClient) -> None:
    sent = []

    def body() -> Iterator[bytes]:
        for _ in range(100):
            sent.append(1)
            yield b" " * 1024

    response = client.post("/jobs", content=body(), headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 413, response.text
    assert "exceeds the limit of 4096 bytes" in response.json()["detail"]


def test_a_gzip_bomb_upload_is_413(settings: Settings) -> None:
    small = Settings(**{**settings.__dict__, "max_upload_bytes": 1 << 20, "max_inflated_bytes": 1 << 20})
    bomb = gzip.compress(b"IL2 binds CD28.\n" * 1_000_000)
    with TestClient(create_app(small)) as client:
        files = {"file": ("bomb.txt.gz", bomb, "application/gzip")}
        response = client.post("/jobs", files=files, headers=AUTH)
        assert response.status_code == 413, response.text
        assert "inflates to more than 1048576 bytes" in response.json()["detail"]
    many_lines = Settings(**{**settings.__dict__, "max_upload_bytes": 1 << 20, "max_lines": 100_000})
    with TestClient(create_app(many_lines)) as client:
        files = {"file": ("lines.txt.gz", gzip.compress(b"x\n" * 1_000_000), "application/gzip")}
        started = time.perf_counter()
        response = client.post("/jobs", files=files, headers=AUTH)
        assert response.status_code == 413, response.text
        assert response.json()["detail"] == "the upload has more than 100000 lines"
        assert time.perf_counter() - started < 10  # refused before a statement is stored
        too_many = Settings(**{**small.__dict__, "max_statements": 5})
    with TestClient(create_app(too_many)) as client:
        files = {"file": ("six.txt", b"IL2 binds CD28.\n" * 6, "text/plain")}
        response = client.post("/jobs", files=files, headers=AUTH)
        assert response.status_code == 413, response.text
        assert "more than 5 statements" in response.json()["detail"]


def test_status_has_rate_and_eta(client: TestClient, settings: Settings) -> None:
    job = submit(client, [{"text": "TP53 binds MDM2."}, {"text": "IL2 binds CD28."}])
    assert (job["rate"], job["eta_seconds"]) == (None, None)
    store = get_store(settings.database_url)
    store.mark_running(job["id"])
    store.save_outcomes(job["id"], [StatementOutcome(0)])
    status = client.get(f"/jobs/{job['id']}", headers=AUTH).json()
    assert status["done"] == 1 and status["rate"] > 0 and status["eta_seconds"] > 0


@pytest.mark.parametrize(
    ("token", "host", "ok"),
    [
        ("short", "127.0.0.1", True),
        ("short", "0.0.0.0", False),
        ("change-me", "0.0.0.0", False),
        ("x" * 32, "0.0.0.0", True),
        (None, "127.0.0.1", False),
    ],
)
def test_the_api_token_must_be_strong_off_loopback(token: str | None, host: str, ok: bool) -> None:
    if ok:
        check_api_token(token, host)
    else:
        with pytest.raises(ConfigurationError, match="GENERX_API_TOKEN"):
            check_api_token(token, host)


@pytest.mark.slow
def test_a_database_outage_is_503_without_details(tmp_path: Path, broker_url: str) -> None:
    proxy, url = proxied_postgresql(POSTGRESQL_URL)
    settings = Settings(broker_url=broker_url, database_url=url, api_token=TOKEN)
    try:
        with TestClient(create_app(settings)) as client:
            job = submit(client, [{"text": "TP53 binds MDM2.", "gene": "G" * 100}])
            # NUL and over-wide values are refused before PostgreSQL sees them.
            bad = client.post("/jobs", json={"statements": [{"text": "a\u0000b"}]}, headers=AUTH)
            assert bad.status_code == 422
            proxy.cut()
            for path in (f"/jobs/{job['id']}", f"/jobs/{job['id']}/relations"):
                response = client.get(path, headers=AUTH)
                assert response.status_code == 503, response.text
                assert response.json() == {"detail": "the database is unavailable; try again later"}
            assert client.get("/health").json() == {"status": "degraded"}
            proxy.restore()
            assert client.get(f"/jobs/{job['id']}", headers=AUTH).status_code == 200
    finally:
        proxy.cut()
