"""BioC XML and PubTator exports: well-formed, complete, and read back by generx's own readers.

The unit tests build Documents by hand. The round trip (marked ``model``) runs the pipeline on the IL2
GenAtlas page, exports what it found, reads the export back (the mentions are then given entities) and
extracts again: the same relations must come out.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from generx.exports import Document
from generx.exports.bioc import MissingText, UnwritableId, write_bioc, write_pubtator
from generx.pipelines.errors import InvalidStatement
from generx.pipelines.extract import StatementResult, extract
from generx.pipelines.statements import GivenEntity, Statement, read_statements, read_statements_from_bytes
from tests.conftest import DATA

TEXT = "PRDM1 is known to negatively regulate IL2 but not T-cell proliferation"


def mention(text: str, kind: str, gene_id: str | None, name: str) -> dict[str, Any]:
    start = TEXT.index(text)
    return {"text": text, "start": start, "end": start + len(text), "type": kind, "id": gene_id, "name": name}


PRDM1 = mention("PRDM1", "gene", "HGNC:9346", "PRDM1")
IL2 = mention("IL2", "gene", "HGNC:6001", "IL2")
PROLIFERATION = {
    **mention("T-cell proliferation", "process", "GO:0042098", "T cell proliferation"),
    "candidates": [{"id": "GO:0042098", "score": 1.0}, {"id": "GO:0046633", "score": 0.9}],
}
CONTEXT = {"text": "BLIMP1", "start": None, "end": None, "type": "gene", "id": "HGNC:9346", "name": "PRDM1"}


def relation(subject: dict[str, Any], predicate: str, obj: dict[str, Any], **flags: Any) -> dict[str, Any]:
    trigger = "negatively regulate"
    start = TEXT.index(trigger)
    return {
        "statement_id": "s1",
        "subject": subject,
        "predicate": predicate,
        "object": obj,
        "negated": flags.get("negated", False),
        "hedged": flags.get("hedged", False),
        "implicit": flags.get("implicit", False),
        "trigger": {"text": trigger, "start": start, "end": start + len(trigger)},
        "evidence": {"text": TEXT, "start": 0, "end": len(TEXT)},
        "confidence": 0.739,
        "pipeline": "generx 0.1.0 / models generx_bio_sm 0.1.0",
    }


RELATIONS = [
    relation(PRDM1, "negatively_regulates", IL2),
    relation(PRDM1, "negatively_regulates", PROLIFERATION, negated=True),
    relation(CONTEXT, "negatively_regulates", IL2, implicit=True, hedged=True),
]


def document(**changes: Any) -> Document:
    fields: dict[str, Any] = {
        "id": "s1",
        "text": TEXT,
        "gene": "BLIMP1",
        "mentions": [PRDM1, IL2, PROLIFERATION],
        "relations": RELATIONS,
    }
    return Document(**{**fields, **changes})


def bioc(*documents: Document) -> bytes:
    out = io.BytesIO()
    write_bioc(documents, out, date="20240101")
    return out.getvalue()


def pubtator(*documents: Document) -> bytes:
    out = io.BytesIO()
    write_pubtator(documents, out)
    return out.getvalue()


def read_back(data: bytes, fmt: str, **options: str) -> list[Statement]:
    items = list(read_statements_from_bytes(data, name=f"export.{fmt}", fmt=fmt, **options))
    assert [item for item in items if isinstance(item, InvalidStatement)] == []
    return [item for item in items if isinstance(item, Statement)]


def given(*mentions: dict[str, Any]) -> tuple[GivenEntity, ...]:
    return tuple(GivenEntity(m["start"], m["end"], m["text"], m["type"], m["id"] or "") for m in mentions)


def infons(element: ET.Element) -> dict[str, str]:
    return {infon.get("key", ""): infon.text or "" for infon in element.findall("infon")}


# --- BioC ----------------------------------------------------------------------------------------------


def test_bioc_is_a_well_formed_collection_with_an_annotation_per_mention() -> None:
    out = io.BytesIO()
    assert write_bioc([document()], out, date="20240101") == 3
    root = ET.fromstring(out.getvalue())
    assert (root.tag, root.findtext("source"), root.findtext("date"), root.findtext("key")) == (
        "collection",
        "generx",
        "20240101",
        "generx.key",
    )
    (doc,) = root.findall("document")
    assert doc.findtext("id") == "s1"
    assert infons(doc) == {"gene": "BLIMP1"}
    (passage,) = doc.findall("passage")
    assert (passage.findtext("offset"), passage.findtext("text")) == ("0", TEXT)
    annotations = passage.findall("annotation")
    assert [(a.findtext("text"), infons(a)["type"], infons(a)["identifier"]) for a in annotations] == [
        ("PRDM1", "Gene", "HGNC:9346"),
        ("IL2", "Gene", "HGNC:6001"),
        ("T-cell proliferation", "BiologicalProcess", "GO:0042098"),
    ]
    location = annotations[2].find("location")
    assert location is not None
    assert (int(location.get("offset", "")), int(location.get("length", ""))) == (50, 20)
    assert infons(annotations[2])["name"] == "T cell proliferation"
    assert infons(annotations[2])["candidates"] == "GO:0042098,GO:0046633"


def test_bioc_relations_point_at_annotations_and_keep_every_qualifier() -> None:
    doc = ET.fromstring(bioc(document())).find("document")
    assert doc is not None
    by_id = {a.get("id"): a for a in doc.iter("annotation")}
    relations = doc.findall("relation")
    assert len(relations) == 3
    assert infons(relations[0]) == {
        "type": "negatively_regulates",
        "sign": "-",
        "negated": "false",
        "hedged": "false",
        "implicit": "false",
        "confidence": "0.739",
        "trigger": "negatively regulate",
        "trigger_start": "18",
        "trigger_end": "37",
        "evidence_start": "0",
        "evidence_end": "70",
        "pipeline": "generx 0.1.0 / models generx_bio_sm 0.1.0",
    }
    nodes = {node.get("role"): by_id[node.get("refid")] for node in relations[0].findall("node")}
    assert (nodes["subject"].findtext("text"), nodes["object"].findtext("text")) == ("PRDM1", "IL2")
    assert infons(relations[1])["negated"] == "true"
    # The implicit subject is a document-level annotation without a location, in no passage.
    assert (infons(relations[2])["implicit"], infons(relations[2])["hedged"]) == ("true", "true")
    subject_ref = relations[2].find("node[@role='subject']")
    assert subject_ref is not None
    context = by_id[subject_ref.get("refid")]
    assert context in doc.findall("annotation")
    assert context.find("location") is None
    assert (context.findtext("text"), infons(context)["identifier"], infons(context)["implicit"]) == (
        "BLIMP1",
        "HGNC:9346",
        "true",
    )


def test_bioc_reads_back_as_the_statement_with_its_mentions_and_gene() -> None:
    (statement,) = read_back(bioc(document()), "bioc", gene="IL2")
    # The document's own gene infon wins over the reader's ``gene``.
    assert statement == Statement("s1", TEXT, gene="BLIMP1", entities=given(PRDM1, IL2, PROLIFERATION))
    (without_gene,) = read_back(bioc(document(gene=None)), "bioc", gene="IL2")
    assert without_gene.gene == "IL2"


def go_annotation_documents() -> list[Document]:
    """The fixture's enables, located_in and part_of records, each with its statement's text."""
    lines = (DATA / "exports" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    return [
        Document(id=record["statement_id"], text=record["evidence"]["text"], relations=[record])
        for record in records
        if record["predicate"] in ("enables", "located_in", "part_of")
    ]


def test_go_functions_and_components_are_typed_by_their_aspect() -> None:
    out = io.BytesIO()
    assert write_bioc(go_annotation_documents(), out, date="20240101") == 3
    root = ET.fromstring(out.getvalue())
    found = []
    for doc in root.findall("document"):
        by_ref = {a.get("id"): a for a in doc.iter("annotation")}
        (rel,) = doc.findall("relation")
        nodes = {node.get("role"): by_ref[node.get("refid")] for node in rel.findall("node")}
        found.append(
            (
                infons(rel)["type"],
                infons(rel)["sign"],
                infons(nodes["subject"])["type"],
                infons(nodes["object"])["type"],
                infons(nodes["object"])["identifier"],
                nodes["object"].findtext("text"),
            )
        )
    assert found == [
        ("enables", "0", "Gene", "MolecularFunction", "GO:0004674", "serine/threonine kinase"),
        ("located_in", "0", "Gene", "CellularComponent", "GO:0005739", "mitochondria"),
        ("part_of", "0", "Gene", "CellularComponent", "GO:0016592", "mediator complex"),
    ]
    out = io.BytesIO()
    assert write_pubtator(go_annotation_documents(), out) == 3
    lines = [line.split("\t") for line in out.getvalue().decode().splitlines() if "\t" in line]
    assert ["genatlas_TOMM20.txt:4", "20", "32", "mitochondria", "CellularComponent", "GO:0005739"] in lines
    assert [
        "genatlas_AKT1.txt:3",
        "20",
        "43",
        "serine/threonine kinase",
        "MolecularFunction",
        "GO:0004674",
    ] in lines
    assert ["genatlas_MED1.txt:2", "part_of", "HGNC:9234", "GO:0016592"] in lines


def test_a_gene_family_is_a_genefamily_annotation_and_reads_back_as_family() -> None:
    """member_of: the object, an HGNC gene group, is annotated GeneFamily with its HGNC.FAMILY id in BioC
    and PubTator, and generx's readers give it back as a ``family`` entity."""
    lines = (DATA / "exports" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    (record,) = [r for r in map(json.loads, filter(str.strip, lines)) if r["predicate"] == "member_of"]
    family = record["object"]
    member = Document(id=record["statement_id"], text=record["evidence"]["text"], relations=[record])
    root = ET.fromstring(bioc(member))
    by_ref = {a.get("id"): a for a in root.iter("annotation")}
    (rel,) = root.iter("relation")
    nodes = {node.get("role"): by_ref[node.get("refid")] for node in rel.findall("node")}
    assert (infons(rel)["type"], infons(rel)["sign"]) == ("member_of", "0")
    assert infons(nodes["subject"])["type"] == "Gene"
    found = infons(nodes["object"])
    assert (found["type"], found["identifier"], found["name"]) == (
        "GeneFamily",
        "HGNC.FAMILY:488",
        "Claudins",
    )
    lines = [line.split("\t") for line in pubtator(member).decode().splitlines() if "\t" in line]
    assert [record["statement_id"], "25", "39", "claudin family", "GeneFamily", "HGNC.FAMILY:488"] in lines
    assert [record["statement_id"], "member_of", "HGNC:2032", "HGNC.FAMILY:488"] in lines
    expected = GivenEntity(family["start"], family["end"], family["text"], "family", family["id"])
    for data, fmt in ((bioc(member), "bioc"), (pubtator(member), "pubtator")):
        (statement,) = read_back(data, fmt)
        assert expected in (statement.entities or ()), fmt


def test_relation_arguments_missing_from_the_mentions_are_still_annotated() -> None:
    (statement,) = read_back(bioc(document(mentions=[])), "bioc")
    assert statement.entities == given(PRDM1, IL2, PROLIFERATION)
    (statement,) = read_back(pubtator(document(mentions=[])), "pubtator")
    assert statement.entities == given(PRDM1, IL2, PROLIFERATION)


def test_xml_special_characters_and_line_breaks_survive() -> None:
    text = "A&B <IL2> \"x\" 'y'\r\nIL4\tand ]]> end"
    amp = {"text": "A&B", "start": 0, "end": 3, "type": "gene", "id": 'id&<">', "name": 'a "&" <b>'}
    il2 = {"text": "<IL2>", "start": 4, "end": 9, "type": "gene", "id": "HGNC:6001", "name": "IL2"}
    special = Document(id='s&<"1">', text=text, gene="<&>", mentions=[amp, il2])
    data = bioc(special)
    ET.fromstring(data)  # well-formed
    (statement,) = read_back(data, "bioc")
    assert (statement.id, statement.text, statement.gene) == ('s&<"1">', text, "<&>")
    assert statement.entities == (
        GivenEntity(0, 3, "A&B", "gene", 'id&<">'),
        GivenEntity(4, 9, "<IL2>", "gene", "HGNC:6001"),
    )


def test_characters_xml_cannot_hold_are_replaced_one_for_one() -> None:
    text = "IL2\x0b binds\x01 IL2RA"
    (statement,) = read_back(bioc(Document(id="c", text=text)), "bioc")
    assert statement.text == "IL2\ufffd binds\ufffd IL2RA"


def test_bioc_streams_each_document_before_reading_the_next() -> None:
    def documents() -> Iterator[Document]:
        yield document()
        yield Document(id="s2", text=None)

    out = io.BytesIO()
    with pytest.raises(MissingText, match="s2"):
        write_bioc(documents(), out)
    assert b"<id>s1</id>" in out.getvalue()
    assert b"</document>" in out.getvalue()


def test_an_empty_export_is_a_well_formed_collection() -> None:
    root = ET.fromstring(bioc())
    assert root.tag == "collection"
    assert root.findall("document") == []


# --- PubTator ------------------------------------------------------------------------------------------


def test_pubtator_lines_have_the_right_columns() -> None:
    out = io.BytesIO()
    assert write_pubtator([document(), document(id="s2", relations=[])], out) == 3
    blocks = out.getvalue().decode().split("\n\n")
    assert blocks[-1] == ""
    lines = blocks[0].split("\n")
    assert lines[0] == f"s1|t|{TEXT}"
    assert [line.split("\t") for line in lines[1:]] == [
        ["s1", "0", "5", "PRDM1", "Gene", "HGNC:9346"],
        ["s1", "38", "41", "IL2", "Gene", "HGNC:6001"],
        ["s1", "50", "70", "T-cell proliferation", "BiologicalProcess", "GO:0042098"],
        ["s1", "negatively_regulates", "HGNC:9346", "HGNC:6001"],
        ["s1", "negatively_regulates", "HGNC:9346", "GO:0042098", "negated"],
        ["s1", "negatively_regulates", "HGNC:9346", "HGNC:6001", "hedged"],
    ]
    assert blocks[1].split("\n")[0] == f"s2|t|{TEXT}"


def test_pubtator_reads_back_as_the_statement_with_its_mentions() -> None:
    statements = read_back(pubtator(document(), document(id="s2")), "pubtator", gene="BLIMP1")
    assert statements == [
        Statement(sid, TEXT, gene="BLIMP1", entities=given(PRDM1, IL2, PROLIFERATION)) for sid in ("s1", "s2")
    ]


def test_pubtator_keeps_offsets_when_tabs_and_line_breaks_become_spaces() -> None:
    text = "IL2\tand\r\nIL4 & <x> | y"
    start = text.index("IL4")
    il4 = {"text": "IL4", "start": start, "end": start + 3, "type": "gene", "id": "HGNC:6014", "name": "IL4"}
    (statement,) = read_back(pubtator(Document(id="p", text=text, mentions=[il4])), "pubtator")
    assert statement.text == "IL2 and  IL4 & <x> | y"
    assert statement.entities == (GivenEntity(start, start + 3, "IL4", "gene", "HGNC:6014"),)


def test_an_ungrounded_mention_has_an_empty_identifier() -> None:
    loose = {**IL2, "id": None, "name": None}
    (statement,) = read_back(pubtator(Document(id="u", text=TEXT, mentions=[loose])), "pubtator")
    assert statement.entities == (GivenEntity(38, 41, "IL2", "gene", ""),)


@pytest.mark.parametrize("doc_id", ["a|b", "a\tb", "a\nb", ""])
def test_an_id_pubtator_cannot_hold_is_refused(doc_id: str) -> None:
    with pytest.raises(UnwritableId):
        pubtator(document(id=doc_id))


@pytest.mark.parametrize("writer", [write_bioc, write_pubtator])
def test_a_document_without_text_cannot_be_written(writer: Any) -> None:
    with pytest.raises(MissingText, match="no text") as caught:
        writer([Document(id="r1", relations=RELATIONS)], io.BytesIO())
    assert caught.value.document_id == "r1"
    assert isinstance(caught.value, ValueError)


# --- the round trip through the pipeline -------------------------------------------------------------


def comparable(record: dict[str, Any]) -> tuple[Any, ...]:
    """What must survive the round trip. Not compared: mention names, candidates and members, which given
    entities do not carry, and the confidence that depends on candidates and members."""
    subject, obj = record["subject"], record["object"]
    return (
        record["statement_id"],
        (subject["id"], subject["start"], subject["end"]),
        record["predicate"],
        (obj["id"], obj["start"], obj["end"]),
        record["negated"],
        record["hedged"],
        record["implicit"],
        (record["trigger"]["text"], record["trigger"]["start"], record["trigger"]["end"]),
        (record["evidence"]["start"], record["evidence"]["end"]),
    )


@contextmanager
def one_threshold(nlp: Language) -> Iterator[None]:
    """The relation model at one explicit threshold. By default it admits a pair no rule reads more
    readily between given entities than between its own mentions; read back, generx's mentions are given."""
    scorer = nlp.get_pipe("relation_model")
    before = scorer.min_confidence
    scorer.min_confidence = scorer.model.threshold
    try:
        yield
    finally:
        scorer.min_confidence = before


@pytest.fixture(scope="module")
def first_pass(nlp: Language) -> list[StatementResult]:
    statements = [s for s in read_statements(DATA / "genatlas_IL2.txt") if isinstance(s, Statement)]
    assert statements and all(s.gene == "IL2" for s in statements)
    with one_threshold(nlp):
        results = list(extract(nlp, statements))
    assert all(result.error is None for result in results)
    return results


@pytest.fixture(scope="module")
def second_passes(
    nlp: Language, first_pass: list[StatementResult], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[StatementResult]]:
    documents = [
        Document(r.statement.id, r.statement.text, r.statement.gene, r.mentions, r.relations)
        for r in first_pass
    ]
    folder: Path = tmp_path_factory.mktemp("exports")
    passes = {}
    for fmt, writer, options in (("bioc", write_bioc, {}), ("pubtator", write_pubtator, {"gene": "IL2"})):
        path = folder / f"IL2.{fmt}"
        with path.open("wb") as out:
            assert writer(documents, out) == sum(len(d.relations) for d in documents)
        # PubTator has no place for the context gene: it is given to the reader, as for any PubTator file.
        statements = list(read_statements(path, **options))
        assert [(s.id, s.text, s.gene) for s in statements if isinstance(s, Statement)] == [
            (r.statement.id, r.statement.text, r.statement.gene) for r in first_pass
        ]
        with one_threshold(nlp):
            passes[fmt] = list(extract(nlp, [s for s in statements if isinstance(s, Statement)]))
    return passes


def relations_of(results: list[StatementResult]) -> list[tuple[Any, ...]]:
    return sorted(comparable(r) for result in results for r in result.relations)


@pytest.mark.model
@pytest.mark.parametrize("fmt", ["bioc", "pubtator"])
def test_round_trip_gives_the_same_relations(
    nlp: Language,
    first_pass: list[StatementResult],
    second_passes: dict[str, list[StatementResult]],
    fmt: str,
) -> None:
    second = second_passes[fmt]
    assert [r.error for r in second] == [None] * len(first_pass)
    # The mentions come back as given (same offsets, types and ids), even those inside a token
    # ("CD28-responsive"), and so do the relations.
    for before, after in zip(first_pass, second, strict=True):
        assert [(m["start"], m["end"], m["type"], m["id"]) for m in before.mentions] == [
            (m["start"], m["end"], m["type"], m["id"]) for m in after.mentions
        ]
    assert relations_of(first_pass)
    assert relations_of(second) == relations_of(first_pass)
    # Implicit relations came back with the context gene (BioC from its gene infon).
    assert any(r["implicit"] for result in second for r in result.relations)
