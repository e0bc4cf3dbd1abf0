"""The job service end to end: real redis-server, real worker processes, real SQLite and PostgreSQL.

The NLP is the stand-in of tests/fixtures_services.py, except in the test marked ``model``, which runs
the trained pipeline and compares the service with ``generx extract`` on a real GenAtlas page.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from generx.worker import jobs
from generx.worker.cli import app
from generx.worker.store import RelationRow, StatementRow, get_store
from tests.conftest import POSTGRESQL_URL
from tests.fixtures_services import (
    ROOT,
    RedisServer,
    WorkerProcess,
    broker_url,
    redis_server,
    service_env,
    write_statements,
)

__all__ = ["broker_url", "redis_server"]  # fixtures used by name below

pytestmark = [pytest.mark.integration, pytest.mark.slow]


class Service:
    """A broker, a database and the environment pointing at both; starts workers on demand."""

    def __init__(self, tmp_path: Path, broker: str, database: str, **extra: str) -> None:
        self.tmp_path = tmp_path
        self.env = service_env(broker, database, GENERX_QUEUE=f"generx.test.{os.urandom(4).hex()}", **extra)
        self.workers: list[WorkerProcess] = []

    def worker(self, *, concurrency: int = 1) -> WorkerProcess:
        name = f"w{len(self.workers) + 1}"
        process = WorkerProcess(self.env, self.tmp_path / f"{name}.log", concurrency=concurrency, name=name)
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


def extract_records(path: Path, *, fmt: str = "jsonl", gene: str | None = None) -> str:
    """What ``generx extract`` writes for the file (run in this process, with the environment's loader)."""
    args = ["extract", str(path), "--format", fmt] + (["--gene", gene] if gene else [])
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


def _assert_complete_exactly_once(job_id: str, path: Path) -> None:
    final = jobs.wait(job_id, timeout=90)
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


def test_worker_killed_mid_job_loses_and_duplicates_nothing(service: Service, tmp_path: Path) -> None:
    # Short limits so the chunk the dead worker held comes back within seconds, not the default minutes.
    service.env.update(
        GENERX_STUB_DELAY="0.1",
        GENERX_SOFT_TIME_LIMIT="3",
        GENERX_TIME_LIMIT="4",
        GENERX_VISIBILITY_TIMEOUT="5",
        GENERX_RESTORE_INTERVAL="1",
    )
    path = write_statements(tmp_path / "statements.jsonl", 48)
    first = service.worker()
    job_id = jobs.submit_path(path)
    wait_for(lambda: jobs.status(job_id).done >= 8)
    first.kill()
    assert not jobs.status(job_id).finished
    service.worker()
    _assert_complete_exactly_once(job_id, path)


def test_redis_restarted_mid_job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = RedisServer(tmp_path / "redis")
    server.start()
    svc = Service(
        tmp_path,
        server.url,
        f"sqlite:///{tmp_path / 'generx.sqlite'}",
        GENERX_CHUNK_SIZE="4",
        GENERX_STUB_DELAY="0.1",
        GENERX_SOFT_TIME_LIMIT="3",
        GENERX_TIME_LIMIT="4",
        GENERX_VISIBILITY_TIMEOUT="5",
        GENERX_RESTORE_INTERVAL="1",
    )
    for key, value in svc.env.items():
        if key.startswith("GENERX_"):
            monkeypatch.setenv(key, value)
    try:
        path = write_statements(tmp_path / "statements.jsonl", 48)
        svc.worker()
        job_id = jobs.submit_path(path)
        wait_for(lambda: jobs.status(job_id).done >= 8)
        server.stop()
        assert not jobs.status(job_id).finished
        time.sleep(1)
        server.start()
        _assert_complete_exactly_once(job_id, path)
    finally:
        svc.stop()
        server.stop()


def test_service_on_postgresql(tmp_path: Path, broker_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    svc = Service(tmp_path, broker_url, POSTGRESQL_URL, GENERX_CHUNK_SIZE="4")
    for key, value in svc.env.items():
        if key.startswith("GENERX_"):
            monkeypatch.setenv(key, value)
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
