"""``generx extract`` (in-process) and the command line's job commands, with the stand-in pipeline."""

from __future__ import annotations

import json
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from generx.exports.formats import FORMATS
from generx.record import TSV_COLUMNS
from generx.worker.cli import app
from generx.worker.store import JobRow, NewStatement, StatementOutcome, get_store
from tests.conftest import DATA
from tests.fixtures_services import STUB_LOADER, broker_url, redis_server, write_statements

__all__ = ["broker_url", "redis_server"]  # fixtures used by name below


@pytest.fixture(autouse=True)
def stub_pipeline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GENERX_PIPELINE_LOADER", STUB_LOADER)
    monkeypatch.setenv("GENERX_DATABASE_URL", f"sqlite:///{tmp_path / 'generx.sqlite'}")


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_extract_writes_one_json_record_per_relation(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "PRDM1 inhibits IL2 in T cells."}) + "\n")
    code, out, err = run("extract", str(path))
    assert code == 0, err
    [record] = [json.loads(line) for line in out.splitlines()]
    assert (
        record["statement_id"],
        record["subject"]["name"],
        record["predicate"],
        record["object"]["id"],
    ) == (
        "a",
        "PRDM1",
        "negatively_regulates",
        "HGNC:6001",
    )
    assert record["trigger"] == {"text": "inhibits", "start": 6, "end": 14}
    assert "1 statements, 1 relations, 0 errors in" in err


def test_extract_uses_the_context_gene_for_a_missing_subject(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "activates CD28 signalling."}) + "\n")
    _, out, _ = run("extract", str(path), "--gene", "IL2")
    [record] = [json.loads(line) for line in out.splitlines()]
    assert record["implicit"] is True
    assert record["subject"] == {
        "text": "IL2",
        "start": None,
        "end": None,
        "type": "gene",
        "id": "HGNC:6001",
        "name": "IL2",
    }


def test_extract_tsv_has_a_header_and_a_row_per_relation(tmp_path: Path) -> None:
    path = write_statements(tmp_path / "in.jsonl", 3)
    out_path = tmp_path / "out.tsv"
    code, out, _ = run("extract", str(path), "--format", "tsv", "-o", str(out_path))
    assert code == 0
    assert out == ""
    header, *rows = out_path.read_text().splitlines()
    assert header.split("\t") == list(TSV_COLUMNS)
    assert len(rows) == 4  # 1 + 2 + 1 relations
    first = dict(zip(TSV_COLUMNS, rows[0].split("\t"), strict=True))
    assert first["subject_name"] == "PRDM1"
    assert first["negated"] == "false"
    assert first["object_id"] == "HGNC:6001"


def test_bad_input_is_reported_by_line_and_the_rest_processed(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "PRDM1 inhibits IL2."}),
        "{this is not json",
        json.dumps({"id": "c", "text": "This statement will CRASH the stand-in."}),
        json.dumps({"id": "d", "text": "TP53 activates MDM2."}),
    ]
    path.write_text("\n".join(lines) + "\n")
    code, out, err = run("extract", str(path))
    assert code == 1
    assert [json.loads(line)["statement_id"] for line in out.splitlines()] == ["a", "d"]
    assert "2" in err.split("error:")[1].split("\n")[0]  # the malformed line is named
    assert "c: ValueError: the stand-in pipeline cannot read CRASH" in err
    assert "4 statements, 2 relations, 2 errors" in err


def test_extract_reads_standard_input() -> None:
    code, out, _ = run("extract", "-", stdin="TP53 activates MDM2.\n")
    assert code == 0
    assert json.loads(out)["predicate"] == "positively_regulates"


def test_usage_errors_exit_with_2(tmp_path: Path) -> None:
    code, _, err = run("extract", str(tmp_path / "missing.txt"))
    assert code == 2
    assert "cannot read" in err and "missing.txt" in err
    assert run("extract", "-", "--format", "xml", stdin="x\n")[0] == 2
    code, _, err = run("status", "0123")
    assert (code, "no job '0123'" in err) == (2, True)
    assert run("results", "0123")[0] == 2


def test_extract_writes_every_export_format(tmp_path: Path) -> None:
    path = write_statements(tmp_path / "in.jsonl", 6)
    for fmt in FORMATS:
        out = tmp_path / f"out.{fmt}"
        code, _, err = run("extract", str(path), "--format", fmt, "-o", str(out))
        assert code == 1, err  # the statement that crashes the stand-in is reported, the rest written
        data = out.read_bytes()
        if fmt in ("sif", "kgx"):
            with tarfile.open(out) as archive:
                assert archive.getnames()
        elif fmt in ("bioc", "graphml", "svg"):
            assert ET.fromstring(data) is not None
        elif fmt in ("indra", "cx"):
            assert json.loads(data)
        else:
            assert b"IL2" in data, fmt


def test_report_of_a_records_file_and_of_a_job(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    assert run("extract", str(write_statements(tmp_path / "in.jsonl", 6)), "-o", str(records))[0] == 1
    html, svg = tmp_path / "r.html", tmp_path / "r.svg"
    code, _, err = run("report", str(records), "-o", str(html), "--svg", str(svg))
    assert code == 0, err
    page = html.read_text()
    assert "<table" in page and "PRDM1" in page and "http://" not in page and "https://" not in page
    assert ET.parse(svg).getroot().tag.endswith("svg")

    # A job read from the store: BioC needs the statements' text, which the store keeps.
    store = get_store(f"sqlite:///{tmp_path / 'generx.sqlite'}")
    store.migrate()
    statements = [NewStatement("s1", "PRDM1 inhibits IL2 in T cells.", gene="IL2")]
    store.create_job("job1", statements, chunk_size=10)
    relation = json.loads(records.read_text().splitlines()[0])
    mentions = [relation["subject"], relation["object"]]
    store.save_outcomes("job1", [StatementOutcome(0, relations=[relation], mentions=mentions)])
    code, out, err = run("results", "job1", "--format", "bioc")
    assert code == 0, err
    document = ET.fromstring(out).find("document")
    assert document is not None and document.findtext("passage/text") == statements[0].text
    assert len(document.findall("passage/annotation")) == 2 and len(document.findall("relation")) == 1
    assert run("report", "job1", "-o", str(tmp_path / "job.html"))[0] == 0
    assert "job1" in (tmp_path / "job.html").read_text()
    assert run("report", "nojob", "-o", str(tmp_path / "x.html"))[0] == 2


def test_results_filter_by_go_function_component_and_family(tmp_path: Path) -> None:
    records = [json.loads(line) for line in (DATA / "exports" / "records.jsonl").read_text().splitlines()]
    store = get_store(f"sqlite:///{tmp_path / 'generx.sqlite'}")
    store.migrate()
    store.create_job("job2", [NewStatement("s1", "text", gene="TOMM20")], chunk_size=10)
    mentions = [arg for r in records for arg in (r["subject"], r["object"])]
    store.save_outcomes("job2", [StatementOutcome(0, relations=records, mentions=mentions)])
    for option, value, predicate in (
        ("--component", "mitochondrion", "located_in"),
        ("--function", "GO:0004674", "enables"),
        ("--family", "Claudins", "member_of"),
    ):
        code, out, err = run("results", "job2", option, value)
        assert code == 0, err
        found = [json.loads(line) for line in out.splitlines()]
        assert found and {r["predicate"] for r in found} == {predicate}


def test_hostile_lines_cost_only_themselves(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "PRDM1 inhibits IL2."}),
        '{"text": ' + "[" * 50_000 + "]" * 50_000 + "}",
        '{"text": "IL2 binds CD28.", "n": ' + "7" * 5001 + "}",
        json.dumps({"id": "d", "text": "TP53 activates MDM2."}),
    ]
    path.write_text("\n".join(lines) + "\n")
    code, out, err = run("extract", str(path))
    assert code == 1
    assert [json.loads(line)["statement_id"] for line in out.splitlines()] == ["a", "d"]
    assert "in.jsonl:2: unreadable JSON: nested too deeply" in err
    assert "in.jsonl:3: unreadable JSON" in err
    assert "Traceback" not in err


def test_extract_in_two_processes_writes_what_one_does(tmp_path: Path) -> None:
    path = write_statements(tmp_path / "in.jsonl", 150)
    one = run("extract", str(path))
    two = run("extract", str(path), "-j", "2")
    assert one[0] == two[0] == 1  # the stand-in's CRASH statements
    assert one[1] == two[1] and one[1]
    assert "150 statements" in two[2]


def test_status_shows_progress_and_resume_requeues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENERX_BROKER_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("GENERX_QUEUE", f"generx.test.{tmp_path.name}")
    store = get_store(f"sqlite:///{tmp_path / 'generx.sqlite'}")
    store.migrate()
    store.create_job("job1", [NewStatement(f"s{i}", "TP53 activates MDM2.") for i in range(4)], chunk_size=2)
    store.mark_running("job1")
    store.save_outcomes("job1", [StatementOutcome(0), StatementOutcome(1)])
    code, out, err = run("status", "job1")
    assert code == 0
    status = json.loads(out)
    assert (status["done"], status["total"]) == (2, 4)
    assert status["rate"] > 0 and status["eta_seconds"] > 0
    assert "generx: job job1 running: 2/4 statements" in err and "/s, about" in err
    code, _, err = run("resume", "job1")
    assert (code, err.strip()) == (0, "generx: job job1: 1 chunk queued")  # chunk 0 is done


def test_submit_sets_how_the_job_is_read_and_status_shows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broker_url: str
) -> None:
    monkeypatch.setenv("GENERX_BROKER_URL", broker_url)
    path = write_statements(tmp_path / "in.jsonl", 3)
    code, out, err = run("submit", str(path), "--min-confidence", "0.05", "--convention", "genia")
    assert code == 0, err
    job_id = out.strip()
    code, out, err = run("status", job_id)
    assert code == 0, err
    status = json.loads(out)
    assert (status["min_confidence"], status["convention"]) == (0.05, "genia")
    assert f"generx: job {job_id} queued: 0/3 statements, min confidence 0.05, genia convention" in err
    code, out, err = run("submit", str(path), "--convention", "pubmed")
    assert (code, out) == (2, "")
    assert "generx: no relation convention 'pubmed' in the relation model (it has: bioinfer," in err
    code, out, err = run("submit", str(path), "--min-confidence", "1.5")
    assert (code, out) == (2, "")
    assert "Invalid value for '--min-confidence'" in err  # refused by the option itself, as extract's
    with get_store(f"sqlite:///{tmp_path / 'generx.sqlite'}").session() as session:
        assert session.scalar(select(func.count()).select_from(JobRow)) == 1
