"""Hostile and unusual input values: each is a named error of its own statement, never a crash or a
lost file (issue 17, point 6)."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from generx.pipelines.errors import InvalidStatement
from generx.pipelines.statements import (
    GivenEntity,
    InputTooLarge,
    Statement,
    read_statement_stream,
    read_statements,
    read_statements_from_bytes,
    statement_problem,
)

GOOD = json.dumps({"id": "good", "text": "PRDM1 inhibits IL2."})


def read_jsonl(*lines: str) -> list[Statement | InvalidStatement]:
    return list(read_statements_from_bytes(("\n".join(lines) + "\n").encode(), name="in.jsonl"))


def test_json_nested_50000_deep_is_an_error_of_its_line() -> None:
    deep = '{"text": ' + "[" * 50_000 + "]" * 50_000 + "}"
    first, bad, last = read_jsonl(GOOD, deep, GOOD.replace("good", "after"))
    assert isinstance(bad, InvalidStatement)
    assert (bad.line, bad.reason) == (2, "unreadable JSON: nested too deeply")
    assert [first.id, last.id] == ["good", "after"]  # type: ignore[union-attr]


def test_a_5001_digit_number_is_an_error_of_its_line_not_of_the_file() -> None:
    huge = '{"text": "IL2 binds CD28.", "score": ' + "9" * 5001 + "}"
    first, bad = read_jsonl(GOOD, huge)
    assert isinstance(first, Statement)
    assert isinstance(bad, InvalidStatement)
    assert bad.line == 2
    assert "digits" in bad.reason


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"text": "IL2\u0000 binds CD28."}, "a NUL character in the text"),
        ({"id": "a\u0000", "text": "IL2 binds CD28."}, "a NUL character in the id"),
        ({"text": "IL2 binds CD28.", "gene": "G" * 101}, "gene of 101 characters (at most 100)"),
    ],
)
def test_values_the_database_cannot_hold_are_named(row: dict[str, str], message: str) -> None:
    first, bad = read_jsonl(GOOD, json.dumps(row))
    assert isinstance(first, Statement)
    assert isinstance(bad, InvalidStatement)
    assert bad.reason == message


def test_a_pubtator_mention_with_a_negative_offset_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "neg.pubtator"
    path.write_text(
        "1|t|IL2 binds CD28.\n1\t-4\t3\tIL2\tGene\t3558\n\n"
        "2|t|TP53 binds MDM2.\n2\t0\t4\tTP53\tGene\t7157\n\n"
    )
    bad, good = read_statements(path)
    assert isinstance(bad, InvalidStatement)
    assert bad.statement_id == "1"
    assert "offsets -4-3 outside the text" in bad.reason
    assert isinstance(good, Statement)
    assert good.entities == (GivenEntity(0, 4, "TP53", "gene", "7157"),)


@pytest.mark.parametrize(
    ("entity", "message"),
    [
        (GivenEntity(0, 3, "IL2", "gene", "3558"), None),
        (GivenEntity(0, 40, "IL2", "gene", "3558"), "entity 1: mention offsets 0-40 outside the text"),
        (GivenEntity(0, 3, "CD28", "gene", "940"), "entity 1: mention 'CD28' does not match the text"),
        (GivenEntity(0, 3, "IL2", "gene", "9" * 101), "entity 1: id of 101 characters (at most 100)"),
        (GivenEntity(0, 3, "IL2", "g" * 33, "1"), "entity 1: type of 33 characters (1 to 32)"),
    ],
)
def test_statement_problem_checks_entities_as_the_readers_do(
    entity: GivenEntity, message: str | None
) -> None:
    problem = statement_problem(Statement("s", "IL2 binds CD28.", entities=(entity,)))
    assert problem == message or (message is not None and problem is not None and problem.startswith(message))


def test_a_gzip_bomb_stops_at_the_inflated_limit() -> None:
    bomb = gzip.compress(b"IL2 binds CD28.\n" * 1_000_000)  # 16 MB inflated, about 50 kB gzipped
    assert len(bomb) < 100_000
    with pytest.raises(InputTooLarge, match="inflates to more than 1000000 bytes"):
        list(read_statement_stream(io.BytesIO(bomb), name="bomb.txt.gz", max_bytes=1_000_000))
    # Under the limit it reads as usual.
    small = gzip.compress(b"IL2 binds CD28.\n" * 10)
    assert len(list(read_statement_stream(io.BytesIO(small), name="s.txt.gz", max_bytes=1_000_000))) == 10
