"""The store on real SQLite and PostgreSQL: migrations, idempotent writes, progress, filters, paging."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.engine import make_url

from generx.record import flatten, unflatten
from generx.worker import jobs
from generx.worker.errors import DatabaseUnavailable, InvalidSubmission, JobNotFound
from generx.worker.reconcile import reconcile
from generx.worker.settings import Settings, get_settings
from generx.worker.store import (
    VERSION_TABLE,
    Base,
    ChunkRow,
    JobRow,
    Lease,
    NewStatement,
    PipelineOptions,
    RelationFilter,
    StatementOutcome,
    Store,
    decode_cursor,
    encode_cursor,
    upgrade,
)
from tests.conftest import DATA, POSTGRESQL_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated store on a fresh SQLite file, or on GENERX_TEST_DATABASE_URL."""
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}" if request.param == "sqlite" else POSTGRESQL_URL)
    store.migrate()
    yield store
    store.dispose()


def gene(text: str, start: int | None, identifier: str) -> dict[str, Any]:
    end = None if start is None else start + len(text)
    return {"text": text, "start": start, "end": end, "type": "gene", "id": identifier, "name": text}


def relation(statement_id: str, subject: str, obj: str, predicate: str, **flags: Any) -> dict[str, Any]:
    record = {
        "statement_id": statement_id,
        "subject": gene(subject, 0, f"HGNC:{subject}"),
        "predicate": predicate,
        "object": gene(obj, 10, f"HGNC:{obj}"),
        "negated": False,
        "hedged": False,
        "implicit": False,
        "trigger": {"text": "activates", "start": 5, "end": 9},
        "evidence": {"text": f"{subject} ... {obj}", "start": 0, "end": 14},
        "confidence": 0.9,
        "pipeline": "generx 0.1.0",
    }
    record.update(flags)
    return record


def new_job(store: Store, count: int = 5, chunk_size: int = 2) -> tuple[str, list[int]]:
    job_id = uuid.uuid4().hex
    statements = [NewStatement(f"s{i}", f"statement {i}", gene="IL2") for i in range(count)]
    return job_id, store.create_job(job_id, statements, chunk_size=chunk_size, name="test")


def schema_diff(store: Store) -> list[Any]:
    """How the store's tables differ from the models."""
    ours = set(Base.metadata.tables)

    def include_name(name: str | None, kind: str, parents: dict[str, str | None]) -> bool:
        # The database may hold other applications' tables (and Alembic's version table).
        return kind != "table" or name in ours

    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        return list(compare_metadata(context, Base.metadata))


def test_migrations_build_exactly_the_models(store: Store) -> None:
    assert schema_diff(store) == []


def test_a_job_is_queued_in_chunks(store: Store) -> None:
    job_id, chunks = new_job(store, count=5, chunk_size=2)
    assert chunks == [0, 1, 2]
    status = store.status(job_id)
    assert (status.state, status.total, status.done, status.relations) == ("queued", 5, 0, 0)
    assert [seq for seq, _ in store.pending_statements(job_id, 2)] == [4]


def test_saving_the_same_chunk_twice_changes_nothing(store: Store) -> None:
    job_id, _ = new_job(store, count=2, chunk_size=2)
    outcomes = [
        StatementOutcome(0, relations=[relation("s0", "TP53", "MDM2", "positively_regulates")] * 2),
        StatementOutcome(1, error="ValueError: broken"),
    ]
    store.mark_running(job_id)
    store.save_outcomes(job_id, outcomes)
    store.save_outcomes(job_id, outcomes)  # a redelivered chunk
    assert store.finish_if_complete(job_id) == "done"
    status = store.status(job_id)
    assert (status.state, status.done, status.errors, status.relations) == ("done", 2, 1, 2)
    # Two equal relations of one statement are both kept (the key counts repeats), but only once each.
    assert len(list(store.iter_relations(job_id))) == 2
    assert store.statement_errors(job_id) == [("s1", "ValueError: broken")]


def test_a_job_where_every_statement_fails_is_failed(store: Store) -> None:
    job_id, _ = new_job(store, count=1)
    store.save_outcomes(job_id, [StatementOutcome(0, error="ValueError: broken")])
    assert store.finish_if_complete(job_id) == "failed"
    assert store.status(job_id).error == "no statement could be processed"


def test_relations_are_filtered_and_paged_in_statement_order(store: Store) -> None:
    job_id, _ = new_job(store, count=4, chunk_size=4)
    implicit = relation("s3", "IL2", "CD28", "regulates", implicit=True, hedged=True, confidence=0.5)
    implicit["subject"] = gene("IL2", None, "HGNC:6001")
    process = relation("s2", "TP53", "apoptosis", "involved_in", trigger=None)
    process["object"] = {"text": "apoptosis", "start": 20, "end": 29, "type": "process"}
    process["object"] |= {"id": "GO:0006915", "name": "apoptotic process"}
    process["subject"]["candidates"] = [{"id": "HGNC:11998", "score": 0.9}]
    by_statement = {
        0: [relation("s0", "TP53", "MDM2", "positively_regulates"), relation("s0", "MDM2", "TP53", "binds")],
        1: [relation("s1", "PRDM1", "IL2", "negatively_regulates", negated=True)],
        2: [process],
        3: [implicit],
    }
    # Saved out of order, as chunks finish: read back in statement order all the same.
    store.save_outcomes(job_id, [StatementOutcome(seq, relations=by_statement[seq]) for seq in (3, 1, 0, 2)])
    everything = [record for seq in range(4) for record in by_statement[seq]]
    assert list(store.iter_relations(job_id, page_size=2)) == everything

    pages, cursor = [], None
    while True:
        page, cursor = store.relations_page(job_id, limit=2, cursor=cursor)
        pages.append(page)
        if cursor is None:
            break
    assert [len(page) for page in pages] == [2, 2, 1]

    def ids(where: RelationFilter) -> list[tuple[str, str]]:
        return [(r["statement_id"], r["predicate"]) for r in store.iter_relations(job_id, where=where)]

    assert ids(RelationFilter(gene="MDM2")) == [("s0", "positively_regulates"), ("s0", "binds")]
    assert ids(RelationFilter(gene="HGNC:6001")) == [("s3", "regulates")]
    assert ids(RelationFilter(process="GO:0006915")) == [("s2", "involved_in")]
    assert ids(RelationFilter(process="apoptotic process")) == [("s2", "involved_in")]
    assert ids(RelationFilter(predicate="binds")) == [("s0", "binds")]
    assert ids(RelationFilter(negated=True)) == [("s1", "negatively_regulates")]
    assert ids(RelationFilter(min_confidence=0.6, gene="IL2")) == [("s1", "negatively_regulates")]


def test_go_functions_and_components_keep_type_and_predicate(store: Store) -> None:
    """enables / located_in / part_of records with GO function and component objects read back equal, and
    the function and component filters find them by id or name."""
    lines = (DATA / "exports" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    found = [r for r in records if r["object"]["type"] in ("function", "component")]
    # the store keys a record to the job's statement: s0, s1, s2 of new_job
    annotations = [{**r, "statement_id": f"s{seq}"} for seq, r in enumerate(found)]
    assert [r["predicate"] for r in annotations] == ["enables", "located_in", "part_of"]
    job_id, _ = new_job(store, count=3, chunk_size=3)
    store.save_outcomes(job_id, [StatementOutcome(seq, relations=[r]) for seq, r in enumerate(annotations)])
    assert list(store.iter_relations(job_id)) == annotations

    def predicates(where: RelationFilter) -> list[str]:
        return [r["predicate"] for r in store.iter_relations(job_id, where=where)]

    assert predicates(RelationFilter(function="GO:0004674")) == ["enables"]
    assert predicates(RelationFilter(function="protein serine/threonine kinase activity")) == ["enables"]
    assert predicates(RelationFilter(component="mitochondrion")) == ["located_in"]
    assert predicates(RelationFilter(component="GO:0016592", predicate="part_of")) == ["part_of"]
    assert predicates(RelationFilter(process="GO:0016592")) == []  # a component is no process
    assert predicates(RelationFilter(gene="TOMM20")) == ["located_in"]


def test_gene_families_keep_type_and_predicate(store: Store) -> None:
    """A member_of record with a gene family (HGNC gene group) object reads back equal, and the family
    filter finds it by group id or name, and only as a family."""
    lines = (DATA / "exports" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    found = [r for r in records if r["object"]["type"] in ("family", "component")]
    # the store keys a record to the job's statement: s0, s1, s2 of new_job
    stored = [{**r, "statement_id": f"s{seq}"} for seq, r in enumerate(found)]
    assert [r["predicate"] for r in stored] == ["located_in", "part_of", "member_of"]
    job_id, _ = new_job(store, count=3, chunk_size=3)
    store.save_outcomes(job_id, [StatementOutcome(seq, relations=[r]) for seq, r in enumerate(stored)])
    assert list(store.iter_relations(job_id)) == stored

    def predicates(where: RelationFilter) -> list[str]:
        return [r["predicate"] for r in store.iter_relations(job_id, where=where)]

    assert predicates(RelationFilter(family="HGNC.FAMILY:488")) == ["member_of"]
    assert predicates(RelationFilter(family="Claudins", predicate="member_of")) == ["member_of"]
    assert predicates(RelationFilter(family="mitochondrion")) == []  # a component is no family
    assert predicates(RelationFilter(gene="HGNC.FAMILY:488")) == []  # nor is a family a gene
    assert predicates(RelationFilter(gene="CLDN1")) == ["member_of"]


def test_unknown_jobs_and_bad_cursors_are_named_errors(store: Store) -> None:
    with pytest.raises(JobNotFound):
        store.status("nope")
    with pytest.raises(JobNotFound):
        store.relations_page("nope")
    job_id, _ = new_job(store)
    with pytest.raises(InvalidSubmission, match="invalid cursor"):
        store.relations_page(job_id, cursor="not-a-cursor!")
    with pytest.raises(InvalidSubmission, match="no statements"):
        store.create_job(uuid.uuid4().hex, [], chunk_size=10)


def count_jobs(store: Store) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(JobRow)) or 0)


def test_a_job_keeps_the_options_its_statements_are_read_with(store: Store) -> None:
    job_id = uuid.uuid4().hex
    options = PipelineOptions(min_confidence=0.05, convention="genia")
    store.create_job(job_id, [NewStatement("s0", "TP53 activates MDM2.")], chunk_size=10, options=options)
    assert store.job_options(job_id) == options
    assert store.job_options(job_id).loader_kwargs() == {"min_confidence": 0.05, "convention": "genia"}
    shown = store.status(job_id).to_dict()
    assert (shown["min_confidence"], shown["convention"]) == (0.05, "genia")
    # A job without options is read with the workers' defaults: the loader is given nothing.
    plain, _ = new_job(store)
    assert store.job_options(plain) == PipelineOptions() and store.job_options(plain).loader_kwargs() == {}
    shown = store.status(plain).to_dict()
    assert (shown["min_confidence"], shown["convention"]) == (None, None)
    with pytest.raises(JobNotFound):
        store.job_options("nope")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"min_confidence": 1.5}, "min_confidence 1.5 is outside [0, 1]"),
        ({"min_confidence": -0.1}, "min_confidence -0.1 is outside [0, 1]"),
        ({"min_confidence": float("nan")}, "min_confidence nan is outside [0, 1]"),
        (
            {"convention": "pubmed"},
            "no relation convention 'pubmed' in the relation model "
            "(it has: bioinfer, biored, general, genia)",
        ),
        ({"min_confidence": 0.5, "convention": "BioRED"}, "no relation convention 'BioRED'"),
    ],
)
def test_submit_refuses_bad_options_and_stores_nothing(
    store: Store, tmp_path: Path, options: dict[str, Any], message: str
) -> None:
    # No broker runs at this URL: a refused submission never gets as far as queueing.
    settings = Settings(database_url=store.url, broker_url="redis://127.0.0.1:1/0")
    before = count_jobs(store)
    with pytest.raises(InvalidSubmission) as refused:
        jobs.submit([NewStatement("s0", "TP53 activates MDM2.")], settings=settings, **options)
    assert str(refused.value).startswith(message)
    path = tmp_path / "in.txt"
    path.write_text("TP53 activates MDM2.\n")
    with pytest.raises(InvalidSubmission, match=r"^(min_confidence|no relation convention)"):
        jobs.submit_path(path, settings=settings, **options)
    assert count_jobs(store) == before


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with nothing in it: a new SQLite file, or a new PostgreSQL database on the
    server of GENERX_TEST_DATABASE_URL (dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite'}"
        return
    name = f"generx_migration_{uuid.uuid4().hex[:12]}"
    server = create_engine(POSTGRESQL_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRESQL_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def test_a_database_made_at_0002_is_upgraded_with_its_jobs_kept(empty_database: str) -> None:
    store = Store(empty_database)
    try:
        upgrade(store.engine, "0002")
        # A job stored by the previous release: no option columns yet.
        with store.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO jobs (id, name, state, total, chunk_size, chunks, created_at) "
                    "VALUES ('old', 'before 0003', 'queued', 1, 10, 1, :now)"
                ),
                {"now": datetime.now(UTC)},
            )
            connection.execute(
                text(
                    "INSERT INTO statements (job_id, seq, statement_id, text, chunk, status, relation_count) "
                    "VALUES ('old', 0, 's0', 'TP53 activates MDM2.', 0, 'pending', 0)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO chunks (job_id, chunk, done, queued_at, requeues, leases) "
                    "VALUES ('old', 0, :done, :now, 0, 0)"
                ),
                {"done": False, "now": datetime.now(UTC)},
            )
        store.migrate()
        with store.engine.connect() as connection:
            assert connection.scalar(text(f"SELECT version_num FROM {VERSION_TABLE}")) == "0003"
        assert schema_diff(store) == []
        # The old job is read as it was: with the workers' defaults, and its work still to do.
        status = store.status("old")
        assert (status.name, status.state, status.total) == ("before 0003", "queued", 1)
        assert (status.min_confidence, status.convention) == (None, None)
        assert store.job_options("old").loader_kwargs() == {}
        assert [seq for seq, _ in store.pending_statements("old", 0)] == [0]
        options = PipelineOptions(min_confidence=0.3, convention="biored")
        store.create_job("new", [NewStatement("s0", "IL2 binds CD28.")], chunk_size=10, options=options)
        assert store.job_options("new") == options
    finally:
        store.dispose()


def test_flatten_and_unflatten_are_inverse() -> None:
    record = relation("s1", "TP53", "MDM2", "binds", trigger=None, extra_field=[1, 2])
    record["object"]["members"] = ["HGNC:1", "HGNC:2"]
    assert unflatten(flatten(record)) == record
    del record["pipeline"]
    assert unflatten(flatten(record)) == record


# -- leases and the reconciler (issue 17) ---------------------------------------------------------


def reconcile_now(
    store: Store, settings: Settings, jobs: set[str], *, empty: bool = True, after: float = 0
) -> list[tuple[str, int]]:
    """One reconciler round ``after`` seconds from now; the chunks it queued of the jobs in ``jobs``
    (the PostgreSQL test database holds other tests' jobs too)."""
    sent: list[tuple[str, int]] = []
    reconcile(
        store,
        settings,
        send=lambda job_id, chunks: sent.extend((job_id, chunk) for chunk in chunks),
        queue_empty=lambda: empty,
        now=datetime.now(UTC) + timedelta(seconds=after),
    )
    return [(job_id, chunk) for job_id, chunk in sent if job_id in jobs]


def expire(store: Store, job_id: str, chunk: int) -> None:
    with store.session.begin() as session:
        session.execute(
            update(ChunkRow)
            .where(ChunkRow.job_id == job_id, ChunkRow.chunk == chunk)
            .values(leased_until=datetime.now(UTC) - timedelta(seconds=1))
        )


def test_a_lease_keeps_others_off_a_chunk_until_it_is_released(store: Store) -> None:
    job_id, _ = new_job(store)
    assert store.lease_chunk(job_id, 0, "a", 30) is Lease.LEASED
    assert store.lease_chunk(job_id, 0, "b", 30) is Lease.BUSY
    assert store.renew_lease(job_id, 0, "a", 30)
    assert not store.renew_lease(job_id, 0, "b", 30)
    store.save_outcomes(job_id, [StatementOutcome(0), StatementOutcome(1)])
    store.release_chunk(job_id, 0, "a")
    assert store.lease_chunk(job_id, 0, "b", 30) is Lease.DONE
    assert store.lease_chunk("not-a-job", 0, "b", 30) is Lease.UNKNOWN_JOB


def test_the_reconciler_requeues_expired_leases_at_once_and_lost_messages_with_backoff(store: Store) -> None:
    settings = Settings(database_url=store.url, requeue_after=30, max_requeue_backoff=300)
    job_id, _ = new_job(store, count=6, chunk_size=2)
    assert store.lease_chunk(job_id, 0, "dead", 30) is Lease.LEASED
    assert reconcile_now(store, settings, {job_id}) == []  # all fresh: nothing to do
    expire(store, job_id, 0)
    assert reconcile_now(store, settings, {job_id}) == [(job_id, 0)]  # the dead worker's chunk, at once
    # Chunks 1 and 2 were queued and never leased: after 30 s, and only while the queue is empty.
    assert reconcile_now(store, settings, {job_id}, empty=False, after=31) == []
    assert sorted(reconcile_now(store, settings, {job_id}, after=31)) == [(job_id, 1), (job_id, 2)]
    # Each requeue doubles the wait: 60 s now.
    assert reconcile_now(store, settings, {job_id}, after=45) == []
    assert len(reconcile_now(store, settings, {job_id}, after=61)) == 3


def test_a_chunk_that_keeps_losing_its_worker_is_split_then_its_statement_failed(store: Store) -> None:
    settings = Settings(database_url=store.url, max_leases=3)
    job_id, _ = new_job(store, count=3, chunk_size=3)
    for _ in range(2):
        assert store.lease_chunk(job_id, 0, "w", 30) is Lease.LEASED
        expire(store, job_id, 0)
        sent = reconcile_now(store, settings, {job_id})
    assert sent == [(job_id, 1), (job_id, 2), (job_id, 3)]  # split: one statement each
    for _ in range(3):
        assert store.lease_chunk(job_id, 2, "w", 30) is Lease.LEASED
        expire(store, job_id, 2)
        reconcile_now(store, settings, {job_id})
    errors = store.statement_errors(job_id)
    assert [(sid, error.split(":")[0]) for sid, error in errors] == [("s1", "WorkerLost")]
    store.save_outcomes(job_id, [StatementOutcome(0), StatementOutcome(2)])
    assert store.finish_if_complete(job_id) == "done"


def test_resume_requeues_a_failed_job_with_pending_statements(store: Store) -> None:
    job_id, _ = new_job(store, count=4, chunk_size=2)
    store.fail_job(job_id, "could not queue the job: broker down")
    assert store.status(job_id).state == "failed"
    assert store.resume(job_id) == [0, 1]
    assert (store.status(job_id).state, store.status(job_id).error) == ("queued", None)
    store.save_outcomes(job_id, [StatementOutcome(0), StatementOutcome(1)])
    assert store.resume(job_id) == [1]


def test_a_cursor_past_the_integer_columns_is_a_named_error() -> None:
    for seq in (2**31, -1, 10**40):
        with pytest.raises(InvalidSubmission, match="invalid cursor"):
            decode_cursor(encode_cursor(seq, 0))
    assert decode_cursor(encode_cursor(2**31 - 1, 5)) == (2**31 - 1, 5)


def test_the_default_database_is_an_absolute_per_user_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("GENERX_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    url = get_settings().database_url
    assert url == f"sqlite:///{tmp_path / 'data' / 'generx' / 'generx.sqlite'}"
    Store(url).check()  # the folder is made on first use
    assert (tmp_path / "data" / "generx" / "generx.sqlite").is_file()


def test_a_read_only_store_fails_its_check(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite"
    Store(f"sqlite:///{path}").migrate()
    with pytest.raises(DatabaseUnavailable, match="readonly"):
        Store(f"sqlite:///file:{path}?mode=ro&uri=true").check()


def test_statements_made_in_python_are_checked_as_the_readers_check_them() -> None:
    from generx.pipelines.statements import Statement
    from generx.worker.jobs import to_new_statement

    row = to_new_statement(Statement("a\x00b", "IL2\x00 binds CD28."), 0)
    assert (row.statement_id, row.error) == ("a\ufffdb", "InvalidStatement: a NUL character in the id")
    row = to_new_statement(Statement("c", "IL2 binds CD28.", gene="G" * 101), 0)
    assert row.error == "InvalidStatement: gene of 101 characters (at most 100)"
