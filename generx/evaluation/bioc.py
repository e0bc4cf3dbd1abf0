"""BioRED-style gold in BioC XML (Comeau et al. 2013): documents, annotations and relations.

The statements (passages joined, annotations as entities) come from
``generx.pipelines.statements.read_statements``; the relations are read here. A BioC relation names its
concepts either in infons (``entity1``/``entity2``, as BioRED writes them) or in ``node`` elements
pointing at annotations, whose concept id is then looked up.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from generx.evaluation.gold import GoldCorpus, GoldFormatError, open_gold
from generx.evaluation.pubtator import biored_corpus, concept_ids, documents_as_statements

_ID_KEYS = ("identifier", "Identifier", "NCBI Gene", "MESH")


def read_bioc_gold(path: Path) -> GoldCorpus:
    """Read a BioC XML file with relations (BioRED) into statements and gene–gene gold relations."""
    statements, problems = documents_as_statements(path, "bioc")
    relations: dict[str, list[tuple[str, str, str]]] = {}
    try:
        with open_gold(path) as stream:
            for _, element in ET.iterparse(stream, events=("end",)):
                if element.tag != "document":
                    continue
                doc_id = (element.findtext("id") or "").strip()
                relations[doc_id] = _document_relations(element)
                element.clear()
    except (ET.ParseError, OSError, EOFError) as err:
        raise GoldFormatError(f"{path}: not readable as BioC XML: {err}") from err
    return biored_corpus(path.name, "bioc", statements, relations, problems)


def _infons(element: ET.Element) -> dict[str, str]:
    return {infon.get("key", ""): (infon.text or "").strip() for infon in element.findall("infon")}


def _document_relations(document: ET.Element) -> list[tuple[str, str, str]]:
    annotation_ids: dict[str, str] = {}
    for annotation in document.iter("annotation"):
        infons = _infons(annotation)
        concept = next((infons[key] for key in _ID_KEYS if infons.get(key)), "")
        annotation_ids[annotation.get("id", "")] = concept
    rows = []
    for relation in document.iter("relation"):
        infons = _infons(relation)
        relation_type = infons.get("type", "")
        if infons.get("entity1") and infons.get("entity2"):
            rows.append((relation_type, infons["entity1"], infons["entity2"]))
            continue
        nodes = [annotation_ids.get(node.get("refid", ""), "") for node in relation.findall("node")]
        concepts = [ids[0] for ids in (concept_ids(node) for node in nodes) if ids]
        if len(concepts) == 2:
            rows.append((relation_type, concepts[0], concepts[1]))
    return rows
