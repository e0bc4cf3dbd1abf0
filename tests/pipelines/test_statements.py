"""The statement readers: every input format of ``generx extract`` and of job submission, and bad input."""

from __future__ import annotations

import gzip
import io
import itertools
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from generx.pipelines.errors import InvalidStatement
from generx.pipelines.statements import (
    MAX_LINE_BYTES,
    GivenEntity,
    Statement,
    detect_format,
    entity_type,
    genatlas_statement,
    read_statement_stream,
    read_statements,
    read_statements_from_bytes,
)
from tests.conftest import DATA

FILES = DATA / "statements"
IL2_PAGE = DATA / "genatlas_IL2.txt"


def read(source: str | Path, **options: str) -> list[Statement | InvalidStatement]:
    return list(read_statements(source, **options))


def good(items: list[Statement | InvalidStatement]) -> list[Statement]:
    return [item for item in items if isinstance(item, Statement)]


def errors(items: list[Statement | InvalidStatement]) -> list[InvalidStatement]:
    return [item for item in items if isinstance(item, InvalidStatement)]


# --- plain text ----------------------------------------------------------------------------------


def test_plain_text_one_statement_a_line_with_blank_lines_skipped() -> None:
    items = read(FILES / "plain.txt", gene="IL2")
    assert [(s.id, s.text, s.gene) for s in good(items)] == [
        ("plain.txt:1", "IRF4 activates IL2.", "IL2"),
        ("plain.txt:3", "PRDM1 represses IL2.", "IL2"),
        ("plain.txt:5", "NFKB1 controls CSF2 expression.", "IL2"),
    ]
    assert errors(items) == []
    assert all(s.entities is None for s in good(items))


def test_crlf_line_ends_are_not_part_of_the_text() -> None:
    items = read(FILES / "crlf.txt")
    assert [(s.id, s.text) for s in good(items)] == [
        ("crlf.txt:1", "IRF4 activates IL2."),
        ("crlf.txt:2", "PRDM1 represses IL2."),
        ("crlf.txt:4", "ETS1 promotes IL2 expression."),
    ]
    assert errors(items) == []


def test_a_byte_order_mark_is_dropped() -> None:
    items = read(FILES / "bom.txt")
    assert [s.text for s in good(items)] == ["IRF4 activates IL2.", "PRDM1 represses IL2."]
    assert errors(items) == []


def test_an_empty_file_gives_one_error_for_the_file() -> None:
    items = read(FILES / "empty.txt")
    assert len(items) == 1
    assert isinstance(items[0], InvalidStatement)
    assert "empty file" in str(items[0])
    assert items[0].statement_id == "empty.txt"


def test_a_file_of_blank_lines_has_no_statements() -> None:
    [item] = read_statements_from_bytes(b"\n  \n\t\n", name="blank.txt")
    assert isinstance(item, InvalidStatement)
    assert "no statements" in str(item)


def test_an_undecodable_byte_costs_only_its_line() -> None:
    items = read(FILES / "bad_utf8.txt")
    assert [s.id for s in good(items)] == ["bad_utf8.txt:1", "bad_utf8.txt:3"]
    [error] = errors(items)
    assert error.line == 2
    assert error.statement_id == "bad_utf8.txt:2"
    assert "UTF-8" in str(error)
    assert str(error).startswith("bad_utf8.txt:2: ")
    # The error comes where the line was, so results keep the input order.
    assert items[1] is error


def test_a_one_megabyte_line_is_too_long_and_the_next_lines_are_read(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(b"IRF4 activates IL2.\n" + b"x" * 1024 * 1024 + b"\nPRDM1 represses IL2.\n")
    items = read(path)
    assert [s.id for s in good(items)] == ["long.txt:1", "long.txt:3"]
    [error] = errors(items)
    assert error.line == 2
    assert "line too long" in str(error)
    assert str(MAX_LINE_BYTES) in str(error)


def test_a_line_just_under_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(b"a" * MAX_LINE_BYTES + b"\n")
    [item] = read(path)
    assert isinstance(item, Statement)
    assert len(item.text) == MAX_LINE_BYTES


def test_a_binary_file_gives_one_error_for_the_file() -> None:
    items = read(FILES / "binary.bin")
    assert len(items) == 1
    assert isinstance(items[0], InvalidStatement)
    assert "binary" in str(items[0])
    assert items[0].statement_id == "binary.bin"


def test_a_utf16_file_is_named_as_such() -> None:
    [item] = read_statements_from_bytes("IRF4 activates IL2.\n".encode("utf-16"), name="u16.txt")
    assert isinstance(item, InvalidStatement)
    assert "UTF-16" in str(item)


def test_stdin_is_read_for_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"IRF4 activates IL2.\n\nPRDM1 represses IL2.\n"))
    monkeypatch.setattr(sys, "stdin", stdin)
    items = read("-", gene="IL2")
    assert [(s.id, s.text, s.gene) for s in good(items)] == [
        ("stdin:1", "IRF4 activates IL2.", "IL2"),
        ("stdin:3", "PRDM1 represses IL2.", "IL2"),
    ]


def test_stdin_format_is_detected_from_content(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO((FILES / "rows.jsonl").read_bytes()))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert [s.id for s in good(read("-"))][:2] == ["s1", "s2"]


def test_a_missing_file_raises_at_once() -> None:
    with pytest.raises(FileNotFoundError):
        read_statements(FILES / "no_such_file.txt")


def test_an_unknown_format_raises_at_once() -> None:
    with pytest.raises(ValueError, match="unknown input format"):
        read_statements(FILES / "plain.txt", fmt="csv")


class EndlessStatements(io.RawIOBase):
    """A stream of statements that never ends, and fails if read far: only a lazy reader gets through it."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        assert self.given < 1024 * 1024, "the reader read far ahead of what was asked"
        data = (b"IRF4 activates IL2.\n" * (len(buffer) // 20 + 1))[: len(buffer)]
        buffer[: len(data)] = data
        self.given += len(data)
        return len(data)


def test_reading_is_lazy() -> None:
    stream = io.BufferedReader(EndlessStatements())
    first = list(itertools.islice(read_statement_stream(stream, name="endless.txt"), 3))
    assert [item.id for item in good(first)] == ["endless.txt:1", "endless.txt:2", "endless.txt:3"]


# --- JSON Lines and TSV -----------------------------------------------------------------------------


def test_jsonl_rows_and_their_errors() -> None:
    items = read(FILES / "rows.jsonl", gene="IL2")
    assert [(s.id, s.text, s.gene) for s in good(items)] == [
        ("s1", "IRF4 activates IL2.", "IRF4"),  # the row's gene wins
        ("s2", "required for T-cell proliferation", "IL2"),  # else the gene option
        ("rows.jsonl:7", "ETS1 promotes IL2 expression.", "IL2"),  # no id: file name and line
    ]
    problems = {error.line or 0: str(error) for error in errors(items)}
    assert sorted(problems) == [4, 5, 6, 8]
    assert "malformed JSON" in problems[4]
    assert "JSON object" in problems[5]
    assert "text" in problems[6]
    assert "duplicate id 's1'" in problems[8]
    assert problems[4].startswith("rows.jsonl:4: ")


def test_tsv_rows_and_their_errors() -> None:
    items = read(FILES / "rows.tsv", gene="IL2")
    assert [(s.id, s.text, s.gene) for s in good(items)] == [
        ("r1", "IRF4 activates IL2.", "IRF4"),
        ("r2", "required for T-cell proliferation", "IL2"),
        ("rows.tsv:6", 'ETS1 promotes "IL2" expression.', "IL2"),  # quotes are text in TSV
    ]
    [error] = errors(items)
    assert error.line == 4
    assert "2 tab-separated columns" in str(error)


def test_tsv_columns_may_come_in_any_order(tmp_path: Path) -> None:
    path = tmp_path / "rows.tsv"
    path.write_text("Text\tID\tsource\nIRF4 activates IL2.\tx1\tGeneRIF\n")
    [item] = read(path)
    assert item == Statement(id="x1", text="IRF4 activates IL2.")


def test_tsv_without_a_text_column_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "rows.tsv"
    path.write_text("id\tsentence\nx1\tIRF4 activates IL2.\n")
    [item] = read(path)
    assert isinstance(item, InvalidStatement)
    assert item.line == 1
    assert "text" in str(item)


# --- GenAtlas pages ---------------------------------------------------------------------------------


def il2_statements() -> dict[int, Statement]:
    items = read(IL2_PAGE)
    assert errors(items) == []
    return {int(s.id.rsplit(":", 1)[1]): s for s in good(items)}


def test_the_il2_page_is_detected_as_genatlas() -> None:
    assert detect_format(IL2_PAGE.name, IL2_PAGE.read_bytes()) == "genatlas"


def test_il2_page_statements_are_the_lines_of_the_gold_file() -> None:
    statements = il2_statements()
    gold = [json.loads(line) for line in (DATA / "genatlas_IL2.gold.jsonl").read_text().splitlines()]
    page = IL2_PAGE.read_text(encoding="utf-8").splitlines()
    for line in {row["line"] for row in gold if row["tier"] != "must_not"}:
        statement = statements[line]
        assert statement.id == f"genatlas_IL2.txt:{line}"
        assert statement.gene == "IL2"
        # The text is the line without its bullet and the spaces around it.
        assert statement.text == page[line - 1].strip().removeprefix("•").strip()
    for line in {row["line"] for row in gold if row["tier"] == "must_not"}:
        assert line not in statements


def test_il2_page_known_statements() -> None:
    statements = il2_statements()
    assert statements[62].text == (
        "PRDM1 is a transcription repressor that is known to negatively regulate the expression of IL2"
    )
    assert statements[62].text[90:93] == "IL2"  # offsets count from the statement's first word
    assert statements[73].text.startswith("activated by JUNB, a transcriptional activator")
    assert statements[79].text.startswith("correlates with reduced function of CD4+ CD25+")


def test_il2_page_header_synonyms_and_fields_are_not_statements() -> None:
    statements = il2_statements()
    for line in (4, 5, 6, 8, 11, 12, 13, 14, 15, 16, 17, 25, 27, 33, 41, 42, 44, 54, 72, 74, 78):
        assert line not in statements, line


def test_the_gene_option_overrides_the_page_symbol() -> None:
    assert {s.gene for s in good(read(IL2_PAGE, gene="IL-2"))} == {"IL-2"}


def test_genatlas_statement_rule() -> None:
    assert genatlas_statement("  • IRF4 activates IL2") == "IRF4 activates IL2"
    assert genatlas_statement("  • MAPPING cloned Y linked N status confirmed") is None
    assert genatlas_statement("  • cell & other") is None
    assert genatlas_statement("    repressed by TP53") == "repressed by TP53"
    assert genatlas_statement("    ortholog to murine Il2") is None
    assert genatlas_statement("    cell life, antiapoptosis") is None
    assert genatlas_statement("Symbol IL2 contributors: mct/npt/pgu - updated : 24-10-2017") is None


def test_genatlas_page_with_crlf_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(IL2_PAGE.read_bytes().replace(b"\n", b"\r\n"))
    items = read(path)
    assert errors(items) == []
    assert {s.id.rsplit(":", 1)[1] for s in good(items)} == {str(n) for n in il2_statements()}


# --- PubTator and BioC ------------------------------------------------------------------------------

DOC_1001 = Statement(
    id="1001",
    text="IRF4 activates IL2 in T cells. PRDM1 represses IL2 and T cell proliferation.",
    entities=(
        GivenEntity(0, 4, "IRF4", "gene", "3662"),
        GivenEntity(15, 18, "IL2", "gene", "3558"),
        GivenEntity(22, 29, "T cells", "celltype", "CL:0000084"),
        GivenEntity(31, 36, "PRDM1", "gene", "639;12142"),
        GivenEntity(47, 50, "IL2", "gene", "3558"),
        GivenEntity(55, 75, "T cell proliferation", "process", "GO:0042098"),
    ),
)


def test_pubtator_documents() -> None:
    items = read(FILES / "small.pubtator")
    assert [item.statement_id if isinstance(item, InvalidStatement) else item.id for item in items] == [
        "1001",
        "1002",
        "1003",
    ]
    assert items[0] == DOC_1001
    for entity in DOC_1001.entities or ():
        assert DOC_1001.text[entity.start : entity.end] == entity.text
    # The bad document is reported whole, naming the line of its bad mention.
    assert isinstance(items[1], InvalidStatement)
    assert items[1].line == 14
    assert "TAB1" in str(items[1])
    third = items[2]
    assert isinstance(third, Statement)
    assert [(e.text, e.id) for e in third.entities or ()][-2:] == [("CSF2", "1437,1438"), ("NFKB1", "4790")]


def test_bioc_gives_the_same_statements_as_its_pubtator_twin() -> None:
    pubtator = read(FILES / "small.pubtator")
    bioc = read(FILES / "small.bioc.xml")
    assert bioc[0] == DOC_1001
    assert bioc[2] == pubtator[2]
    assert isinstance(bioc[1], InvalidStatement)
    assert bioc[1].statement_id == "1002"


def test_pubtator_and_bioc_are_detected_by_content(tmp_path: Path) -> None:
    shutil.copy(FILES / "small.pubtator", tmp_path / "a.txt")
    shutil.copy(FILES / "small.bioc.xml", tmp_path / "b.txt")
    assert read(tmp_path / "a.txt")[0] == DOC_1001
    assert read(tmp_path / "b.txt")[0] == DOC_1001


def test_gzip_files_are_read(tmp_path: Path) -> None:
    path = tmp_path / "small.pubtator.gz"
    path.write_bytes(gzip.compress((FILES / "small.pubtator").read_bytes()))
    assert read(path)[0] == DOC_1001


def test_a_truncated_gzip_file_keeps_the_lines_before_the_break(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt.gz"
    data = gzip.compress("".join(f"statement {n}\n" for n in range(1, 20_001)).encode())
    path.write_bytes(data[: len(data) // 2])
    items = read(path)
    assert isinstance(items[0], Statement)
    assert items[0].id == "cut.txt.gz:1"
    assert isinstance(items[-1], InvalidStatement)
    assert "cannot read on" in str(items[-1])


def test_truncated_bioc_keeps_the_documents_before_the_break() -> None:
    data = (FILES / "small.bioc.xml").read_bytes()
    cut = data.index(b"<document>", data.index(b"<id>1002</id>"))
    items = list(read_statements_from_bytes(data[:cut] + b"<document><id>1003</oops>", name="cut.xml"))
    assert items[0] == DOC_1001
    assert isinstance(items[-1], InvalidStatement)
    assert "malformed XML" in str(items[-1])
    assert items[-1].line is not None


def test_entity_types() -> None:
    assert entity_type("Gene") == "gene"
    assert entity_type("GeneOrGeneProduct") == "gene"
    assert entity_type("GO_BP") == "process"
    assert entity_type("MolecularFunction") == "function"
    assert entity_type("CellularComponent") == "component"
    assert entity_type("GeneFamily") == "family"
    assert entity_type("ChemicalEntity") == "chemicalentity"


# --- uploads and format choice ----------------------------------------------------------------------


def test_uploaded_bytes_share_the_file_readers() -> None:
    data = (FILES / "rows.tsv").read_bytes()
    uploaded = list(read_statements_from_bytes(data, name="rows.tsv", gene="IL2"))
    from_file = read(FILES / "rows.tsv", gene="IL2")
    assert good(uploaded) == good(from_file)
    assert [str(error) for error in errors(uploaded)] == [str(error) for error in errors(from_file)]


def test_fmt_forces_a_format() -> None:
    # A JSON Lines file read as plain text: each line is a statement, JSON and all.
    items = read(FILES / "rows.jsonl", fmt="text")
    assert good(items)[0].text == '{"id": "s1", "text": "IRF4 activates IL2.", "gene": "IRF4"}'


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.jsonl", b"", "jsonl"),
        ("a.tsv.gz", b"", "tsv"),
        ("Train.BioC.XML", b"", "bioc"),
        ("Dev.PubTator", b"", "pubtator"),
        ("a.txt", b'{"id": "1", "text": "x"}\n', "jsonl"),
        ("a.txt", b"id\tgene\ttext\n1\tIL2\tx\n", "tsv"),
        ("a.txt", b"id\tgene\n1\tIL2\n", "text"),
        ("a.txt", b"123|t|A title\n123|a|An abstract\n", "pubtator"),
        ("a", b"<?xml version='1.0'?><collection><document/></collection>", "bioc"),
        ("a.txt", b"IRF4 activates IL2.\n", "text"),
    ],
)
def test_detect_format(name: str, head: bytes, expected: str) -> None:
    assert detect_format(name, head) == expected
