"""The job service end to end: real redis-server, real worker processes, real SQLite and PostgreSQL.

The NLP is the stand-in of tests/fixtures_services.py, except in the test marked ``model``, which runs
the trained pipeline and compares the service with ``generx extract`` on a real GenAtlas page.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from generx.worker import jobs
from generx.worker.cli import app
from generx.worker.errors import JobNotFound
from generx.worker.store import ChunkRow, RelationRow, StatementRow, get_store
from tests.conftest import POSTGRESQL_URL
from tests.fixtures_services import (
    ROOT,
    STUB_LOADER,
    RedisServer,
    WorkerProcess,
    broker_url,
    proxied_postgresql,
    redis_server,
    service_env,
    write_statements,
)
from tests.worker.local_pipelines import OPTIONED_LOADER, OPTIONS_LOG, STUB_THRESHOLD

__all__ = ["broker_url", "redis_server"]  # fixtures used by name below

pytestmark = [pytest.mark.integration, pytest.mark.slow]


class Service:
    """A broker, a database and the environment pointing at both; starts workers on demand."""

    def __init__(self, tmp_path: Path, broker: str, database: str, **extra: str) -> None:
        self.tmp_path = tmp_path
        self.env = service_env(broker, database, GENERX_QUEUE=f"generx.test.{os.urandom(4).hex()}", **extra)
        self.workers: list[WorkerProcess] = []

    def worker(self, *, concurrency: int = 1, **extra: str) -> WorkerProcess:
        name = f"w{len(self.workers) + 1}"
        env = {**self.env, **extra}
        process = WorkerProcess(env, self.tmp_path / f"{name}.log", concurrency=concurrency, name=name)
        self.workers.append(process)
        process.wait_ready()
        return process

    def stop(self) -> None:
        for process in self.workers:
            process.stop()


@pytest.fixture
def service(tmp_path: Path, broker_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    """A service on a fresh SQLite file; the test process's own environment points at it too."""
    svc = Service(tmp_path, broker_url, f"sqlite:///{tmp_path / 'generx.sqlite'}", GENERX_CHUNK_SIZE="4")
    for key, value in svc.env.items():
        if key.startswith("GENERX_"):
            monkeypatch.setenv(key, value)
    yield svc
    svc.stop()


def extract_records(path: Path, *options: str, fmt: str = "jsonl", gene: str | None = None) -> str:
    """What ``generx extract`` writes for the file with the command line's ``options`` (run in this
    process, with the environment's loader)."""
    args = ["extract", str(path), "--format", fmt, *options] + (["--gene", gene] if gene else [])
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def results_output(job_id: str, *, fmt: str = "jsonl") -> str:
    result = CliRunner().invoke(app, ["results", job_id, "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.stdout


def parse_jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def wait_for(condition: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_service_results_equal_generx_extract(service: Service, tmp_path: Path) -> None:
    path = write_statements(tmp_path / "statements.jsonl", 30)
    service.worker(concurrency=2)
    job_id = jobs.submit_path(path)
    final = jobs.wait(job_id, timeout=60)

    expected = parse_jsonl(extract_records(path))
    assert expected, "the stand-in found no relation"
    assert list(jobs.relations(job_id)) == expected
    assert results_output(job_id, fmt="tsv") == extract_records(path, fmt="tsv")
    crashed = sum("CRASH" in line for line in path.read_text().splitlines())
    assert (final.state, final.total, final.done, final.errors) == ("done", 30, 30, crashed)
    assert final.relations == len(expected)
    assert [sid for sid, _ in jobs.errors(job_id)] == ["s6", "s13", "s20", "s27"]


def test_submit_wait_from_the_command_line(service: Service, tmp_path: Path) -> None:
    path = write_statements(tmp_path / "statements.jsonl", 10)
    service.worker()
    result = CliRunner().invoke(app, ["submit", str(path), "--wait", "--timeout", "60"])
    job_id = result.stdout.strip()
    # One statement of the ten fails (the stand-in cannot read CRASH): exit status 1, a summary on stderr.
    assert result.exit_code == 1, result.output
    assert f"job {job_id} done: 10 statements" in result.stderr
    status = json.loads(CliRunner().invoke(app, ["status", job_id]).stdout)
    assert (status["state"], status["done"], status["total"], status["errors"]) == ("done", 10, 10, 1)


def test_each_job_is_read_with_its_own_options(service: Service, tmp_path: Path) -> None:
    log = tmp_path / "options.log"
    service.worker(GENERX_PIPELINE_LOADER=OPTIONED_LOADER, **{OPTIONS_LOG: str(log)})
    path = write_statements(tmp_path / "statements.jsonl", 21)
    default = jobs.submit_path(path)
    recall = jobs.submit_path(path, min_confidence=0.5, convention="genia")
    assert (jobs.status(recall).min_confidence, jobs.status(recall).convention) == (0.5, "genia")
    assert jobs.wait(default, timeout=60).state == jobs.wait(recall, timeout=60).state == "done"
    by_default, with_recall = list(jobs.relations(default)), list(jobs.relations(recall))
    # The stand-in's hedged relations (0.6) are below its own threshold: only the lower one keeps them.
    assert by_default and all(r["confidence"] >= STUB_THRESHOLD for r in by_default)
    assert all(r["confidence"] >= 0.5 for r in with_recall)
    assert len(with_recall) > len(by_default)
    assert [r for r in with_recall if r["confidence"] >= STUB_THRESHOLD] == by_default
    assert jobs.status(recall).relations == len(with_recall)
    # Loaded with the defaults (nothing passed) when the pool process starts, and once with the job's.
    loads = set(log.read_text().splitlines())
    assert {json.loads(line)["min_confidence"] for line in loads} == {None, 0.5}
    assert json.dumps({"min_confidence": 0.5, "convention": "genia"}) in loads


def test_a_job_whose_options_the_pipeline_loader_does_not_take_fails_alone(
    service: Service, tmp_path: Path
) -> None:
    service.worker()  # the stand-in's loader takes no options
    path = write_statements(tmp_path / "statements.jsonl", 8)
    refused = jobs.submit_path(path, min_confidence=0.5)
    final = jobs.wait(refused, timeout=60)
    assert (final.state, final.error, final.errors) == ("failed", "no statement could be processed", 8)
    reason = (
        f"ConfigurationError: pipeline loader {STUB_LOADER!r} does not take the options min_confidence: "
        "got an unexpected keyword argument 'min_confidence'"
    )
    assert {error for _, error in jobs.errors(refused)} == {reason}
    # The worker goes on: the next job, without options, is read as it always was.
    job_id = jobs.submit_path(path)
    assert jobs.wait(job_id, timeout=60).state == "done"
    assert list(jobs.relations(job_id)) == parse_jsonl(extract_records(path))


def _assert_complete_exactly_once(job_id: str, path: Path, *, timeout: float = 90) -> None:
    final = jobs.wait(job_id, timeout=timeout)
    assert final.state == "done"
    assert final.done == final.total
    expected = parse_jsonl(extract_records(path))
    assert list(jobs.relations(job_id)) == expected
    store = get_store(os.environ["GENERX_DATABASE_URL"])
    with store.session() as session:
        rows = session.scalar(
            select(func.count()).select_from(RelationRow).where(RelationRow.job_id == job_id)
        )
        pending = session.scalar(
            select(func.count()).where(StatementRow.job_id == job_id, StatementRow.status == "pending")
        )
    assert rows == len(expected)
    assert pending == 0


@pytest.mark.parametrize("whole_group", [False, True], ids=["main-process", "with-its-pool"])
def test_worker_killed_mid_job_completes_within_60_s(
    service: Service, tmp_path: Path, whole_group: bool
) -> None:
    # Default lease, reconciler and visibility settings: recovery must not wait for Redis's 900 s.
    # Killed alone, the main process leaves its pool processes to finish their chunks; killed with
    # them, their chunks come back when their leases expire.
    service.env.update(GENERX_STUB_DELAY="0.1")
    path = write_statements(tmp_path / "statements.jsonl", 80)
    first = service.worker(concurrency=2, GENERX_STUB_DELAY="0.5")  # 2 s a chunk: caught mid-chunk
    service.worker()
    job_id = jobs.submit_path(path)
    wait_for(lambda: jobs.status(job_id).done >= 8)
    wait_for(lambda: _leased_by(job_id, pool_pids(first.process.pid)))
    if whole_group:
        first.kill()
    else:
        first.kill_main()
    killed = time.monotonic()
    assert not jobs.status(job_id).finished
    _assert_complete_exactly_once(job_id, path, timeout=60)
    assert time.monotonic() - killed < 60


def pool_pids(parent: int) -> list[int]:
    """The pool processes of a worker."""
    out = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def _leased_by(job_id: str, pids: list[int]) -> bool:
    """Whether one of these processes holds a lease on a chunk of the job (owner "host:pid:nonce")."""
    store = get_store(os.environ["GENERX_DATABASE_URL"])
    with store.session() as session:
        owners = session.scalars(
            select(ChunkRow.lease_owner).where(ChunkRow.job_id == job_id, ChunkRow.lease_owner.is_not(None))
        ).all()
    return any(owner and int(owner.split(":")[1]) in pids for owner in owners)


def _use(svc: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in svc.env.items():
        if key.startswith("GENERX_"):
            monkeypatch.setenv(key, value)


def test_redis_restarted_without_persistence_mid_job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = RedisServer(tmp_path / "redis", persist=False)
    server.start()
    svc = Service(
        tmp_path,
        server.url,
        f"sqlite:///{tmp_path / 'generx.sqlite'}",
        GENERX_CHUNK_SIZE="4",
        GENERX_STUB_DELAY="0.1",
    )
    _use(svc, monkeypatch)
    try:
        path = write_statements(tmp_path / "statements.jsonl", 60)
        svc.worker()
        job_id = jobs.submit_path(path)
        wait_for(lambda: jobs.status(job_id).done >= 8)
        server.stop()  # every queued chunk is gone with it
        assert not jobs.status(job_id).finished
        time.sleep(1)
        server.start()
        _assert_complete_exactly_once(job_id, path, timeout=120)
    finally:
        svc.stop()
        server.stop()


def test_postgresql_unreachable_for_120_s_mid_job(
    tmp_path: Path, broker_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy, through_proxy = proxied_postgresql(POSTGRESQL_URL)
    svc = Service(tmp_path, broker_url, through_proxy, GENERX_CHUNK_SIZE="4", GENERX_STUB_DELAY="0.05")
    _use(svc, monkeypatch)
    # The test itself reads the database directly: only the workers lose it.
    monkeypatch.setenv("GENERX_DATABASE_URL", POSTGRESQL_URL)
    try:
        path = write_statements(tmp_path / "statements.jsonl", 200)
        svc.worker(concurrency=2)
        job_id = jobs.submit_path(path)
        wait_for(lambda: jobs.status(job_id).done >= 20)
        proxy.cut()
        time.sleep(120)
        assert not jobs.status(job_id).finished
        proxy.restore()
        _assert_complete_exactly_once(job_id, path, timeout=120)
    finally:
        svc.stop()
        proxy.cut()


def test_a_worker_on_the_wrong_database_refuses_and_the_right_one_completes(
    service: Service, tmp_path: Path
) -> None:
    wrong_url = f"sqlite:///{tmp_path / 'elsewhere' / 'generx.sqlite'}"
    wrong = WorkerProcess(
        {**service.env, "GENERX_DATABASE_URL": wrong_url}, tmp_path / "wrong.log", name="wrong"
    )
    service.workers.append(wrong)
    wrong.wait_ready()
    path = write_statements(tmp_path / "statements.jsonl", 24)
    job_id = jobs.submit_path(path)
    wait_for(lambda: "refusing chunk" in wrong.log.read_text(errors="replace"), timeout=30)
    assert jobs.status(job_id).done == 0  # nothing acked as done by the wrong worker
    service.worker()
    _assert_complete_exactly_once(job_id, path)
    with pytest.raises(JobNotFound):
        get_store(wrong_url).status(job_id)


def test_one_pathological_statement_fails_alone(service: Service, tmp_path: Path) -> None:
    service.env.update(GENERX_STUB_SLOW="60", GENERX_SOFT_TIME_LIMIT="3", GENERX_TIME_LIMIT="8")
    path = write_statements(tmp_path / "statements.jsonl", 12)
    lines = path.read_text().splitlines()
    lines[9] = json.dumps({"id": "slow", "text": "This SLOW statement names no gene.", "gene": "IL2"})
    path.write_text("\n".join(lines) + "\n")
    service.worker()
    job_id = jobs.submit_path(path)
    final = jobs.wait(job_id, timeout=90)
    assert (final.state, final.done, final.total) == ("done", 12, 12)
    errors = dict(jobs.errors(job_id))
    assert errors.pop("slow").startswith("TimeLimitExceeded")
    assert all("CRASH" in lines[int(sid[1:]) - 1] for sid in errors)  # the stand-in's own failures only
    # In-process (no GENERX_STUB_SLOW here) the slow statement is quick and finds nothing either.
    assert list(jobs.relations(job_id)) == parse_jsonl(extract_records(path))


def test_twelve_concurrent_first_commands_on_a_new_store(tmp_path: Path, broker_url: str) -> None:
    env = service_env(broker_url, f"sqlite:///{tmp_path / 'new' / 'folder' / 'generx.sqlite'}")
    env["GENERX_QUEUE"] = f"generx.test.{os.urandom(4).hex()}"
    path = write_statements(tmp_path / "statements.jsonl", 5)
    command = [sys.executable, "-m", "generx.worker", "submit", str(path)]
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(12)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    failures = [
        err.decode() for process, (_, err) in zip(processes, outputs, strict=True) if process.returncode
    ]
    assert not failures, failures[0]
    assert len({out.strip() for out, _ in outputs}) == 12


def test_a_worker_that_cannot_write_its_database_does_not_start(tmp_path: Path, broker_url: str) -> None:
    database = tmp_path / "generx.sqlite"
    get_store(f"sqlite:///{database}").migrate()
    env = service_env(broker_url, f"sqlite:///file:{database}?mode=ro&uri=true")
    worker = WorkerProcess(env, tmp_path / "ro.log")
    try:
        assert worker.process.wait(timeout=60) != 0
    finally:
        worker.stop()
    log = worker.log.read_text(errors="replace")
    assert "readonly database" in log
    assert "ready." not in log


def test_service_on_postgresql(tmp_path: Path, broker_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    svc = Service(tmp_path, broker_url, POSTGRESQL_URL, GENERX_CHUNK_SIZE="4")
    _use(svc, monkeypatch)
    try:
        path = write_statements(tmp_path / "statements.jsonl", 20)
        svc.worker()
        job_id = jobs.submit_path(path)
        final = jobs.wait(job_id, timeout=60)
        assert (final.state, final.done) == ("done", 20)
        assert list(jobs.relations(job_id)) == parse_jsonl(extract_records(path))
    finally:
        svc.stop()


GENATLAS = ROOT / "tests" / "data" / "genatlas_IL2.txt"


@pytest.mark.model
def test_service_equals_generx_extract_with_the_trained_pipeline(
    tmp_path: Path, broker_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = Service(tmp_path, broker_url, f"sqlite:///{tmp_path / 'generx.sqlite'}", GENERX_CHUNK_SIZE="8")
    svc.env.pop("GENERX_PIPELINE_LOADER")
    monkeypatch.delenv("GENERX_PIPELINE_LOADER", raising=False)
    for key, value in svc.env.items():
        if key.startswith("GENERX_"):
            monkeypatch.setenv(key, value)
    try:
        svc.worker(concurrency=2)
        job_id = jobs.submit_path(GENATLAS)
        final = jobs.wait(job_id, timeout=300)
        assert final.state == "done"
        expected = parse_jsonl(extract_records(GENATLAS))
        assert expected
        assert list(jobs.relations(job_id)) == expected
        assert final.relations == len(expected)
    finally:
        svc.stop()


@pytest.mark.model
def test_a_lower_min_confidence_trades_precision_for_recall_with_the_trained_pipeline(
    tmp_path: Path, broker_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = Service(tmp_path, broker_url, f"sqlite:///{tmp_path / 'generx.sqlite'}", GENERX_CHUNK_SIZE="8")
    svc.env.pop("GENERX_PIPELINE_LOADER")
    monkeypatch.delenv("GENERX_PIPELINE_LOADER", raising=False)
    _use(svc, monkeypatch)
    try:
        svc.worker()
        default = jobs.submit_path(GENATLAS)
        recall = jobs.submit_path(GENATLAS, min_confidence=0.05)
        genia = jobs.submit_path(GENATLAS, convention="genia")
        for job_id in (default, recall, genia):
            assert jobs.wait(job_id, timeout=300).state == "done"
        by_default, with_recall = list(jobs.relations(default)), list(jobs.relations(recall))
        assert by_default
        assert len(with_recall) >= len(by_default)
        assert all(r["confidence"] is not None and r["confidence"] >= 0.05 for r in with_recall)
        # Each job is read as generx extract reads the page with the same options.
        assert with_recall == parse_jsonl(extract_records(GENATLAS, "--min-confidence", "0.05"))
        assert list(jobs.relations(genia)) == parse_jsonl(extract_records(GENATLAS, "--convention", "genia"))
        assert (jobs.status(recall).min_confidence, jobs.status(genia).convention) == (0.05, "genia")
    finally:
        svc.stop()
