"""``generx extract`` (in-process) and the command line's job commands, with the stand-in pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.fixtures_services import STUB_LOADER, write_statements
from worker.cli import app
from worker.formats import TSV_COLUMNS


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
