"""Build generx's runtime pipeline from its config, and make the Doc for a statement."""

from __future__ import annotations

import json
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import Config

from generx.pipelines.annotations import MENTIONS
from generx.pipelines.components import GIVEN_ENTITIES  # also registers generx's factories
from generx.pipelines.statements import Statement

CONFIG = Path(__file__).resolve().parent / "configs" / "generx.cfg"
# The name of the relation model component in CONFIG.
RELATION_MODEL = "relation_model"


def build_pipeline(
    models_dir: Path,
    *,
    config: Path = CONFIG,
    min_confidence: float | None = None,
    convention: str | None = None,
    relation_model: bool = True,
) -> Language:
    """The full pipeline: trained components from models/generx_bio_sm, lexicons from models/lexicons,
    the relation model from models/relation_model.

    ``min_confidence`` reports only relations at or above it (None: the relation model's own threshold).
    ``convention`` is whose way of reading relations the relation model follows (None: the config's).
    ``relation_model=False`` leaves the relation model out (the rules alone: what it is trained on).
    """
    overrides: dict[str, object] = {"paths.models": str(models_dir)}
    if min_confidence is not None:
        overrides["components.relation_model.min_confidence"] = min_confidence
    if convention is not None:
        overrides["components.relation_model.convention"] = convention
    cfg = Config().from_disk(config, overrides=overrides)
    exclude = [] if relation_model else [RELATION_MODEL]
    nlp = spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True, exclude=exclude)
    meta = json.loads((models_dir / "generx_bio_sm" / "meta.json").read_text())
    nlp.meta["generx_models"] = f"generx_{meta['name']} {meta['version']}"
    return nlp


def prepare_doc(nlp: Language, statement: Statement) -> Doc:
    """Tokenise a statement and attach its id, context gene and any entities it brings."""
    doc = nlp.make_doc(statement.text)
    doc._.statement_id = statement.id
    doc._.context_gene = statement.gene
    if statement.entities is not None:
        # The gene component turns them into mentions after the parse, splitting tokens at their edges
        # ("CD28-responsive") exactly as it does for its own mentions, so both modes see the same parse.
        doc.user_data[GIVEN_ENTITIES] = statement.entities
        doc.spans[MENTIONS] = []
    return doc
