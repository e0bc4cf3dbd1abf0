"""Build generx's runtime pipeline from its config, and make the Doc for a statement."""

from __future__ import annotations

import json
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import Config

import pipelines.components  # noqa: F401  (registers generx's factories)
from pipelines.annotations import MENTIONS
from pipelines.statements import Statement

CONFIG = Path(__file__).resolve().parent / "configs" / "generx.cfg"


def build_pipeline(
    models_dir: Path, *, config: Path = CONFIG, association_path: int | None = None
) -> Language:
    """The full pipeline: trained components from models/generx_bio_sm, lexicons from models/lexicons."""
    overrides: dict[str, object] = {"paths.models": str(models_dir)}
    if association_path is not None:
        overrides["components.relations.association_path"] = association_path
    cfg = Config().from_disk(config, overrides=overrides)
    nlp = spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
    meta = json.loads((models_dir / "generx_bio_sm" / "meta.json").read_text())
    nlp.meta["generx_models"] = f"generx_{meta['name']} {meta['version']}"
    return nlp


def prepare_doc(nlp: Language, statement: Statement) -> Doc:
    """Tokenise a statement and attach its id, context gene and any entities it brings."""
    doc = nlp.make_doc(statement.text)
    doc._.statement_id = statement.id
    doc._.context_gene = statement.gene
    if statement.entities is not None:
        spans = []
        for entity in statement.entities:
            span = doc.char_span(
                entity.start, entity.end, label=entity.type, kb_id=entity.id, alignment_mode="expand"
            )
            if span is not None:
                span._.name = entity.text
                spans.append(span)
        doc.spans[MENTIONS] = spans
    return doc
