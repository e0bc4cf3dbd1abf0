"""``generx extract -j N`` (worker/local.py): forked processes (and spawned ones, where fork is not
available) give what in-process extraction gives, statement by statement, with the stand-in pipeline."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generx.pipelines.extract import StatementResult, extract
from generx.pipelines.statements import Statement
from generx.worker.cli import app
from generx.worker.local import (
    IN_FLIGHT_PER_PROCESS,
    TAIL_SPLIT,
    PipelineProcessDied,
    PipelineProcesses,
    batches,
    can_fork,
    extract_parallel,
)
from tests.fixtures_services import STUB_LOADER, STUB_STATEMENTS, load_stub_pipeline, write_statements
from tests.worker.local_pipelines import LOAD_LOG

ROOT = Path(__file__).resolve().parents[2]

COUNTED_LOADER = "tests.worker.local_pipelines:load_counted_pipeline"
DYING_LOADER = "tests.worker.local_pipelines:load_dying_pipeline"


def statements(count: int) -> list[Statement]:
    return [
        Statement(id=f"s{i}", text=STUB_STATEMENTS[i % len(STUB_STATEMENTS)], gene="IL2")
        for i in range(count)
    ]


def outcome(results: list[StatementResult]) -> list[tuple[str, list[dict[str, object]], str | None]]:
    return [(r.statement.id, r.relations, r.error) for r in results]


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_processes_give_what_in_process_gives_and_a_bad_statement_fails_alone(start_method: str) -> None:
    given = statements(130)
    expected = list(extract(load_stub_pipeline(), given, batch_size=16))
    got = list(extract_parallel(STUB_LOADER, given, processes=2, batch_size=16, start_method=start_method))
    assert outcome(got) == outcome(expected)
    assert [r.mentions for r in got] == [r.mentions for r in expected]
    failed = [r.statement.id for r in got if r.error]
    # Only the stand-in's CRASH statements fail, each alone, and its batch neighbours keep their relations.
    assert failed == [s.id for s in given if "CRASH" in s.text] and failed
    assert sum(len(r.relations) for r in got) > 0


def test_fork_is_the_default_on_linux() -> None:
    assert can_fork() and PipelineProcesses(STUB_LOADER, processes=2).start_method == "fork"


def test_forked_processes_share_the_pipeline_this_process_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "loads"
    monkeypatch.setenv(LOAD_LOG, str(log))
    results = list(extract_parallel(COUNTED_LOADER, statements(40), processes=2, batch_size=4))
    assert len(results) == 40
    assert log.read_text().split() == [str(os.getpid())]


def test_spawned_processes_load_the_pipeline_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "loads"
    monkeypatch.setenv(LOAD_LOG, str(log))
    results = list(
        extract_parallel(COUNTED_LOADER, statements(40), processes=2, batch_size=4, start_method="spawn")
    )
    assert len(results) == 40
    loads = log.read_text().split()
    assert str(os.getpid()) not in loads and 1 <= len(loads) <= 2


def test_input_is_read_as_results_are_taken() -> None:
    read = 0

    def endless() -> Iterator[Statement]:
        nonlocal read
        for i in itertools.count():
            read += 1
            yield Statement(id=f"s{i}", text="TP53 activates MDM2.")

    with PipelineProcesses(STUB_LOADER, processes=2) as pool:
        taken = list(itertools.islice(pool.extract(endless(), batch_size=10), 100))
    assert [r.statement.id for r in taken] == [f"s{i}" for i in range(100)]
    # Beyond what was taken: the batches in flight, and the read-ahead of a batch and one per process.
    assert read <= 100 + (IN_FLIGHT_PER_PROCESS * 2 + 1 + 2) * 10


@pytest.mark.parametrize("count", [0, 1, 7, 16, 47, 48, 49, 130, 1000])
def test_batches_keep_the_order_and_split_only_the_end(count: int) -> None:
    given = statements(count)
    got = list(batches(given, 16, 2))
    assert [s for batch in got for s in batch] == given
    sizes = [len(batch) for batch in got]
    small = 16 // TAIL_SPLIT
    # Full batches, then the last statements (at most a batch and one per process) in small ones.
    full = list(itertools.takewhile(lambda size: size == 16, sizes))
    assert all(0 < size <= small for size in sizes[len(full) :])
    assert count - 16 * len(full) <= 16 * 3
    assert count < 16 * 3 or sum(sizes[len(full) :]) >= 16 * 2


def test_a_short_input_is_shared_between_the_processes() -> None:
    # 40 statements with batches of 64: in one batch, one process would do them all.
    assert [len(batch) for batch in batches(statements(40), 64, 2)] == [16, 16, 8]


def test_a_process_killed_mid_run_is_an_error_not_a_hang() -> None:
    given = [*statements(30), Statement(id="die", text="TP53 DIE now."), *statements(30)]
    with pytest.raises(PipelineProcessDied):
        list(extract_parallel(DYING_LOADER, given, processes=2, batch_size=8))


# A parent that starts its pipeline processes, names them, and waits to be killed.
_PARENT = """
import sys, time
from generx.worker.local import PipelineProcesses
with PipelineProcesses(sys.argv[1], processes=2) as pool:
    print(*pool._executor._processes, flush=True)
    time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel ends them on Linux only")
def test_the_processes_end_when_the_parent_is_killed() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", _PARENT, STUB_LOADER], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert parent.stdout is not None
    children = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(children) == 2 and all(_alive(pid) for pid in children)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in children if _alive(pid)]
    for pid in left:  # not to leave them behind when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_two_processes_write_the_records_and_errors_one_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENERX_PIPELINE_LOADER", STUB_LOADER)
    monkeypatch.setenv("GENERX_BATCH_SIZE", "8")
    path = write_statements(tmp_path / "in.jsonl", 90)
    one, two = run("extract", str(path)), run("extract", str(path), "-j", "2")
    assert one[0] == two[0] == 1  # some statements failed
    assert one[1] == two[1]
    assert [json.loads(line)["statement_id"] for line in two[1].splitlines()]
    errors = [line for line in two[2].splitlines() if line.startswith("generx: error:")]
    assert errors == [line for line in one[2].splitlines() if line.startswith("generx: error:")] and errors
    assert "90 statements" in two[2]


def test_cli_names_a_pipeline_that_cannot_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENERX_PIPELINE_LOADER", "no_such_module_here:load")
    path = write_statements(tmp_path / "in.jsonl", 5)
    code, out, err = run("extract", str(path), "-j", "2")
    assert code == 2 and out == ""
    assert "cannot load the pipeline" in err and "Traceback" not in err


def test_cli_reports_a_lost_process_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENERX_PIPELINE_LOADER", DYING_LOADER)
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "TP53 DIE now."}) + "\n")
    code, _, err = run("extract", str(path), "-j", "2")
    assert code == 1
    assert "pipeline process ended" in err and "Traceback" not in err
